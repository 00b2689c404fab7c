/* Helpers the check groups share: value syntax (NCName, decimals, CMITimespan), item and
 * resource lookups, and href resolution against xml:base with the file-existence lookup. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "utf8.h"

int is_ncname(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!*p || !(isalpha(*p) || *p == '_' || *p >= 0x80))
		return 0;
	for (p++; *p; p++)
		if (!(isalnum(*p) || *p == '_' || *p == '-' || *p == '.' || *p >= 0x80))
			return 0;
	return 1;
}

static int xml_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

const char *vtrim(vctx *c, const char *s)
{
	if (!s)
		return NULL;
	size_t a = 0, b = strlen(s);
	while (a < b && xml_space(s[a]))
		a++;
	while (b > a && xml_space(s[b - 1]))
		b--;
	if (a == 0 && s[b] == '\0')
		return s;
	char *t = strndup(s + a, b - a);
	const char *k = vkeep(c, t);
	return k ? k : "";
}

int parse_decimal(const char *s, double *out)
{
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	int digits = 0;
	while (isdigit((unsigned char)*p))
		p++, digits++;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++, digits++;
	}
	if (!digits || *p)
		return 0;
	*out = strtod(s, NULL);
	return 1;
}

/* HHHH:MM:SS.SS with 2-4 hour digits and an optional 1-2 digit fraction (SCORM 1.2 RTE). */
int is_cmi_timespan(const char *s)
{
	size_t h = 0;
	while (isdigit((unsigned char)s[h]))
		h++;
	if (h < 2 || h > 4 || s[h] != ':')
		return 0;
	s += h + 1;
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':')
		return 0;
	if ((s[0] - '0') * 10 + (s[1] - '0') > 59)
		return 0;
	s += 3;
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return 0;
	if ((s[0] - '0') * 10 + (s[1] - '0') > 59)
		return 0;
	s += 2;
	if (*s == '.') {
		s++;
		size_t f = 0;
		while (isdigit((unsigned char)s[f]))
			f++;
		if (f < 1 || f > 2)
			return 0;
		s += f;
	}
	return *s == '\0';
}

int is_xs_boolean(const char *s)
{
	return strcmp(s, "true") == 0 || strcmp(s, "false") == 0 || strcmp(s, "1") == 0 ||
	       strcmp(s, "0") == 0;
}

int item_is_leaf(vctx *c, const xmlNode *item)
{
	return mf_child(item, c->cp, "item", NULL) == NULL;
}

xmlNode *item_resource(vctx *c, const xmlNode *item)
{
	const char *ref = mf_attr(c->m, item, NULL, "identifierref");
	return ref ? strmap_get(&c->resources, vtrim(c, ref)) : NULL;
}

const char *resource_scorm_type(vctx *c, const xmlNode *res)
{
	const char *t = mf_attr(c->m, res, c->adlcp, c->is2004 ? "scormType" : "scormtype");
	if (!t)
		return NULL;
	t = vtrim(c, t);
	return strcmp(t, "sco") == 0 ? "sco" : strcmp(t, "asset") == 0 ? "asset" : NULL;
}

/* ---- hrefs ---- */

/* RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":". One letter is a Windows
 * drive, not a scheme, and is rejected by the caller as a drive path. */
