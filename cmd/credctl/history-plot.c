/* credctl history --plot: the pressure readings, the vacuum limits and the
 * trend, drawn by gnuplot into a PNG. gnuplot reads its script (with the
 * readings inline) on a pipe and writes the image on its standard output,
 * which is the temporary file of an atomic output file. */
#include "history.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static bool in_path(const char *name)
{
	const char *path = getenv("PATH");
	char *copy, *save = NULL, file[4096];
	bool found = false;

	if (!path || !(copy = strdup(path)))
		return false;
	for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		snprintf(file, sizeof(file), "%s/%s", *dir ? dir : ".", name);
		found = access(file, X_OK) == 0;
	}
	free(copy);
	return found;
}

void history_need_gnuplot(void)
{
	if (!in_path("gnuplot"))
		die("--plot needs gnuplot, which is not installed (Debian: apt install gnuplot-nox)");
}

static void script_head(FILE *g, const struct cam_log *c)
{
	fprintf(g, "set terminal pngcairo size 1000,600 noenhanced\n"
		   "set title \"%s %s: cryostat pressure\"\n"
		   "set xdata time\nset timefmt \"%%s\"\nset format x \"%%Y-%%m-%%d\\n%%H:%%M\"\n"
		   "set logscale y\nset format y \"%%.0e\"\nset ylabel \"pressure (mbar)\"\n"
		   "set grid\nset key top left\n",
		   *c->model ? c->model : "camera", *c->serial ? c->serial : c->key);
}

/* The x range: the readings, and the forecast up to the warning (at most
 * as far again as the readings span, so the data stay readable). */
static void script_range(FILE *g, const struct cam_log *c, const struct fit *f)
{
	time_t first = c->s[0].t, last = c->s[c->n - 1].t, end = last;
	double span = difftime(last, first);

	if (f->ok && isfinite(f->days) && f->days > 0)
		end = last + (time_t)fmin(f->days * 86400, fmax(span, 86400));
	if (end == first)
		end = first + 60;
	fprintf(g, "set xrange [\"%lld\":\"%lld\"]\n", (long long)first, (long long)end);
}

static void script_plot(FILE *g, const struct cam_log *c, const struct fit *f, double crit)
{
	fprintf(g, "$readings << EOD\n");
	for (size_t i = 0; i < c->n; i++)
		fprintf(g, "%lld %.3e\n", (long long)c->s[i].t, c->s[i].p);
	fprintf(g, "EOD\n");
	fprintf(g, "plot $readings using 1:2 with points pt 7 ps 0.6 title \"pressure\", "
		   "%g with lines dt 2 lw 2 title \"poor vacuum (%.0e mbar)\"", f->warn, f->warn);
	if (!isnan(crit))
		fprintf(g, ", %g with lines dt 3 lw 2 title \"faulty vacuum (%.0e mbar)\"", crit, crit);
	if (f->ok)
		fprintf(g, ", (x >= %lld ? 10**(%.10g + %.10g * (x - %lld) / 86400.0) : 1/0) "
			   "with lines lw 2 title \"trend\"",
			(long long)c->s[f->first].t, f->now_log, f->slope, (long long)c->s[c->n - 1].t);
	fprintf(g, "\n");
}

/* Run gnuplot with stdout on fd; returns its exit status (-1: not run). */
static int run_gnuplot(const struct cam_log *c, const struct fit *f, int fd)
{
	int pfd[2], status;
	pid_t pid;
	FILE *g;

	if (pipe(pfd) < 0)
		die_perror("cannot make a pipe for gnuplot");
	pid = fork();
	if (pid < 0)
		die_perror("cannot start gnuplot");
	if (pid == 0) {
		dup2(pfd[0], STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		execlp("gnuplot", "gnuplot", (char *)NULL);
		_exit(127);
	}
	close(pfd[0]);
	signal(SIGPIPE, SIG_IGN); /* a gnuplot that dies early is reported by its status */
	if (!(g = fdopen(pfd[1], "w")))
		die_perror("cannot write to gnuplot");
	script_head(g, c);
	script_range(g, c, f);
	script_plot(g, c, f, c->crit);
	fclose(g);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void history_plot(const struct cam_log *c, const struct fit *f, const char *out, bool force)
{
	struct out_file *of = out_file_open(out, force);
	FILE *fp = out_file_stream(of);
	int status;

	fflush(fp);
	status = run_gnuplot(c, f, fileno(fp));
	if (status != 0 || lseek(fileno(fp), 0, SEEK_END) <= 0) {
		out_file_abort(of);
		die("gnuplot failed (exit status %d): no plot written", status);
	}
	/* gnuplot wrote through the descriptor: move the stream to its end */
	fseek(fp, 0, SEEK_END);
	out_file_commit(of);
}
