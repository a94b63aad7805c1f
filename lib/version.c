/* Dotted firmware version comparison ("1.1.0" < "1.1.1" < "3.1.1"). */
#include "cred-model.h"

#include <ctype.h>
#include <stdlib.h>

/* Read the next numeric component of a version and advance *p past it and
 * its dot. Returns 0 once the numbers run out, so missing components count
 * as zero and a suffix such as "-rc2" or " build 42" is ignored. */
static unsigned long next_component(const char **p)
{
	const char *s = *p;
	unsigned long v = 0;

	if (!isdigit((unsigned char)*s))
		return 0;
	while (isdigit((unsigned char)*s)) {
		if (v < 100000000UL)
			v = v * 10 + (unsigned long)(*s - '0');
		s++;
	}
	/* Only "N.M" continues the version; anything else ends it. */
	*p = (*s == '.' && isdigit((unsigned char)s[1])) ? s + 1 : "";
	return v;
}

static const char *version_start(const char *v)
{
	if (!v)
		return "";
	while (isspace((unsigned char)*v))
		v++;
	if ((*v == 'v' || *v == 'V') && isdigit((unsigned char)v[1]))
		v++;
	return v;
}

int cred_version_compare(const char *a, const char *b)
{
	const char *pa = version_start(a), *pb = version_start(b);
	int a_empty = !isdigit((unsigned char)*pa), b_empty = !isdigit((unsigned char)*pb);

	if (a_empty || b_empty)
		return b_empty - a_empty;
	while (*pa || *pb) {
		unsigned long x = next_component(&pa), y = next_component(&pb);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}
