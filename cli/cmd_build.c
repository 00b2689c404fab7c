/* `postcard build`: options in, build_paths() (author/build.h) does the work, findings out on
 * stderr, exit status from the result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "cli.h"
#include "commands.h"

const char cmd_build_help[] =
	"usage: postcard build PATH... [-o DIR] [--scorm 1.2|2004-3rd|2004-4th]\n"
	"                      [--lms generic|moodle|learning-hub|scorm-cloud] [--print] [-q]\n"
	"\n"
	"Compiles postcard modules and courses into SCORM zip packages, one per module or course.\n"
	"PATH is a module folder (with module.xml), a course file (course.xml), or a folder of\n"
	"modules and courses (every sub-folder with a module.xml and every *.xml file in it).\n"
	"\n"
	"Every source error is reported, like a compiler: path:line:col, the line and a caret.\n"
	"Each package is checked with the validator before it is written; a package with errors\n"
	"is never written. Packages are named ID-VERSION-EDITION.zip, e.g.\n"
	"peer-assist-1.0.0-scorm12.zip.\n"
	"\n"
	"options:\n"
	"  -o, --output DIR  write packages here (created if missing; default: current folder)\n"
	"  --scorm EDITION   1.2 (default), 2004-3rd or 2004-4th\n"
	"  --lms PROFILE     the LMS the packages are for (default: generic); what each changes:\n"
	"                      generic       standard SCORM: 1.2 reports passed/failed against an\n"
	"                                    adlcp:masteryscore, 2004 completion and success apart;\n"
	"                                    the reflection is stored as the learner's comment\n"
	"                      moodle        Moodle's default completion rule (Require status:\n"
	"                                    Completed) never matches a 1.2 'passed', so SCORM 1.2\n"
	"                                    reports 'completed' when the module's goal is met (every\n"
	"                                    card read, quiz passed) and 'incomplete' otherwise, with\n"
	"                                    the score always, and carries no mastery score (Moodle\n"
	"                                    would turn 'completed' back into passed/failed); 2004\n"
	"                                    packages carry no sequencing (Moodle ignores it; a\n"
	"                                    warning says so)\n"
	"                      learning-hub  the NHS Learning Hub: SCORM 1.2 only (others refused);\n"
	"                                    the Hub never keeps cmi.comments, so the reflection is\n"
	"                                    not sent there and the learner saves it as a file or\n"
	"                                    prints it; interactions are numbered from a count kept\n"
	"                                    in suspend_data (the Hub answers _count 0 on resume and\n"
	"                                    stores them by position); numeric answers the Hub\n"
	"                                    refuses (negative) are recorded without the response\n"
	"                      scorm-cloud   the same as generic (SCORM Cloud follows the standard)\n"
	"                    Upload guides with the LMS settings that matter, what learners and\n"
	"                    administrators see and known limits: docs/lms/ (generic.md,\n"
	"                    moodle.md, learning-hub.md, scorm-cloud.md).\n"
	"  --print           write each module's printable one-page postcard, ID-postcard.html\n"
	"                    (what, when, who, time, how, the questions to ask: from the module's\n"
	"                    <postcard>), instead of packages. Open it in a browser and print it,\n"
	"                    or save it as PDF. Every package already carries it as postcard.html.\n"
	"  -q, --quiet       no progress lines (findings are still printed)\n"
	"  --web-dir DIR     take sco.html, postcard.js and postcard.css from DIR instead of the\n"
	"                    built-in copies (for working on the player)\n"
	"\n"
	"Reproducible: the same sources give byte-identical zips whatever the clock, time zone,\n"
	"locale, folder or file order. Every zip entry carries the time SOURCE_DATE_EPOCH (Unix\n"
	"seconds) when it is set, otherwise 2020-01-01T00:00:00Z. Manifest, item and resource\n"
	"identifiers come from the module or course id and its MAJOR version, so uploading a MINOR\n"
	"or PATCH update keeps learners' records.\n"
	"\n"
	"Limits: module.xml and course files 1 MiB, card files 256 KiB, a media file 50 MiB (500\n"
	"MiB per module), 1000 modules and courses per build. The resume state (suspend_data) a\n"
	"module can need is computed at build time and must fit 4096 characters for SCORM 1.2,\n"
	"64000 for 2004.\n"
	"\n"
	"exit status: 0 every package written, 1 errors were reported (packages without errors\n"
	"are still written), 2 usage error or the output could not be written.\n";

static void progress(void *ctx, const char *name, size_t done, size_t total)
{
	(void)ctx;
	fprintf(stderr, "[%zu/%zu] building %s\n", done + 1, total, name);
}

int cmd_build(int argc, char **argv)
{
	build_options o;
	build_options_default(&o);
	const char **paths = calloc((size_t)argc + 1, sizeof *paths);
	size_t npaths = 0;
	int quiet = 0, status = EXIT_USAGE;
	diag_sink *sink = NULL;
	if (!paths) {
		cli_error("build", "out of memory");
		return EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			quiet = 1;
		} else if (strcmp(a, "--print") == 0) {
			o.print = 1;
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			if (!val)
				goto missing;
			o.out_dir = val;
			i++;
		} else if (strcmp(a, "--scorm") == 0) {
			if (!val)
				goto missing;
			if (build_scorm_parse(val, &o.version) != 0) {
				cli_error("build", "--scorm takes 1.2, 2004-3rd or 2004-4th, not '%s'", val);
				goto cleanup;
			}
			i++;
		} else if (strcmp(a, "--lms") == 0) {
			if (!val)
				goto missing;
			if (build_lms_parse(val, &o.lms) != 0) {
				cli_error("build",
					  "--lms takes generic, moodle, learning-hub or scorm-cloud, not '%s'",
					  val);
				goto cleanup;
			}
			i++;
		} else if (strcmp(a, "--web-dir") == 0) {
			if (!val)
				goto missing;
			o.web_dir = val;
			i++;
		} else if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				paths[npaths++] = argv[i];
		} else if (a[0] == '-' && a[1]) {
			cli_error("build", "unknown option '%s' (see 'postcard help build')", a);
			goto cleanup;
		} else {
			paths[npaths++] = a;
		}
		continue;
	missing:
		cli_error("build", "%s needs a value", a);
		goto cleanup;
	}
	if (!npaths) {
		cli_error("build", "name at least one module folder, course file or folder of modules");
		cli_print_help(cli_find("build"), stderr);
		goto cleanup;
	}
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde && build_parse_epoch(sde, &o.epoch) != 0) {
		cli_error("build", "SOURCE_DATE_EPOCH must be a number of seconds, not '%s'", sde);
		goto cleanup;
	}
	if (!quiet) {
		o.progress = progress;
	}
	if (diag_sink_new(&sink) != 0) {
		cli_error("build", "out of memory");
		goto cleanup;
	}
	build_result res;
	int rc = build_paths(paths, npaths, &o, sink, &res);
	cli_print_diags(sink, 1);
	if (rc == 0) {
		if (!quiet)
			fprintf(stderr, "built %zu %s%s in %s\n", res.packages,
				o.print ? "postcard" : "package", res.packages == 1 ? "" : "s", o.out_dir);
		status = EXIT_OK;
	} else if (rc == PC_EINVALID) {
		size_t errs = diag_count_level(sink, DIAG_ERROR);
		fprintf(stderr, "%zu error%s; %zu of %zu package%s written\n", errs, errs == 1 ? "" : "s",
			res.packages, res.targets, res.targets == 1 ? "" : "s");
		status = EXIT_INVALID;
	} else {
		if (rc != PC_EIO && rc != PC_EINVAL)
			cli_error("build", "%s", pc_strerror(rc));
		status = EXIT_USAGE;
	}
cleanup:
	diag_sink_free(sink);
	free(paths);
	return status;
}
