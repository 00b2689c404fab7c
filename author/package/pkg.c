/* A package's files (see pkg.h): what pkg_open detects, name rules shared by the zip and folder
 * readers, lookups, and the in-memory and bare-manifest packages. The zip reader is zipread.c,
 * the folder reader pkgdir.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "pkg_int.h"
#include "utf8.h"

void pkg_limits_default(pkg_limits *lim)
{
	lim->max_entries = PKG_DEFAULT_MAX_ENTRIES;
	lim->max_total = PKG_DEFAULT_MAX_TOTAL;
	lim->max_entry = PKG_DEFAULT_MAX_ENTRY;
	lim->max_ratio = PKG_DEFAULT_MAX_RATIO;
	lim->max_manifest = PKG_DEFAULT_MAX_MANIFEST;
}

static int pkg_alloc(pkg **out, pkg_kind kind, const char *display, const pkg_limits *lim)
{
	pkg *p = calloc(1, sizeof *p);
	if (!p)
		return PC_ENOMEM;
	p->kind = kind;
	p->fd = -1;
	p->display = strdup(display);
	if (lim)
		p->lim = *lim;
	else
		pkg_limits_default(&p->lim);
	if (!p->display) {
		free(p);
		return PC_ENOMEM;
	}
	*out = p;
	return 0;
}

void pkg_free(pkg *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->e[i].name);
		free(p->e[i].data);
	}
	free(p->e);
	free(p->sorted);
	if (p->za)
		zip_discard(p->za);
	zipcd_free(&p->cd);
	if (p->fd >= 0)
		close(p->fd);
	free(p->display);
	free(p->root);
	free(p->manifest_display);
	free(p);
}

int pkg_entry_take(pkg *p, char *name, size_t *at)
{
	if (!name)
		return PC_ENOMEM;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		pkg_entry *e = realloc(p->e, cap * sizeof *e);
		if (!e) {
			free(name);
			return PC_ENOMEM;
		}
		p->e = e;
		p->cap = cap;
	}
	pkg_entry *e = &p->e[p->n];
	memset(e, 0, sizeof *e);
	e->name = name;
	*at = p->n++;
	p->sorted_ok = 0;
	return 0;
}

int pkg_entry_add(pkg *p, const char *name, size_t *at)
{
	return pkg_entry_take(p, strdup(name), at);
}

/* A Windows drive prefix such as "C:" at the start of a name. */
static int has_drive(const char *s, size_t len)
{
	return len >= 2 && s[1] == ':' &&
	       ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'));
}

/* The common case: printable ASCII, no backslash, no '.', '..' or empty component, not
 * absolute, no drive letter. Such a name is already clean. */
static int plainly_clean(const char *s, size_t len)
{
	if (len == 0 || s[0] == '/' || (len >= 2 && s[1] == ':'))
		return 0;
	size_t comp = 0; /* start of the current component */
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '/') {
			unsigned char ch = (unsigned char)s[i];
			if (ch < 0x20 || ch > 0x7e || ch == '\\')
				return 0;
			continue;
		}
		size_t cl = i - comp;
		if (i == len && cl == 0)
			break; /* a trailing '/': a folder entry, still clean */
		if (cl == 0 || (cl == 1 && s[comp] == '.') ||
		    (cl == 2 && s[comp] == '.' && s[comp + 1] == '.'))
			return 0;
		comp = i + 1;
	}
	return 1;
}

