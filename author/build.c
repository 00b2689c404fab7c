/* `postcard build` as a library: finds the modules and courses the paths name, reads them once
 * (author/source/), lays out each package (manifest first, the schemas the manifest names at the root,
 * shared assets, one folder per SCO in a course), validates it in memory with the package
 * validator, zips it reproducibly (zipwrite.c) and only then writes it, through a temporary file
 * renamed into place, so a package that fails is never written, not even partly. */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "embed.h"
#include "manifest_write.h"
#include "model.h"
#include "page.h"
#include "pkg.h"
#include "postcard_page.h"
#include "schemaset.h"
#include "validate.h"
#include "zipwrite.h"

EMBED_DECLARE(package_web);

/* ---------- options ---------- */

/* What each --lms profile changes in the package; the player switches the rest by the name it
 * finds in its data (author/render/web/postcard.js, PROFILES). docs/lms/ says why. */
static const struct lms_profile {
	const char *name;
	int only_12;          /* other editions are refused (the LMS plays SCORM 1.2 only) */
	int mastery;          /* SCORM 1.2 adlcp:masteryscore = the pass mark */
	int sequencing;       /* SCORM 2004 imsss:sequencing */
	size_t suspend_extra; /* resume-state characters the player adds in a module with a quiz
				 (its own count of interactions, "." + 2 digits) */
} lms_profiles[] = {
	[LMS_GENERIC] = {"generic", 0, 1, 1, 0},
	/* Moodle ignores 2004 sequencing, and a mastery score would turn the "completed" the player
	 * reports back into passed/failed when the session ends. */
	[LMS_MOODLE] = {"moodle", 0, 0, 0, 0},
	/* The Hub plays 1.2 only and shows a score only with a mastery score. */
	[LMS_LEARNING_HUB] = {"learning-hub", 1, 1, 1, 3},
};

/* Other names for profiles: SCORM Cloud follows the standard, so its packages are generic. */
static const struct {
	const char *name;
	build_lms lms;
} lms_aliases[] = {{"scorm-cloud", LMS_GENERIC}};

const char *build_lms_name(build_lms lms)
{
	return lms_profiles[lms].name;
}

int build_lms_parse(const char *name, build_lms *out)
{
	for (size_t i = 0; i < PC_ARRAY_LEN(lms_profiles); i++)
		if (strcmp(name, lms_profiles[i].name) == 0) {
			*out = (build_lms)i;
			return 0;
		}
	for (size_t i = 0; i < PC_ARRAY_LEN(lms_aliases); i++)
		if (strcmp(name, lms_aliases[i].name) == 0) {
			*out = lms_aliases[i].lms;
			return 0;
		}
	return PC_EINVAL;
}

/* The longest resume state of module `m` in this build's profile. */
static size_t module_budget(const build_options *o, const module *m)
{
	return m->budget + (m->has_quiz ? lms_profiles[o->lms].suspend_extra : 0);
}

static const struct {
	const char *name;
	scorm_version v;
	const char *suffix; /* in package file names */
} editions[] = {
	{"1.2", SCORM_12, "scorm12"},
	{"2004-3rd", SCORM_2004_3RD, "scorm2004-3rd"},
	{"2004-4th", SCORM_2004_4TH, "scorm2004-4th"},
};

int build_scorm_parse(const char *name, scorm_version *out)
{
	for (size_t i = 0; i < PC_ARRAY_LEN(editions); i++)
		if (strcmp(name, editions[i].name) == 0) {
			*out = editions[i].v;
			return 0;
		}
	return PC_EINVAL;
}

const char *build_scorm_name(scorm_version v)
{
	for (size_t i = 0; i < PC_ARRAY_LEN(editions); i++)
		if (editions[i].v == v)
			return editions[i].name;
	return "1.2";
}

static const char *edition_suffix(scorm_version v)
{
	for (size_t i = 0; i < PC_ARRAY_LEN(editions); i++)
		if (editions[i].v == v)
			return editions[i].suffix;
	return "scorm12";
}

void build_options_default(build_options *o)
{
	memset(o, 0, sizeof *o);
	o->version = SCORM_12;
	o->lms = LMS_GENERIC;
	o->out_dir = ".";
	o->epoch = BUILD_DEFAULT_EPOCH;
}

