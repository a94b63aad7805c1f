/* Unit tests of cmd/common/, the CLI plumbing every tool shares:
 * strict number parsing, exit codes, common options, atomic output files
 * (including cleanup on exit and on SIGTERM) and the yes/no question.
 * Paths that end the process run in a forked child. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static void test_parse_long(void **state)
{
	long v = 42;

	assert_true(parse_long("12", 0, 100, &v));
	assert_int_equal(v, 12);
	assert_true(parse_long("-5", -10, 10, &v));
	assert_int_equal(v, -5);
	/* The strtoul traps: empty, blanks, junk, other bases, overflow, range. */
	v = 7;
	assert_false(parse_long("", 0, 100, &v));
	assert_false(parse_long(" 12", 0, 100, &v));
	assert_false(parse_long("12 ", 0, 100, &v));
	assert_false(parse_long("12x", 0, 100, &v));
	assert_true(parse_long("0x10", 0, 100, &v)); /* hex by prefix only */
	assert_int_equal(v, 16);
	assert_true(parse_long("010", 0, 100, &v)); /* never octal */
	assert_int_equal(v, 10);
	v = 7;
	assert_false(parse_long("0x", 0, 100, &v));
	assert_false(parse_long("0x1g", 0, 100, &v));
	assert_false(parse_long("0x100", 0, 100, &v));
	assert_false(parse_long("x10", 0, 100, &v));
	assert_false(parse_long("1e2", 0, 1000, &v));
	assert_false(parse_long("1.0", 0, 100, &v));
	assert_false(parse_long("99999999999999999999999", LONG_MIN, LONG_MAX, &v));
	assert_false(parse_long("101", 0, 100, &v));
	assert_false(parse_long("-1", 0, 100, &v));
	assert_false(parse_long(NULL, 0, 100, &v));
	assert_int_equal(v, 7); /* untouched on failure */
}

static void test_parse_double(void **state)
{
	double v = 0;

	assert_true(parse_double("0.5", 0, 1, &v));
	assert_true(v == 0.5);
	assert_true(parse_double("1e-3", 0, 1, &v));
	assert_true(v == 1e-3);
	assert_true(parse_double("-2.5", -3, 0, &v));
	assert_false(parse_double("", 0, 1, &v));
	assert_false(parse_double("inf", 0, HUGE_VAL, &v));
	assert_false(parse_double("nan", -HUGE_VAL, HUGE_VAL, &v));
	assert_false(parse_double("0x1p3", 0, 100, &v));
	assert_false(parse_double(" 1", 0, 10, &v));
	assert_false(parse_double("1.5.2", 0, 10, &v));
	assert_false(parse_double("1e999", 0, HUGE_VAL, &v));
	assert_false(parse_double("600.1", 0, 600, &v));
}

/* One way to print a pressure: two significant digits, compact exponent. */
static void test_format_pressure(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(format_pressure(buf, sizeof(buf), 0.0071), "7.1e-3");
	assert_string_equal(format_pressure(buf, sizeof(buf), 5e-3), "5e-3");
	assert_string_equal(format_pressure(buf, sizeof(buf), 1.23e-6), "1.2e-6");
	assert_string_equal(format_pressure(buf, sizeof(buf), 2e-2), "2e-2");
	assert_string_equal(format_pressure(buf, sizeof(buf), 1.0), "1");
	assert_string_equal(format_pressure(buf, sizeof(buf), 1013.0), "1e3");
	assert_string_equal(format_pressure(buf, sizeof(buf), 15.0), "1.5e1");
}

/* A typo away from a subcommand: one slip in a short word, two in a long
 * one; an exact name or a distant word gets no suggestion. */
static int run_nothing(int argc, char **argv, void *user)
{
	(void)argc, (void)argv, (void)user;
	return 0;
}

static void test_closest_subcommand(void **state)
{
	static const struct subcommand t[] = {
		{ "status", run_nothing }, { "set", run_nothing }, { "get", run_nothing },
		{ "upload", run_nothing }, { "shell", run_nothing },
	};
	const struct subcommand *c;

	(void)state;
	assert_non_null(c = closest_subcommand(t, 5, "stauts"));
	assert_string_equal(c->name, "status");
	assert_non_null(c = closest_subcommand(t, 5, "uplaod"));
	assert_string_equal(c->name, "upload");
	assert_non_null(c = closest_subcommand(t, 5, "sett"));
	assert_string_equal(c->name, "set");
	assert_null(closest_subcommand(t, 5, "status"));
	assert_null(closest_subcommand(t, 5, "xyzzy"));
	assert_null(closest_subcommand(t, 5, "fps"));
}

