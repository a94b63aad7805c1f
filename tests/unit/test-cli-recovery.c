/* The CLI client keeping commands and answers in step against a scripted
 * fake camera: double prompts, late tails, line noise, dropped prompts,
 * resynchronisation, and the rule that only read-only commands are sent
 * twice. Each script is deterministic: where timing could decide which
 * path the client takes, the fake only writes when the test says "go". */
#include "test-cli-common.h"

#define RESYNC ST("", PROMPT) /* the client's bare "\n" and a fresh prompt */

static void test_double_prompt_after_answer(void **state)
{
	static const struct step steps[] = {
		ST("fps raw", "600" PROMPT "fli-cli>"),
		ST("tint raw", "0.001" PROMPT PROMPT),
		ST("fps", "Frames per second: 600" PROMPT),
	};
	START(steps);

	expect_answer(cli, "fps raw", "600");
	expect_answer(cli, "tint raw", "0.001");
	expect_answer(cli, "fps", "Frames per second: 600");
	stop(&f, cli);
	/* a bare extra prompt is dropped: no resync, nothing sent twice */
	assert_log(&f, "fps raw", "tint raw", "fps", NULL);
}

static void test_double_prompt_while_idle(void **state)
{
	static const struct step steps[] = {
		ST("set fps 100", "Result: OK" PROMPT),
		STF(NULL, PROMPT, STEP_GO | STEP_NOTIFY),
		ST("fps raw", "100" PROMPT),
	};
	START(steps);

	expect_answer(cli, "set fps 100", "Result: OK");
	fake_go(&f);
	assert_int_equal(fake_wait(&f), 0);
	expect_answer(cli, "fps raw", "100");
	stop(&f, cli);
	assert_log(&f, "set fps 100", "fps raw", NULL);
}

static void test_stale_prompt_before_answer(void **state)
{
	/* The previous command's extra prompt arrives after the next command
	 * was sent: it must not be taken for an empty answer. */
	static const struct step steps[] = {
		ST("fps raw", PROMPT),
		{ .reply = "600" PROMPT, .delay_ms = 30 },
		ST("set fps 100", "fli-cli>"),
		{ .reply = "Result: OK" PROMPT, .delay_ms = 30 },
	};
	START(steps);

	expect_answer(cli, "fps raw", "600");
	expect_answer(cli, "set fps 100", "Result: OK");
	stop(&f, cli);
	assert_log(&f, "fps raw", "set fps 100", NULL);
}

static void test_empty_answer(void **state)
{
	/* A command that answers nothing but its prompt: after the timeout
	 * (short here) the empty answer stands. */
	static const struct step steps[] = { ST("swtrig", PROMPT) };
	char *answer = NULL;
	START(steps);

	assert_int_equal(cred_cli_command(cli, "swtrig", 500, &answer), CRED_OK);
	assert_string_equal(answer, "");
	free(answer);
	stop(&f, cli);
	assert_log(&f, "swtrig", NULL);
}

static void test_tail_in_window_read_only(void **state)
{
	/* `pressure` answered twice: resync, then ask again. */
	static const struct step steps[] = {
		ST("pressure", "Pressure: 1.2e-05 mbar" PROMPT "Pressure: 1.2e-05 mbar" PROMPT),
		RESYNC,
		ST("pressure", "Pressure: 1.2e-05 mbar" PROMPT),
		ST("fps raw", "600" PROMPT),
	};
	START(steps);

	expect_answer(cli, "pressure", "Pressure: 1.2e-05 mbar");
	expect_answer(cli, "fps raw", "600");
	stop(&f, cli);
	assert_log(&f, "pressure", "", "pressure", "fps raw", NULL);
}

static void test_foreign_tail_read_only(void **state)
{
	/* The previous answer's tail lands in front of ours: the read-only
	 * command is asked again after resynchronising. */
	static const struct step steps[] = {
		ST("fps raw", "Pressure: 1.2e-05 mbar" PROMPT "600" PROMPT),
		RESYNC,
		ST("fps raw", "600" PROMPT),
	};
	START(steps);

	expect_answer(cli, "fps raw", "600");
	stop(&f, cli);
	assert_log(&f, "fps raw", "", "fps raw", NULL);
}

static void test_tail_persists(void **state)
{
	/* Doubled twice: the read-only command is not asked a third time, the
	 * first answer of the second try stands, and the line is clean after. */
	static const struct step steps[] = {
		ST("pressure", "1.2e-05" PROMPT "1.2e-05" PROMPT),
		RESYNC,
		ST("pressure", "1.3e-05" PROMPT "1.3e-05" PROMPT),
		RESYNC,
		ST("fps raw", "600" PROMPT),
	};
	START(steps);

	expect_answer(cli, "pressure", "1.3e-05");
	expect_answer(cli, "fps raw", "600");
	stop(&f, cli);
	assert_log(&f, "pressure", "", "pressure", "", "fps raw", NULL);
}

