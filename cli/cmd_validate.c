/* `postcard validate PKG.zip|DIR|imsmanifest.xml ...`: opens each package, runs every check,
 * prints the findings (gcc style or JSON) and a summary per package, and exits 0 when every
 * package is valid (warnings allowed), 1 when any has errors, 2 when any could not be read. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

const char cmd_validate_help[] =
	"usage: postcard validate [OPTIONS] PKG.zip|DIR|imsmanifest.xml ...\n"
	"       postcard validate --list-checks\n"
	"\n"
	"Checks SCORM 1.2 and SCORM 2004 (2nd, 3rd and 4th Edition) packages: the zip itself,\n"
	"the manifest against the schemas, identifiers and references, schema/schemaversion,\n"
	"organizations and items, resources and files, xml:base, sequencing references, that\n"
	"every referenced file is in the package, and what the content loads from the internet.\n"
	"It names the SCORM edition it detected. A bare imsmanifest.xml gets every check but\n"
	"the file checks.\n"
	"\n"
	"Levels, one rule for every check:\n"
	"  error      an LMS will refuse the package or the content cannot work: not a zip,\n"
	"             no manifest at the root, malformed XML, a launch page missing, a broken\n"
	"             reference, a hostile archive.\n"
	"  warning    a spec violation real LMSs tolerate ends with the requirement ADL's test\n"
	"             suite applies, e.g. '[ADL XSD xs:ID]': --strict makes those errors. Other\n"
	"             warnings are risks (files the manifest does not list, remote assets).\n"
	"'postcard validate --list-checks' prints every check id with its level.\n"
	"'postcard import' refuses only errors.\n"
	"\n"
	"options:\n"
	"  --strict              ADL-conformance warnings are errors (to pass ADL's test suite)\n"
	"  --lms PROFILE         add what this LMS is known to require or mishandle, as warnings:\n"
	"                        learning-hub (SCORM 1.2 only, comments not kept, ...), moodle\n"
	"                        (2004 interactions not in its reports, completion and grading\n"
	"                        defaults, ...), scorm-cloud, generic (nothing)\n"
	"  --format text|json    gcc-style lines (default) or one JSON document\n"
	"  --show-source         under each finding, quote the line with a caret\n"
	"  --list-checks         print every check id, its level and what it checks, then exit\n"
	"  --max-entries N       files in the zip                      (default 50000)\n"
	"  --max-total SIZE      sum of uncompressed sizes             (default 2G)\n"
	"  --max-entry SIZE      uncompressed size of one file         (default 1G)\n"
	"  --max-ratio N         uncompressed/compressed for files over 1 MiB (default 200)\n"
	"  --max-manifest SIZE   size of imsmanifest.xml               (default 16M)\n"
	"  SIZE takes a K, M or G suffix (powers of 1024).\n"
	"\n"
	"output: one line per finding, 'FILE:LINE:COL: error|warning|note: MESSAGE', sorted by\n"
	"place, then a summary line per package, e.g.\n"
	"  pkg.zip: SCORM 2004 4th Edition: 2 errors, 1 warning\n"
	"Findings in the manifest of a zip name 'imsmanifest.xml'; when several packages are\n"
	"checked in one run they name 'pkg.zip(imsmanifest.xml)'. Findings about the archive\n"
	"itself name the zip. --format json prints one document:\n"
	"  {\"packages\":[{\"package\",\"version\",\"status\":\"valid|invalid|unreadable\",\n"
	"    \"errors\",\"warnings\",\"findings\":[{\"file\",\"line\",\"column\",\"level\",\n"
	"    \"check\",\"message\"}]}]}\n"
	"where \"check\" is the stable id of the rule (--list-checks).\n"
	"\n"
	"Hostile archives are refused with an error: paths escaping the package (zip slip),\n"
	"symbolic links, encrypted entries, entries that inflate past their declared size or\n"
	"the limits above. The manifest is parsed without network access or entity expansion.\n"
	"\n"
	"exit status: 0 every package is valid (warnings allowed), 1 a package has errors,\n"
	"2 usage error or a package could not be read (no such file, not a zip, over a limit\n"
	"before any check could run).\n";

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || s[0] == '-')
		return -1;
	int shift = 0;
	if (*end == 'k' || *end == 'K')
		shift = 10, end++;
	else if (*end == 'm' || *end == 'M')
		shift = 20, end++;
	else if (*end == 'g' || *end == 'G')
		shift = 30, end++;
	if (*end || v == 0 || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

struct opts {
	int json;
	int show_source;
	int qualify; /* several packages: name the package in every finding */
	validate_options v;
	pkg_limits lim;
};

