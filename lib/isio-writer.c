/* The ImageStreamIO writer: frames into a milk shared-memory stream
 * (library version 2.00, layout in isio-layout-impl.h), the way milk's
 * readers expect a writer to behave. One copy per frame: the camera's
 * pixels go straight from the frame into the stream's slice. */
#include "frame-impl.h"
#include "isio-stream-impl.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* Keyword slots of a new stream: room for the camera's state, the
 * user's keywords (credgrab takes up to 64 of each) and our own. */
#define KEYWORD_SLOTS 160
/* Our own keywords: FRATE, EXPTIME, FRAMECNT, DROPS. */
#define OWN_KEYWORDS 4

struct isio_writer {
	struct isio_stream *s;
	struct isio_metadata *md;
	uint8_t *data;
	size_t frame_bytes;
	uint32_t slices;             /* 0: a 2-D stream */
	struct isio_keyword *kw;
	sem_t *sems;
	sem_t *semlog;
	int32_t *semwrite;
	struct isio_time *atimes, *wtimes;
	uint64_t *cnts;
	struct isio_keyword *framecnt, *drops;
	int have_counter;
	uint32_t last_counter;
	int64_t dropped;
	int32_t pid;
	/* keyword changes from another thread (cred-writer.h); frames only
	 * touch FRAMECNT and DROPS, whose slots are fixed at open */
	pthread_mutex_t kw_lock;
};

/* ---- keywords --------------------------------------------------------------- */

static void copy_text(char *dst, size_t len, const char *src)
{
	size_t i = 0;

	for (; src && src[i] && i + 1 < len; i++)
		dst[i] = isprint((unsigned char)src[i]) ? src[i] : '?';
	memset(dst + i, 0, len - i);
}

/* The slot named name, else the first unused one, else NULL. */
static struct isio_keyword *slot_for(struct isio_writer *w, const char *name)
{
	char key[ISIO_KW_NAME];
	struct isio_keyword *free_slot = NULL;

	copy_text(key, sizeof(key), name);
	for (uint16_t i = 0; i < w->md->NBkw; i++) {
		struct isio_keyword *k = &w->kw[i];

		if (k->type != 'N' && strncmp(k->name, key, sizeof(key)) == 0)
			return k;
		if (k->type == 'N' && !free_slot)
			free_slot = k;
	}
	return free_slot;
}

/* Keyword k set; a reader sees the new value with a new cnt. */
static void kw_done(struct isio_keyword *k, const char *name, char type, const char *comment)
{
	if (k->type == 'N') {
		copy_text(k->name, sizeof(k->name), name);
		copy_text(k->comment, sizeof(k->comment), comment);
	} else if (comment) {
		copy_text(k->comment, sizeof(k->comment), comment);
	}
	k->type = type;
	__atomic_store_n(&k->cnt, k->cnt + 1, __ATOMIC_RELEASE);
}

static void kw_long(struct isio_keyword *k, const char *name, int64_t v, const char *comment)
{
	k->value.numl = v;
	kw_done(k, name, 'L', comment);
}

static void kw_double(struct isio_keyword *k, const char *name, double v, const char *comment)
{
	k->value.numf = v;
	kw_done(k, name, 'D', comment);
}

/* Text as the FITS writer reads it: on/off a 1/0, an integer an L, a
 * number a D, anything else (and text) a string of up to 15 characters. */
static void kw_text(struct isio_keyword *k, const struct cred_keyword *in)
{
	const char *v = in->value;
	char *end;
	long long l;
	double d;

	if (!in->text && (!strcasecmp(v, "on") || !strcasecmp(v, "true") || !strcasecmp(v, "yes")))
		return kw_long(k, in->name, 1, in->comment);
	if (!in->text && (!strcasecmp(v, "off") || !strcasecmp(v, "false") || !strcasecmp(v, "no")))
		return kw_long(k, in->name, 0, in->comment);
	errno = 0;
	l = strtoll(v, &end, 10);
	if (!in->text && *v && !*end && !errno)
		return kw_long(k, in->name, l, in->comment);
	d = strtod(v, &end);
	if (!in->text && *v && !*end && !errno && isfinite(d) && !isalpha((unsigned char)v[0]) &&
	    !strpbrk(v, "xX"))
		return kw_double(k, in->name, d, in->comment);
	copy_text(k->value.valstr, sizeof(k->value.valstr), v);
	kw_done(k, in->name, 'S', in->comment);
}

