/* Reports for status, temps and info: aligned "label: value unit" lines, or
 * one JSON object with --json. */
#include "credctl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_WIDTH 26

void report_begin(struct report *r, struct ctl *ctl)
{
	memset(r, 0, sizeof(*r));
	r->ctl = ctl;
	if (ctl->opts.json) {
		r->root = json_object();
	}
}

static void print_line(struct report *r, const char *label, const char *value, const char *unit)
{
	int width = LABEL_WIDTH - r->indent - 1;

	printf("%*s%s:%*s%s%s%s\n", r->indent, "", label,
	       width > (int)strlen(label) ? width - (int)strlen(label) : 1, "", value,
	       unit && *unit ? " " : "", unit ? unit : "");
}

/* A section's heading waits for its first line: a section the camera
 * had nothing for leaves no empty heading behind. */
static void flush_heading(struct report *r)
{
	if (r->heading) {
		printf("%s:\n", r->heading);
		r->heading = NULL;
	}
}

void report_value(struct report *r, const char *key, const char *label,
		  const char *value, const char *unit)
{
	char shown[32];
	double mbar;

	flush_heading(r);
	if (r->root)
		json_object_set_new(r->root, key, json_from_answer(value));
	else if (unit && !strcmp(unit, "mbar") && parse_double(value, -HUGE_VAL, HUGE_VAL, &mbar))
		print_line(r, label, format_pressure(shown, sizeof(shown), mbar), unit);
	else
		print_line(r, label, value, unit);
}

void report_text(struct report *r, const char *key, const char *label, const char *value)
{
	flush_heading(r);
	if (r->root)
		json_object_set_new(r->root, key, json_text(value));
	else
		print_line(r, label, value, "");
}

void report_items(struct report *r, const struct report_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *value = NULL;

		if (ctl_get(r->ctl, items[i].param, &value) < 0) {
			if (r->ctl->opts.verbose)
				print_warning("'%s' not available: %s", items[i].param, cred_last_error());
			continue;
		}
		if (items[i].text)
			report_text(r, items[i].param, items[i].label, value);
		else if (r->root)
			json_object_set_new(r->root, items[i].param,
					    json_param_value(ctl_model(r->ctl), items[i].param, value));
		else
			report_value(r, items[i].param, items[i].label, value, items[i].unit);
		free(value);
	}
}

void report_model(struct report *r, const struct cred_model *m)
{
	if (r->root)
		json_set_model(r->root, m);
	else
		report_text(r, "model", "model", m->name);
}

void report_section(struct report *r, const char *label)
{
	if (r->root)
		return;
	r->heading = label;
	r->indent = 2;
}

void report_section_end(struct report *r)
{
	r->heading = NULL;
	r->indent = 0;
}

int report_end(struct report *r)
{
	if (r->root)
		print_json(r->root);
	r->root = NULL;
	return EXIT_OK;
}
