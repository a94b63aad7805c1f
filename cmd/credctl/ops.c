/* Helpers shared by credctl's operation subcommands (see credctl-ops.h). */
#include "ops.h"

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- time ------------------------------------------------------------------------ */

/* After the seconds: optional fraction, then Z or +HH:MM / -HH:MM. */
static bool parse_zone(const char *p, long *offset)
{
	int hh, mm, n = 0;

	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	*offset = 0;
	if (!strcmp(p, "Z"))
		return true;
	if ((*p != '+' && *p != '-') || sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &n) != 2 || p[1 + n])
		return false;
	*offset = (hh * 3600L + mm * 60L) * (*p == '-' ? -1 : 1);
	return true;
}

bool parse_utc(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	long offset;
	time_t t;

	if (!end || !parse_zone(end, &offset))
		return false;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return false;
	*out = t - offset;
	return true;
}

/* ---- camera reads that return the error ------------------------------------------- */

int read_number(struct cred_camera *cam, const char *name, double *value, char *why, size_t size)
{
	char *text = NULL;
	int err = cred_camera_get(cam, name, &text);

	*value = NAN;
	if (err < 0) {
		snprintf(why, size, "cannot read '%s': %s", name,
			 *cred_last_error() ? cred_last_error() : cred_strerror(err));
		return err;
	}
	if (!parse_double(text, -HUGE_VAL, HUGE_VAL, value)) {
		snprintf(why, size, "cannot read '%s': the camera answered '%s', not a number",
			 name, text);
		err = CRED_ERR_PROTO;
	}
	free(text);
	return err;
}

bool is_no_answer(int err)
{
	return err == CRED_ERR_TIMEOUT || err == CRED_ERR_IO || err == CRED_ERR_PROTO ||
	       err == CRED_ERR_BUSY;
}

void read_identity(struct cred_camera *cam, struct cam_identity *id)
{
	struct cred_identity who;

	/* The identity only labels records: what the camera does not say
	 * stays "" */
	cred_camera_identity(cam, &who);
	snprintf(id->serial, sizeof(id->serial), "%s", who.serial);
	snprintf(id->hwuid, sizeof(id->hwuid), "%s", who.hwuid);
}

/* ---- camera reads that die ---------------------------------------------------------- */

double ctl_number(struct ctl *ctl, const char *name)
{
	char *text = NULL;
	int err = ctl_get(ctl, name, &text);
	double v;

	if (err < 0)
		die_cred(err, "cannot read '%s'", name);
	if (!parse_double(text, -HUGE_VAL, HUGE_VAL, &v)) {
		char shown[128];

		/* nothing left allocated when the tool exits */
		snprintf(shown, sizeof(shown), "%s", text);
		free(text);
		die_code(EXIT_NO_ANSWER, "cannot read '%s': the camera answered '%s', not a number",
			 name, shown);
	}
	free(text);
	return v;
}

char *ctl_state(struct ctl *ctl)
{
	char *state = NULL;
	int err = cred_camera_status(ctl_camera(ctl), &state);

	if (err < 0)
		die_cred(err, "cannot read the camera status");
	return state;
}

void ctl_require_credone(struct ctl *ctl, const char *what)
{
	const struct cred_model *m = ctl_model(ctl);

	if (m->id != CRED_MODEL_CREDONE)
		die("%s needs a C-RED One (this is a %s)", what, m->name);
}

void ctl_send(struct ctl *ctl, const char *command)
{
	char *answer = NULL;
	int err = ctl_command(ctl, command, &answer);

	if (err < 0)
		die_cred(err, "the camera refused '%s'", command);
	free(answer);
}

/* ---- files -------------------------------------------------------------------------- */

int append_line(const char *path, const char *line, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, mode);
	size_t len = strlen(line);
	struct stat st;
	ssize_t n = -1;
	int saved;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		saved = S_ISREG(st.st_mode) ? errno : EINVAL;
		close(fd);
		errno = saved;
		return -1;
	}
	/* The lock keeps writers on file systems without atomic appends
	 * (NFS) from interleaving; one write(2) does it everywhere else. */
	if (flock(fd, LOCK_EX) == 0) {
		n = write(fd, line, len);
		if (n >= 0 && (size_t)n != len)
			errno = ENOSPC;
		if (n >= 0 && fdatasync(fd) < 0 && errno != EINVAL)
			n = -1;
	}
	saved = errno;
	close(fd);
	errno = saved;
	return n >= 0 && (size_t)n == len ? 0 : -1;
}

char *json_line(json_t *obj)
{
	return json_encode(obj, 0);
}

int make_dirs(const char *path, mode_t mode)
{
	char *copy = strdup(path);

	if (!copy) {
		errno = ENOMEM;
		return -1;
	}
	for (char *p = copy + 1; ; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(copy, mode) < 0 && errno != EEXIST) {
			free(copy);
			return -1;
		}
		if (!c)
			break;
		*p = c;
	}
	free(copy);
	return 0;
}

/* ---- help ---------------------------------------------------------------------------------- */

void ops_help(void)
{
	printf("Operations (monitoring; the C-RED One's vacuum and cooling):\n"
	       "  check vacuum|temps|status|all\n"
	       "                           one monitoring-plugin line with performance data;\n"
	       "                           exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN\n"
	       "  history FILE             pressure per day and its trend, from a check log\n"
	       "  getter status            getter regenerations, time left, getter power\n"
	       "  getter regenerate        regenerate the getter (about 2 hours; asks first)\n"
	       "  cooling on|off|wait      cool down to operational, stop cooling, or watch\n"
	       "  shutdown                 stop cooling, then shut the camera down (asks first)\n"
	       "\n"
	       "Operation options:\n"
	       "      --thresholds=new|old|auto\n"
	       "                           check: vacuum limits of firmware 2.0.0 and later\n"
	       "                           (5e-3, 2e-2 mbar) or older (1e-4, 1e-3); default auto\n"
	       "  -w, --warning=MBAR       check, history: poor vacuum from this pressure on\n"
	       "  -c, --critical=MBAR      check: faulty vacuum above this pressure\n"
	       "      --water-warning=C    check: water temperature warning (default: 40)\n"
	       "      --water-critical=C   check: water temperature critical (default: 45)\n"
	       "      --cryostat-warning=K check: cryostat this far off its setpoint (default: 2)\n"
	       "      --cryostat-critical=K\n"
	       "                           check: the same, critical (default: 10)\n"
	       "      --log=FILE           check: append one JSON line per check to FILE\n"
	       "      --days=N             history: fit the trend to the last N days only\n"
	       "      --camera=ID          history: only the camera with this serial or hwuid\n"
	       "      --plot=FILE          history: draw the pressure into a PNG with gnuplot\n"
	       "      --force              history: overwrite the plot file\n"
	       "      --journal=FILE       getter: the regeneration journal\n"
	       "      --force-regeneration getter: twice, regenerate despite the 48-hour rule\n"
	       "      --continue           cooling on: leave poorvacuum or prevsafe without asking\n"
	       "      --water-guard=C      cooling: stop cooling at this water temperature\n"
	       "                           (default: 40; 0: no guard)\n"
	       "      --interval=SECONDS   getter, cooling: time between two polls (default: 2)\n");
}