int build_parse_epoch(const char *value, int64_t *epoch)
{
	if (!value || !*value || strlen(value) > 18)
		return PC_EINVAL;
	int64_t v = 0;
	for (const char *p = value; *p; p++) {
		if (*p < '0' || *p > '9')
			return PC_EINVAL;
		v = v * 10 + (*p - '0');
	}
	*epoch = v;
	return 0;
}

/* SCORM 1.2 suspend_data holds 4096 characters; 2004 holds 64000 (RTE data model SPMs). */
static size_t suspend_limit(scorm_version v)
{
	return v == SCORM_12 ? 4096 : 64000;
}

/* ---------- the package's web files ---------- */

typedef struct webset {
	struct embed_file *files; /* sorted by path */
	size_t n;
	int owned; /* data read from web_dir: free it */
} webset;

static void webset_free(webset *w)
{
	if (w->owned)
		for (size_t i = 0; i < w->n; i++) {
			free((char *)w->files[i].path);
			free((unsigned char *)w->files[i].data);
		}
	free(w->files);
	memset(w, 0, sizeof *w);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct embed_file *)a)->path, ((const struct embed_file *)b)->path);
}

static int webset_load(webset *w, const char *web_dir, diag_sink *sink)
{
	memset(w, 0, sizeof *w);
	if (!web_dir) {
		w->files = calloc(package_web_count + 1, sizeof *w->files);
		if (!w->files)
			return PC_ENOMEM;
		memcpy(w->files, package_web, package_web_count * sizeof *w->files);
		w->n = package_web_count;
		return 0;
	}
	w->owned = 1;
	DIR *d = opendir(web_dir);
	if (!d) {
		diag_line(sink, DIAG_ERROR, web_dir, 0, 0, "web-dir", "cannot open the folder: %s",
			  strerror(errno));
		return PC_EIO;
	}
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "README.md") == 0)
			continue;
		char *path = path_join(web_dir, de->d_name), *data = NULL;
		size_t len = 0;
		if (!path) {
			rc = PC_ENOMEM;
			break;
		}
		int frc = file_read_all(path, SRC_MAX_MEDIA, &data, &len);
		free(path);
		if (frc == PC_ENOMEM) {
			rc = frc;
			break;
		}
		if (frc != 0)
			continue; /* not a regular file */
		struct embed_file *p = realloc(w->files, (w->n + 1) * sizeof *p);
		char *name = strdup(de->d_name);
		if (!p || !name) {
			free(name);
			free(data);
			if (p)
				w->files = p;
			rc = PC_ENOMEM;
			break;
		}
		w->files = p;
		w->files[w->n++] = (struct embed_file){name, (unsigned char *)data, len};
	}
	closedir(d);
	if (w->n)
		qsort(w->files, w->n, sizeof *w->files, by_path);
	return rc;
}

/* ---------- package assembly ---------- */

typedef struct pfile {
	char *name;
	const unsigned char *data;
	size_t len;
	unsigned char *owned; /* freed with the list, or NULL when borrowed */
} pfile;

typedef struct pfiles {
	pfile *f;
	size_t n;
	int oom;
} pfiles;

static void pfiles_add(pfiles *l, const char *prefix, const char *name, const void *data,
		       size_t len, void *owned)
{
	pfile *p = realloc(l->f, (l->n + 1) * sizeof *p);
	char *full = malloc(strlen(prefix) + strlen(name) + 1);
	if (!p || !full) {
		free(full);
		free(owned);
		if (p)
			l->f = p;
		l->oom = 1;
		return;
	}
	strcpy(full, prefix);
	strcat(full, name);
	l->f = p;
	l->f[l->n++] = (pfile){full, data, len, owned};
}

static void pfiles_free(pfiles *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->f[i].name);
		free(l->f[i].owned);
	}
	free(l->f);
	memset(l, 0, sizeof *l);
}

static int pfile_cmp(const void *a, const void *b)
{
	const pfile *x = a, *y = b;
	/* the manifest first (ADL and some LMSs look for it at the start), then by name */
	int mx = strcmp(x->name, "imsmanifest.xml") == 0, my = strcmp(y->name, "imsmanifest.xml") == 0;
	if (mx != my)
		return my - mx;
	return strcmp(x->name, y->name);
}

/* Everything one build of one target needs. */
typedef struct job {
	const build_options *o;
	diag_sink *sink;
	webset web;
	const struct embed_file *tpl;
	zcache *zc; /* schemas and assets are the same in every package: deflate them once */
} job;

