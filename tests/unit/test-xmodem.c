/* The XMODEM sender against lrzsz's rx (a receiver nobody here wrote) on a
 * pseudo-terminal, and against a scripted fake receiver on a socketpair
 * for the cases rx will not produce on demand: NAK storms, cancels,
 * silence, retry limits.
 *
 * Bench mode (used by scripts/bench-xmodem.sh, not by the test run):
 *   CRED_BENCH_XMODEM=FILE CRED_BENCH_SENDER=ours|sx CRED_BENCH_BLOCK=128|1k \
 *       test-xmodem
 * sends FILE to `rx -c` on a pty with our sender or with lrzsz's sx and
 * prints the seconds from starting rx to rx having exited. */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "cred-transfer.h"
#include "test-helpers.h"

/* ---- test data --------------------------------------------------------- */

/* Length on the wire for len bytes: whole blocks of block_size, except a
 * tail of at most 128 bytes, which goes in a 128-byte block. */
static size_t padded_length(size_t len, size_t block_size)
{
	size_t total = 0;

	while (len > 0) {
		size_t size = len <= 128 ? 128 : block_size;

		total += size;
		len -= len < size ? len : size;
	}
	return total;
}

/* ---- lrzsz rx behind a pseudo-terminal ----------------------------------
 *
 * The sender talks on the pty master, as it would on a serial line. On the
 * slave side socat hands the bytes to rx over a socketpair (the DESIGN's
 * `socat ... SYSTEM:"exec rx ..."`): rx run directly on a pty slave purges
 * the line with TCIOFLUSH when it exits, and on a pty (unlike a UART) that
 * throws away its own last ACK before the master can read it. */

struct rx_run {
	pid_t pid;   /* socat; it exits 0 only if rx did */
	int slave;   /* held open until the sender is done, so socat leaving
		      * does not hang up the pty under unread bytes */
	char dir[64];
	char out[96];
	struct cred_port *port;
};

static int open_pty(int *slave)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct termios t;

	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	*slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	assert_true(*slave >= 0);
	/* Raw: no echo, no line editing, all 8 bits. */
	assert_int_equal(tcgetattr(*slave, &t), 0);
	cfmakeraw(&t);
	assert_int_equal(tcsetattr(*slave, TCSANOW, &t), 0);
	return master;
}

/* Run argv with stdin/stdout on fd, in directory dir, stderr discarded
 * unless CRED_TEST_VERBOSE is set. */