static int isio_set_keyword(void *priv, const struct cred_keyword *in)
{
	struct isio_writer *w = priv;
	struct isio_keyword *k;

	pthread_mutex_lock(&w->kw_lock);
	k = slot_for(w, in->name);
	if (k)
		kw_text(k, in);
	pthread_mutex_unlock(&w->kw_lock);
	if (!k)
		return cred_fail(CRED_ERR_ARG, "no free keyword slot for '%s' in the stream", in->name);
	return CRED_OK;
}

/* FRATE and EXPTIME: the names the FITS writer gives them too. */
static void put_timing(struct isio_writer *w, double fps, double tint)
{
	if (fps > 0)
		kw_double(slot_for(w, "FRATE"), "FRATE", fps, "[Hz] frame rate");
	if (tint > 0)
		kw_double(slot_for(w, "EXPTIME"), "EXPTIME", tint, "[s] integration time");
}

static int isio_set_timing(void *priv, double fps, double tint)
{
	struct isio_writer *w = priv;

	pthread_mutex_lock(&w->kw_lock);
	put_timing(w, fps, tint);
	pthread_mutex_unlock(&w->kw_lock);
	return CRED_OK;
}

static int write_keywords(struct isio_writer *w, const struct cred_writer_options *o)
{
	for (uint16_t i = 0; i < w->md->NBkw; i++)
		w->kw[i].type = 'N';
	put_timing(w, o->fps, o->tint);
	for (size_t i = 0; i < o->nkeywords; i++) {
		int err = isio_set_keyword(w, &o->keywords[i]);

		if (err)
			return err;
	}
	w->framecnt = slot_for(w, "FRAMECNT");
	kw_long(w->framecnt, "FRAMECNT", -1, "camera frame counter of the last frame");
	w->drops = slot_for(w, "DROPS");
	kw_long(w->drops, "DROPS", 0, "frames lost so far (gaps in the counter)");
	return CRED_OK;
}

/* ---- opening ---------------------------------------------------------------- */

static void wanted_shape(const struct cred_writer_options *o, struct isio_metadata *md)
{
	memset(md, 0, sizeof(*md));
	md->naxis = o->buffer_slices ? 3 : 2;
	md->size[0] = (uint32_t)o->format.width;
	md->size[1] = (uint32_t)o->format.height;
	md->size[2] = o->buffer_slices;
	md->nelement = (uint64_t)md->size[0] * md->size[1] * (o->buffer_slices ? o->buffer_slices : 1);
	md->datatype = o->format.pixel_signed ? ISIO_DATATYPE_INT16 : ISIO_DATATYPE_UINT16;
	md->imagetype = o->buffer_slices ? ISIO_CIRCULAR_BUFFER | ISIO_ZAXIS_TEMPORAL : ISIO_MATH_DATA;
	md->imdatamemsize = md->nelement * 2;
	md->sem = ISIO_NB_SEMAPHORE;
	md->NBproctrace = ISIO_NB_PROCTRACE;
	/* what a reused stream needs; a new one gets KEYWORD_SLOTS */
	md->NBkw = (uint16_t)(o->nkeywords + OWN_KEYWORDS);
}

static void point_into(struct isio_writer *w)
{
	struct isio_stream *s = w->s;

	w->md = s->md;
	w->data = isio_at(s, s->map.data);
	w->kw = isio_at(s, s->map.kw);
	w->sems = isio_at(s, s->map.semfile);
	w->semlog = isio_at(s, s->map.semlog);
	w->semwrite = isio_at(s, s->map.semwrite);
	if (w->slices) {
		w->atimes = isio_at(s, s->map.atimes);
		w->wtimes = isio_at(s, s->map.wtimes);
		w->cnts = isio_at(s, s->map.cnts);
	}
}

static void isio_destroy(void *priv)
{
	struct isio_writer *w = priv;

	if (!w)
		return;
	cred_isio_stream_release(w->s);
	pthread_mutex_destroy(&w->kw_lock);
	free(w);
}