static void test_late_tail_while_idle(void **state)
{
	/* set cropping's tail comes after the answer window closed: the next
	 * command's drain drops it. */
	static const struct step steps[] = {
		ST("set cropping columns 0-319", "Result: OK" PROMPT),
		STF(NULL, "Cropping columns: 0-319" PROMPT, STEP_GO | STEP_NOTIFY),
		ST("cropping columns raw", "0-319" PROMPT),
	};
	struct events ev = { .n = 0 };
	START(steps);

	cred_cli_set_event_handler(cli, collect, &ev);
	expect_answer(cli, "set cropping columns 0-319", "Result: OK");
	fake_go(&f);
	assert_int_equal(fake_wait(&f), 0);
	expect_answer(cli, "cropping columns raw", "0-319");
	assert_int_equal(ev.n, 0); /* stale text is not an event */
	stop(&f, cli);
	assert_log(&f, "set cropping columns 0-319", "cropping columns raw", NULL);
}

static void test_late_tail_ahead_of_answer(void **state)
{
	/* The late tail of "medium" comes after the next command was sent and
	 * ahead of its answer: it repeats the end of a recent answer, so the
	 * client listens on and takes the answer that follows. Nothing is
	 * sent twice, nothing is reported as an event. */
	static const struct step steps[] = {
		ST("sensibility raw", "medium" PROMPT),
		ST("preset raw", "ium" PROMPT),
		{ .reply = "0" PROMPT, .delay_ms = 100 },
		ST("version firmware build raw", "2021-06-15 10:21:03" PROMPT "1-06-15 10:21:03" PROMPT),
		ST("set fps 100", "10:21:03" PROMPT),
		{ .reply = "Result: OK" PROMPT, .delay_ms = 100 },
	};
	struct events ev = { .n = 0 };
	START(steps);

	cred_cli_set_event_handler(cli, collect, &ev);
	expect_answer(cli, "sensibility raw", "medium");
	expect_answer(cli, "preset raw", "0");
	/* its own late tail right behind it is dropped */
	expect_answer(cli, "version firmware build raw", "2021-06-15 10:21:03");
	/* a set too: the stale text gives way to the set's own answer */
	expect_answer(cli, "set fps 100", "Result: OK");
	assert_int_equal(ev.n, 0);
	stop(&f, cli);
	assert_log(&f, "sensibility raw", "preset raw", "version firmware build raw", "set fps 100", NULL);
}

static void test_tail_state_changing(void **state)
{
	/* A set followed by more text: never sent again; the first answer
	 * stands, the line is resynchronised. */
	static const struct step steps[] = {
		ST("set cropping columns 0-319", "Result: OK" PROMPT "Cropping on" PROMPT),
		RESYNC,
		ST("set cropping rows 0-255", "Result: OK" PROMPT "Error: rows adjusted" PROMPT),
		RESYNC,
	};
	START(steps);

	expect_answer(cli, "set cropping columns 0-319", "Result: OK");
	/* a rejection in the tail of a set counts */
	expect_error(cli, "set cropping rows 0-255", 0, CRED_ERR_FAIL);
	assert_string_equal(cred_last_error(), "Error: rows adjusted");
	stop(&f, cli);
	assert_log(&f, "set cropping columns 0-319", "", "set cropping rows 0-255", "", NULL);
}

static void test_garbage_read_only(void **state)
{
	static const struct step steps[] = {
		{ .expect = "fps raw", .reply = "\xff\x00\x13" "600" PROMPT, .len = 16 },
		RESYNC,
		ST("fps raw", "600" PROMPT),
		{ .expect = "tint raw", .reply = "0.0\x00" "1" PROMPT, .len = 15 },
		RESYNC,
		{ .expect = "tint raw", .reply = "\x1b[0m0.001" PROMPT, .len = 19 },
		RESYNC,
	};
	START(steps);

	expect_answer(cli, "fps raw", "600");
	/* garbled twice: given up with a protocol error */
	expect_error(cli, "tint raw", 0, CRED_ERR_PROTO);
	assert_non_null(strstr(cred_last_error(), "garbled answer to 'tint raw'"));
	stop(&f, cli);
	assert_log(&f, "fps raw", "", "fps raw", "tint raw", "", "tint raw", "", NULL);
}

static void test_garbage_state_changing(void **state)
{
	static const struct step steps[] = {
		{ .expect = "set fps 100", .reply = "\x01\x02Result: OK" PROMPT, .len = 22 },
		RESYNC,
		ST("fps raw", "100" PROMPT),
	};
	START(steps);

	expect_error(cli, "set fps 100", 0, CRED_ERR_PROTO);
	assert_non_null(strstr(cred_last_error(), "may have taken effect"));
	expect_answer(cli, "fps raw", "100");
	stop(&f, cli);
	assert_log(&f, "set fps 100", "", "fps raw", NULL);
}

