/* milk ImageStreamIO shared-memory streams (library version 2.00), the
 * real-time frame exchange of adaptive-optics pipelines (milk, cacao,
 * camstack, MagAO-X). Frames go into a stream through the frame writer
 * (cred-writer.h, type CRED_FILE_ISIO, path "isio:NAME" or NAME); these
 * calls find and remove streams. */
#ifndef CRED_ISIO_H
#define CRED_ISIO_H

#include "cred-error.h"

/* The file of stream NAME, the way milk finds it: NAME.im.shm in
 * $MILK_SHM_DIR when that folder exists, else in /milk/shm when it
 * exists, else in /tmp. NAME is 1 to 79 of A-Z a-z 0-9 _ - . and does
 * not start with '.'. On success *path is malloc'd (the caller frees it);
 * CRED_ERR_ARG for a bad name (*path NULL). */
CRED_API int cred_isio_path(const char *name, char **path);

/* Remove stream NAME (its file; processes that have it mapped keep their
 * copy). A stream a live process owns (a writer such as credgrab) is
 * refused with CRED_ERR_BUSY unless force. CRED_ERR_ARG: bad name, or no
 * such stream; CRED_ERR_DATA: the file is not an ImageStreamIO stream
 * (left alone, even with force); CRED_ERR_IO: cannot remove. */
CRED_API int cred_isio_remove(const char *name, int force);

#endif
