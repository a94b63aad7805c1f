/* Unit tests: libcred's tag encoder and decoder and its C-RED One row
 * widths against the bytes worked out by hand from the manuals
 * (tests/data/wire-vectors.tsv; credsim is checked against the same file
 * in tests/fidelity.bats, never against libcred). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cred.h"
#include "cred-frame.h"

#define VECTORS "tests/data/wire-vectors.tsv"

static FILE *open_vectors(void)
{
	const char *top = getenv("CRED_TOP");
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s%s", top ? top : "", top ? "/" : "", VECTORS);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run from the top of the tree or set CRED_TOP)", path);
	return f;
}

/* "45 23 01 00" -> bytes; returns the count. */
static size_t hex_bytes(char *text, unsigned char *out, size_t max)
{
	size_t n = 0;

	for (char *t = strtok(text, " \t\n"); t && n < max; t = strtok(NULL, " \t\n"))
		out[n++] = (unsigned char)strtoul(t, NULL, 16);
	return n;
}

static void check_tags(char *model, char *rest)
{
	char counter[32], pixel2[16], cap[8], marker[8];
	int used = 0;
	unsigned char want[16], got[16] = { 0 };
	size_t n;
	enum cred_tag_kind kind = strcmp(model, "cred3") ? CRED_TAGS_CREDONE : CRED_TAGS_CRED3;
	struct cred_tags t = { 0 }, back;

	assert_int_equal(sscanf(rest, "%31s %15s %7s %7s %n", counter, pixel2, cap, marker, &used), 4);
	n = hex_bytes(rest + used, want, sizeof(want));
	assert_int_equal(n, cred_tags_size(kind));
	t.counter = (uint32_t)strtoul(counter, NULL, 0);
	t.pixel2 = (uint16_t)strtoul(pixel2, NULL, 0);
	t.gain_cap = kind == CRED_TAGS_CRED3 ? atoi(cap) : -1;
	t.marker = kind == CRED_TAGS_CRED3 ? atoi(marker) : -1;
	assert_int_equal(cred_tags_encode(kind, &t, got, sizeof(got)), CRED_OK);
	assert_memory_equal(got, want, n);
	/* and the decoder reads the hand-made bytes back */
	assert_int_equal(cred_tags_decode(kind, NULL, want, n, &back), 1);
	assert_int_equal(back.counter, t.counter);
	assert_int_equal(back.pixel2, t.pixel2);
	assert_int_equal(back.gain_cap, t.gain_cap);
	assert_int_equal(back.marker, t.marker);
}

static void check_width(char *rest)
{
	char mode[32], row[16];
	int w, nro, nloop, nsample;
	struct cred_readout r = { .model = CRED_MODEL_CREDONE, .imagetags = 1 };
	struct cred_frame_format fmt;

	assert_int_equal(sscanf(rest, "%31s %d %d %d %d %15s", mode, &w, &nro, &nloop, &nsample, row), 6);
	r.mode = mode;
	r.columns = w;
	r.rows = 8;
	r.nbreadworeset = nro;
	r.nloop = nloop;
	r.nsamplepixel = nsample;
	if (!strcmp(row, "-")) {
		assert_int_equal(cred_frame_format_from_readout(&r, &fmt), CRED_ERR_ARG);
		return;
	}
	assert_int_equal(cred_frame_format_from_readout(&r, &fmt), CRED_OK);
	if (fmt.width != atoi(row))
		fail_msg("%s w=%d N=%d nloop=%d nsample=%d: width %d, the manual gives %s",
			 mode, w, nro, nloop, nsample, fmt.width, row);
	assert_int_equal(fmt.height, 8);
}

static void test_vectors(void **state)
{
	FILE *f = open_vectors();
	char line[512], kind[16], arg[16];
	int used, tags = 0, widths = 0;

	(void)state;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_int_equal(sscanf(line, "%15s %n", kind, &used), 1);
		if (!strcmp(kind, "tags")) {
			int u2 = 0;

			assert_int_equal(sscanf(line + used, "%15s %n", arg, &u2), 1);
			check_tags(arg, line + used + u2);
			tags++;
		} else if (!strcmp(kind, "width")) {
			check_width(line + used);
			widths++;
		} else {
			fail_msg("unknown vector line: %s", line);
		}
	}
	fclose(f);
	/* a file that lost its lines must not pass */
	assert_true(tags >= 9);
	assert_true(widths >= 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
