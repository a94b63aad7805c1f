/* What an interrupted upload means for the camera (see common.h): the
 * same words in every tool that sends files, and the exit status of an
 * interrupted run (128 + the signal). */
#include "common.h"

#include <string.h>

static const char *signal_name(void)
{
	const char *n = stop_signal ? sigabbrev_np(stop_signal) : NULL;

	return n ? n : "a signal";
}

void die_upload_interrupted(const char *what, size_t sent, size_t total)
{
	const char *sig = signal_name();

	if (sent == 0)
		die_interrupted("%s: upload interrupted (SIG%s) before any byte was sent: the camera keeps "
		    "the file it had", what, sig);
	if (sent < total)
		die_interrupted("%s: upload interrupted (SIG%s) after %zu of %zu bytes: the camera may hold "
		    "part of the file, which it rejects (its size and MD5 cannot match) and keeps "
		    "the file it had; it takes commands again once its own wait for the rest "
		    "ends (a few seconds)", what, sig, sent, total);
	die_interrupted("%s: upload interrupted (SIG%s) after all %zu bytes were sent, before the camera's "
	    "verdict: it may have taken the file; upload it again to be sure", what, sig, total);
}