static int job_init(job *j, const build_options *o, diag_sink *sink)
{
	memset(j, 0, sizeof *j);
	j->o = o;
	j->sink = sink;
	int rc = zcache_new(&j->zc);
	if (rc != 0)
		return rc;
	rc = webset_load(&j->web, o->web_dir, sink);
	if (rc != 0)
		return rc;
	j->tpl = embed_find(j->web.files, j->web.n, "sco.html");
	const char *where = o->web_dir ? o->web_dir : "built-in author/render/web";
	if (!j->tpl) {
		diag_line(sink, DIAG_ERROR, where, 0, 0, "web-template",
			  "the package page template sco.html is missing");
		return PC_EIO;
	}
	const char *missing = NULL;
	if (page_check_template((const char *)j->tpl->data, j->tpl->size, &missing) != 0) {
		diag_line(sink, DIAG_ERROR, where, 0, 0, "web-template",
			  "sco.html must contain %s exactly once", missing);
		return PC_EIO;
	}
	return 0;
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds one SCO (page + media) under `base` ("" or "modules/ID/"). The SCO's own file names
 * (relative to base) are appended to *names for the manifest. */
static void add_sco(job *j, pfiles *files, const module *m, const char *base, const char *assets,
		    char ***names, size_t *nnames)
{
	buf page = BUF_INIT;
	page_render(m, build_scorm_name(j->o->version), build_lms_name(j->o->lms), module_budget(j->o, m),
		    assets, (const char *)j->tpl->data, j->tpl->size, &page);
	size_t len = 0;
	char *html = buf_detach(&page, &len);
	if (!html) {
		files->oom = 1;
		return;
	}
	pfiles_add(files, base, "index.html", html, len, html);
	*names = calloc(m->nmedia + 2, sizeof **names);
	if (!*names) {
		files->oom = 1;
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < m->nmedia; i++) {
		pfiles_add(files, base, m->media[i].path, m->media[i].data, m->media[i].len, NULL);
		(*names)[n++] = m->media[i].path;
	}
	if (m->postcard.present) { /* the printable postcard, beside the page */
		buf pc = BUF_INIT;
		postcard_html(m, &pc);
		size_t plen = 0;
		char *p = buf_detach(&pc, &plen);
		if (!p) {
			files->oom = 1;
			return;
		}
		pfiles_add(files, base, POSTCARD_FILE, p, plen, p);
		(*names)[n++] = POSTCARD_FILE;
	}
	/* the manifest lists a SCO's files in name order too */
	qsort(*names, n, sizeof **names, cmp_str_ptr);
	*nnames = n;
}

/* Validates the laid-out package in memory, then zips it. On validation errors nothing is
 * zipped and PC_EINVALID comes back with the findings in the sink. */
static int finish_package(job *j, pfiles *files, unsigned char **zip, size_t *zlen)
{
	int rc = 0;
	pkg *p = NULL;
	zipw *z = NULL;
	qsort(files->f, files->n, sizeof *files->f, pfile_cmp);
	for (size_t i = 1; i < files->n; i++)
		if (strcmp(files->f[i - 1].name, files->f[i].name) == 0) {
			diag_line(j->sink, DIAG_ERROR, files->f[i].name, 0, 0, "package-layout",
				  "two files would have the same name in the package");
			return PC_EINVALID;
		}
	if ((rc = pkg_new_memory(&p)) != 0)
		goto cleanup;
	for (size_t i = 0; i < files->n && !rc; i++)
		rc = pkg_add(p, files->f[i].name, files->f[i].data, files->f[i].len);
	if (rc)
		goto cleanup;
	validate_result vr;
	memset(&vr, 0, sizeof vr);
	/* strict: what Postcard writes must pass ADL's test suite, not only what LMSs tolerate */
	validate_options vo = {1, VALIDATE_LMS_NONE, 0};
	rc = validate_package_opts(p, &vo, j->sink, &vr);
	if (rc == 0 && vr.errors)
		rc = PC_EINVALID;
	if (rc)
		goto cleanup;
	if ((rc = zipw_new(&z, j->o->epoch, j->zc)) != 0)
		goto cleanup;
	for (size_t i = 0; i < files->n; i++)
		zipw_add(z, files->f[i].name, files->f[i].data, files->f[i].len);
	rc = zipw_finish(z, zip, zlen);
cleanup:
	zipw_free(z);
	pkg_free(p);
	return rc;
}

/* Writes the manifest into the file set (which then owns it) and finishes the package. */
static int finish_with_manifest(job *j, pfiles *files, const manifest_in *in, unsigned char **zip,
				size_t *zlen)
{
	buf mf = BUF_INIT;
	manifest_write(in, &mf);
	size_t mlen = 0;
	char *mtext = buf_detach(&mf, &mlen);
	if (!mtext)
		return PC_ENOMEM;
	pfiles_add(files, "", "imsmanifest.xml", mtext, mlen, mtext);
	return files->oom ? PC_ENOMEM : finish_package(j, files, zip, zlen);
}

static void add_common(job *j, pfiles *files, const char ***assets, size_t *nassets)
{
	size_t ns = 0;
	const struct embed_file *const *xsd = schemaset_files(j->o->version, &ns);
	for (size_t i = 0; i < ns; i++)
		pfiles_add(files, "", xsd[i]->path, xsd[i]->data, xsd[i]->size, NULL);
	*assets = calloc(j->web.n + 1, sizeof **assets);
	*nassets = 0;
	if (!*assets) {
		files->oom = 1;
		return;
	}
	for (size_t i = 0; i < j->web.n; i++) {
		const struct embed_file *f = &j->web.files[i];
		if (strcmp(f->path, "sco.html") == 0 || strcmp(f->path, "README.md") == 0)
			continue;
		pfiles_add(files, "assets/", f->path, f->data, f->size, NULL);
		if (!files->oom)
			(*assets)[(*nassets)++] = files->f[files->n - 1].name;
	}
}

static int check_budget(job *j, const module *m)
{
	size_t limit = suspend_limit(j->o->version);
	size_t budget = module_budget(j->o, m);
	if (budget <= limit)
		return 0;
	diag_src src = m->src; /* a copy: the module is const here; lines are rebuilt */
	src.lines = NULL;
	src.nlines = 0;
	diag_at(j->sink, DIAG_ERROR, &src, m->id_off, "suspend-budget",
		"the resume state of module '%s' can reach %zu characters, more than the %zu that %s keeps in suspend_data: lower fill-in maxlength, or split the module",
		m->id, budget, limit, scorm_version_name(j->o->version));
	diag_src_free(&src);
	return PC_EINVALID;
}

static char *package_name(const char *id, const char *version, scorm_version v)
{
	size_t n = strlen(id) + strlen(version) + 32;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s-%s-%s.zip", id, version, edition_suffix(v));
	return s;
}

static int build_module_pkg(job *j, const module *m, unsigned char **zip, size_t *len)
{
	pfiles files = {0};
	const char **assets = NULL;
	char **names = NULL;
	size_t nassets = 0, nnames = 0;
	int rc = check_budget(j, m);
	if (rc)
		return rc;
	add_common(j, &files, &assets, &nassets);
	add_sco(j, &files, m, "", "assets/", &names, &nnames);
	if (files.oom) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	char mid[96], oid[96];
	snprintf(mid, sizeof mid, "pc-%s-v%u", m->id, m->major);
	snprintf(oid, sizeof oid, "org-%s-v%u", m->id, m->major);
	manifest_sco sco = {m, "", NULL, NULL, (const char *const *)names, nnames};
	manifest_in in = {j->o->version, mid, oid, NULL, m->major, m->version, m->title,
			  &sco, 1, assets, nassets, !lms_profiles[j->o->lms].sequencing,
			  !lms_profiles[j->o->lms].mastery};
	rc = finish_with_manifest(j, &files, &in, zip, len);
cleanup:
	free(names);
	free(assets);
	pfiles_free(&files);
	return rc;
}

static int build_course_pkg(job *j, const course *c, unsigned char **zip, size_t *len)
{
	pfiles files = {0};
	const char **assets = NULL;
	size_t nassets = 0;
	manifest_sco *scos = calloc(c->nentries + 1, sizeof *scos);
	char **bases = calloc(c->nentries + 1, sizeof *bases);
	char ***names = calloc(c->nentries + 1, sizeof *names);
	int rc = 0;
	if (!scos || !bases || !names) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < c->nentries; i++)
		if (check_budget(j, c->entries[i].mod))
			rc = PC_EINVALID;
	if (rc)
		goto cleanup;
	add_common(j, &files, &assets, &nassets);
	for (size_t i = 0; i < c->nentries && !files.oom; i++) {
		const module *m = c->entries[i].mod;
		size_t n = strlen(m->id) + 16;
		bases[i] = malloc(n);
		if (!bases[i]) {
			files.oom = 1;
			break;
		}
		/* one folder per SCO; "modules/" keeps module ids clear of "assets" */
		snprintf(bases[i], n, "modules/%s/", m->id);
		size_t nn = 0;
		add_sco(j, &files, m, bases[i], "../../assets/", &names[i], &nn);
		scos[i] = (manifest_sco){m, bases[i], c->entries[i].group_id, c->entries[i].group_title,
					 (const char *const *)names[i], nn};
	}
	if (files.oom) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	char mid[96], oid[96], root[96];
	snprintf(mid, sizeof mid, "pc-course-%s-v%u", c->id, c->major);
	snprintf(oid, sizeof oid, "org-course-%s-v%u", c->id, c->major);
	snprintf(root, sizeof root, "course-%s-v%u", c->id, c->major);
	manifest_in in = {j->o->version, mid, oid, root, c->major, c->version, c->title,
			  scos, c->nentries, assets, nassets, !lms_profiles[j->o->lms].sequencing,
			  !lms_profiles[j->o->lms].mastery};
	rc = finish_with_manifest(j, &files, &in, zip, len);
cleanup:
	for (size_t i = 0; bases && names && i < c->nentries; i++) {
		free(bases[i]);
		free(names[i]);
	}
	free(bases);
	free(names);
	free(scos);
	free(assets);
	pfiles_free(&files);
	return rc;
}