static int isio_open(void **priv, const char *name, const struct cred_writer_options *o)
{
	struct isio_metadata want;
	struct isio_writer *w;
	int err;

	if (o->nkeywords + OWN_KEYWORDS > KEYWORD_SLOTS)
		return cred_fail(CRED_ERR_ARG, "too many keywords for a stream (at most %d)",
				 KEYWORD_SLOTS - OWN_KEYWORDS);
	if (o->buffer_slices > 65536)
		return cred_fail(CRED_ERR_ARG, "a stream buffer holds at most 65536 frames");
	w = calloc(1, sizeof(*w));
	if (!w)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	pthread_mutex_init(&w->kw_lock, NULL);
	wanted_shape(o, &want);
	err = cred_isio_stream_open(name, &want, o->overwrite, KEYWORD_SLOTS, &w->s);
	if (err) {
		pthread_mutex_destroy(&w->kw_lock);
		free(w);
		return err;
	}
	w->slices = o->buffer_slices;
	w->frame_bytes = cred_frame_format_size(&o->format);
	w->pid = (int32_t)getpid();
	point_into(w);
	err = write_keywords(w, o);
	if (err) {
		isio_destroy(w);
		return err;
	}
	*priv = w;
	return CRED_OK;
}

/* ---- writing a frame --------------------------------------------------------- */

/* The frame's arrival (host UTC) on the stream's clock (TAI: the same
 * instant plus the leap seconds the system knows); now when unknown. */
static struct isio_time arrival(double utc, const struct isio_time *now)
{
	struct timespec rt;
	struct isio_time t = *now;
	double whole;

	if (utc <= 0)
		return t;
	clock_gettime(CLOCK_REALTIME, &rt);
	whole = floor(utc);
	t.sec = (int64_t)whole + (now->sec - rt.tv_sec) - (now->nsec < rt.tv_nsec);
	t.nsec = (int64_t)((utc - whole) * 1e9);
	if (t.nsec > 999999999)
		t.nsec = 999999999;
	return t;
}

/* The stream holds numbers in the host's order; frames are little-endian. */
static void copy_pixels(void *dst, const void *src, size_t len)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(dst, src, len);
#else
	const uint8_t *in = src;
	uint8_t *out = dst;

	for (size_t i = 0; i + 1 < len; i += 2) {
		out[i] = in[i + 1];
		out[i + 1] = in[i];
	}
#endif
}

static void count_drops(struct isio_writer *w, const struct cred_frame *f)
{
	uint32_t counter = f->has_tags ? f->tags.counter : (uint32_t)f->index;

	if (w->have_counter && counter != w->last_counter + 1)
		w->dropped += (uint32_t)(counter - w->last_counter - 1);
	w->have_counter = 1;
	w->last_counter = counter;
}

/* milk's post: every semaphore below its cap, then the log semaphore. */
static void post_all(struct isio_writer *w)
{
	int v;

	for (uint16_t i = 0; i < w->md->sem; i++) {
		if (sem_getvalue(&w->sems[i], &v) == 0 && v < ISIO_SEMAPHORE_MAXVAL) {
			sem_post(&w->sems[i]);
			w->semwrite[i] = w->pid;
		}
	}
	if (sem_getvalue(w->semlog, &v) == 0 && v < ISIO_SEMAPHORE_MAXVAL)
		sem_post(w->semlog);
}

static int isio_write(void *priv, const struct cred_frame *f)
{
	struct isio_writer *w = priv;
	struct isio_metadata *md = w->md;
	uint64_t cnt0 = md->cnt0;
	uint32_t slot = w->slices ? (uint32_t)(cnt0 % w->slices) : 0;
	struct isio_time now, at;

	__atomic_store_n(&md->write, 1, __ATOMIC_RELEASE);
	copy_pixels(w->data + (size_t)slot * w->frame_bytes, f->data, w->frame_bytes);
	cred_isio_now(&now);
	at = arrival(f->timestamp, &now);
	md->atime = at;
	md->writetime = now;
	if (w->slices) {
		w->atimes[slot] = at;
		w->wtimes[slot] = now;
		w->cnts[slot] = cnt0 + 1;
	}
	count_drops(w, f);
	kw_long(w->framecnt, "FRAMECNT", w->last_counter, NULL);
	if (w->drops->value.numl != w->dropped)
		kw_long(w->drops, "DROPS", w->dropped, NULL);
	/* cnt1 before cnt0: a reader that sees the new count finds its slice */
	md->cnt1 = slot;
	__atomic_store_n(&md->cnt0, cnt0 + 1, __ATOMIC_RELEASE);
	__atomic_store_n(&md->write, 0, __ATOMIC_RELEASE);
	post_all(w);
	return CRED_OK;
}

const struct writer_backend cred_isio_backend = {
	.open_named = isio_open,
	.write = isio_write,
	.destroy = isio_destroy,
	.set_keyword = isio_set_keyword,
	.set_timing = isio_set_timing,
};