int pkg_clean_name(const char *raw, size_t len, char **clean, const char **why, int *bad_utf8)
{
	*clean = NULL;
	*bad_utf8 = 0;
	if (plainly_clean(raw, len)) {
		*clean = strndup(raw, len);
		return *clean ? 0 : PC_ENOMEM;
	}
	if (len == 0) {
		*why = "empty name";
		return PC_EFORMAT;
	}
	if (raw[0] == '/') {
		*why = "absolute path";
		return PC_EFORMAT;
	}
	if (has_drive(raw, len)) {
		*why = "drive letter";
		return PC_EFORMAT;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)raw[i];
		if (c == '\\') {
			*why = "backslash in the name (Windows path separator)";
			return PC_EFORMAT;
		}
		if (c < 0x20 || c == 0x7f) {
			*why = "control character in the name";
			return PC_EFORMAT;
		}
	}
	/* components: ".." anywhere is a climb (even when it would stay inside, unzippers differ);
	 * "." and empty components are dropped */
	buf out = BUF_INIT;
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && raw[j] != '/')
			j++;
		size_t clen = j - i;
		if (clen == 2 && raw[i] == '.' && raw[i + 1] == '.') {
			buf_free(&out);
			*why = "'..' climbs out of the package (zip slip)";
			return PC_EFORMAT;
		}
		if (clen > 0 && !(clen == 1 && raw[i] == '.')) {
			if (out.len)
				buf_putc(&out, '/');
			for (size_t k = i; k < j;) {
				uint32_t cp;
				size_t n = utf8_decode(raw + k, j - k, &cp);
				if (n == 0) {
					*bad_utf8 = 1;
					buf_printf(&out, "\\x%02X", (unsigned char)raw[k]);
					k++;
				} else {
					buf_put(&out, raw + k, n);
					k += n;
				}
			}
		}
		i = j + 1;
	}
	if (len && raw[len - 1] == '/')
		buf_putc(&out, '/'); /* keep the directory marker */
	if (buf_error(&out)) {
		buf_free(&out);
		return PC_ENOMEM;
	}
	if (out.len == 0 || (out.len == 1 && out.data[0] == '/')) {
		buf_free(&out);
		*why = "name has no components";
		return PC_EFORMAT;
	}
	*clean = buf_detach(&out, NULL);
	return *clean ? 0 : PC_ENOMEM;
}

/* qsort has no context argument: the package being sorted, per thread (the runtime may open
 * packages on several threads at once) */
static _Thread_local const pkg *sort_pkg;

static int cmp_idx(const void *a, const void *b)
{
	int c = strcmp(sort_pkg->e[*(const size_t *)a].name, sort_pkg->e[*(const size_t *)b].name);
	if (c)
		return c;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1; /* first entry first */
}

static int fold_cmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = (*a >= 'A' && *a <= 'Z') ? *a + 32 : (unsigned char)*a;
		int cb = (*b >= 'A' && *b <= 'Z') ? *b + 32 : (unsigned char)*b;
		if (ca != cb || !ca)
			return ca - cb;
	}
}

static int cmp_fold(const void *a, const void *b)
{
	int c = fold_cmp(sort_pkg->e[*(const size_t *)a].name, sort_pkg->e[*(const size_t *)b].name);
	return c ? c : cmp_idx(a, b);
}

static int ensure_sorted(pkg *p)
{
	if (p->sorted_ok)
		return 0;
	size_t *s = realloc(p->sorted, (p->n ? p->n : 1) * sizeof *s);
	if (!s)
		return PC_ENOMEM;
	p->sorted = s;
	for (size_t i = 0; i < p->n; i++)
		s[i] = i;
	sort_pkg = p;
	qsort(s, p->n, sizeof *s, cmp_idx);
	p->sorted_ok = 1;
	return 0;
}

void pkg_check_names(pkg *p, diag_sink *sink)
{
	if (p->n < 2 || ensure_sorted(p) != 0)
		return;
	for (size_t k = 1; k < p->n; k++) {
		pkg_entry *a = &p->e[p->sorted[k - 1]], *b = &p->e[p->sorted[k]];
		if (strcmp(a->name, b->name) == 0 && !b->refused) {
			diag_line(sink, DIAG_ERROR, p->display, 0, 0, "duplicate-entry",
				  "'%s' is in the archive more than once: which copy an unzipper keeps is "
				  "undefined",
				  b->name);
			b->refused = 1;
			b->refused_code = PC_EFORMAT;
		}
	}
	/* names differing only by case collide on Windows and macOS file systems; without an
	 * upper-case letter anywhere no two names can */
	int upper = 0;
	for (size_t k = 0; k < p->n && !upper; k++)
		for (const char *s = p->e[k].name; *s && !upper; s++)
			upper = *s >= 'A' && *s <= 'Z';
	if (!upper)
		return;
	size_t *f = malloc(p->n * sizeof *f);
	if (!f)
		return;
	memcpy(f, p->sorted, p->n * sizeof *f);
	sort_pkg = p;
	qsort(f, p->n, sizeof *f, cmp_fold);
	for (size_t k = 1; k < p->n; k++) {
		const char *a = p->e[f[k - 1]].name, *b = p->e[f[k]].name;
		if (fold_cmp(a, b) == 0 && strcmp(a, b) != 0)
			diag_line(sink, DIAG_WARNING, p->display, 0, 0, "case-clash",
				  "'%s' and '%s' differ only by case: on a case-insensitive file system "
				  "one overwrites the other",
				  a, b);
	}
	free(f);
}

