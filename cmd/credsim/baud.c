/* Baud-rate emulation (see baud.h). */
#include <math.h>
#include "baud.h"

/* Credit the line may hold: enough that waking up a little late (the
 * poll loop's timer granularity) costs no throughput, little enough that a
 * burst after a pause is still paced. */
#define CREDIT_MS 20.0
/* The smallest batch worth waking up for: a few ms of bytes keeps the
 * poll loop calm at any speed. */
#define BATCH_MS 4.0

void pace_init(struct pace *p, long baud)
{
	p->byte_ms = baud > 0 ? 10000.0 / (double)baud : 0;
	p->clock = 0;
}

static double start(const struct pace *p, int64_t now_ms)
{
	double earliest = (double)now_ms - CREDIT_MS;

	return p->clock > earliest ? p->clock : earliest;
}

size_t pace_budget(const struct pace *p, int64_t now_ms, size_t limit)
{
	double n;

	if (p->byte_ms <= 0)
		return limit;
	n = floor(((double)now_ms - start(p, now_ms)) / p->byte_ms);
	if (n <= 0)
		return 0;
	return n < (double)limit ? (size_t)n : limit;
}

void pace_used(struct pace *p, size_t n, int64_t now_ms)
{
	if (p->byte_ms > 0)
		p->clock = start(p, now_ms) + (double)n * p->byte_ms;
}

int64_t pace_next(const struct pace *p, int64_t now_ms)
{
	double batch, t;

	if (p->byte_ms <= 0)
		return -1;
	/* wait for a batch of BATCH_MS worth of bytes, at least one byte */
	batch = p->byte_ms > BATCH_MS ? p->byte_ms : BATCH_MS;
	t = start(p, now_ms) + batch;
	return t <= (double)now_ms ? now_ms : (int64_t)ceil(t);
}