static void test_parse_seconds(void **state)
{
	int ms = 0;

	assert_true(parse_seconds("2", 0, 10, &ms));
	assert_int_equal(ms, 2000);
	assert_true(parse_seconds("0.0015", 0, 10, &ms));
	assert_int_equal(ms, 2); /* rounded up: never shorter than asked */
	assert_false(parse_seconds("-1", 0, 10, &ms));
	assert_false(parse_seconds("11", 0, 10, &ms));
	assert_false(parse_seconds("1s", 0, 10, &ms));
}

static void test_exit_codes(void **state)
{
	assert_int_equal(exit_code_for(CRED_OK), 0);
	assert_int_equal(exit_code_for(CRED_ERR_ARG), 2);
	assert_int_equal(exit_code_for(CRED_ERR_FAIL), 1);
	assert_int_equal(exit_code_for(CRED_ERR_DATA), 1);
	assert_int_equal(exit_code_for(CRED_ERR_SUPP), 1);
	assert_int_equal(exit_code_for(CRED_ERR_MEM), 1);
	assert_int_equal(exit_code_for(CRED_ERR_TIMEOUT), 3);
	assert_int_equal(exit_code_for(CRED_ERR_IO), 3);
	assert_int_equal(exit_code_for(CRED_ERR_BUSY), 3);
	assert_int_equal(exit_code_for(CRED_ERR_PROTO), 3);
}

static void test_json_from_answer(void **state)
{
	json_t *j;

	j = json_from_answer("600");
	assert_true(json_is_integer(j) && json_integer_value(j) == 600);
	json_decref(j);
	j = json_from_answer("0.00166");
	assert_true(json_is_real(j));
	json_decref(j);
	j = json_from_answer("3.1.1");
	assert_string_equal(json_string_value(j), "3.1.1");
	json_decref(j);
	j = json_from_answer("0x0601");
	assert_string_equal(json_string_value(j), "0x0601");
	json_decref(j);
	j = json_text("27.5 \xb0" "C"); /* Latin-1 degree sign */
	assert_string_equal(json_string_value(j), "27.5 ?C");
	json_decref(j);
}

/* ---- common options ---------------------------------------------------- */

static void no_help(void)
{
}

static const struct tool_opts opts_plus = {
	.shortopts = "+", .common = COMMON_JSON | COMMON_YES, .print_help = no_help,
};

static void test_common_getopt(void **state)
{
	char *argv[] = { "tool", "-p", "tcp:host:23", "--json", "-t", "1.5", "--wait-lock",
			 "-m", "credone", "-vv", "sub", "--json", NULL };
	struct common_opts c = { 0 };

	optind = 0;
	assert_int_equal(common_getopt(12, argv, &opts_plus, &c), -1);
	assert_string_equal(c.port, "tcp:host:23");
	assert_true(c.json);
	assert_int_equal(c.timeout_ms, 1500);
	assert_int_equal(c.lock_wait_ms, -1);
	assert_int_equal(c.model->id, CRED_MODEL_CREDONE);
	assert_int_equal(c.verbose, 2);
	assert_int_equal(optind, 10); /* "+": stops at the subcommand */
	assert_string_equal(getenv("CRED_DEBUG"), "1");
	unsetenv("CRED_DEBUG");
}

static void test_wait_lock_seconds(void **state)
{
	char *argv[] = { "tool", "--wait-lock=2.5", NULL };
	struct common_opts c = { 0 };

	optind = 0;
	assert_int_equal(common_getopt(2, argv, &opts_plus, &c), -1);
	assert_int_equal(c.lock_wait_ms, 2500);
}

/* -t 0 is "no limit" for a tool that says so, and told apart from no -t. */
static const struct tool_opts opts_zero = {
	.common = COMMON_TIMEOUT_ZERO, .print_help = no_help,
};

static void test_timeout_zero(void **state)
{
	char *argv[] = { "tool", "-t", "0", NULL };
	char *none[] = { "tool", NULL };
	struct common_opts c = { 0 };

	optind = 0;
	assert_int_equal(common_getopt(3, argv, &opts_zero, &c), -1);
	assert_true(c.timeout_set);
	assert_int_equal(c.timeout_ms, 0);
	memset(&c, 0, sizeof(c));
	optind = 0;
	assert_int_equal(common_getopt(1, none, &opts_zero, &c), -1);
	assert_false(c.timeout_set);
}

static void zero_timeout_refused(void *arg)
{
	char *argv[] = { "credfoo", "-t", "0", NULL };
	struct common_opts c = { 0 };

	set_prog_name("credfoo");
	optind = 0;
	common_getopt(3, argv, &opts_plus, &c);
}