static size_t scheme_len(const char *s)
{
	if (!isalpha((unsigned char)s[0]))
		return 0;
	size_t i = 1;
	while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
		i++;
	return s[i] == ':' ? i : 0;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The smallest permitted maximum of href and xml:base + href (ADL-SCH). */
#define HREF_SPM 2000

/* Collects the xml:base values in effect at `at`, outermost first, into `out`. Reports bad
 * xml:base values once per element. Returns 1 if a base is an absolute URL. */
static int collect_base(vctx *c, const xmlNode *at, buf *out)
{
	const xmlNode *chain[16];
	size_t n = 0;
	for (const xmlNode *e = at; e && e->type == XML_ELEMENT_NODE && n < PC_ARRAY_LEN(chain);
	     e = e->parent)
		if (mf_attr_node(e, NS_XML, "base"))
			chain[n++] = e;
	int external = 0;
	while (n-- > 0) {
		const char *b = mf_attr(c->m, chain[n], NS_XML, "base");
		if (scheme_len(b) > 1) {
			buf_reset(out);
			external = 1;
		}
		buf_puts(out, b);
	}
	return external;
}

int resolve_href(vctx *c, const xmlNode *at, const void *attr, const char *what,
		 const char *href, const char **path, int report_external)
{
	*path = NULL;
	if (!*href) {
		vreport(c, DIAG_ERROR, attr, "href", "%s is empty", what);
		return 0;
	}
	if (strchr(href, '\\')) {
		vreport(c, DIAG_ERROR, attr, "href",
			"%s '%s' contains a backslash: use '/' to separate folders", what, href);
		return 0;
	}
	size_t sl = scheme_len(href);
	if (sl == 1 || (href[0] && href[1] == ':')) {
		vreport(c, DIAG_ERROR, attr, "href",
			"%s '%s' is a Windows drive path: it must be relative to the package", what,
			href);
		return 0;
	}
	if (sl > 1) {
		if (sl == 4 && strncasecmp(href, "file", 4) == 0) {
			vreport(c, DIAG_ERROR, attr, "href",
				"%s '%s' is a file: URL: the package must contain what it uses", what,
				href);
		} else if ((sl == 4 && strncasecmp(href, "http", 4) == 0) ||
			   (sl == 5 && strncasecmp(href, "https", 5) == 0)) {
			if (report_external)
				vreport(c, DIAG_WARNING, attr, "external-href",
					"%s '%s' is outside the package: it needs the network and may "
					"be blocked as cross-domain",
					what, href);
		} else {
			vreport(c, DIAG_ERROR, attr, "href",
				"%s '%s' uses the '%.*s:' scheme: only files in the package (or "
				"http/https URLs) can be referenced",
				what, href, (int)sl, href);
		}
		return 0;
	}
	if (href[0] == '/') {
		vreport(c, DIAG_ERROR, attr, "href",
			"%s '%s' starts with '/': it must be relative to the package root", what, href);
		return 0;
	}
	buf full = BUF_INIT;
	int external = collect_base(c, at, &full);
	buf_puts(&full, href);
	if (utf8_count(full.data ? full.data : "", full.len) > HREF_SPM)
		vreport(c, DIAG_WARNING, attr, "href-length",
			"xml:base + %s is %zu characters, over the %d that LMSs must support", what,
			utf8_count(full.data, full.len), HREF_SPM);
	if (external) {
		if (report_external)
			vreport(c, DIAG_WARNING, attr, "external-href",
				"%s '%s' resolves to '%s', outside the package (xml:base is a URL)", what,
				href, buf_cstr(&full));
		buf_free(&full);
		return 0;
	}
	/* drop ?query and #fragment, decode %HH, resolve . and .. */
	size_t end = strcspn(buf_cstr(&full), "?#");
	buf dec = BUF_INIT;
	const char *s = buf_cstr(&full);
	int ok = 1;
	for (size_t i = 0; i < end && ok; i++) {
		if (s[i] != '%') {
			buf_putc(&dec, s[i]);
			continue;
		}
		int h1 = i + 2 < end + 2 ? hexval(s[i + 1]) : -1;
		int h2 = h1 >= 0 ? hexval(s[i + 2]) : -1;
		if (h1 < 0 || h2 < 0 || i + 2 >= end) {
			vreport(c, DIAG_ERROR, attr, "href-encoding",
				"%s '%s' has an invalid %%-escape ('%%' must be followed by two hex "
				"digits)",
				what, href);
			ok = 0;
			break;
		}
		if (h1 == 0 && h2 == 0) {
			vreport(c, DIAG_ERROR, attr, "href-encoding", "%s '%s' encodes a NUL byte",
				what, href);
			ok = 0;
			break;
		}
		buf_putc(&dec, (char)(h1 * 16 + h2));
		i += 2;
	}
	buf norm = BUF_INIT;
	const char *d = buf_cstr(&dec);
	size_t dl = dec.len;
	for (size_t i = 0; ok && i < dl;) {
		size_t j = i;
		while (j < dl && d[j] != '/')
			j++;
		size_t cl = j - i;
		if (cl == 2 && d[i] == '.' && d[i + 1] == '.') {
			char *slash = norm.len ? strrchr(norm.data, '/') : NULL;
			if (!norm.len) {
				vreport(c, DIAG_ERROR, attr, "href-above-root",
					"%s '%s' climbs above the package root", what, href);
				ok = 0;
			} else if (slash) {
				norm.len = (size_t)(slash - norm.data);
				norm.data[norm.len] = '\0';
			} else {
				buf_reset(&norm);
			}
		} else if (cl > 0 && !(cl == 1 && d[i] == '.')) {
			if (norm.len)
				buf_putc(&norm, '/');
			buf_put(&norm, d + i, cl);
		}
		i = j + 1;
	}
	if (ok && norm.len == 0) {
		vreport(c, DIAG_ERROR, attr, "href", "%s '%s' names no file", what, href);
		ok = 0;
	}
	if (buf_error(&full) || buf_error(&dec) || buf_error(&norm))
		c->oom = 1;
	if (ok)
		*path = vkeep(c, buf_detach(&norm, NULL));
	buf_free(&full);
	buf_free(&dec);
	buf_free(&norm);
	return ok && *path;
}

static char *ascii_lower(const char *s)
{
	char *l = strdup(s);
	for (char *p = l; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

static void build_fold(vctx *c)
{
	if (c->fold.cap || !pkg_count(c->p))
		return;
	for (size_t i = 0; i < pkg_count(c->p); i++) {
		const char *k = vkeep(c, ascii_lower(pkg_name(c->p, i)));
		if (k)
			strmap_add(&c->fold, k, (void *)pkg_name(c->p, i), NULL);
	}
}

int check_file_exists(vctx *c, const void *attr, const char *path, const char *check,
		      const char *what)
{
	strmap_add(&c->used, path, NULL, NULL);
	if (!c->files)
		return 1;
	if (pkg_has(c->p, path))
		return 1;
	build_fold(c);
	char *l = ascii_lower(path);
	const char *real = l ? strmap_get(&c->fold, l) : NULL;
	free(l);
	if (real) {
		strmap_add(&c->used, real, NULL, NULL);
		vreport(c, DIAG_WARNING, attr, "file-case",
			"%s '%s' is in the package only as '%s': it will not be found on a "
			"case-sensitive server",
			what, path, real);
		return -1;
	}
	if (check)
		vreport(c, DIAG_ERROR, attr, check, "%s '%s' is not in the package", what, path);
	return 0;
}
