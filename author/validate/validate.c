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

#include "check.h"
#include "schemaset.h"

void vreport(vctx *c, diag_level level, const void *node, const char *check, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	manifest_report(c->m, c->sink, level, node, check, "%s", msg);
	if (level != DIAG_ERROR || !node)
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

/* Copies the schema's findings into the run's sink, leaving out those on a node a code check
 * already reported an error on: the code check's message says the same thing more plainly
 * (libxml2 does not know SCORM). */
static void merge_schema(vctx *c, const diag_sink *schema)
{
	if (c->nflagged)
		qsort(c->flagged, c->nflagged, sizeof *c->flagged, cmp_u64);
	for (size_t i = 0; i < diag_count(schema); i++) {
		const diag *d = diag_get(schema, i);
		uint64_t key = (uint64_t)d->line << 32 | d->col;
		if (d->line && d->col && c->nflagged &&
		    bsearch(&key, c->flagged, c->nflagged, sizeof key, cmp_u64))
			continue;
		size_t off;
		if (d->line && d->col && manifest_offset(c->m, d->line, d->col, &off))
			diag_at(c->sink, d->level, manifest_src(c->m), off, d->check, "%s", d->message);
		else
			diag_line(c->sink, d->level, d->file, d->line, d->col, d->check, "%s",
				  d->message);
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
}

/* <schemaversion> values and the edition they name. "CAM 1.3" is 2004 2nd Edition, which the
 * 4th-edition ADL validator still accepts (with a warning): it is checked as 3rd. */
static const struct {
	const char *text;
	scorm_version v;
} versions[] = {
	{"1.2", SCORM_12},
	{"2004 3rd Edition", SCORM_2004_3RD},
	{"2004 4th Edition", SCORM_2004_4TH},
	{"CAM 1.3", SCORM_2004_3RD},
};

static const char *declared_schemaversion(vctx *c, const char *cp)
{
	xmlNode *md = mf_child(c->root, cp, "metadata", NULL);
	xmlNode *sv = md ? mf_child(md, cp, "schemaversion", NULL) : NULL;
	return sv ? vtrim(c, mf_text(c->m, sv)) : NULL;
}

/* Elements or attributes only 4th Edition has: used to guess when <schemaversion> is unusable. */
static int uses_4th_features(const xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *ns = mf_ns(n);
		if (ns && strcmp(ns, NS_ADLCP13) == 0 &&
		    (strcmp((const char *)n->name, "data") == 0 ||
		     (strcmp((const char *)n->name, "completionThreshold") == 0 && n->properties)))
			return 1;
		if (ns && strcmp(ns, NS_ADLSEQ) == 0 && strcmp((const char *)n->name, "objectives") == 0)
			return 1;
		if (mf_attr_node(n, NS_ADLCP13, "sharedDataGlobalToSystem"))
			return 1;
		if (uses_4th_features(n->children))
			return 1;
	}
	return 0;
}

/* H: which edition is this? The root's namespace says 1.2 or 2004; <schemaversion> says which
 * 2004 edition. Disagreements are reported; the result is the best guess for the checks. */
static void detect_version(vctx *c)
{
	const char *ns = mf_ns(c->root);
	int ns12 = ns && strcmp(ns, NS_CP12) == 0, ns2004 = ns && strcmp(ns, NS_CP2004) == 0;
	const char *sv = declared_schemaversion(c, ns12 ? NS_CP12 : NS_CP2004);
	scorm_version by_sv = SCORM_UNKNOWN;
	for (size_t i = 0; sv && i < PC_ARRAY_LEN(versions); i++)
		if (strcmp(sv, versions[i].text) == 0)
			by_sv = versions[i].v;
	if (ns12) {
		c->v = SCORM_12;
		if (by_sv != SCORM_UNKNOWN && by_sv != SCORM_12)
			vreport(c, DIAG_ERROR, c->root, "version",
				"the manifest uses the SCORM 1.2 namespace but declares schemaversion "
				"'%s'",
				sv);
	} else if (ns2004) {
		if (by_sv == SCORM_12) {
			vreport(c, DIAG_ERROR, c->root, "version",
				"schemaversion '1.2' needs the SCORM 1.2 namespace '%s', not '%s'",
				NS_CP12, NS_CP2004);
			c->v = SCORM_12;
		} else if (by_sv != SCORM_UNKNOWN) {
			c->v = by_sv;
		} else {
			c->v = uses_4th_features(c->root) ? SCORM_2004_4TH : SCORM_2004_3RD;
		}
	}
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
	return pkg_verify(t->c->p, t->sink);
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

/* Copies the verify task's findings (about the archive: no source to quote). */
static void merge_plain(diag_sink *into, const diag_sink *from)
{
	for (size_t i = 0; i < diag_count(from); i++) {
		const diag *d = diag_get(from, i);
		diag_line(into, d->level, d->file, d->line, d->col, d->check, "%s", d->message);
	}
}

int validate_package(pkg *p, diag_sink *sink, validate_result *result)
{
	vctx c = {0};
	diag_sink *schema = NULL, *verified = NULL;
	struct task vt = {0}, st = {0}, pt = {0};
	char *text = NULL;
	size_t len = 0;
	int rc = 0, vrc = 0;
	c.p = p;
	c.sink = sink;
	c.files = pkg_get_kind(p) != PKG_MANIFEST;
	result->version = SCORM_UNKNOWN;
	rc = read_manifest(&c, &text, &len);
	/* the archive's data is checked while the manifest is parsed and checked: from here on
	 * this thread only looks names up (the index is built first, so lookups only read) */
	if (c.files && pkg_get_kind(p) == PKG_ZIP && rc != PC_ENOMEM && diag_sink_new(&verified) == 0) {
		pkg_has(p, "imsmanifest.xml");
		vt = (struct task){0, 0, verify_task, &c, verified, 0};
		task_start(&vt);
	}
	if (rc) {
		rc = rc == PC_ENOMEM ? rc : 0; /* a missing or unreadable manifest is a finding */
		goto verify;
	}
	c.guess = sniff_version(text, len);
	if (c.guess != SCORM_UNKNOWN) {
		pt = (struct task){0, 0, prepare_task, &c, NULL, 0};
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
		vreport(&c, DIAG_ERROR, c.root, "root-element",
			"the root element must be <manifest> in the namespace '%s' (SCORM 1.2) or "
			"'%s' (SCORM 2004), not <%s>%s%s",
			NS_CP12, NS_CP2004, (const char *)c.root->name,
			mf_ns(c.root) ? " in " : " without a namespace",
			mf_ns(c.root) ? mf_ns(c.root) : "");
		goto verify;
	}
	detect_version(&c);
	result->version = c.v;
	rc = diag_sink_new(&schema);
	if (rc)
		goto verify;
	/* the schema validation runs beside the checks (findings are placed under the
	 * manifest's lock) */
	st = (struct task){0, 0, schema_task, &c, schema, 0};
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
	} else if (rc == 0 && c.files) {
		rc = pkg_verify(p, sink);
	}
	vctx_free(&c);
	diag_sink_free(schema);
	if (rc == 0 && c.oom)
		rc = PC_ENOMEM;
	manifest_free(c.m);
	free(text);
	result->errors = diag_count_level(sink, DIAG_ERROR);
	result->warnings = diag_count_level(sink, DIAG_WARNING);
	return rc;
}
