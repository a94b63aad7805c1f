/* Unit tests of cancellation (cred-cancel.h): a signal that sets the
 * registered flag ends every kind of wait in libcred, however long the
 * wait was meant to be, and nothing new is sent once it is set.
 *
 * Each wait below would last LONG_MS (or for ever) if the flag were not
 * honoured; the test then fails on the return value, not on a clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "cred.h"

#define LONG_MS 30000

static volatile sig_atomic_t flag;

static void on_alarm(int sig)
{
	flag = sig;
}

/* SIGALRM sets the flag 50 ms from now, like a Ctrl-C in a tool. */
static void signal_soon(void)
{
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */
	struct itimerval it = { .it_value = { 0, 50000 } };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static int setup(void **state)
{
	(void)state;
	flag = 0;
	cred_set_cancel_flag(&flag);
	return 0;
}

static int teardown(void **state)
{
	struct itimerval off = { { 0, 0 }, { 0, 0 } };

	(void)state;
	setitimer(ITIMER_REAL, &off, NULL);
	cred_set_cancel_flag(NULL);
	flag = 0;
	return 0;
}

static void assert_cancelled(int r)
{
	assert_int_equal(r, CRED_ERR_IO);
	assert_int_equal(cred_last_errno(), EINTR);
	assert_non_null(strstr(cred_last_error(), "interrupted"));
}

/* A silent pipe as a port: (read end, write end). */
static struct cred_port *silent_port(int fds[2])
{
	struct cred_port *port = NULL;

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(cred_port_from_fds(fds[0], dup(fds[1]), "silent", &port), CRED_OK);
	return port;
}

static void test_register(void **state)
{
	volatile sig_atomic_t other = 0;

	(void)state;
	assert_ptr_equal(cred_set_cancel_flag(&other), &flag);
	assert_int_equal(cred_cancelled(), 0);
	other = 1;
	assert_int_not_equal(cred_cancelled(), 0);
	assert_ptr_equal(cred_set_cancel_flag(NULL), &other);
	assert_int_equal(cred_cancelled(), 0); /* nothing registered */
	cred_set_cancel_flag(&flag);
}

static void test_port_read(void **state)
{
	char buf[16];
	int fds[2];
	struct cred_port *port = silent_port(fds);

	(void)state;
	signal_soon();
	assert_cancelled(cred_port_read(port, buf, sizeof(buf), LONG_MS));
	assert_non_null(strstr(cred_last_error(), "'silent'"));
	/* waiting without a limit ends too */
	assert_cancelled(cred_port_read(port, buf, sizeof(buf), -1));
	cred_port_close(port);
	close(fds[1]);
}

/* Once cancelled, what has arrived can still be taken without waiting. */
static void test_port_read_no_wait(void **state)
{
	char buf[16];
	int fds[2];
	struct cred_port *port = silent_port(fds);

	(void)state;
	assert_int_equal(write(fds[1], "abc", 3), 3);
	flag = 1;
	assert_int_equal(cred_port_read(port, buf, sizeof(buf), 0), 3);
	assert_cancelled(cred_port_read(port, buf, sizeof(buf), LONG_MS));
	cred_port_close(port);
	close(fds[1]);
}

/* A command waiting for its answer ends; a new one is not even sent. */
static void test_cli(void **state)
{
	int to_cam[2], from_cam[2];
	struct cred_port *port = NULL;
	struct cred_cli *cli = NULL;
	char *answer = NULL, buf[64];

	(void)state;
	assert_int_equal(pipe(to_cam), 0);
	assert_int_equal(pipe(from_cam), 0);
	assert_int_equal(cred_port_from_fds(from_cam[0], to_cam[1], "cam", &port), CRED_OK);
	assert_int_equal(cred_cli_new(port, &cli), CRED_OK);
	signal_soon();
	assert_cancelled(cred_cli_command(cli, "fps", LONG_MS, &answer));
	assert_null(answer);
	assert_int_equal(read(to_cam[0], buf, sizeof(buf)), 4); /* "fps\n", once */
	assert_cancelled(cred_cli_command(cli, "set fps 10", LONG_MS, &answer));
	assert_int_equal(cred_cli_send(cli, "set fps 10"), CRED_ERR_IO);
	close(to_cam[1]); /* only our end of the pipe is left open */
	cred_cli_free(cli);
	assert_int_equal(read(to_cam[0], buf, sizeof(buf)), 0); /* nothing more was sent */
	close(to_cam[0]);
	close(from_cam[1]);
}

static void test_stream(void **state)
{
	int fds[2];
	char spec[64];
	struct cred_stream *s = NULL;
	const void *data;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	snprintf(spec, sizeof(spec), "/proc/self/fd/%d", fds[0]);
	assert_int_equal(cred_stream_open(spec, NULL, &s), CRED_OK);
	assert_int_equal(cred_stream_start(s), CRED_OK);
	signal_soon();
	assert_cancelled(cred_stream_read(s, &data, -1));
	cred_stream_close(s);
	close(fds[0]);
	close(fds[1]);
}

/* The frame reader on a pipe whose writer has gone quiet. */
static void test_frame_reader(void **state)
{
	static const char header[] = "YUV4MPEG2 W32 H8 F10:1 Cmono16 XMODEL=credone XSIGNED=0\nFRAME\n";
	int fds[2];
	char path[64];
	struct cred_frame_reader *r = NULL;
	struct cred_frame f;
	int err;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], header, strlen(header)), (ssize_t)strlen(header));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	err = cred_frame_reader_open(path, NULL, &r);
	assert_int_equal(err, CRED_OK);
	signal_soon();
	assert_cancelled(cred_frame_reader_next(r, &f)); /* half a frame came */
	cred_frame_reader_close(r);
	close(fds[0]);
	close(fds[1]);
	/* still waiting for the first bytes */
	r = NULL;
	assert_int_equal(pipe(fds), 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	flag = 0;
	signal_soon();
	assert_cancelled(cred_frame_reader_open(path, NULL, &r));
	assert_null(r);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_register, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_read_no_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frame_reader, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
