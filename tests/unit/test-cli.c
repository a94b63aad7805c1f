/* The CLI client against a scripted fake camera: plain and raw answers,
 * rejections, events, line-ending variants, long and split answers, the
 * send/read halves used by transfers, and a lost connection. The recovery
 * cases (double prompts, tails, noise, timeouts) are in
 * test-cli-recovery.c. */
#include "test-cli-common.h"

static void test_plain_answers(void **state)
{
	static const struct step steps[] = {
		ST("fps", "Frames per second: 602.673549000" PROMPT),
		ST("cropping", "Cropping off: columns: 0-639 rows:    0-511" PROMPT),
		ST("set fps 100", "Result: OK" PROMPT),
		ST("temperatures CPU raw", "33.50" PROMPT),
	};
	START(steps);

	expect_answer(cli, "fps", "Frames per second: 602.673549000");
	expect_answer(cli, "cropping", "Cropping off: columns: 0-639 rows:    0-511");
	expect_answer(cli, "set fps 100", "Result: OK");
	expect_answer(cli, "temperatures CPU raw", "33.50");
	stop(&f, cli);
	assert_log(&f, "fps", "cropping", "set fps 100", "temperatures CPU raw", NULL);
}

static void test_raw_and_commandf(void **state)
{
	static const struct step steps[] = {
		ST("fps raw", "600" PROMPT),
		ST("tint raw", "  0.000103382 \t" PROMPT),
		ST("cropping raw", "on:c0-c1:r0-r1" PROMPT),
		ST("set fps 250", "Result:OK" PROMPT),
		ST("minfps raw", "Syntax error next to 'minfps'" PROMPT),
	};
	char *v = NULL;
	START(steps);

	assert_int_equal(cred_cli_raw(cli, "fps", 0, &v), CRED_OK);
	assert_string_equal(v, "600");
	free(v);
	assert_int_equal(cred_cli_raw(cli, "tint raw", 0, &v), CRED_OK); /* not "raw raw" */
	assert_string_equal(v, "0.000103382");
	free(v);
	assert_int_equal(cred_cli_raw(cli, "cropping", 0, &v), CRED_OK);
	assert_string_equal(v, "on:c0-c1:r0-r1");
	free(v);
	assert_int_equal(cred_cli_commandf(cli, 0, &v, "set fps %d", 250), CRED_OK);
	assert_string_equal(v, "Result:OK");
	free(v);
	v = (char *)"untouched";
	assert_int_equal(cred_cli_raw(cli, "minfps", 0, &v), CRED_ERR_FAIL);
	assert_null(v);
	assert_string_equal(cred_last_error(), "Syntax error next to 'minfps'");
	stop(&f, cli);
	assert_log(&f, "fps raw", "tint raw", "cropping raw", "set fps 250", "minfps raw", NULL);
}

static void test_rejections(void **state)
{
	static const struct step steps[] = {
		ST("xyz", "Syntax error next to 'xyz'" PROMPT),
		ST("set fps 99999", "Error: value out of range [1-600]" PROMPT),
		ST("set cooling on", "Command failed" PROMPT),
		ST("set tint 5", "Result: KO" PROMPT),
		ST("exec buildbias", "Compute bias image........\r\nError: no dark frames" PROMPT),
		ST("status detailed", "Last status change reason: none" PROMPT),
		ST("status detailed", "Last status change reason: pulse tube failure" PROMPT),
		ST("version", "Firmware: 3.1.1\r\nErrors logged: 0" PROMPT),
	};
	START(steps);

	expect_error(cli, "xyz", 0, CRED_ERR_FAIL);
	assert_string_equal(cred_last_error(), "Syntax error next to 'xyz'");
	expect_error(cli, "set fps 99999", 0, CRED_ERR_FAIL);
	assert_string_equal(cred_last_error(), "Error: value out of range [1-600]");
	expect_error(cli, "set cooling on", 0, CRED_ERR_FAIL);
	assert_string_equal(cred_last_error(), "Command failed");
	expect_error(cli, "set tint 5", 0, CRED_ERR_FAIL);
	assert_string_equal(cred_last_error(), "Result: KO");
	expect_error(cli, "exec buildbias", 0, CRED_ERR_FAIL);
	assert_string_equal(cred_last_error(), "Compute bias image........; Error: no dark frames");
	/* values that merely mention failures are answers */
	expect_answer(cli, "status detailed", "Last status change reason: none");
	expect_answer(cli, "status detailed", "Last status change reason: pulse tube failure");
	expect_answer(cli, "version", "Firmware: 3.1.1\nErrors logged: 0");
	stop(&f, cli);
	/* a rejection is an answer: nothing is sent twice */
	assert_log(&f, "xyz", "set fps 99999", "set cooling on", "set tint 5", "exec buildbias",
		   "status detailed", "status detailed", "version", NULL);
}

