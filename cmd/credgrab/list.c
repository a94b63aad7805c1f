/* credgrab --list-sources: what can be acquired from on this machine (C-RED
 * cameras on USB, EDT grabber channels, GenTL producers' devices), as a
 * table or JSON. */
#include "credgrab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_table(const struct cred_source_info *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct cred_source_info *e = &list[i];

		printf("%s\t%s%s%s%s%s%s%s\n", e->spec,
		       *e->vendor || *e->model ? e->vendor : "(no device information)",
		       *e->vendor && *e->model ? " " : "", e->model,
		       *e->serial ? " serial " : "", e->serial, *e->where ? " - " : "", e->where);
	}
}

static void print_list_json(const struct cred_source_info *list, size_t n, const char *notes)
{
	json_t *root = json_object(), *arr = json_array(), *nl = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "source", json_text(list[i].spec));
		json_object_set_new(o, "kind", json_text(list[i].kind));
		json_object_set_new(o, "vendor", json_text(list[i].vendor));
		json_object_set_new(o, "model", json_text(list[i].model));
		json_object_set_new(o, "serial", json_text(list[i].serial));
		json_object_set_new(o, "where", json_text(list[i].where));
		json_array_append_new(arr, o);
	}
	for (const char *p = notes; p && *p;) {
		const char *nlp = strchr(p, '\n');
		size_t len = nlp ? (size_t)(nlp - p) : strlen(p);
		char *line = strndup(p, len);

		json_array_append_new(nl, json_text(line ? line : ""));
		free(line);
		p += len + (nlp ? 1 : 0);
	}
	json_object_set_new(root, "sources", arr);
	json_object_set_new(root, "notes", nl);
	print_json(root);
}

int list_sources(const struct config *c)
{
	struct cred_source_info *list;
	char *notes = NULL;
	size_t n;

	if (cred_source_list(&list, &n, &notes) != CRED_OK)
		die("%s", cred_last_error());
	if (c->json) {
		print_list_json(list, n, notes);
	} else {
		print_table(list, n);
		/* why a kind of source is missing: on stderr, with -v */
		if (c->common.verbose && notes)
			fputs(notes, stderr);
		if (n == 0 && !c->common.quiet)
			fprintf(stderr, "credgrab: no frame source found%s\n",
				c->common.verbose ? "" : " (-v says where it looked)");
	}
	cred_source_list_free(list, n);
	free(notes);
	return EXIT_OK;
}