/* Index of the entry with exactly this name (the first one for duplicates), or -1. */
static long find(pkg *p, const char *name)
{
	if (ensure_sorted(p) != 0)
		return -1;
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p->e[p->sorted[mid]].name, name);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->n && strcmp(p->e[p->sorted[lo]].name, name) == 0)
		return (long)p->sorted[lo];
	return -1;
}

/* A zip starts with a local file header, or is empty (end of central directory only). */
static int looks_like_zip(const char *path)
{
	unsigned char sig[4] = {0};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, sig, sizeof sig);
	close(fd);
	return n == 4 && sig[0] == 'P' && sig[1] == 'K' &&
	       ((sig[2] == 3 && sig[3] == 4) || (sig[2] == 5 && sig[3] == 6));
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

static int manifest_open(pkg *p, const char *path, const struct stat *st, diag_sink *sink)
{
	p->root = strdup(path);
	p->manifest_display = strdup(path);
	if (!p->root || !p->manifest_display)
		return PC_ENOMEM;
	size_t at;
	int rc = pkg_entry_add(p, "imsmanifest.xml", &at);
	if (rc)
		return rc;
	p->e[at].size = (uint64_t)st->st_size;
	return 0;
}

int pkg_open(pkg **out, const char *path, const pkg_limits *lim, diag_sink *sink)
{
	return pkg_open_reader(out, path, lim, 0, sink);
}

int pkg_open_reader(pkg **out, const char *path, const pkg_limits *lim, int libzip_only,
		    diag_sink *sink)
{
	PC_ASSERT(out != NULL && path != NULL);
	*out = NULL;
	pkg *p = NULL;
	struct stat st;
	int rc;
	if (stat(path, &st) != 0) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "open", "cannot open: %s", strerror(errno));
		return PC_EIO;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = pkg_alloc(&p, PKG_DIR, path, lim);
		if (rc == 0)
			rc = pkgdir_open(p, path, sink);
	} else if (!S_ISREG(st.st_mode)) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "open",
			  "not a regular file, folder or zip");
		return PC_EIO;
	} else if (looks_like_zip(path) || ends_with(path, ".zip")) {
		rc = pkg_alloc(&p, PKG_ZIP, path, lim);
		if (rc == 0) {
			p->libzip_only = libzip_only;
			rc = zipread_open(p, path, sink);
		}
	} else {
		rc = pkg_alloc(&p, PKG_MANIFEST, path, lim);
		if (rc == 0)
			rc = manifest_open(p, path, &st, sink);
	}
	if (rc) {
		if (rc == PC_ENOMEM)
			diag_line(sink, DIAG_ERROR, path, 0, 0, "open", "out of memory");
		pkg_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int pkg_new_memory(pkg **out)
{
	*out = NULL;
	pkg *p;
	int rc = pkg_alloc(&p, PKG_MEMORY, "(memory)", NULL);
	if (rc)
		return rc;
	*out = p;
	return 0;
}

int pkg_add(pkg *p, const char *name, const void *data, size_t len)
{
	if (p->kind != PKG_MEMORY)
		return PC_EINVAL;
	char *clean;
	const char *why;
	int bad_utf8;
	int rc = pkg_clean_name(name, strlen(name), &clean, &why, &bad_utf8);
	if (rc == PC_ENOMEM)
		return rc;
	if (rc || bad_utf8 || strcmp(clean, name) != 0) {
		free(clean);
		return PC_EINVAL;
	}
	free(clean);
	unsigned char *copy = malloc(len ? len : 1);
	if (!copy)
		return PC_ENOMEM;
	if (len)
		memcpy(copy, data, len);
	size_t at;
	rc = pkg_entry_add(p, name, &at);
	if (rc) {
		free(copy);
		return rc;
	}
	p->e[at].data = copy;
	p->e[at].size = len;
	p->e[at].csize = len;
	return 0;
}

pkg_kind pkg_get_kind(const pkg *p)
{
	return p->kind;
}

const char *pkg_display_name(const pkg *p)
{
	return p->display;
}

const char *pkg_manifest_display(const pkg *p)
{
	return p->manifest_display ? p->manifest_display : "imsmanifest.xml";
}

int pkg_qualify_members(pkg *p)
{
	if (p->kind != PKG_ZIP || p->qualified)
		return 0;
	buf b = BUF_INIT;
	buf_printf(&b, "%s(imsmanifest.xml)", p->display);
	if (buf_error(&b)) {
		buf_free(&b);
		return PC_ENOMEM;
	}
	free(p->manifest_display);
	p->manifest_display = buf_detach(&b, NULL);
	p->qualified = 1;
	return 0;
}

void pkg_member_display(const pkg *p, const char *name, buf *out)
{
	if (p->kind == PKG_DIR) {
		buf_puts(out, p->root);
		if (out->len && out->data[out->len - 1] != '/')
			buf_putc(out, '/');
		buf_puts(out, name);
	} else if (p->qualified) {
		buf_printf(out, "%s(%s)", p->display, name);
	} else {
		buf_puts(out, name);
	}
}

size_t pkg_count(const pkg *p)
{
	return p->n;
}

const char *pkg_name(const pkg *p, size_t i)
{
	return i < p->n ? p->e[i].name : NULL;
}

uint64_t pkg_size(const pkg *p, size_t i)
{
	return i < p->n ? p->e[i].size : 0;
}

const pkg_limits *pkg_get_limits(const pkg *p)
{
	return &p->lim;
}

int pkg_has(const pkg *p, const char *name)
{
	return find((pkg *)p, name) >= 0;
}

/* Reads a bare manifest: the size check comes before any byte is read. */
static int manifest_read(pkg *p, char **data, size_t *len, diag_sink *sink)
{
	int fd = open(p->root, O_RDONLY | O_CLOEXEC);
	int rc = 0;
	char *b = NULL;
	if (fd < 0) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "open", "cannot open: %s",
			  strerror(errno));
		return PC_EIO;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = PC_EIO;
		goto cleanup;
	}
	if ((uint64_t)st.st_size > p->lim.max_manifest) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "limit",
			  "the manifest is %lld bytes, over the limit of %zu (--max-manifest)",
			  (long long)st.st_size, p->lim.max_manifest);
		rc = PC_ELIMIT;
		goto cleanup;
	}
	size_t cap = (size_t)st.st_size, n = 0;
	b = malloc(cap + 1);
	if (!b) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	while (n < cap) {
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	b[n] = '\0';
	*data = b;
	*len = n;
	b = NULL;
cleanup:
	free(b);
	close(fd);
	return rc;
}

