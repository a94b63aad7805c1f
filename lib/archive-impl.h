/* Internal to the archive object (archive.c, archive-extract.c). */
#ifndef CRED_ARCHIVE_IMPL_H
#define CRED_ARCHIVE_IMPL_H

#include <errno.h>
#include <sys/types.h>
#include "cred-archive.h"
#include "error-impl.h"

struct archive;
struct archive_entry;

/* A reader over data with every filter and format libarchive knows
 * (except raw). CRED_ERR_DATA when it is no archive. */
int cred_archive_open(const void *data, size_t len, struct archive **out);
/* The member the entry describes (pointers into e). */
void cred_archive_describe(struct archive_entry *e, struct cred_archive_member *m);
/* "file", "directory" ... for an AE_IF* type. */
const char *cred_archive_type_name(mode_t type);

#endif