static void test_line_endings(void **state)
{
	static const struct step steps[] = {
		ST("a", "600\nfli-cli>"),
		ST("b", "600\r\r\nfli-cli>"),
		ST("c", "600\n\rfli-cli>"),
		ST("d", "600fli-cli>"),
		ST("e", "\r\n600\r\n\r\nfli-cli>"),
		ST("f", "line one\nline two\r\nline three" PROMPT),
		ST("g", "line one\r\n\r\nline three" PROMPT),
	};
	START(steps);

	expect_answer(cli, "a", "600");
	expect_answer(cli, "b", "600");
	expect_answer(cli, "c", "600");
	expect_answer(cli, "d", "600");
	expect_answer(cli, "e", "600");
	expect_answer(cli, "f", "line one\nline two\nline three");
	expect_answer(cli, "g", "line one\n\nline three");
	stop(&f, cli);
	assert_log(&f, "a", "b", "c", "d", "e", "f", "g", NULL);
}

/* A help-like listing of 400 lines, one of which says "in error". */
static char *long_listing(int with_prompt)
{
	size_t size = 64 * 1024, o = 0;
	char *s = malloc(size);

	for (int i = 0; i < 400; i++) {
		if (i == 200)
			o += (size_t)snprintf(s + o, size - o, "continue   Continue camera starting even "
					      "if at the last use, the camera was in error\r\n");
		else
			o += (size_t)snprintf(s + o, size - o, "command%03d Description of command %d\r\n",
					      i, i);
	}
	o -= 2; /* the last line's CR LF is the prompt's */
	s[o] = '\0';
	if (with_prompt)
		snprintf(s + o, size - o, PROMPT);
	return s;
}

static void test_long_answer(void **state)
{
	char *reply = long_listing(1), *want = long_listing(0), *answer = NULL;
	const struct step steps[] = { ST("help", reply) };
	size_t n = 0;
	START(steps);

	/* the camera sends "\r\n" line ends; the answer has "\n" */
	for (char *p = want; *p; p++)
		if (*p != '\r')
			want[n++] = *p;
	want[n] = '\0';
	assert_int_equal(cred_cli_command(cli, "help", 0, &answer), CRED_OK);
	assert_string_equal(answer, want);
	free(answer);
	stop(&f, cli);
	assert_log(&f, "help", NULL);
	free(reply);
	free(want);
}

static void test_split_reads(void **state)
{
	static const struct step steps[] = {
		STF("fps", "event: a\r\nFrames per second: 600" PROMPT, STEP_SPLIT),
		STF("set fps 100", "Result: OK\r\nfli-cli>", STEP_SPLIT),
	};
	struct events ev = { .n = 0 };
	START(steps);

	cred_cli_set_event_handler(cli, collect, &ev);
	expect_answer(cli, "fps", "Frames per second: 600");
	expect_answer(cli, "set fps 100", "Result: OK");
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.v[0], "event: a");
	stop(&f, cli);
	assert_log(&f, "fps", "set fps 100", NULL);
}

