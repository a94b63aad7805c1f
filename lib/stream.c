/* Frame sources: parse the source spec and hand over to a backend. */
#include "stream-impl.h"

#include <stdlib.h>
#include <string.h>

void cred_stream_options_init(struct cred_stream_options *o)
{
	memset(o, 0, sizeof(*o));
	o->usb_interface = -1;
	o->usb_request_type = -1;
	o->usb_start_request = -1;
	o->usb_stop_request = -1;
	o->flush_ms = -1;
}

int cred_stream_open(const char *spec, const struct cred_stream_options *opts,
		     struct cred_stream **out)
{
	struct cred_stream_options defaults;
	struct cred_stream *s;
	int err;

	*out = NULL;
	if (!spec || !*spec)
		return cred_fail(CRED_ERR_ARG, "empty source");
	if (!opts) {
		cred_stream_options_init(&defaults);
		opts = &defaults;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	if (strcmp(spec, "usb") == 0 || strncmp(spec, "usb:", 4) == 0)
		err = cred_stream_usb_open(s, spec[3] ? spec + 4 : NULL, opts);
	else if (strcmp(spec, "sim") == 0 || strncmp(spec, "sim:", 4) == 0)
		err = cred_stream_sim_open(s, spec[3] ? spec + 4 : NULL, opts);
	else if (strcmp(spec, "edt") == 0 || strncmp(spec, "edt:", 4) == 0)
		err = cred_stream_edt_open(s, spec[3] ? spec + 4 : NULL, opts);
	else if (strncmp(spec, "gentl:", 6) == 0)
		err = cred_stream_gentl_open(s, spec + 6, opts);
	else if (strncmp(spec, "file:", 5) == 0)
		err = cred_stream_fd_open(s, spec + 5, opts);
	else
		err = cred_stream_fd_open(s, spec, opts);
	if (err) {
		free(s->name);
		free(s);
		return err;
	}
	*out = s;
	return CRED_OK;
}

int cred_stream_start(struct cred_stream *s)
{
	int err = CRED_OK;

	if (!s->started && s->ops->start)
		err = s->ops->start(s);
	if (!err)
		s->started = 1;
	return err;
}

int cred_stream_read(struct cred_stream *s, const void **data, int timeout_ms)
{
	*data = NULL;
	memset(&s->info, 0, sizeof(s->info));
	if (!s->started)
		return cred_fail(CRED_ERR_ARG, "'%s' is not started", s->name);
	return s->ops->read(s, data, timeout_ms);
}

int cred_stream_stop(struct cred_stream *s)
{
	int err = CRED_OK;

	if (s->started && s->ops->stop)
		err = s->ops->stop(s);
	s->started = 0;
	return err;
}

void cred_stream_close(struct cred_stream *s)
{
	if (!s)
		return;
	cred_stream_stop(s);
	s->ops->close(s);
	free(s->name);
	free(s);
}

int cred_stream_live(const struct cred_stream *s)
{
	return s->live;
}

int cred_stream_whole_frames(const struct cred_stream *s)
{
	return s->whole_frames;
}

void cred_stream_grab_info(const struct cred_stream *s, struct cred_grab_info *info)
{
	*info = s->info;
}

int cred_stream_push(const struct cred_stream *s, struct cred_assembler *a, const void *data,
		     size_t len, double timestamp)
{
	if (s->whole_frames)
		return cred_assembler_push_frame(a, data, len, timestamp, &s->info);
	return cred_assembler_push(a, data, len, timestamp);
}

const char *cred_stream_name(const struct cred_stream *s)
{
	return s->name;
}
