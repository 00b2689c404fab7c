/* validate_package (see validate.h): reads the manifest, detects the SCORM edition, runs the
 * schema and every check group of check.h, then verifies the archive's data. Each group lives
 * in its own check_<group>.c; this file holds the run order, version detection and the
 * shared report/keep helpers. */
#include "validate.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

#include "check.h"
#include "schemaset.h"

void vreport(vctx *c, const void *node, const char *check, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const validate_check *chk = validate_check_find(check);
	diag_level level = chk ? validate_check_level(chk, c->v, c->strict) : DIAG_ERROR;
	if (chk && chk->req && validate_check_class(chk, c->v) == VL_CONFORMANCE)
		manifest_report(c->m, c->sink, level, node, check, "%s [ADL %s]", msg, chk->req);
	else
		manifest_report(c->m, c->sink, level, node, check, "%s", msg);
	if (!node)
		return;
	/* remembered so the schema's finding on the same node is not printed twice */
	unsigned line, col;
	manifest_locate(c->m, node, &line, &col);
	if (!line || !col)
		return;
	if (c->nflagged == c->capflagged) {
		size_t cap = c->capflagged ? c->capflagged * 2 : 64;
		uint64_t *f = realloc(c->flagged, cap * sizeof *f);
		if (!f) {
			c->oom = 1;
			return;
		}
		c->flagged = f;
		c->capflagged = cap;
	}
	c->flagged[c->nflagged++] = (uint64_t)line << 32 | col;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Copies the schema's findings into the run's sink at the schema check's level, leaving out
 * those on a node a code check already reported on (its message says the same thing more
 * plainly: libxml2 does not know SCORM) and those about xs:ID and xs:IDREF values, which the
 * identifier checks cover for every such attribute (one cause, one finding). */
static void merge_schema(vctx *c, const diag_sink *schema)
{
	const validate_check *chk = validate_check_find("schema");
	diag_level level = validate_check_level(chk, c->v, c->strict);
	if (c->nflagged)
		qsort(c->flagged, c->nflagged, sizeof *c->flagged, cmp_u64);
	for (size_t i = 0; i < diag_count(schema); i++) {
		const diag *d = diag_get(schema, i);
		uint64_t key = (uint64_t)d->line << 32 | d->col;
		if (d->line && d->col && c->nflagged &&
		    bsearch(&key, c->flagged, c->nflagged, sizeof key, cmp_u64))
			continue;
		if (strstr(d->message, "of the atomic type 'xs:ID'") ||
		    strstr(d->message, "of the atomic type 'xs:IDREF'"))
			continue;
		diag_level l = d->level == DIAG_ERROR ? level : d->level;
		size_t off;
		if (d->line && d->col && manifest_offset(c->m, d->line, d->col, &off))
			diag_at(c->sink, l, manifest_src(c->m), off, d->check, "%s [ADL %s]",
				d->message, chk->req);
		else
			diag_line(c->sink, l, d->file, d->line, d->col, d->check, "%s [ADL %s]",
				  d->message, chk->req);
	}
}

const char *vkeep(vctx *c, char *s)
{
	if (!s) {
		c->oom = 1;
		return NULL;
	}
	if (c->nowned == c->capowned) {
		size_t cap = c->capowned ? c->capowned * 2 : 64;
		char **p = realloc(c->owned, cap * sizeof *p);
		if (!p) {
			free(s);
			c->oom = 1;
			return NULL;
		}
		c->owned = p;
		c->capowned = cap;
	}
	c->owned[c->nowned++] = s;
	return s;
}

static void vctx_free(vctx *c)
{
	strmap *maps[] = {&c->ids,  &c->resources, &c->submanifests, &c->referenced,
			  &c->launched, &c->seq_ids, &c->used, &c->fold};
	for (size_t i = 0; i < PC_ARRAY_LEN(maps); i++) {
		c->oom |= maps[i]->oom;
		strmap_free(maps[i]);
	}
	for (size_t i = 0; i < c->nowned; i++)
		free(c->owned[i]);
	free(c->owned);
	free(c->flagged);
	free(c->sl);
}

/* H: which edition is this (mf_edition)? Disagreements between the namespace and
 * <schemaversion> are reported; the result is the best guess for the checks. */
static void detect_version(vctx *c)
{
	mf_edition_info ed;
	mf_edition(c->root, &ed);
	if (ed.version == SCORM_12 && ed.declared != SCORM_UNKNOWN && ed.declared != SCORM_12)
		vreport(c, c->root, "version",
			"the manifest uses the SCORM 1.2 namespace but its schemaversion names %s",
			scorm_version_name(ed.declared));
	else if (ed.version == SCORM_12 && strcmp(mf_ns(c->root), NS_CP2004) == 0)
		vreport(c, c->root, "version",
			"schemaversion '1.2' needs the SCORM 1.2 namespace '%s', not '%s'", NS_CP12,
			NS_CP2004);
	c->v = ed.version;
	c->second_edition = ed.second;
	c->is2004 = c->v == SCORM_2004_3RD || c->v == SCORM_2004_4TH;
	c->cp = c->v == SCORM_12 ? NS_CP12 : NS_CP2004;
	c->adlcp = c->v == SCORM_12 ? NS_ADLCP12 : NS_ADLCP13;
}

/* A helpful hint when the manifest is not where it must be. */
static void report_missing_manifest(vctx *c)
{
	const char *elsewhere = NULL;
	for (size_t i = 0; i < pkg_count(c->p) && !elsewhere; i++) {
		const char *n = pkg_name(c->p, i);
		const char *slash = strrchr(n, '/');
		const char *base = slash ? slash + 1 : n;
		if (strcasecmp(base, "imsmanifest.xml") == 0)
			elsewhere = n;
	}
	if (elsewhere)
		diag_line(c->sink, DIAG_ERROR, pkg_display_name(c->p), 0, 0, "manifest-missing",
			  "no imsmanifest.xml at the package root (found '%s': the manifest must "
			  "be at the root, named exactly imsmanifest.xml)",
			  elsewhere);
	else
		diag_line(c->sink, DIAG_ERROR, pkg_display_name(c->p), 0, 0, "manifest-missing",
			  "no imsmanifest.xml at the package root: this is not a SCORM package");
}

static int read_manifest(vctx *c, char **text, size_t *len)
{
	*text = NULL;
	if (!pkg_has(c->p, "imsmanifest.xml")) {
		report_missing_manifest(c);
		return PC_ENOTFOUND;
	}
	size_t limit = pkg_get_limits(c->p)->max_manifest;
	for (size_t i = 0; i < pkg_count(c->p); i++)
		if (strcmp(pkg_name(c->p, i), "imsmanifest.xml") == 0 &&
		    pkg_size(c->p, i) > limit) {
			diag_line(c->sink, DIAG_ERROR, pkg_manifest_display(c->p), 0, 0, "limit",
				  "the manifest is %llu bytes, over the limit of %zu (--max-manifest)",
				  (unsigned long long)pkg_size(c->p, i), limit);
			return PC_ELIMIT;
		}
	int rc = pkg_read_report(c->p, "imsmanifest.xml", text, len, c->sink);
	if (rc && rc != PC_ENOMEM && diag_count_level(c->sink, DIAG_ERROR) == 0)
		diag_line(c->sink, DIAG_ERROR, pkg_manifest_display(c->p), 0, 0, "open",
			  "cannot read the manifest: %s", pc_strerror(rc));
	return rc;
}

/* Schema validation against the project's embedded XSDs. A document with entity references
 * is not handed over (libxml2's validator cannot walk them; the entities were reported). */
static int run_schema(vctx *c, diag_sink *into)
{
	if (manifest_has_entities(c->m) || c->v == SCORM_UNKNOWN)
		return 0;
	int rc = schemaset_validate(c->v, manifest_doc(c->m), manifest_file(c->m), into,
				    manifest_locate, c->m);
	if (rc == PC_ENOMEM)
		return rc;
	if (rc && diag_count(into) == 0)
		diag_line(into, DIAG_ERROR, manifest_file(c->m), 0, 0, "schema",
			  "schema validation could not run: %s", pc_strerror(rc));
	return 0;
}

/* Work that can run beside the checks: the zip's data verification and the schema
 * validation only read what the checks read (the package index, the document) and each writes
 * its findings to a sink of its own. When a thread cannot be started the work runs inline. */
struct task {
	pthread_t thread;
	int started;
	int (*fn)(struct task *);
	vctx *c;
	diag_sink *sink; /* the task's own findings */
	int rc;
	content_scan_ctx *cs; /* the verification's content scan */
};

static void *task_main(void *arg)
{
	struct task *t = arg;
	t->rc = t->fn(t);
	return NULL;
}

static void task_start(struct task *t)
{
	if (pthread_create(&t->thread, NULL, task_main, t) == 0)
		t->started = 1;
	else
		t->rc = t->fn(t);
}

static int task_join(struct task *t)
{
	if (t->started)
		pthread_join(t->thread, NULL);
	t->started = 0;
	return t->rc;
}

static int verify_task(struct task *t)
{
	pkg_visitor v;
	content_visitor(t->cs, &v);
	return pkg_verify_visit(t->c->p, t->sink, &v);
}

static int schema_task(struct task *t)
{
	return run_schema(t->c, t->sink);
}

static int contains(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	const char *end = s + n;
	for (const char *p = s; (size_t)(end - p) >= k; p++) {
		p = memchr(p, needle[0], (size_t)(end - p) - k + 1);
		if (!p)
			return 0;
		if (memcmp(p, needle, k) == 0)
			return 1;
	}
	return 0;
}

/* The edition the manifest most likely is, from the namespaces and <schemaversion> near its
 * start: its schemas are compiled while the manifest is parsed (a sixth of a large
 * validation's critical path otherwise). Only a guess: detect_version decides, and a wrong
 * guess costs a compilation, never a result. */
static scorm_version sniff_version(const char *text, size_t len)
{
	size_t n = len < 65536 ? len : 65536;
	if (contains(text, n, "imscp_rootv1p1p2"))
		return SCORM_12;
	if (contains(text, n, "2004 4th Edition"))
		return SCORM_2004_4TH;
	if (contains(text, n, "2004 3rd Edition") || contains(text, n, "CAM 1.3"))
		return SCORM_2004_3RD;
	return SCORM_UNKNOWN;
}

static int prepare_task(struct task *t)
{
	schemaset_prepare(t->c->guess);
	return 0;
}

/* Copies the verify task's findings (the archive's, and the content scan's). */
static void merge_plain(diag_sink *into, const diag_sink *from)
{
	for (size_t i = 0; i < diag_count(from); i++)
		diag_copy(into, diag_get(from, i));
}

int validate_package(pkg *p, diag_sink *sink, validate_result *result)
{
	return validate_package_opts(p, NULL, sink, result);
}

int validate_package_opts(pkg *p, const validate_options *opt, diag_sink *sink,
			  validate_result *result)
{
	PC_ASSERT(p != NULL && sink != NULL && result != NULL);
	vctx c = {0};
	diag_sink *schema = NULL, *verified = NULL;
	struct task vt = {0}, st = {0}, pt = {0};
	content_scan_ctx cs;
	char *text = NULL;
	size_t len = 0;
	int rc = 0, vrc = 0;
	/* libxml2 initialises its globals (mutexes, dictionaries) on first use unless told first;
	 * the schema compilation and the manifest parse below may be that first use on two threads
	 * at once, which leaks a mutex (LeakSanitizer saw it) or worse. Its documentation asks for
	 * this call before threads use it; later calls return at once. */
	xmlInitParser();
	c.p = p;
	c.sink = sink;
	c.files = pkg_get_kind(p) != PKG_MANIFEST;
	c.strict = opt && opt->strict;
	c.lms = opt ? opt->lms : VALIDATE_LMS_NONE;
	memset(&cs, 0, sizeof cs);
	cs.p = p;
	result->version = SCORM_UNKNOWN;
	result->edition = scorm_version_name(SCORM_UNKNOWN);
	result->manifest = NULL;
	rc = read_manifest(&c, &text, &len);
	/* the archive's data is checked, and the content scanned, while the manifest is parsed
	 * and checked: from here on this thread only looks names up (the index is built first,
	 * so lookups only read) */
	if (c.files && rc != PC_ENOMEM && diag_sink_new(&verified) == 0) {
		pkg_has(p, "imsmanifest.xml");
		cs.sink = verified;
		vt = (struct task){0, 0, verify_task, &c, verified, 0, &cs};
		task_start(&vt);
	}
	if (rc) {
		rc = rc == PC_ENOMEM ? rc : 0; /* a missing or unreadable manifest is a finding */
		goto verify;
	}
	c.guess = sniff_version(text, len);
	if (c.guess != SCORM_UNKNOWN) {
		pt = (struct task){0, 0, prepare_task, &c, NULL, 0, NULL};
		task_start(&pt);
	}
	rc = manifest_parse(&c.m, pkg_manifest_display(p), text, len, sink);
	free(text);
	text = NULL;
	if (rc) {
		rc = rc == PC_ENOMEM ? rc : 0;
		goto verify;
	}
	c.root = manifest_root(c.m);
	if (!mf_is(c.root, NS_CP12, "manifest") && !mf_is(c.root, NS_CP2004, "manifest")) {
		vreport(&c, c.root, "root-element",
			"the root element must be <manifest> in the namespace '%s' (SCORM 1.2) or "
			"'%s' (SCORM 2004), not <%s>%s%s",
			NS_CP12, NS_CP2004, (const char *)c.root->name,
			mf_ns(c.root) ? " in " : " without a namespace",
			mf_ns(c.root) ? mf_ns(c.root) : "");
		goto verify;
	}
	detect_version(&c);
	result->version = c.v;
	result->edition = mf_edition_name(c.v, c.second_edition);
	rc = diag_sink_new(&schema);
	if (rc)
		goto verify;
	/* the schema validation runs beside the checks (findings are placed under the
	 * manifest's lock) */
	st = (struct task){0, 0, schema_task, &c, schema, 0, NULL};
	task_start(&st);
	check_structure(&c);
	check_ids(&c);
	check_items(&c);
	check_resources(&c);
	if (c.is2004)
		check_sequencing(&c);
	if (c.files)
		check_files(&c);
	else
		diag_line(sink, DIAG_NOTE, pkg_manifest_display(p), 0, 0, "files-skipped",
			  "a bare manifest has no files: file checks were skipped");
	rc = task_join(&st);
	if (rc == 0)
		merge_schema(&c, schema);
verify:
	task_join(&st);
	task_join(&pt);
	if (verified) {
		vrc = task_join(&vt);
		merge_plain(sink, verified);
		diag_sink_free(verified);
		if (rc == 0)
			rc = vrc;
		check_content_summary(&c, &cs);
	} else if (rc == 0 && c.files) {
		rc = pkg_verify(p, sink);
	}
	if (rc == 0 && c.m && c.v != SCORM_UNKNOWN)
		check_lms(&c, verified ? &cs : NULL);
	vctx_free(&c);
	diag_sink_free(schema);
	if (rc == 0 && c.oom)
		rc = PC_ENOMEM;
	if (opt && opt->keep_manifest)
		result->manifest = c.m; /* now the caller's */
	else
		manifest_free(c.m);
	free(text);
	result->errors = diag_count_level(sink, DIAG_ERROR);
	result->warnings = diag_count_level(sink, DIAG_WARNING);
	return rc;
}
