/* The per-link command interpreter (see interp.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "camera.h"
#include "interp.h"
#include "link.h"
#include "receiver.h"
#include "sim.h"
#include "simclock.h"

#define MAX_TOKENS 16

/* Queue an answer (with the prompt) as the faults say; a delayed answer
 * keeps the link busy: the camera reads no new command meanwhile. */
static void emit(struct sim *sim, struct link *l, const struct answer *ans,
		 const struct fault_effect *eff, int64_t now_ms)
{
	int64_t at = now_ms, sent;

	if (ans->delay > 0)
		at += real_ms_until(sim_now() + ans->delay);
	sent = faults_emit(l, eff, ans->buf ? ans->buf : "", ans->len, at, &sim->rng);
	if (sent > now_ms)
		l->busy_until = sent;
}

void interp_receive(struct interp_ctx *c, struct receiver *rx)
{
	c->link->rx = rx;
	c->ans->deferred = true;
}

/* Split line in place into at most MAX_TOKENS words. */
static int tokenize(char *line, char **tok)
{
	int n = 0;
	char *p = line;

	while (*p && n < MAX_TOKENS) {
		p += strspn(p, " \t");
		if (!*p)
			break;
		tok[n++] = p;
		p += strcspn(p, " \t");
		if (*p)
			*p++ = '\0';
	}
	return n;
}

/* Is a command of this row allowed now? Otherwise answer why not. */
static bool gate(struct interp_ctx *c)
{
	const struct camera *cam = c->cam;
	const struct cmd_row *row = c->row;
	const char *why = NULL;

	if (row->kind == K_SIM)
		return true;
	if (cam->nuc_build.active && !(row->flags & CF_BUSY_OK)) {
		answer_error(c->ans, "camera busy computing a NUC file "
			     "(only buildnuc progress and buildnuc abort are accepted)");
		return false;
	}
	if (row->kind == K_GET || (row->flags & (CF_ANY_STATE | CF_READ)))
		return true;
	switch (cam->state) {
	case ST_STARTING:
	case ST_CONFIGURING:
		why = "camera not ready";
		break;
	case ST_SAFE:
		why = "command failed: camera in safe mode, restart it";
		break;
	case ST_LOCKED:
		why = "command failed: camera locked, contact First Light Imaging support";
		break;
	case ST_VACUUMREGE:
		why = "command failed: getter regeneration in progress";
		break;
	default:
		return true;
	}
	answer_error(c->ans, "%s (status: %s)", why, cam_state_name(cam->state));
	return false;
}

/* Rejoin the tokens from args[last] to the end: a "<spec...>" argument. */
static void join_rest(char **tok, int ntok, struct interp_ctx *c)
{
	if (!c->nargs || !strstr(c->row->pattern, "...>"))
		return;
	for (char *p = c->args[c->nargs - 1]; p < tok[ntok - 1]; p++)
		if (!*p)
			*p = ' ';
}

static void run_command(struct sim *sim, struct link *l, struct interp_ctx *c, char **tok, int ntok)
{
	bool is_sim = !strcmp(tok[0], "sim");
	const struct cmd_table *table = is_sim ? sim_commands() : sim->table;
	const char *bad;

	/* `raw` ends any command; "all raw" is itself a row of the C-RED One */
	if (!is_sim && ntok > 1 && !strcmp(tok[ntok - 1], "raw")) {
		c->raw = true;
		c->row = cmdtab_match(table, sim->cam->firmware, tok, ntok - 1, c->args, &c->nargs, &bad);
	}
	if (!c->row)
		c->row = cmdtab_match(table, sim->cam->firmware, tok, ntok, c->args, &c->nargs, &bad);
	if (!c->row) {
		answer_syntax(c->ans, bad);
		return;
	}
	join_rest(tok, c->raw ? ntok - 1 : ntok, c);
	if (gate(c))
		c->row->fn(c);
}