/* ---------- targets ---------- */

typedef struct target {
	char *path;
	int is_course;
} target;

typedef struct targets {
	target *t;
	size_t n;
} targets;

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int targets_add(targets *ts, const char *path, int is_course)
{
	for (size_t i = 0; i < ts->n; i++)
		if (strcmp(ts->t[i].path, path) == 0)
			return 0;
	if (ts->n >= SRC_MAX_TARGETS)
		return PC_ELIMIT;
	target *p = realloc(ts->t, (ts->n + 1) * sizeof *p);
	char *s = strdup(path);
	if (!p || !s) {
		free(s);
		if (p)
			ts->t = p;
		return PC_ENOMEM;
	}
	ts->t = p;
	ts->t[ts->n++] = (target){s, is_course};
	return 0;
}

static void targets_free(targets *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		free(ts->t[i].path);
	free(ts->t);
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* A folder of modules: every sub-folder with a module.xml and every *.xml file, in name order
 * (never in the file system's order, which differs between machines). */
static int scan_folder(targets *ts, const char *dir, diag_sink *sink)
{
	DIR *d = opendir(dir);
	if (!d) {
		diag_line(sink, DIAG_ERROR, dir, 0, 0, "build-path", "cannot open the folder: %s",
			  strerror(errno));
		return PC_EINVALID;
	}
	char **names = NULL;
	size_t n = 0;
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char **p = realloc(names, (n + 1) * sizeof *p);
		char *s = strdup(de->d_name);
		if (!p || !s) {
			free(s);
			if (p)
				names = p;
			rc = PC_ENOMEM;
			break;
		}
		names = p;
		names[n++] = s;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_cstr);
	size_t before = ts->n;
	for (size_t i = 0; i < n && !rc; i++) {
		char *sub = path_join(dir, names[i]);
		char *mx = sub ? path_join(sub, "module.xml") : NULL;
		if (!mx)
			rc = PC_ENOMEM;
		else if (is_dir(sub) && is_file(mx))
			rc = targets_add(ts, sub, 0);
		else if (is_file(sub) && has_suffix(names[i], ".xml"))
			rc = targets_add(ts, sub, 1);
		free(mx);
		free(sub);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (!rc && ts->n == before) {
		diag_line(sink, DIAG_ERROR, dir, 0, 0, "build-path",
			  "no module (a folder with module.xml) or course (*.xml) here");
		rc = PC_EINVALID;
	}
	return rc;
}

static int find_targets(targets *ts, const char *path, diag_sink *sink)
{
	size_t l = strlen(path);
	char *p = strdup(path);
	if (!p)
		return PC_ENOMEM;
	while (l > 1 && p[l - 1] == '/')
		p[--l] = '\0';
	int rc = 0;
	char *mx = path_join(p, "module.xml");
	if (!mx)
		rc = PC_ENOMEM;
	else if (is_dir(p) && is_file(mx))
		rc = targets_add(ts, p, 0);
	else if (is_dir(p))
		rc = scan_folder(ts, p, sink);
	else if (is_file(p) && strcmp(p + (l >= 10 ? l - 10 : 0), "module.xml") == 0 &&
		 (l == 10 || p[l - 11] == '/')) {
		/* module.xml itself: build its folder */
		p[l > 10 ? l - 11 : 0] = '\0';
		rc = targets_add(ts, *p ? p : ".", 0);
	} else if (is_file(p))
		rc = targets_add(ts, p, 1);
	else {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "build-path", "no such file or folder");
		rc = PC_EINVALID;
	}
	if (rc == PC_ELIMIT) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "build-path",
			  "more than %d modules and courses in one build", SRC_MAX_TARGETS);
		rc = PC_EINVALID;
	}
	free(mx);
	free(p);
	return rc;
}

