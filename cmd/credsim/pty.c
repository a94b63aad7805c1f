/* The pseudo-terminal endpoint (see endpoints.h). */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include "endpoints.h"

static int make_dir(struct pty *p, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (strlen(tmp) > sizeof(p->dir) - 64) {
		snprintf(err, errlen, "TMPDIR too long");
		return -1;
	}
	snprintf(p->dir, sizeof(p->dir), "%s/credsim-%ld", tmp, (long)getpid());
	if (mkdir(p->dir, 0700)) {
		snprintf(err, errlen, "cannot create '%s': %s", p->dir, strerror(errno));
		p->dir[0] = '\0';
		return -1;
	}
	snprintf(p->link, sizeof(p->link), "%.*s/tty", (int)sizeof(p->dir) - 8, p->dir);
	return 0;
}

int pty_open(struct pty *p, const char *link_path, char *err, size_t errlen)
{
	struct termios tio;
	char name[PATH_MAX];

	memset(p, 0, sizeof(*p));
	p->master = p->slave = -1;
	if (openpty(&p->master, &p->slave, name, NULL, NULL)) {
		snprintf(err, errlen, "cannot open a pseudo-terminal: %s", strerror(errno));
		return -1;
	}
	/* a serial line: 8 bits, no echo, no CR/LF translation */
	tcgetattr(p->slave, &tio);
	cfmakeraw(&tio);
	cfsetispeed(&tio, B115200);
	cfsetospeed(&tio, B115200);
	tcsetattr(p->slave, TCSANOW, &tio);
	fcntl(p->master, F_SETFL, fcntl(p->master, F_GETFL) | O_NONBLOCK);
	fcntl(p->master, F_SETFD, FD_CLOEXEC);
	fcntl(p->slave, F_SETFD, FD_CLOEXEC);
	if (link_path)
		snprintf(p->link, sizeof(p->link), "%s", link_path);
	else if (make_dir(p, err, errlen))
		goto fail;
	if (symlink(name, p->link)) {
		snprintf(err, errlen, "cannot create '%s': %s", p->link, strerror(errno));
		if (p->dir[0])
			rmdir(p->dir);
		p->dir[0] = '\0';
		goto fail;
	}
	return 0;
fail:
	close(p->master);
	close(p->slave);
	p->master = p->slave = -1;
	p->link[0] = '\0';
	return -1;
}

void pty_close(struct pty *p)
{
	if (p->link[0])
		unlink(p->link);
	if (p->dir[0])
		rmdir(p->dir);
	if (p->master >= 0)
		close(p->master);
	if (p->slave >= 0)
		close(p->slave);
	p->master = p->slave = -1;
	p->link[0] = p->dir[0] = '\0';
}