static void run_line(struct sim *sim, struct link *l, const char *line, bool too_long,
		     int64_t now_ms)
{
	char buf[sizeof(l->line)], norm[sizeof(l->line)] = "", *tok[MAX_TOKENS];
	struct answer ans;
	struct fault_effect eff = { 0 };
	struct interp_ctx c = { .sim = sim, .cam = sim->cam, .link = l, .ans = &ans,
				.now = sim_now(), .now_ms = now_ms };
	int ntok;

	snprintf(buf, sizeof(buf), "%s", line);
	ntok = tokenize(buf, tok);
	/* A powered-down camera hears nothing but the simulator's own `sim`
	 * lines. */
	if (sim->cam->state == ST_OFF && !(ntok && !strcmp(tok[0], "sim")))
		return;
	answer_init(&ans);
	camera_advance(sim->cam, c.now);
	sim_broadcast_events(sim); /* what happened before this command comes first */
	if (ntok && strcmp(tok[0], "sim")) {
		for (int i = 0; i < ntok; i++)
			snprintf(norm + strlen(norm), sizeof(norm) - strlen(norm), "%s%s",
				 i ? " " : "", tok[i]);
		faults_match(&sim->faults, norm, &eff);
	}
	if (too_long)
		answer_syntax(&ans, ntok ? tok[0] : ""); /* never run a cut command */
	else if (ntok)
		run_command(sim, l, &c, tok, ntok);
	if (sim->verbose)
		fprintf(stderr, "credsim: %s: '%s' -> %s\n", l->name, line,
			ans.deferred ? "(transfer)" : ans.failed ? "rejected" : "ok");
	if (ans.deferred)
		l->pending = eff;
	else
		emit(sim, l, &ans, &eff, now_ms);
	answer_free(&ans);
	sim_broadcast_events(sim);
}

/* A transfer (sendfile, XMODEM, a URL fetch) ended: logged with -v (an
 * event a test can wait for: every byte is in), then its answer goes out,
 * after any stall the command's faults asked for. */
static void end_receiver(struct sim *sim, struct link *l, const struct answer *ans, int64_t now_ms)
{
	receiver_free(l->rx);
	l->rx = NULL;
	if (sim->verbose)
		fprintf(stderr, "credsim: %s: transfer ended -> %s\n", l->name,
			ans->failed ? "rejected" : "ok");
	emit(sim, l, ans, &l->pending, now_ms);
	sim_broadcast_events(sim);
}

/* Feed kept input to the running receiver; true if it finished. */
static bool feed_receiver(struct sim *sim, struct link *l, int64_t now_ms)
{
	struct answer ans;
	bool done = false;
	size_t used;

	answer_init(&ans);
	receiver_line(l->rx, l->in, &l->inlen); /* the line's faults */
	used = l->rx->ops->feed(l->rx, sim->cam, l->in, l->inlen, &ans, &done);
	receiver_used(l->rx, used);
	link_consume_input(l, used);
	if (used)
		receiver_touch(l->rx, now_ms);
	if (done)
		end_receiver(sim, l, &ans, now_ms);
	answer_free(&ans);
	return done;
}

/* The receiver's deadline passed: it may time out, or go on. */
static void tick_receiver(struct sim *sim, struct link *l, int64_t now_ms)
{
	struct answer ans;

	answer_init(&ans);
	if (l->rx->ops->tick(l->rx, sim->cam, now_ms, &ans))
		end_receiver(sim, l, &ans, now_ms);
	answer_free(&ans);
}

/* Cut lines out of the kept input until it is used up, the link becomes
 * busy or a transfer starts. */
static void scan_lines(struct sim *sim, struct link *l, int64_t now_ms)
{
	size_t i = 0;

	while (i < l->inlen && !l->rx && l->busy_until <= now_ms) {
		char b = (char)l->in[i++];

		if (b == '\n' && l->after_cr) {
			l->after_cr = false;
			continue;
		}
		l->after_cr = b == '\r';
		if (b != '\r' && b != '\n') {
			if (l->linelen < sizeof(l->line) - 1)
				l->line[l->linelen++] = b;
			else
				l->line_overflow = true;
			continue;
		}
		l->line[l->linelen] = '\0';
		link_consume_input(l, i);
		i = 0;
		if (l->line_overflow)
			l->line[64] = '\0'; /* enough to name it in the error */
		run_line(sim, l, l->line, l->line_overflow, now_ms);
		l->line_overflow = false;
		l->linelen = 0;
		now_ms = cred_now_ms();
	}
	link_consume_input(l, i);
}

void interp_poll(struct sim *sim, struct link *l, int64_t now_ms)
{
	if (l->busy_until && l->busy_until <= now_ms)
		l->busy_until = 0;
	if (l->rx && now_ms >= receiver_deadline(l->rx))
		tick_receiver(sim, l, now_ms);
	while (l->inlen && l->busy_until <= now_ms) {
		if (l->rx && l->after_cr) {
			/* the "\n" of a command ended by "\r\n" is not file data */
			if (l->in[0] == '\n')
				link_consume_input(l, 1);
			l->after_cr = false;
			continue;
		}
		if (l->rx) {
			if (!feed_receiver(sim, l, now_ms))
				return;
			continue;
		}
		scan_lines(sim, l, now_ms);
		if (!l->rx)
			return;
	}
}

void interp_input(struct sim *sim, struct link *l, const uint8_t *data, size_t len)
{
	if (link_keep_input(l, data, len)) {
		l->dead = !l->persistent; /* a flood beyond any file size */
		l->inlen = 0;
		return;
	}
	interp_poll(sim, l, cred_now_ms());
}
