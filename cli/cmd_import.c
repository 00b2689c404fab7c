/* `postcard import`: validate SCORM zips and store them for `postcard serve`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "dataopts.h"
#include "runtime.h"

const char cmd_import_help[] =
	"usage: postcard import PACKAGE.zip|FOLDER... [--data DIR] [--db FILE]\n"
	"\n"
	"Validates each SCORM package (the checks of 'postcard validate') and stores it for\n"
	"'postcard serve'. A package with validation errors is refused and its findings printed;\n"
	"warnings are printed and do not stop the import.\n"
	"\n"
	"Packages are stored once, by the SHA-256 of the zip, in DIR/packages/ (a package folder is\n"
	"stored as a zip of its files, made the same way every time). Importing a new\n"
	"version of a package (same manifest identifier) makes it the one learners launch, keeps\n"
	"every learner's records (they are keyed by the manifest and item identifiers), and prints\n"
	"what changed. Learners with an attempt in progress finish it on the version they started.\n"
	"\n"
	"options:\n" DATA_OPTS_HELP
	"\n"
	"Exit status: 0 every package imported, 1 a package was refused (validation errors),\n"
	"2 usage error or a file could not be read or stored.\n";

int cmd_import(int argc, char **argv)
{
	data_opts o;
	memset(&o, 0, sizeof o);
	const char *paths[256];
	int npaths = 0;
	for (int i = 1; i < argc; i++) {
		int r = data_opts_parse(&o, "import", argc, argv, &i);
		if (r < 0)
			return EXIT_USAGE;
		if (r)
			continue;
		if (argv[i][0] == '-' && argv[i][1]) {
			cli_error("import", "unknown option '%s' (see 'postcard help import')", argv[i]);
			return EXIT_USAGE;
		}
		if (npaths == (int)PC_ARRAY_LEN(paths)) {
			cli_error("import", "at most %zu packages at a time", PC_ARRAY_LEN(paths));
			return EXIT_USAGE;
		}
		paths[npaths++] = argv[i];
	}
	if (!npaths) {
		cli_print_help(cli_find("import"), stderr);
		return EXIT_USAGE;
	}
	rt_config cfg = {.no_learner = 1};
	data_opts_config(&o, &cfg);
	char err[512] = "";
	rt_app *app = NULL;
	if (rt_app_new(&app, &cfg, err, sizeof err) != 0) {
		cli_error("import", "%s", err);
		return EXIT_USAGE;
	}
	int status = EXIT_OK;
	for (int i = 0; i < npaths; i++) {
		diag_sink *sink = NULL;
		if (diag_sink_new(&sink) != 0) {
			status = EXIT_USAGE;
			break;
		}
		rt_import_result res;
		int rc = rt_import(app, paths[i], sink, &res);
		cli_print_diags(sink, 1);
		diag_sink_free(sink);
		if (rc == PC_EINVALID) {
			fprintf(stderr, "postcard import: %s: refused: the package has errors\n", paths[i]);
			if (status == EXIT_OK)
				status = EXIT_INVALID;
			continue;
		}
		if (rc) {
			fprintf(stderr, "postcard import: %s: not imported: %s\n", paths[i], pc_strerror(rc));
			status = EXIT_USAGE;
			continue;
		}
		if (res.previous[0] && strcmp(res.previous_edition, res.edition) != 0) {
			/* another edition: the LMS-side data model changes for new attempts */
			printf("%s: updated %s \"%s\" from %s to %s (%.12s, was %.12s)\n", paths[i],
			       res.package, res.title, res.previous_edition, res.edition, res.hash,
			       res.previous);
		} else if (res.previous[0]) {
			printf("%s: updated %s \"%s\" (%.12s, was %.12s)\n", paths[i], res.package,
			       res.title, res.hash, res.previous);
		}
		if (res.previous[0]) {
			for (char *line = res.changes, *nl; *line; line = nl + 1) {
				nl = strchr(line, '\n');
				if (!nl)
					break;
				printf("  %.*s\n", (int)(nl - line), line);
			}
			printf("  learners' records are kept\n");
		} else if (res.already) {
			printf("%s: %s \"%s\" is already imported (%.12s)\n", paths[i], res.package,
			       res.title, res.hash);
		} else {
			printf("%s: imported %s \"%s\" (%d launchable item%s, %.12s)\n", paths[i],
			       res.package, res.title, res.scos, res.scos == 1 ? "" : "s", res.hash);
		}
	}
	rt_app_free(app);
	return status;
}
