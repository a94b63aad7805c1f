/* Internal: what the assembler needs from the tag layout besides the
 * public decode (tags.c keeps the layout; nothing else knows it). */
#ifndef CRED_TAGS_IMPL_H
#define CRED_TAGS_IMPL_H

#include "cred-frame.h"

/* The first offset in p[0, avail) at which tags of kind with a valid
 * signature start, or avail - cred_tags_size(kind) + 1 when none of the
 * positions that can be checked holds one (avail must be at least the tag
 * size). Fast for C-RED 3 tags, whose fixed bits give a byte to look for. */
size_t cred_tags_find(enum cred_tag_kind kind, const struct cred_tag_rules *rules,
		      const unsigned char *p, size_t avail);

#endif
