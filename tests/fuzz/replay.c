/* The replay driver of the fuzz harnesses for make check: feeds every file
 * of the harness's corpus (FUZZ_CORPUS, a folder, or the folders and files
 * given as arguments) to LLVMFuzzerTestOneInput once, in name order. No
 * fuzzing: it checks that the seeds and every crash found so far (kept in
 * the corpus) still run clean, under the sanitizers with SANITIZE=1. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t size = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (size == cap) {
			uint8_t *p = realloc(buf, cap = cap ? 2 * cap : 65536);
			if (!p) {
				fclose(f);
				free(buf);
				return -1;
			}
			buf = p;
		}
		n = fread(buf + size, 1, cap - size, f);
		size += n;
	} while (n > 0);
	fclose(f);
	/* An exact-size copy, so a read past the end is caught by ASan. */
	uint8_t *exact = malloc(size ? size : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, size);
	free(buf);
	LLVMFuzzerTestOneInput(exact, size);
	free(exact);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_path(const char *path, int *count)
{
	struct dirent **names;
	struct stat st;
	int n, bad = 0;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		++*count;
		return run_file(path);
	}
	if ((n = scandir(path, &names, NULL, by_name)) < 0) {
		fprintf(stderr, "replay: cannot read '%s': %s\n", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char sub[4096];

		if (names[i]->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
			if (run_path(sub, count) < 0)
				bad = 1;
		}
		free(names[i]);
	}
	free(names);
	return bad ? -1 : 0;
}

static int run_abs(const char *path, int *count)
{
	char *abs = realpath(path, NULL);
	int r;

	if (!abs) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	r = run_path(abs, count);
	free(abs);
	return r;
}

int main(int argc, char **argv)
{
	int count = 0, bad = 0;

	/* Absolute paths: a harness may change folder (fuzz-sim.c). */
	if (argc < 2)
		bad = run_abs(FUZZ_CORPUS, &count) < 0;
	for (int i = 1; i < argc; i++)
		if (run_abs(argv[i], &count) < 0)
			bad = 1;
	printf("%s: %d inputs replayed\n", argc < 2 ? FUZZ_CORPUS : "replay", count);
	if (count == 0) {
		fprintf(stderr, "replay: no input found\n");
		return 1;
	}
	return bad;
}