/* --list-checks: the check table, grouped by level. */
static void list_checks(void)
{
	static const validate_level order[] = {VL_ERROR, VL_CONFORMANCE, VL_WARNING, VL_NOTE};
	size_t n;
	const validate_check *t = validate_checks(&n);
	for (size_t k = 0; k < PC_ARRAY_LEN(order); k++) {
		printf("%s%s:\n", k ? "\n" : "",
		       order[k] == VL_ERROR	    ? "errors"
		       : order[k] == VL_CONFORMANCE ? "ADL-conformance warnings (errors with --strict)"
		       : order[k] == VL_WARNING	    ? "warnings"
						    : "notes");
		for (size_t i = 0; i < n; i++) {
			if (t[i].level != order[k])
				continue;
			printf("  %-26s %s", t[i].id, t[i].what);
			if (t[i].level12 != VL_SAME)
				printf(" (SCORM 1.2: %s)", validate_level_name(t[i].level12));
			if (t[i].req)
				printf(" [ADL %s]", t[i].req);
			putchar('\n');
		}
	}
}

/* The last package's parsed manifest is not freed: the process exits right after, and the
 * operating system takes the memory back at once (validate_options.keep_manifest says what
 * freeing costs). Kept reachable here, so leak checkers see it was not lost. */
static struct manifest *volatile left_for_exit; /* volatile: a store never read is dropped */

/* Validates one path. Appends its JSON object to `json` (when set) or prints text. Returns
 * the exit status for this package. `last`: no package follows (see left_for_exit). */
static int validate_one(const char *path, const struct opts *o, int last, buf *json)
{
	diag_sink *sink = NULL;
	pkg *p = NULL;
	validate_result res = {SCORM_UNKNOWN, scorm_version_name(SCORM_UNKNOWN), 0, 0, NULL};
	int status = EXIT_USAGE, rc;
	if (diag_sink_new(&sink) != 0) {
		cli_error("validate", "out of memory");
		return EXIT_USAGE;
	}
	rc = pkg_open(&p, path, &o->lim, sink);
	if (rc == 0 && o->qualify)
		rc = pkg_qualify_members(p);
	if (rc == 0) {
		validate_options v = o->v;
		v.keep_manifest = last;
		rc = validate_package_opts(p, &v, sink, &res);
		left_for_exit = res.manifest;
		if (rc == 0)
			status = res.errors ? EXIT_INVALID : EXIT_OK;
		else
			diag_line(sink, DIAG_ERROR, path, 0, 0, "internal", "validation stopped: %s",
				  pc_strerror(rc));
	}
	diag_sort(sink);
	size_t errors = diag_count_level(sink, DIAG_ERROR);
	size_t warnings = diag_count_level(sink, DIAG_WARNING);
	if (json) {
		buf_puts(json, "{\"package\":");
		buf_put_json_string(json, path);
		buf_puts(json, ",\"version\":");
		if (res.version == SCORM_UNKNOWN)
			buf_puts(json, "null");
		else
			buf_put_json_string(json, res.edition);
		buf_printf(json, ",\"status\":\"%s\",\"errors\":%zu,\"warnings\":%zu,\"findings\":",
			   status == EXIT_OK ? "valid" : status == EXIT_INVALID ? "invalid" : "unreadable",
			   errors, warnings);
		diag_render_json(sink, json);
		buf_putc(json, '}');
	} else {
		buf out = BUF_INIT;
		diag_render_text(sink, &out, o->show_source);
		if (status == EXIT_USAGE)
			buf_printf(&out, "%s: could not be checked\n", path);
		else
			buf_printf(&out, "%s: %s: %zu error%s, %zu warning%s\n", path,
				   res.edition, errors, errors == 1 ? "" : "s",
				   warnings, warnings == 1 ? "" : "s");
		fputs(buf_cstr(&out), stdout);
		buf_free(&out);
	}
	pkg_free(p);
	diag_sink_free(sink);
	return status;
}

