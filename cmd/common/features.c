/* The hwfeatures and swfeatures bits, decoded with libcred's tables (the
 * manual's names): the JSON shape of credtools-json(7) and the one-line
 * list, for credctl info and credfw version alike. */
#include "common.h"

#include <stdio.h>

/* The bits of value that the manual's table does not name. */
static unsigned unknown_bits(unsigned value, const struct cred_feature_bit *b, size_t n)
{
	unsigned known = 0;

	for (size_t i = 0; i < n; i++)
		known |= b[i].mask;
	return value & ~known;
}

json_t *feature_bits_json(unsigned value, feature_table table)
{
	size_t n;
	const struct cred_feature_bit *b = table(&n);
	json_t *names = json_array();

	for (size_t i = 0; i < n; i++)
		if (value & b[i].mask)
			json_array_append_new(names, json_string(b[i].name));
	return json_pack("{s:I, s:o}", "value", (json_int_t)value, "bits", names);
}

void print_feature_bits(const char *label, unsigned value, feature_table table)
{
	size_t n;
	const struct cred_feature_bit *b = table(&n);
	unsigned unknown = unknown_bits(value, b, n);

	printf("%s: 0x%04x\n", label, value);
	for (size_t i = 0; i < n; i++)
		if (value & b[i].mask)
			printf("  %-30s %s\n", b[i].name, b[i].meaning);
	if (unknown)
		printf("  %-30s bits 0x%04x, not in the manual\n", "unknown", unknown);
}

void feature_bit_names(unsigned value, feature_table table, char *buf, size_t size)
{
	size_t n, len = 0;
	const struct cred_feature_bit *b = table(&n);
	unsigned unknown = unknown_bits(value, b, n);

	buf[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++)
		if (value & b[i].mask)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "", b[i].name);
	if (unknown && len < size)
		len += (size_t)snprintf(buf + len, size - len, "%sunknown bits 0x%04x", len ? " " : "",
					unknown);
	if (!len)
		snprintf(buf, size, "none");
}
