/* credgrab and milk ImageStreamIO streams: the options' checks and
 * --isio-remove. The stream itself is written by libcred (cred-isio.h). */
#include "credgrab.h"

#include <stdlib.h>
#include <string.h>

void isio_check_options(const struct config *c)
{
	const char *name = strncmp(c->output, "isio:", 5) == 0 ? c->output + 5 : c->output;
	char *path = NULL;

	if (c->type != CRED_FILE_ISIO) {
		if (c->isio_buffer)
			die_usage("--isio-buffer needs an ImageStreamIO output (-o isio:NAME)");
		return;
	}
	if (strcmp(c->output, "-") == 0)
		die_usage("an ImageStreamIO stream needs a name: -o isio:NAME");
	if (cred_isio_path(name, &path) != CRED_OK)
		die_usage("%s", cred_last_error());
	free(path);
}

int isio_remove(const char *name, bool force)
{
	int err = cred_isio_remove(name, force);

	if (err == CRED_OK)
		return EXIT_OK;
	print_error("%s", cred_last_error());
	/* a bad name is a usage error; a missing, foreign or busy stream a refusal */
	if (err == CRED_ERR_ARG && strstr(cred_last_error(), "invalid stream name"))
		return EXIT_USAGE;
	return err == CRED_ERR_IO ? EXIT_NO_ANSWER : EXIT_REFUSED;
}