/* ---------- building ---------- */

/* --print: the module's postcard page as ID-postcard.html. A module without <postcard> or a course
 * gives nothing (*zip stays NULL) and a warning. */
static int print_target(job *j, source_set *set, const target *t, unsigned char **out,
			size_t *len, char **name)
{
	module *m = NULL;
	if (t->is_course) {
		diag_line(j->sink, DIAG_WARNING, t->path, 0, 0, "print",
			  "a course has no postcard of its own: print its module folders");
		return 0;
	}
	int rc = source_set_module(set, t->path, j->sink, &m);
	if (rc)
		return rc;
	if (!m->postcard.present) {
		diag_line(j->sink, DIAG_WARNING, m->xml_path, 0, 0, "print",
			  "module '%s' has no <postcard>: nothing to print", m->id);
		return 0;
	}
	buf b = BUF_INIT;
	postcard_html(m, &b);
	*out = (unsigned char *)buf_detach(&b, len);
	size_t nl = strlen(m->id) + sizeof "-postcard.html";
	*name = malloc(nl);
	if (!*out || !*name)
		return PC_ENOMEM;
	snprintf(*name, nl, "%s-postcard.html", m->id);
	return 0;
}

static int build_target(job *j, source_set *set, const target *t, unsigned char **zip,
			size_t *len, char **name)
{
	*zip = NULL;
	*name = NULL;
	int rc;
	if (j->o->print) {
		rc = print_target(j, set, t, zip, len, name);
		if (rc) {
			free(*zip);
			free(*name);
			*zip = NULL;
			*name = NULL;
		}
		return rc;
	}
	if (!t->is_course) {
		module *m = NULL;
		rc = source_set_module(set, t->path, j->sink, &m);
		if (rc == 0)
			rc = build_module_pkg(j, m, zip, len);
		if (rc == 0 && !(*name = package_name(m->id, m->version, j->o->version)))
			rc = PC_ENOMEM;
	} else {
		course *c = NULL;
		rc = course_read(&c, t->path, set, j->sink);
		if (rc == 0)
			rc = build_course_pkg(j, c, zip, len);
		if (rc == 0 && !(*name = package_name(c->id, c->version, j->o->version)))
			rc = PC_ENOMEM;
		course_free(c);
	}
	if (rc) {
		free(*zip);
		*zip = NULL;
	}
	return rc;
}