int cmd_validate(int argc, char **argv)
{
	struct opts o;
	memset(&o, 0, sizeof o);
	pkg_limits_default(&o.lim);
	int first = 0, i;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--show-source") == 0) {
			o.show_source = 1;
			continue;
		}
		if (strcmp(a, "--strict") == 0) {
			o.v.strict = 1;
			continue;
		}
		if (strcmp(a, "--list-checks") == 0) {
			list_checks();
			return EXIT_OK;
		}
		if (i + 1 >= argc) {
			cli_error("validate", "%s needs a value (see 'postcard help validate')", a);
			return EXIT_USAGE;
		}
		const char *v = argv[++i];
		uint64_t n;
		if (strcmp(a, "--format") == 0) {
			if (strcmp(v, "json") == 0)
				o.json = 1;
			else if (strcmp(v, "text") != 0) {
				cli_error("validate", "--format must be text or json, not '%s'", v);
				return EXIT_USAGE;
			}
			continue;
		}
		if (strcmp(a, "--lms") == 0) {
			if (validate_lms_parse(v, &o.v.lms) != 0) {
				cli_error("validate",
					  "--lms takes learning-hub, moodle, scorm-cloud or generic, not '%s'",
					  v);
				return EXIT_USAGE;
			}
			continue;
		}
		if (parse_size(v, &n) != 0) {
			cli_error("validate", "%s: '%s' is not a positive size", a, v);
			return EXIT_USAGE;
		}
		if (strcmp(a, "--max-entries") == 0)
			o.lim.max_entries = (size_t)n;
		else if (strcmp(a, "--max-total") == 0)
			o.lim.max_total = n;
		else if (strcmp(a, "--max-entry") == 0)
			o.lim.max_entry = n;
		else if (strcmp(a, "--max-ratio") == 0 && n <= UINT32_MAX)
			o.lim.max_ratio = (uint32_t)n;
		else if (strcmp(a, "--max-manifest") == 0)
			o.lim.max_manifest = (size_t)n;
		else {
			cli_error("validate", "unknown option '%s' (see 'postcard help validate')", a);
			return EXIT_USAGE;
		}
	}
	first = i;
	if (first >= argc) {
		cli_error("validate", "no package given (see 'postcard help validate')");
		return EXIT_USAGE;
	}
	o.qualify = argc - first > 1;
	cli_heap_tune();
	int worst = EXIT_OK;
	buf json = BUF_INIT;
	if (o.json)
		buf_puts(&json, "{\"packages\":[");
	for (i = first; i < argc; i++) {
		if (o.json && i > first)
			buf_putc(&json, ',');
		int st = validate_one(argv[i], &o, i == argc - 1, o.json ? &json : NULL);
		if (st > worst)
			worst = st;
	}
	if (o.json) {
		buf_puts(&json, "]}\n");
		if (buf_error(&json)) {
			cli_error("validate", "out of memory");
			worst = EXIT_USAGE;
		} else {
			fputs(buf_cstr(&json), stdout);
		}
		buf_free(&json);
	}
	return worst;
}