static void test_events_in_answers(void **state)
{
	static const struct step steps[] = {
		/* before, inside and after answers */
		ST("fps raw", "event: status changed to operational\r\n600" PROMPT),
		ST("version", "Firmware: 3.1.1\r\nEVENT: cooling on\r\nFPGA: 2.0" PROMPT),
		ST("tint raw", "0.001\r\nevent: between answer and prompt" PROMPT),
		ST("fps raw", "600" PROMPT "Event: after the prompt\r\n"),
		ST("tint raw", "0.002" PROMPT),
	};
	struct events ev = { .n = 0 };
	START(steps);

	cred_cli_set_event_handler(cli, collect, &ev);
	expect_answer(cli, "fps raw", "600");
	expect_answer(cli, "version", "Firmware: 3.1.1\nFPGA: 2.0");
	expect_answer(cli, "tint raw", "0.001");
	expect_answer(cli, "fps raw", "600");
	/* by the end of the next command at the latest, the late one is seen */
	expect_answer(cli, "tint raw", "0.002");
	assert_int_equal(ev.n, 4);
	assert_string_equal(ev.v[0], "event: status changed to operational");
	assert_string_equal(ev.v[1], "EVENT: cooling on");
	assert_string_equal(ev.v[2], "event: between answer and prompt");
	assert_string_equal(ev.v[3], "Event: after the prompt");
	stop(&f, cli);
	assert_log(&f, "fps raw", "version", "tint raw", "fps raw", "tint raw", NULL);
}

static void test_events_while_idle(void **state)
{
	static const struct step steps[] = {
		ST("fps raw", "600" PROMPT),
		STF(NULL, "event: idle one\r\nevent: idle two\r\n", STEP_GO | STEP_NOTIFY),
		ST("tint raw", "0.001" PROMPT),
		/* an unsolicited error message is an event; a stale answer is not */
		STF(NULL, "Pressure: 1e-5" PROMPT "Error: water temperature too high\r\n",
		    STEP_GO | STEP_NOTIFY),
		ST("tint raw", "0.001" PROMPT),
	};
	struct events ev = { .n = 0 };
	char *e = NULL;
	START(steps);

	expect_answer(cli, "fps raw", "600");
	fake_go(&f);
	assert_int_equal(fake_wait(&f), 0);
	expect_answer(cli, "tint raw", "0.001");
	/* no handler yet: queued, oldest first */
	assert_int_equal(cred_cli_next_event(cli, &e), 1);
	assert_string_equal(e, "event: idle one");
	free(e);
	/* setting a handler hands it what is still queued */
	cred_cli_set_event_handler(cli, collect, &ev);
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.v[0], "event: idle two");
	assert_int_equal(cred_cli_next_event(cli, &e), 0);
	assert_null(e);

	fake_go(&f);
	assert_int_equal(fake_wait(&f), 0);
	expect_answer(cli, "tint raw", "0.001");
	assert_int_equal(ev.n, 2);
	assert_string_equal(ev.v[1], "Error: water temperature too high");
	stop(&f, cli);
	assert_log(&f, "fps raw", "tint raw", "tint raw", NULL);
}

static void test_poll_events(void **state)
{
	static const struct step steps[] = {
		STF(NULL, "EVENT: cooling started\r\n", STEP_GO),
		STF(NULL, "stale text\r\nevent: two\r\nevent: three\r\n", STEP_GO | STEP_NOTIFY),
	};
	char *e = NULL;
	START(steps);

	assert_int_equal(cred_cli_poll_events(cli, 0), 0); /* nothing yet */
	fake_go(&f);
	assert_int_equal(cred_cli_poll_events(cli, 10000), 1);
	assert_int_equal(cred_cli_next_event(cli, &e), 1);
	assert_string_equal(e, "EVENT: cooling started");
	free(e);
	fake_go(&f);
	assert_int_equal(fake_wait(&f), 0);
	assert_int_equal(cred_cli_poll_events(cli, 10000), 2);
	assert_int_equal(cred_cli_next_event(cli, &e), 1);
	assert_string_equal(e, "event: two");
	free(e);
	assert_int_equal(cred_cli_next_event(cli, &e), 1);
	assert_string_equal(e, "event: three");
	free(e);
	stop(&f, cli);
	assert_log(&f, NULL);
}