static int check_options(const build_options *o, diag_sink *sink)
{
	/* The NHS Learning Hub runs SCORM 1.2 only (field-lessons.md). */
	if (lms_profiles[o->lms].only_12 && o->version != SCORM_12) {
		diag_line(sink, DIAG_ERROR, NULL, 0, 0, "lms-profile",
			  "the NHS Learning Hub accepts SCORM 1.2 packages only: use --scorm 1.2");
		return PC_EINVAL;
	}
	if (o->lms == LMS_MOODLE && o->version != SCORM_12)
		diag_line(sink, DIAG_WARNING, NULL, 0, 0, "lms-profile",
			  "Moodle supports SCORM 2004 only partly (no sequencing, so none is written): SCORM 1.2 is the safer choice");
	return 0;
}

int build_one(const char *path, const build_options *o, diag_sink *sink, unsigned char **zip,
	      size_t *len, char **name)
{
	*zip = NULL;
	*len = 0;
	*name = NULL;
	targets ts = {0};
	source_set *set = NULL;
	job j;
	int rc = check_options(o, sink);
	if (rc)
		return rc;
	rc = job_init(&j, o, sink);
	if (rc == 0)
		rc = find_targets(&ts, path, sink);
	if (rc == 0 && ts.n != 1) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "build-path", "names %zu modules and courses, not one",
			  ts.n);
		rc = PC_EINVALID;
	}
	if (rc == 0)
		rc = source_set_new(&set);
	if (rc == 0)
		rc = build_target(&j, set, &ts.t[0], zip, len, name);
	source_set_free(set);
	targets_free(&ts);
	webset_free(&j.web);
	zcache_free(j.zc);
	return rc;
}

