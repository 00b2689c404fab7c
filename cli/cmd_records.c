/* `postcard records`: who did what, from the runtime's database. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "dataopts.h"
#include "runtime.h"

const char cmd_records_help[] =
	"usage: postcard records [--format table|csv|json] [--package ID] [--learner ID]\n"
	"                        [--interactions] [--data DIR] [--db FILE]\n"
	"\n"
	"Prints one row per learner, package attempt and part (SCO): the package's id and\n"
	"title, status (SCORM 1.2 lesson_status, or 2004 completion_status), success\n"
	"(passed/failed), raw score, total time (h:mm:ss whatever the edition), last activity\n"
	"(UTC), and in CSV and JSON the learner's reflections. 'done' after the attempt number\n"
	"means the attempt is finished: the next launch starts a new one. A SCORM 2004 package\n"
	"with sequencing also gets one row per attempt for the whole course as sequencing\n"
	"rolled it up (part '(package)'; the CSV 'level' column and JSON \"level\" say\n"
	"\"package\" or \"sco\"). With --interactions, every answer follows: question, type,\n"
	"result and the response (for Postcard-built packages the question's text and the\n"
	"options' text); its latency as h:mm:ss and its timestamp in ISO 8601 whatever the\n"
	"edition (a 2004 one with a zone moved to UTC; 1.2 records a time of day only), with\n"
	"what the SCO wrote kept in JSON (scorm_latency, scorm_timestamp).\n"
	"\n"
	"options:\n"
	"  --format F      table (default), csv or json\n"
	"  --package ID    only this package (its manifest identifier, as the package list\n"
	"                  and the first column show it; a title is refused with the id to use)\n"
	"  --learner ID    only this learner (for this command, no default)\n"
	"  --interactions  also list every interaction\n"
	"  --data DIR, --db FILE   as for 'postcard serve'\n"
	"\n"
	"The report is printed as it is made, so a store of any size can be listed (the\n"
	"server's /api/records, in contrast, answers at most 32 MiB at once).\n"
	"\n"
	"Exit status: 0 printed (maybe nothing), 2 usage error, no database there (nothing is\n"
	"created), the database cannot be read, or the output cannot be written.\n";

struct out {
	FILE *f;
	int failed; /* a write failed (full disk, closed pipe): not the store's fault */
};

/* The report goes out a block at a time: no store is too large to print. */
static int write_out(void *ctx, const char *data, size_t len)
{
	struct out *o = ctx;
	if (fwrite(data, 1, len, o->f) == len)
		return 0;
	o->failed = 1;
	return PC_EIO;
}

int cmd_records(int argc, char **argv)
{
	data_opts o;
	memset(&o, 0, sizeof o);
	rt_records_query q = {.format = RT_RECORDS_TABLE};
	static const struct {
		const char *name;
		rt_records_format format;
	} formats[] = {{"table", RT_RECORDS_TABLE}, {"csv", RT_RECORDS_CSV}, {"json", RT_RECORDS_JSON}};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--learner") == 0 || strcmp(a, "--package") == 0 ||
		    strcmp(a, "--format") == 0) {
			if (i + 1 >= argc) {
				cli_error("records", "%s needs a value", a);
				return EXIT_USAGE;
			}
			const char *v = argv[++i];
			if (strcmp(a, "--learner") == 0) {
				q.learner = v;
			} else if (strcmp(a, "--package") == 0) {
				q.package = v;
			} else {
				size_t k = 0;
				while (k < PC_ARRAY_LEN(formats) && strcmp(formats[k].name, v) != 0)
					k++;
				if (k == PC_ARRAY_LEN(formats)) {
					cli_error("records", "--format is table, csv or json (got '%s')", v);
					return EXIT_USAGE;
				}
				q.format = formats[k].format;
			}
			continue;
		}
		if (strcmp(a, "--interactions") == 0) {
			q.interactions = 1;
			continue;
		}
		int r = data_opts_parse(&o, "records", argc, argv, &i);
		if (r < 0)
			return EXIT_USAGE;
		if (r)
			continue;
		cli_error("records", "unknown argument '%s' (see 'postcard help records')", a);
		return EXIT_USAGE;
	}
	rt_config cfg = {.no_learner = 1};
	data_opts_config(&o, &cfg);
	/* Reading must not create: a mistyped --data would otherwise print an empty report from a
	 * brand new, empty data folder. */
	if (!data_opts_exists(&cfg)) {
		if (cfg.db_path)
			cli_error("records", "there is no database at %s", cfg.db_path);
		else
			cli_error("records", "there are no records in %s: nothing was imported or served "
					     "with that data folder (is --data right?)", cfg.data_dir);
		return EXIT_USAGE;
	}
	char err[512] = "";
	rt_app *app = NULL;
	if (rt_app_new(&app, &cfg, err, sizeof err) != 0) {
		cli_error("records", "%s", err);
		return EXIT_USAGE;
	}
	char id[256];
	if (q.package && rt_package_check(app, q.package, id, sizeof id) == 0) {
		cli_error("records", "'%s' is a package's title, not its identifier: use --package %s",
			  q.package, id);
		rt_app_free(app);
		return EXIT_USAGE;
	}
	struct out out = {.f = stdout};
	int rc = rt_records(app, &q, write_out, &out);
	if (rc == 0 && fflush(stdout) != 0) {
		out.failed = 1;
		rc = PC_EIO;
	}
	if (rc)
		cli_error("records", "cannot %s the records: %s", out.failed ? "print" : "read",
			  pc_strerror(rc));
	rt_app_free(app);
	return rc ? EXIT_USAGE : EXIT_OK;
}