int pkg_read_report(pkg *p, const char *name, char **data, size_t *len, diag_sink *sink)
{
	*data = NULL;
	*len = 0;
	long i = find(p, name);
	if (i < 0)
		return PC_ENOTFOUND;
	pkg_entry *e = &p->e[i];
	if (e->refused)
		return e->refused_code ? e->refused_code : PC_EFORMAT;
	switch (p->kind) {
	case PKG_ZIP: return zipread_read(p, e, data, len, sink);
	case PKG_DIR: return pkgdir_read(p, e, data, len, sink);
	case PKG_MANIFEST: return manifest_read(p, data, len, sink);
	case PKG_MEMORY: break;
	}
	char *b = malloc(e->size + 1);
	if (!b)
		return PC_ENOMEM;
	memcpy(b, e->data, e->size);
	b[e->size] = '\0';
	*data = b;
	*len = e->size;
	return 0;
}

int pkg_read(pkg *p, const char *name, char **data, size_t *len)
{
	diag_sink *quiet;
	int rc = diag_sink_new(&quiet);
	if (rc)
		return rc;
	rc = pkg_read_report(p, name, data, len, quiet);
	diag_sink_free(quiet);
	return rc;
}

int pkg_verify(pkg *p, diag_sink *sink)
{
	return pkg_verify_visit(p, sink, NULL);
}

int pkg_verify_visit(pkg *p, diag_sink *sink, const pkg_visitor *v)
{
	if (p->kind == PKG_ZIP)
		return zipverify_all(p, sink, v);
	/* folder and memory files were sized by stat/pkg_add, nothing can lie: only the visitor
	 * needs their bytes */
	for (size_t i = 0; v && p->kind != PKG_MANIFEST && i < p->n; i++) {
		pkg_entry *e = &p->e[i];
		if (e->refused || !v->want(v->ud, e->name))
			continue;
		if (p->kind == PKG_MEMORY) {
			v->data(v->ud, e->name, e->data, e->size < PKG_VISIT_MAX ? e->size : PKG_VISIT_MAX,
				e->size > PKG_VISIT_MAX);
			continue;
		}
		char *data = NULL;
		size_t len = 0;
		int rc = pkgdir_read_prefix(p, e, PKG_VISIT_MAX, &data, &len, sink);
		if (rc == PC_ENOMEM)
			return rc;
		if (rc == 0)
			v->data(v->ud, e->name, (const unsigned char *)data, len, e->size > len);
		free(data);
	}
	return 0;
}
