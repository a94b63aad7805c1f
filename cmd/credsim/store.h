/* The camera's files, one per kind ("bias", "flat_hdr_c1", "userbadpixel",
 * "factbadpixel", "license:hdr.lic", ...). Every way a file reaches the
 * camera (raw sendfile, XMODEM, URL, an embedded build) ends in
 * store_put(), so a receiver only has to deliver bytes. */
#ifndef CREDSIM_STORE_H
#define CREDSIM_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_MD5_HEX 33 /* 32 lowercase hex digits and a NUL */

struct store;

struct store *store_new(void);
void store_free(struct store *st);
/* Keep a copy of len bytes under kind, replacing any previous file. */
int store_put(struct store *st, const char *kind, const void *data, size_t len);
/* The file of that kind, or NULL; *len gets its size. */
const uint8_t *store_get(const struct store *st, const char *kind, size_t *len);
int store_remove(struct store *st, const char *kind);
/* Copy every file of a into b (b's previous files are dropped). */
int store_copy(const struct store *a, struct store *b);
/* A number that changes whenever the store's files change (the frame
 * simulation rebuilds its correction arrays then). */
uint64_t store_generation(const struct store *st);

/* Lowercase hex MD5 of data (nettle). */
void md5_hex(const void *data, size_t len, char out[STORE_MD5_HEX]);

#endif
