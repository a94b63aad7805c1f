/* The camera's stored files (see store.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nettle/md5.h>
#include "store.h"

struct entry {
	char *kind;
	uint8_t *data;
	size_t len;
	struct entry *next;
};

struct store {
	struct entry *head;
	uint64_t generation;
};

struct store *store_new(void)
{
	return calloc(1, sizeof(struct store));
}

static void entry_free(struct entry *e)
{
	free(e->kind);
	free(e->data);
	free(e);
}

static void store_clear(struct store *st)
{
	st->generation++;
	while (st->head) {
		struct entry *e = st->head;

		st->head = e->next;
		entry_free(e);
	}
}

void store_free(struct store *st)
{
	if (!st)
		return;
	store_clear(st);
	free(st);
}

static struct entry **find(const struct store *st, const char *kind)
{
	struct entry **pp = (struct entry **)&st->head;

	while (*pp && strcmp((*pp)->kind, kind))
		pp = &(*pp)->next;
	return pp;
}

int store_put(struct store *st, const char *kind, const void *data, size_t len)
{
	struct entry **pp = find(st, kind);
	uint8_t *copy = malloc(len ? len : 1);

	if (!copy)
		return -1;
	memcpy(copy, data, len);
	if (!*pp) {
		*pp = calloc(1, sizeof(struct entry));
		if (!*pp || !((*pp)->kind = strdup(kind))) {
			free(*pp);
			*pp = NULL;
			free(copy);
			return -1;
		}
	}
	free((*pp)->data);
	(*pp)->data = copy;
	(*pp)->len = len;
	st->generation++;
	return 0;
}

const uint8_t *store_get(const struct store *st, const char *kind, size_t *len)
{
	struct entry *e = *find(st, kind);

	if (!e)
		return NULL;
	if (len)
		*len = e->len;
	return e->data;
}

int store_remove(struct store *st, const char *kind)
{
	struct entry **pp = find(st, kind), *e = *pp;

	if (!e)
		return -1;
	*pp = e->next;
	entry_free(e);
	st->generation++;
	return 0;
}

uint64_t store_generation(const struct store *st)
{
	return st->generation;
}

int store_copy(const struct store *a, struct store *b)
{
	store_clear(b);
	for (struct entry *e = a->head; e; e = e->next)
		if (store_put(b, e->kind, e->data, e->len))
			return -1;
	return 0;
}

void md5_hex(const void *data, size_t len, char out[STORE_MD5_HEX])
{
	struct md5_ctx ctx;
	uint8_t digest[MD5_DIGEST_SIZE];

	md5_init(&ctx);
	md5_update(&ctx, len, data);
	md5_digest(&ctx, sizeof(digest), digest);
	for (int i = 0; i < MD5_DIGEST_SIZE; i++)
		sprintf(out + 2 * i, "%02x", digest[i]);
	out[32] = '\0';
}