/* Run fn in a child with stderr in a pipe; returns the wait status and the
 * child's stderr in err. */
static int in_child(void (*fn)(void *), void *arg, char *err, size_t len)
{
	int pfd[2], status;
	ssize_t n, total = 0;
	pid_t pid;

	assert_int_equal(pipe(pfd), 0);
	fflush(stdout); /* the child's exit() must not print our buffer again */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(pfd[0]);
		dup2(pfd[1], STDERR_FILENO);
		fn(arg);
		_exit(99);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], err + total, len - 1 - total)) > 0)
		total += n;
	err[total] = '\0';
	close(pfd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void child_bad_option(void *arg)
{
	char *argv[] = { "credfoo", "--bogus", NULL };
	struct common_opts c = { 0 };

	set_prog_name("/usr/bin/credfoo");
	optind = 0;
	common_getopt(2, argv, &opts_plus, &c);
}

static void bad_timeout(void *arg)
{
	char *argv[] = { "credfoo", "-t", "5x", NULL };
	struct common_opts c = { 0 };

	set_prog_name("credfoo");
	optind = 0;
	common_getopt(3, argv, &opts_plus, &c);
}

static void test_usage_errors(void **state)
{
	char err[1024];
	int st;

	st = in_child(child_bad_option, NULL, err, sizeof(err));
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == EXIT_USAGE);
	assert_non_null(strstr(err, "credfoo: unknown option '--bogus'\n"));
	assert_non_null(strstr(err, "Try 'credfoo --help'"));
	st = in_child(bad_timeout, NULL, err, sizeof(err));
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == EXIT_USAGE);
	assert_non_null(strstr(err, "invalid timeout '5x'"));
	/* without COMMON_TIMEOUT_ZERO, 0 is out of range */
	st = in_child(zero_timeout_refused, NULL, err, sizeof(err));
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == EXIT_USAGE);
	assert_non_null(strstr(err, "invalid timeout '0'"));
}

/* ---- ask_yes_no ---------------------------------------------------------- */

static void ask_without_tty(void *arg)
{
	struct common_opts c = { 0 };
	int fd = open("/dev/null", O_RDONLY);

	dup2(fd, STDIN_FILENO);
	set_prog_name("credfoo");
	ask_yes_no(&c, "Continue? [y/N] ");
}

static void test_ask_yes_no(void **state)
{
	struct common_opts yes = { .yes = true };
	char err[1024];
	int st;

	assert_true(ask_yes_no(&yes, "Continue? [y/N] "));
	st = in_child(ask_without_tty, NULL, err, sizeof(err));
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == EXIT_USAGE);
	assert_non_null(strstr(err, "use -y"));
}

/* ---- atomic output files ------------------------------------------------- */

static char dir[64];

static int make_dir(void **state)
{
	strcpy(dir, "/tmp/test-tools-common.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[sizeof(dir) + 260];

	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	return rmdir(dir);
}

/* Names in dir, not counting . and .. */
static int count_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void test_out_file_commit(void **state)
{
	char path[128], buf[64];
	struct out_file *of;
	struct stat st;
	mode_t mask = umask(022);

	snprintf(path, sizeof(path), "%s/out.bin", dir);
	of = out_file_open(path, false);
	fputs("hello", out_file_stream(of));
	assert_int_equal(access(path, F_OK), -1); /* nothing under the name yet */
	out_file_commit(of);
	read_file(path, buf, sizeof(buf));
	assert_string_equal(buf, "hello");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(count_entries(), 1); /* no temporary left */
	/* --force replaces it. */
	of = out_file_open(path, true);
	fputs("again", out_file_stream(of));
	out_file_commit(of);
	read_file(path, buf, sizeof(buf));
	assert_string_equal(buf, "again");
	assert_int_equal(count_entries(), 1);
	umask(mask);
}

static void test_out_file_abort(void **state)
{
	char path[128];
	struct out_file *of;

	snprintf(path, sizeof(path), "%s/aborted.bin", dir);
	of = out_file_open(path, false);
	fputs("half", out_file_stream(of));
	out_file_abort(of);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(count_entries(), 0);
}

static void overwrite_without_force(void *arg)
{
	set_prog_name("credfoo");
	out_file_open(arg, false);
}

static void test_out_file_refuses(void **state)
{
	char path[128], err[1024], buf[16];
	int st, fd;

	snprintf(path, sizeof(path), "%s/keep.bin", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	assert_int_equal(write(fd, "keep", 4), 4);
	close(fd);
	st = in_child(overwrite_without_force, path, err, sizeof(err));
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == EXIT_REFUSED);
	assert_non_null(strstr(err, "credfoo: '"));
	assert_non_null(strstr(err, "keep.bin' exists (use --force to replace it)"));
	read_file(path, buf, sizeof(buf));
	assert_string_equal(buf, "keep");
	assert_int_equal(count_entries(), 1);
}

/* Without --force, a file that appears under the name while the output is
 * written is never replaced: the commit fails and the data stays under the
 * temporary name the message gives. */
static void commit_over_newcomer(void *arg)
{
	struct out_file *of = out_file_open(arg, false);
	int fd;

	fputs("mine", out_file_stream(of));
	fd = open(arg, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || write(fd, "theirs", 6) != 6)
		_exit(98);
	close(fd);
	set_prog_name("credfoo");
	out_file_commit(of);
}

static void test_out_file_newcomer(void **state)
{
	char path[128], err[1024], buf[16], kept[128];
	const char *p, *q;
	int st;

	snprintf(path, sizeof(path), "%s/race.bin", dir);
	st = in_child(commit_over_newcomer, path, err, sizeof(err));
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == EXIT_REFUSED);
	assert_non_null(strstr(err, "race.bin' appeared meanwhile; the data is kept in '"));
	read_file(path, buf, sizeof(buf));
	assert_string_equal(buf, "theirs");
	p = strstr(err, "kept in '") + strlen("kept in '");
	q = strchr(p, '\'');
	assert_non_null(q);
	snprintf(kept, sizeof(kept), "%.*s", (int)(q - p), p);
	read_file(kept, buf, sizeof(buf));
	assert_string_equal(buf, "mine");
	assert_int_equal(count_entries(), 2);
}