static void test_dropped_prompt_read_only(void **state)
{
	static const struct step steps[] = {
		ST("fps raw", "600\r\nfli-c"),
		RESYNC,
		ST("fps raw", "600" PROMPT),
	};
	START(steps);

	cred_cli_set_timeout(cli, 500);
	expect_answer(cli, "fps raw", "600");
	stop(&f, cli);
	assert_log(&f, "fps raw", "", "fps raw", NULL);
}

static void test_dropped_prompt_state_changing(void **state)
{
	static const struct step steps[] = {
		ST("set fps 100", "Result: OK\r\n"),
	};
	START(steps);

	expect_error(cli, "set fps 100", 300, CRED_ERR_TIMEOUT);
	assert_non_null(strstr(cred_last_error(), "'set fps 100'"));
	assert_non_null(strstr(cred_last_error(), "300 ms"));
	stop(&f, cli);
	assert_log(&f, "set fps 100", NULL); /* never sent again */
}

static void test_timeout_twice(void **state)
{
	static const struct step steps[] = {
		ST("fps raw", NULL),
		RESYNC,
		ST("fps raw", NULL),
	};
	START(steps);

	expect_error(cli, "fps raw", 300, CRED_ERR_TIMEOUT);
	assert_non_null(strstr(cred_last_error(), "no answer to 'fps raw'"));
	assert_non_null(strstr(cred_last_error(), "tried twice"));
	stop(&f, cli);
	assert_log(&f, "fps raw", "", "fps raw", NULL);
}

static void test_dead_camera(void **state)
{
	/* Nobody answers, not even the resync: no second try. */
	static const struct step steps[] = { ST("fps raw", NULL) };
	START(steps);

	cred_cli_set_timeout(cli, 300);
	expect_error(cli, "fps raw", 0, CRED_ERR_TIMEOUT);
	assert_non_null(strstr(cred_last_error(), "within 300 ms"));
	assert_int_equal(cred_cli_resync(cli), CRED_ERR_TIMEOUT);
	stop(&f, cli);
	assert_log(&f, "fps raw", "", "", NULL);
}

static void test_lost_during_resync(void **state)
{
	/* Garbled, then the line drops: a lost link, not a timeout. */
	static const struct step steps[] = {
		STF("fps raw", "\x01" "600" PROMPT, STEP_CLOSE),
	};
	START(steps);

	expect_error(cli, "fps raw", 0, CRED_ERR_IO);
	assert_non_null(strstr(cred_last_error(), "connection lost"));
	stop(&f, cli);
	assert_log(&f, "fps raw", NULL);
}

static void test_resync(void **state)
{
	static const struct step steps[] = {
		STF(NULL, "junk\r\nfli-cli>event: during resync\r\nhalf a li", STEP_GO | STEP_NOTIFY),
		RESYNC,
		ST("fps raw", "600" PROMPT),
	};
	struct events ev = { .n = 0 };
	START(steps);

	cred_cli_set_event_handler(cli, collect, &ev);
	fake_go(&f);
	assert_int_equal(fake_wait(&f), 0);
	assert_int_equal(cred_cli_resync(cli), CRED_OK);
	expect_answer(cli, "fps raw", "600");
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.v[0], "event: during resync");
	stop(&f, cli);
	assert_log(&f, "", "fps raw", NULL);
}

static void test_read_answer_garbled(void **state)
{
	/* The transfer half never resends, whatever the command. */
	static const struct step steps[] = {
		{ .expect = "recvfile userbadpixel size", .reply = "40\x00" "960" PROMPT, .len = 16 },
		RESYNC,
	};
	char *answer = NULL;
	START(steps);

	assert_int_equal(cred_cli_send(cli, "recvfile userbadpixel size"), CRED_OK);
	assert_int_equal(cred_cli_read_answer(cli, 0, &answer), CRED_ERR_PROTO);
	assert_null(answer);
	stop(&f, cli);
	assert_log(&f, "recvfile userbadpixel size", "", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_double_prompt_after_answer),
		cmocka_unit_test(test_double_prompt_while_idle),
		cmocka_unit_test(test_stale_prompt_before_answer),
		cmocka_unit_test(test_empty_answer),
		cmocka_unit_test(test_tail_in_window_read_only),
		cmocka_unit_test(test_foreign_tail_read_only),
		cmocka_unit_test(test_tail_persists),
		cmocka_unit_test(test_late_tail_while_idle),
		cmocka_unit_test(test_late_tail_ahead_of_answer),
		cmocka_unit_test(test_tail_state_changing),
		cmocka_unit_test(test_garbage_read_only),
		cmocka_unit_test(test_garbage_state_changing),
		cmocka_unit_test(test_dropped_prompt_read_only),
		cmocka_unit_test(test_dropped_prompt_state_changing),
		cmocka_unit_test(test_timeout_twice),
		cmocka_unit_test(test_dead_camera),
		cmocka_unit_test(test_lost_during_resync),
		cmocka_unit_test(test_resync),
		cmocka_unit_test(test_read_answer_garbled),
	};

	return cmocka_run_group_tests(tests, setup_signals, NULL);
}