static void test_event_queue_bound(void **state)
{
	static char reply[300 * 24 + 64];
	const struct step steps[] = { ST("fps raw", reply) };
	size_t o = 0;
	char *e = NULL, want[32];
	int n = 0;

	for (int i = 0; i < 300; i++)
		o += (size_t)sprintf(reply + o, "event: number %d\r\n", i);
	sprintf(reply + o, "600" PROMPT);
	START(steps);

	expect_answer(cli, "fps raw", "600");
	/* the newest are kept */
	while (cred_cli_next_event(cli, &e)) {
		sprintf(want, "event: number %d", 300 - 256 + n);
		assert_string_equal(e, want);
		free(e);
		n++;
	}
	assert_int_equal(n, 256); /* cred-cli.h: the newest 256 */
	stop(&f, cli);
}

static void test_send_and_read_answer(void **state)
{
	static const struct step steps[] = {
		{ .expect = "sendfile bias 4 0123456789abcdef0123456789abcdef", .raw_in = 4,
		  .reply = "Result: OK" PROMPT },
		{ .expect = "sendfile flat 4 0123456789abcdef0123456789abcdef", .raw_in = 4,
		  .reply = "Error: md5 mismatch" PROMPT },
	};
	char *answer = NULL;
	START(steps);

	assert_int_equal(cred_cli_send(cli, "sendfile bias 4 0123456789abcdef0123456789abcdef"), CRED_OK);
	assert_int_equal(cred_port_write(cred_cli_port(cli), "ABCD", 4, 1000), CRED_OK);
	assert_int_equal(cred_cli_read_answer(cli, 0, &answer), CRED_OK);
	assert_string_equal(answer, "Result: OK");
	free(answer);
	assert_int_equal(cred_cli_send(cli, "sendfile flat 4 0123456789abcdef0123456789abcdef"), CRED_OK);
	assert_int_equal(cred_port_write(cred_cli_port(cli), "WXYZ", 4, 1000), CRED_OK);
	answer = (char *)"untouched";
	assert_int_equal(cred_cli_read_answer(cli, 0, &answer), CRED_ERR_FAIL);
	assert_null(answer);
	assert_string_equal(cred_last_error(), "Error: md5 mismatch");
	stop(&f, cli);
	assert_log(&f, "sendfile bias 4 0123456789abcdef0123456789abcdef", "ABCD",
		   "sendfile flat 4 0123456789abcdef0123456789abcdef", "WXYZ", NULL);
}

static void test_bad_commands(void **state)
{
	static const struct step steps[] = { ST("", PROMPT) };
	START(steps);

	expect_error(cli, "fps\nset fps 1", 0, CRED_ERR_ARG);
	expect_error(cli, "fps\r", 0, CRED_ERR_ARG);
	expect_error(cli, "caf\xc3\xa9", 0, CRED_ERR_ARG);
	assert_int_equal(cred_cli_send(cli, "a\nb"), CRED_ERR_ARG);
	/* an empty command is a bare "\n": its answer is the empty one */
	expect_answer(cli, "", "");
	stop(&f, cli);
	assert_log(&f, "", NULL);
}

static void test_connection_lost(void **state)
{
	static const struct step steps[] = {
		STF("fps raw", "60", STEP_CLOSE),
	};
	START(steps);

	expect_error(cli, "fps raw", 0, CRED_ERR_IO);
	assert_non_null(strstr(cred_last_error(), "connection lost"));
	/* and it stays lost */
	expect_error(cli, "fps raw", 0, CRED_ERR_IO);
	stop(&f, cli);
	assert_log(&f, "fps raw", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_answers),
		cmocka_unit_test(test_raw_and_commandf),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_line_endings),
		cmocka_unit_test(test_long_answer),
		cmocka_unit_test(test_split_reads),
		cmocka_unit_test(test_events_in_answers),
		cmocka_unit_test(test_events_while_idle),
		cmocka_unit_test(test_poll_events),
		cmocka_unit_test(test_event_queue_bound),
		cmocka_unit_test(test_send_and_read_answer),
		cmocka_unit_test(test_bad_commands),
		cmocka_unit_test(test_connection_lost),
	};

	return cmocka_run_group_tests(tests, setup_signals, NULL);
}