/* A tool dies (exit) or is killed (SIGTERM) with an output file half
 * written: the temporary file goes, nothing appears under the name. */
static void exit_while_writing(void *arg)
{
	struct out_file *of = out_file_open(arg, false);

	fputs("partial", out_file_stream(of));
	fflush(out_file_stream(of));
	exit(1);
}

static void killed_while_writing(void *arg)
{
	struct out_file *of = out_file_open(arg, false);

	fputs("partial", out_file_stream(of));
	fflush(out_file_stream(of));
	raise(SIGTERM);
}

static void test_out_file_cleanup(void **state)
{
	char path[128], err[1024];
	int st;

	snprintf(path, sizeof(path), "%s/exit.bin", dir);
	st = in_child(exit_while_writing, path, err, sizeof(err));
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	assert_int_equal(count_entries(), 0);
	snprintf(path, sizeof(path), "%s/killed.bin", dir);
	st = in_child(killed_while_writing, path, err, sizeof(err));
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	assert_int_equal(count_entries(), 0);
}

static void real_is(double v, const char *want)
{
	char buf[40];

	json_format_real(v, buf, sizeof(buf));
	assert_string_equal(buf, want);
	assert_true(strtod(buf, NULL) == v);
}

/* JSON reals: the fewest digits that read back, plain digits in the
 * usual range, always a real. */
static void test_json_reals(void **state)
{
	json_t *o;
	char *text;

	(void)state;
	real_is(52.3, "52.3");
	real_is(600, "600.0");
	real_is(0.00166355551, "0.00166355551");
	real_is(1.65e-07, "1.65e-07");
	real_is(2.3e-05, "2.3e-05");
	real_is(0.1 + 0.2, "0.30000000000000004");
	real_is(-40.5, "-40.5");
	real_is(1e20, "1e+20");
	o = json_pack("{s:f, s:i, s:s, s:[f, b], s:{}}", "cpu", 52.3, "n", 3, "s", "a\"b", "a", 0.1,
		      1, "e");
	text = json_encode(o, 0);
	assert_string_equal(text, "{\"cpu\":52.3,\"n\":3,\"s\":\"a\\\"b\",\"a\":[0.1,true],\"e\":{}}\n");
	free(text);
	text = json_encode(o, 2);
	assert_non_null(strstr(text, "{\n  \"cpu\": 52.3,\n"));
	free(text);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_parse_double),
		cmocka_unit_test(test_parse_seconds),
		cmocka_unit_test(test_format_pressure),
		cmocka_unit_test(test_closest_subcommand),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_json_from_answer),
		cmocka_unit_test(test_common_getopt),
		cmocka_unit_test(test_wait_lock_seconds),
		cmocka_unit_test(test_timeout_zero),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_ask_yes_no),
		cmocka_unit_test_setup_teardown(test_out_file_commit, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_out_file_abort, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_out_file_refuses, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_out_file_newcomer, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_out_file_cleanup, make_dir, remove_dir),
		cmocka_unit_test(test_json_reals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
