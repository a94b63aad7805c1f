/* libcred errors: a small negative enum plus a per-thread message.
 *
 * Every public function returning int returns CRED_OK (0) or a non-negative
 * count on success and one of enum cred_err on failure. On failure the
 * library keeps a human-readable message (never printed by the library)
 * that cred_last_error() returns; output parameters are set to NULL/0. */
#ifndef CRED_ERROR_H
#define CRED_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#define CRED_API __attribute__((visibility("default")))

enum cred_err {
	CRED_OK = 0,
	CRED_ERR_ARG = -1,     /* invalid argument or value out of range */
	CRED_ERR_FAIL = -2,    /* the camera rejected the command (message: its text) */
	CRED_ERR_TIMEOUT = -3, /* no answer in time */
	CRED_ERR_IO = -4,      /* system I/O error; cred_last_errno() has errno */
	CRED_ERR_MEM = -5,     /* out of memory */
	CRED_ERR_SUPP = -6,    /* not supported by this model, firmware or build */
	CRED_ERR_BUSY = -7,    /* the port is locked by another process */
	CRED_ERR_PROTO = -8,   /* an answer the library cannot understand */
	CRED_ERR_DATA = -9,    /* bad data: a corrupt file, a checksum mismatch */
};

/* The message of the last failure in this thread ("" if none). Static
 * storage, valid until the next libcred call in the same thread. */
CRED_API const char *cred_last_error(void);

/* errno of the last CRED_ERR_IO failure in this thread, 0 otherwise. */
CRED_API int cred_last_errno(void);

/* A short fixed name for an error code ("timeout", "rejected", ...). */
CRED_API const char *cred_strerror(int err);

/* Library version string ("0.1.0"). */
CRED_API const char *cred_version(void);

#endif