static pid_t spawn_on(int fd, const char *dir, char *const argv[])
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		setsid();
		dup2(fd, 0);
		dup2(fd, 1);
		if (!getenv("CRED_TEST_VERBOSE")) {
			int null = open("/dev/null", O_WRONLY);
			dup2(null, 2);
		}
		if (dir && chdir(dir) != 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Start `rx -q -b [rx_args] out` behind a new pty. */
static pid_t start_rx_on(int slave, const char *dir, const char *rx_args)
{
	char system_arg[256];
	char *argv[] = { "socat", "-", system_arg, NULL };

	snprintf(system_arg, sizeof(system_arg), "SYSTEM:exec rx -q -b %s out",
		 rx_args ? rx_args : "");
	return spawn_on(slave, dir, argv);
}

static void rx_start(struct rx_run *run, const char *rx_args)
{
	int master;

	strcpy(run->dir, "/tmp/test-xmodem-XXXXXX");
	assert_non_null(mkdtemp(run->dir));
	snprintf(run->out, sizeof(run->out), "%s/out", run->dir);
	master = open_pty(&run->slave);
	run->pid = start_rx_on(run->slave, run->dir, rx_args);
	assert_int_equal(cred_port_from_fds(master, master, "pty", &run->port), CRED_OK);
}

/* Close our side; 0 if rx succeeded. */
static int rx_finish(struct rx_run *run)
{
	int status;

	cred_port_close(run->port);
	run->port = NULL;
	close(run->slave);
	assert_int_equal(waitpid(run->pid, &status, 0), run->pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static unsigned char *read_file(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *p;
	FILE *f = fopen(path, "rb");

	if (!f) {
		*len = 0;
		return NULL;
	}
	assert_int_equal(fstat(fileno(f), &st), 0);
	*len = (size_t)st.st_size;
	p = malloc(*len ? *len : 1);
	assert_int_equal(fread(p, 1, *len, f), *len);
	fclose(f);
	return p;
}

static void rx_cleanup(struct rx_run *run)
{
	unlink(run->out);
	rmdir(run->dir);
}

/* rx received data exactly, padded with 0x1A to the expected length. */
static void assert_received(struct rx_run *run, const unsigned char *data, size_t len,
			    size_t block_size)
{
	size_t got_len;
	unsigned char *got = read_file(run->out, &got_len);

	assert_non_null(got);
	assert_int_equal(got_len, padded_length(len, block_size));
	assert_memory_equal(got, data, len);
	for (size_t i = len; i < got_len; i++)
		assert_int_equal(got[i], 0x1a);
	free(got);
}

static void send_to_rx(const char *rx_args, size_t len, int block_size, int expect_crc)
{
	struct cred_xmodem_options opts = { .block_size = block_size };
	struct cred_xmodem_stats st;
	struct rx_run run;
	unsigned char *data = test_data(len, (uint32_t)len * 2654435761u);

	rx_start(&run, rx_args);
	if (cred_xmodem_send(run.port, data, len, &opts, &st) != CRED_OK)
		fail_msg("%zu bytes to rx %s: %s", len, rx_args ? rx_args : "", cred_last_error());
	assert_int_equal(rx_finish(&run), 0);
	assert_int_equal(st.crc, expect_crc);
	assert_received(&run, data, len, (size_t)st.block_size);
	rx_cleanup(&run);
	free(data);
}

/* Sizes around the block and padding boundaries. rx waits a second after
 * EOT, so each size costs a second. */
static void test_rx_crc(void **state)
{
	static const size_t sizes[] = { 1, 127, 128, 129, 1000, 40960 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		send_to_rx("-c", sizes[i], 128, 1);
}

static void test_rx_checksum(void **state)
{
	static const size_t sizes[] = { 1, 128, 1153, 40960 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		send_to_rx(NULL, sizes[i], 128, 0);
}

static void test_rx_crc_1k(void **state)
{
	static const size_t sizes[] = { 1, 129, 1024, 1025, 1153, 70001 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		send_to_rx("-c", sizes[i], 1024, 1);
}

/* XMODEM-1K needs CRC: a checksum receiver gets 128-byte blocks. */
static void test_rx_checksum_1k_falls_back(void **state)
{
	send_to_rx(NULL, 5000, 1024, 0);
}

/* rx corrupting its own input every few kilobytes: the sender must resend
 * the damaged blocks and the file still arrives intact. */
static void test_rx_with_line_errors(void **state)
{
	struct cred_xmodem_options opts = { .block_size = 1024 };
	struct cred_xmodem_stats st;
	struct rx_run run;
	size_t len = 20000;
	unsigned char *data = test_data(len, 99);

	rx_start(&run, "-c --errors 6000");
	assert_int_equal(cred_xmodem_send(run.port, data, len, &opts, &st), CRED_OK);
	assert_int_equal(rx_finish(&run), 0);
	assert_true(st.resends > 0);
	assert_received(&run, data, len, 1024);
	rx_cleanup(&run);
	free(data);
}

/* A bias-sized file, with progress reports that only grow and end at the
 * total. */
static void test_rx_bias_sized_with_progress(void **state)
{
	struct progress_log log = { 0 };
	struct cred_xmodem_options opts = {
		.block_size = 1024, .progress = log_progress, .progress_user = &log,
	};
	struct rx_run run;
	size_t len = 640 * 512 * 2;
	unsigned char *data = test_data(len, 7);

	rx_start(&run, "-c");
	assert_int_equal(cred_xmodem_send(run.port, data, len, &opts, NULL), CRED_OK);
	assert_int_equal(rx_finish(&run), 0);
	assert_received(&run, data, len, 1024);
	assert_true(log.calls >= 1);
	assert_false(log.decreasing);
	assert_int_equal(log.last, len);
	assert_int_equal(log.total, len);
	rx_cleanup(&run);
	free(data);
}

/* The caller's cancel flag (as a SIGINT handler would set it): the sender
 * stops, says EINTR, and rx never gets the whole file. rx's own exit status
 * is not checked: lrzsz sometimes takes the CANs as a clean end (seen once
 * in about ten runs), which says nothing about our sender. */
static volatile sig_atomic_t cancel_flag;

static void cancel_on_progress(size_t done, size_t total, void *user)
{
	cancel_flag = 1;
}

static void test_rx_cancel_by_caller(void **state)
{
	struct cred_xmodem_options opts = {
		.cancel = &cancel_flag, .progress = cancel_on_progress,
	};
	struct rx_run run;
	size_t len = 20000;
	unsigned char *data = test_data(len, 3);
	size_t got_len;
	unsigned char *got;

	cancel_flag = 0;
	rx_start(&run, "-c");
	assert_int_equal(cred_xmodem_send(run.port, data, len, &opts, NULL), CRED_ERR_IO);
	assert_int_equal(cred_last_errno(), EINTR);
	rx_finish(&run);
	got = read_file(run.out, &got_len);
	assert_true(got_len < len);
	free(got);
	rx_cleanup(&run);
	free(data);
}

/* ---- scripted fake receiver on a socketpair ----------------------------- */

struct fake {
	int fd;
	/* script */
	int start;              /* 'C', NAK, or 0: never start */
	const char *preamble;   /* text written before the start byte */
	int preamble_pause_ms;  /* pause between that text and the start byte */
	int nak_burst;          /* NAKs written at once for the first block 1 */
	int nak_always;         /* NAK every block */
	int silent;             /* never answer a block */
	unsigned can_at;        /* answer the n-th block received with CAN CAN */
	const char *can_string; /* ... or with this instead */
	unsigned lone_can_at;   /* answer the n-th block with CAN then ACK */
	int nak_first_eot;
	int restart_first;      /* answer the first block 1 with a new 'C', as a
				 * receiver that purged it would */
	volatile sig_atomic_t *cancel_at_first_block;
	/* results */
	unsigned char data[400000];
	size_t len;
	unsigned blocks_seen;   /* every block received, resends included */
	unsigned first_block_copies;
	unsigned eots;
	unsigned cans;
	int crc;
	int bad;                /* a malformed block, wrong number or checksum */
	unsigned next;          /* expected block number */
};

static int fake_read(struct fake *f, unsigned char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		struct pollfd pfd = { .fd = f->fd, .events = POLLIN };
		ssize_t r;

		/* Generous: only a broken sender leaves us waiting this long. */
		if (poll(&pfd, 1, 60000) <= 0)
			return -1;
		r = read(f->fd, buf + got, n - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static void fake_write(struct fake *f, const void *buf, size_t n)
{
	if (write(f->fd, buf, n) != (ssize_t)n)
		f->bad = 1;
}

static void fake_reply(struct fake *f, unsigned char c)
{
	fake_write(f, &c, 1);
}

/* Read one block after its header byte; 0 if well formed. */
static int fake_block(struct fake *f, unsigned char head, unsigned *blkno)
{
	size_t size = head == STX ? 1024 : 128;
	unsigned char b[2 + 1024 + 2];
	size_t trailer = f->crc ? 2 : 1;

	if (fake_read(f, b, 2 + size + trailer) < 0)
		return -1;
	if ((unsigned char)(b[0] ^ b[1]) != 0xff)
		return -1;
	if (f->crc) {
		unsigned crc = crc16_ref(b + 2, size);

		if (b[2 + size] != (crc >> 8) || b[3 + size] != (crc & 0xff))
			return -1;
	} else {
		unsigned sum = 0;

		for (size_t i = 0; i < size; i++)
			sum += b[2 + i];
		if (b[2 + size] != (sum & 0xff))
			return -1;
	}
	*blkno = b[0];
	if (b[0] == (f->next & 0xff)) {
		if (f->len + size > sizeof(f->data))
			return -1;
		memcpy(f->data + f->len, b + 2, size);
		f->len += size;
		f->next++;
	} else if (b[0] != ((f->next - 1) & 0xff)) {
		return -1; /* neither the next block nor a repeat of the last */
	}
	return 0;
}

static void fake_answer_block(struct fake *f, unsigned blkno)
{
	static const unsigned char cancan[] = { CAN, CAN };
	static const unsigned char lone[] = { CAN, ACK };

	f->blocks_seen++;
	if (blkno == 1)
		f->first_block_copies++;
	if (f->cancel_at_first_block) {
		*f->cancel_at_first_block = 1;
		return;
	}
	if (f->silent)
		return;
	if (f->can_at && f->blocks_seen == f->can_at) {
		if (f->can_string)
			fake_write(f, f->can_string, strlen(f->can_string));
		else
			fake_write(f, cancan, sizeof(cancan));
		return;
	}
	if (f->lone_can_at && f->blocks_seen == f->lone_can_at) {
		fake_write(f, lone, sizeof(lone));
		return;
	}
	if (f->restart_first && blkno == 1 && f->first_block_copies == 1) {
		fake_reply(f, 'C');
		return;
	}
	if (f->nak_always) {
		fake_reply(f, NAK);
		return;
	}
	if (f->nak_burst && blkno == 1 && f->first_block_copies == 1) {
		unsigned char naks[16];

		memset(naks, NAK, sizeof(naks));
		fake_write(f, naks, (size_t)f->nak_burst);
		return;
	}
	fake_reply(f, ACK);
}

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	unsigned char c;

	f->next = 1;
	f->crc = f->start == 'C';
	if (f->preamble)
		fake_write(f, f->preamble, strlen(f->preamble));
	if (f->preamble_pause_ms)
		usleep((useconds_t)f->preamble_pause_ms * 1000);
	if (f->start)
		fake_reply(f, (unsigned char)f->start);
	/* Until the sender closes its end. */
	while (fake_read(f, &c, 1) == 0) {
		unsigned blkno;

		if (c == SOH || c == STX) {
			if (fake_block(f, c, &blkno) < 0) {
				f->bad = 1;
				break;
			}
			fake_answer_block(f, blkno);
		} else if (c == EOT) {
			f->eots++;
			fake_reply(f, f->nak_first_eot && f->eots == 1 ? NAK : ACK);
		} else if (c == CAN) {
			f->cans++;
		} else {
			f->bad = 1;
		}
	}
	return NULL;
}

struct fake_run {
	struct fake *f;
	pthread_t thread;
	struct cred_port *port;
};

static struct fake *fake_new(int start)
{
	struct fake *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->start = start;
	return f;
}

static void fake_start(struct fake_run *run, struct fake *f)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	f->fd = sv[1];
	run->f = f;
	assert_int_equal(cred_port_from_fds(sv[0], sv[0], "fake", &run->port), CRED_OK);
	assert_int_equal(pthread_create(&run->thread, NULL, fake_main, f), 0);
}

static void fake_stop(struct fake_run *run)
{
	cred_port_close(run->port);
	pthread_join(run->thread, NULL);
	close(run->f->fd);
}

static int fake_send(struct fake_run *run, const void *data, size_t len,
		     struct cred_xmodem_options *opts, struct cred_xmodem_stats *st)
{
	int r = cred_xmodem_send(run->port, data, len, opts, st);

	fake_stop(run);
	return r;
}

static void test_fake_checksum_mode(void **state)
{
	struct fake *f = fake_new(NAK);
	struct fake_run run;
	struct cred_xmodem_stats st;
	unsigned char *data = test_data(1000, 11);

	fake_start(&run, f);
	assert_int_equal(fake_send(&run, data, 1000, NULL, &st), CRED_OK);
	assert_int_equal(f->bad, 0);
	assert_int_equal(st.crc, 0);
	assert_int_equal(f->len, padded_length(1000, 128));
	assert_memory_equal(f->data, data, 1000);
	assert_int_equal(f->eots, 1);
	free(data);
	free(f);
}

/* Text before the start byte (a camera announcing itself) is skipped. */
static void test_fake_noise_before_start(void **state)
{
	struct fake *f = fake_new('C');
	struct fake_run run;
	struct cred_xmodem_stats st;
	unsigned char *data = test_data(300, 12);

	f->preamble = "Waiting for file...\r\n";
	fake_start(&run, f);
	assert_int_equal(fake_send(&run, data, 300, NULL, &st), CRED_OK);
	assert_int_equal(f->bad, 0);
	assert_int_equal(st.crc, 1);
	assert_memory_equal(f->data, data, 300);
	free(data);
	free(f);
}

/* Text collected through on_text; gives up at a prompt when asked to. */
struct text_log {
	char text[256];
	size_t len;
	int stop_at_prompt;
};

static int collect_text(const unsigned char *bytes, size_t len, void *user)
{
	struct text_log *t = user;

	for (size_t i = 0; i < len && t->len + 1 < sizeof(t->text); i++)
		t->text[t->len++] = (char)bytes[i];
	t->text[t->len] = '\0';
	return t->stop_at_prompt && strstr(t->text, "fli-cli>") != NULL;
}

/* A 'C' inside a message is a letter, not the start: the text goes to
 * on_text whole, and the real start byte after it still counts. */
static void test_fake_letter_c_in_text(void **state)
{
	struct fake *f = fake_new('C');
	struct fake_run run;
	struct text_log log = { .stop_at_prompt = 1 };
	struct cred_xmodem_options opts = { .on_text = collect_text, .text_user = &log };
	struct cred_xmodem_stats st;
	unsigned char *data = test_data(300, 24);

	f->preamble = "Ready: Connect now\r\n";
	f->preamble_pause_ms = 200;
	fake_start(&run, f);
	assert_int_equal(fake_send(&run, data, 300, &opts, &st), CRED_OK);
	assert_string_equal(log.text, "Ready: Connect now\r\n");
	assert_int_equal(st.crc, 1);
	assert_int_equal(f->bad, 0);
	assert_memory_equal(f->data, data, 300);
	free(data);
	free(f);
}

/* A receiver that answers with a refusal instead of starting: on_text sees
 * the prompt and the sender stops at once, without CANs. */
static void test_fake_refusal_instead_of_start(void **state)
{
	struct fake *f = fake_new(0);
	struct fake_run run;
	struct text_log log = { .stop_at_prompt = 1 };
	struct cred_xmodem_options opts = { .on_text = collect_text, .text_user = &log };

	f->preamble = "Error: Cannot store the file\r\nfli-cli>";
	fake_start(&run, f);
	assert_int_equal(fake_send(&run, "abc", 3, &opts, NULL), CRED_ERR_FAIL);
	assert_non_null(strstr(cred_last_error(), "answered instead of starting"));
	assert_string_equal(log.text, "Error: Cannot store the file\r\nfli-cli>");
	assert_int_equal(f->blocks_seen, 0);
	assert_int_equal(f->cans, 0);
	free(f);
}

/* Block numbers wrap from 255 to 0. */
static void test_fake_block_numbers_wrap(void **state)
{
	struct fake *f = fake_new('C');
	struct fake_run run;
	struct cred_xmodem_stats st;
	size_t len = 300 * 128;
	unsigned char *data = test_data(len, 13);

	fake_start(&run, f);
	assert_int_equal(fake_send(&run, data, len, NULL, &st), CRED_OK);
	assert_int_equal(f->bad, 0);
	assert_int_equal(st.blocks, 300);
	assert_int_equal(f->len, len);
	assert_memory_equal(f->data, data, len);
	free(data);
	free(f);
}

/* Many NAKs queued at once cause one resend, not one per NAK. */
static void test_fake_nak_storm(void **state)
{
	struct fake *f = fake_new('C');
	struct fake_run run;
	struct cred_xmodem_stats st;
	unsigned char *data = test_data(500, 14);

	f->nak_burst = 8;
	fake_start(&run, f);
	assert_int_equal(fake_send(&run, data, 500, NULL, &st), CRED_OK);
	assert_int_equal(f->bad, 0);
	assert_int_equal(f->first_block_copies, 2);
	assert_int_equal(st.resends, 1);
	assert_memory_equal(f->data, data, 500);
	free(data);
	free(f);
}

/* A receiver that asks again for the start (it never saw block 1) gets
 * block 1 again. */
static void test_fake_restart_resends_first_block(void **state)
{
	struct fake *f = fake_new('C');
	struct fake_run run;
	struct cred_xmodem_stats st;
	unsigned char *data = test_data(700, 23);

	f->restart_first = 1;
	fake_start(&run, f);
	assert_int_equal(fake_send(&run, data, 700, NULL, &st), CRED_OK);
	assert_int_equal(f->bad, 0);
	assert_int_equal(f->first_block_copies, 2);
	assert_int_equal(st.resends, 1);
	assert_memory_equal(f->data, data, 700);
	free(data);
	free(f);
}

/* A receiver that rejects everything: give up after max_retries resends
 * and tell it with CANs. */
static void test_fake_retry_limit(void **state)
{
	struct fake *f = fake_new('C');
	struct fake_run run;
	struct cred_xmodem_options opts = { .max_retries = 4 };
	unsigned char *data = test_data(500, 15);

	f->nak_always = 1;
	fake_start(&run, f);
	assert_int_equal(fake_send(&run, data, 500, &opts, NULL), CRED_ERR_DATA);
	assert_non_null(strstr(cred_last_error(), "rejected 5 times"));
	assert_int_equal(f->bad, 0);
	assert_int_equal(f->blocks_seen, 5);
	assert_true(f->cans >= 2);
	free(data);
	free(f);
}

/* A receiver that goes silent after starting. */
static void test_fake_block_timeout(void **state)
{
	struct fake *f = fake_new('C');
	struct fake_run run;
	struct cred_xmodem_options opts = { .max_retries = 2, .block_timeout_ms = 200 };
	unsigned char *data = test_data(500, 16);

	f->silent = 1;
	fake_start(&run, f);
	assert_int_equal(fake_send(&run, data, 500, &opts, NULL), CRED_ERR_TIMEOUT);
	assert_non_null(strstr(cred_last_error(), "block 1"));
	assert_int_equal(f->blocks_seen, 3);
	assert_true(f->cans >= 2);
	free(data);
	free(f);
}

/* A receiver that never starts. */
static void test_fake_start_timeout(void **state)
{
	struct fake *f = fake_new(0);
	struct fake_run run;
	struct cred_xmodem_options opts = { .start_timeout_ms = 300 };
	unsigned char *data = test_data(500, 17);

	fake_start(&run, f);
	assert_int_equal(fake_send(&run, data, 500, &opts, NULL), CRED_ERR_TIMEOUT);
	assert_non_null(strstr(cred_last_error(), "did not start"));
	assert_int_equal(f->blocks_seen, 0);
	free(data);
	free(f);
}

/* CAN CAN from the receiver ends the transfer at once. */
static void test_fake_receiver_cancel(void **state)
{
	struct fake *f = fake_new('C');
	struct fake_run run;
	unsigned char *data = test_data(1000, 18);

	f->can_at = 3;
	fake_start(&run, f);
	assert_int_equal(fake_send(&run, data, 1000, NULL, NULL), CRED_ERR_FAIL);
	assert_non_null(strstr(cred_last_error(), "cancelled"));
	assert_int_equal(f->blocks_seen, 3);
	assert_int_equal(f->cans, 0);
	free(data);
	free(f);
}

/* lrzsz cancels with ten CANs and ten backspaces. */
static void test_fake_lrzsz_cancel_string(void **state)
{
	struct fake *f = fake_new('C');
	struct fake_run run;
	unsigned char *data = test_data(1000, 22);

	f->can_at = 2;
	f->can_string = "\x18\x18\x18\x18\x18\x18\x18\x18\x18\x18\b\b\b\b\b\b\b\b\b\b";
	fake_start(&run, f);
	assert_int_equal(fake_send(&run, data, 1000, NULL, NULL), CRED_ERR_FAIL);
	assert_non_null(strstr(cred_last_error(), "cancelled"));
	assert_int_equal(f->cans, 0);
	free(data);
	free(f);
}

/* A single CAN is noise: the ACK after it counts. */
static void test_fake_lone_can_is_noise(void **state)
{
	struct fake *f = fake_new('C');
	struct fake_run run;
	struct cred_xmodem_stats st;
	unsigned char *data = test_data(1000, 19);

	f->lone_can_at = 2;
	fake_start(&run, f);
	assert_int_equal(fake_send(&run, data, 1000, NULL, &st), CRED_OK);
	assert_int_equal(st.resends, 0);
	assert_memory_equal(f->data, data, 1000);
	free(data);
	free(f);
}

/* Some receivers NAK the first EOT to make sure it was meant. */
static void test_fake_eot_nak(void **state)
{
	struct fake *f = fake_new('C');
	struct fake_run run;
	unsigned char *data = test_data(200, 20);

	f->nak_first_eot = 1;
	fake_start(&run, f);
	assert_int_equal(fake_send(&run, data, 200, NULL, NULL), CRED_OK);
	assert_int_equal(f->eots, 2);
	free(data);
	free(f);
}

/* The cancel flag set while the sender waits for an answer. */
static void test_fake_cancel_while_waiting(void **state)
{
	struct fake *f = fake_new('C');
	struct fake_run run;
	struct cred_xmodem_options opts = { .cancel = &cancel_flag, .block_timeout_ms = 60000 };
	unsigned char *data = test_data(500, 21);

	cancel_flag = 0;
	f->cancel_at_first_block = &cancel_flag;
	fake_start(&run, f);
	assert_int_equal(fake_send(&run, data, 500, &opts, NULL), CRED_ERR_IO);
	assert_int_equal(cred_last_errno(), EINTR);
	assert_true(f->cans >= 2);
	assert_int_equal(f->blocks_seen, 1);
	free(data);
	free(f);
}

/* Empty file: just EOT. */
static void test_fake_empty(void **state)
{
	struct fake *f = fake_new('C');
	struct fake_run run;
	struct cred_xmodem_stats st;

	fake_start(&run, f);
	assert_int_equal(fake_send(&run, "", 0, NULL, &st), CRED_OK);
	assert_int_equal(st.blocks, 0);
	assert_int_equal(f->len, 0);
	assert_int_equal(f->eots, 1);
	free(f);
}

static void test_bad_options(void **state)
{
	struct fake *f = fake_new('C');
	struct fake_run run;
	struct cred_xmodem_options opts = { .block_size = 512 };

	fake_start(&run, f);
	assert_int_equal(fake_send(&run, "x", 1, &opts, NULL), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "128 or 1024"));
	assert_int_equal(f->blocks_seen, 0);
	free(f);
}

/* The peer vanishing is an I/O error, not a timeout. */
static void test_fake_peer_gone(void **state)
{
	int sv[2];
	struct cred_port *port;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(write(sv[1], "C", 1), 1);
	close(sv[1]);
	assert_int_equal(cred_port_from_fds(sv[0], sv[0], "fake", &port), CRED_OK);
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(cred_xmodem_send(port, "abc", 3, NULL, NULL), CRED_ERR_IO);
	assert_int_not_equal(cred_last_errno(), EINTR);
	cred_port_close(port);
}

/* ---- bench mode ---------------------------------------------------------- */

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int bench(const char *path, const char *sender, const char *block)
{
	int one_k = strcmp(block, "1k") == 0;
	char dir[] = "/tmp/bench-xmodem-XXXXXX";
	char abs_path[4096], file[128];
	char *sx_argv[] = { "sx", "-q", one_k ? "-k" : "-q", abs_path, NULL };
	size_t len = 0;
	unsigned char *data;
	int slave, master, status, r = 0;
	double t0, t1;
	pid_t rx;

	if (!realpath(path, abs_path) || !(data = read_file(abs_path, &len)) || !mkdtemp(dir)) {
		fprintf(stderr, "bench: cannot read '%s'\n", path);
		return 2;
	}
	master = open_pty(&slave);
	t0 = seconds();
	rx = start_rx_on(slave, dir, "-c");
	if (strcmp(sender, "sx") == 0) {
		pid_t sx = spawn_on(master, NULL, sx_argv);

		waitpid(sx, &status, 0);
		r = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
		close(master);
	} else {
		struct cred_port *port;
		struct cred_xmodem_options opts = { .block_size = one_k ? 1024 : 128 };

		cred_port_from_fds(master, master, "pty", &port);
		r = cred_xmodem_send(port, data, len, &opts, NULL);
		cred_port_close(port);
	}
	close(slave); /* only now: see struct rx_run */
	waitpid(rx, &status, 0);
	t1 = seconds();
	if (r != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: %s transfer failed\n", sender);
		r = 1;
	}
	snprintf(file, sizeof(file), "%s/out", dir);
	unlink(file);
	rmdir(dir);
	free(data);
	if (r)
		return 1;
	printf("%.6f\n", t1 - t0);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rx_crc),
		cmocka_unit_test(test_rx_checksum),
		cmocka_unit_test(test_rx_crc_1k),
		cmocka_unit_test(test_rx_checksum_1k_falls_back),
		cmocka_unit_test(test_rx_with_line_errors),
		cmocka_unit_test(test_rx_bias_sized_with_progress),
		cmocka_unit_test(test_rx_cancel_by_caller),
			cmocka_unit_test(test_fake_checksum_mode),
		cmocka_unit_test(test_fake_noise_before_start),
		cmocka_unit_test(test_fake_letter_c_in_text),
		cmocka_unit_test(test_fake_refusal_instead_of_start),
		cmocka_unit_test(test_fake_block_numbers_wrap),
		cmocka_unit_test(test_fake_nak_storm),
		cmocka_unit_test(test_fake_restart_resends_first_block),
		cmocka_unit_test(test_fake_retry_limit),
		cmocka_unit_test(test_fake_block_timeout),
		cmocka_unit_test(test_fake_start_timeout),
		cmocka_unit_test(test_fake_receiver_cancel),
		cmocka_unit_test(test_fake_lrzsz_cancel_string),
		cmocka_unit_test(test_fake_lone_can_is_noise),
		cmocka_unit_test(test_fake_eot_nak),
		cmocka_unit_test(test_fake_cancel_while_waiting),
		cmocka_unit_test(test_fake_empty),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_fake_peer_gone),
	};
	const char *bench_file = getenv("CRED_BENCH_XMODEM");

	signal(SIGPIPE, SIG_IGN);
	if (getenv("CRED_TEST_FILTER"))
		cmocka_set_test_filter(getenv("CRED_TEST_FILTER"));
	if (bench_file) {
		const char *sender = getenv("CRED_BENCH_SENDER");
		const char *block = getenv("CRED_BENCH_BLOCK");

		return bench(bench_file, sender ? sender : "ours", block ? block : "128");
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