static int mkdir_p(const char *dir)
{
	char *p = strdup(dir);
	if (!p)
		return PC_ENOMEM;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			free(p);
			return PC_EIO;
		}
		*s = '/';
	}
	int rc = mkdir(p, 0777) != 0 && errno != EEXIST ? PC_EIO : 0;
	free(p);
	return rc;
}

/* Writes through a temporary name and renames, so a reader (an LMS upload, `postcard serve`)
 * never sees half a package. */
static int write_package(const char *dir, const char *name, const unsigned char *data, size_t len,
			 diag_sink *sink)
{
	char *path = path_join(dir, name);
	char *tmp = path ? malloc(strlen(path) + 8) : NULL;
	int rc = 0;
	if (!tmp) {
		free(path);
		return PC_ENOMEM;
	}
	sprintf(tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	/* no fsync: like any compiler output, a package lost to a power cut is simply rebuilt */
	if (!f || fwrite(data, 1, len, f) != len || fflush(f) != 0) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "write", "cannot write the package: %s",
			  strerror(errno));
		rc = PC_EIO;
	}
	if (f && fclose(f) != 0 && !rc) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "write", "cannot write the package: %s",
			  strerror(errno));
		rc = PC_EIO;
	}
	if (!rc && rename(tmp, path) != 0) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "write", "cannot write the package: %s",
			  strerror(errno));
		rc = PC_EIO;
	}
	if (rc)
		unlink(tmp);
	free(tmp);
	free(path);
	return rc;
}

int build_paths(const char *const *paths, size_t n, const build_options *o, diag_sink *sink,
		build_result *res)
{
	targets ts = {0};
	source_set *set = NULL;
	job j;
	memset(&j, 0, sizeof j);
	memset(res, 0, sizeof *res);
	int rc = check_options(o, sink), failed = 0;
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		int frc = find_targets(&ts, paths[i], sink);
		if (frc == PC_ENOMEM) {
			rc = frc;
			goto cleanup;
		}
		failed |= frc != 0;
	}
	res->targets = ts.n;
	if (!ts.n)
		goto cleanup;
	if ((rc = job_init(&j, o, sink)) != 0)
		goto cleanup;
	if ((rc = source_set_new(&set)) != 0)
		goto cleanup;
	if (mkdir_p(o->out_dir) != 0) {
		diag_line(sink, DIAG_ERROR, o->out_dir, 0, 0, "write", "cannot create the output folder: %s",
			  strerror(errno));
		rc = PC_EIO;
		goto cleanup;
	}
	/* modules before courses, so a module's findings come before "module has errors" */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < ts.n; i++) {
			if (ts.t[i].is_course != pass)
				continue;
			if (o->progress)
				o->progress(o->progress_ctx, ts.t[i].path, res->packages, ts.n);
			unsigned char *zip = NULL;
			size_t len = 0;
			char *name = NULL;
			int brc = build_target(&j, set, &ts.t[i], &zip, &len, &name);
			if (brc == 0 && !zip) { /* --print: nothing to print (warned) */
				free(name);
				continue;
			}
			if (brc == 0)
				brc = write_package(o->out_dir, name, zip, len, sink);
			free(zip);
			free(name);
			if (brc == PC_ENOMEM || brc == PC_EIO) {
				rc = brc;
				goto cleanup;
			}
			if (brc == 0)
				res->packages++;
			else
				failed = 1;
		}
cleanup:
	source_set_free(set);
	targets_free(&ts);
	webset_free(&j.web);
	zcache_free(j.zc);
	if (!rc && failed)
		rc = PC_EINVALID;
	return rc;
}
