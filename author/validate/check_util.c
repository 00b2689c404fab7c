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

/* The concatenated xml:base values in effect at `at`, outermost first (kept for the run), and
 * whether one of them is an absolute URL (then the result starts at that URL). Cached for the
 * last element asked about: the files of one resource all ask about the resource. */
static const char *base_at(vctx *c, const xmlNode *at, int *external)
{
	if (c->base_node == at && c->base_str) {
		*external = c->base_external;
		return c->base_str;
	}
	const xmlNode *chain[16];
	size_t n = 0;
	for (const xmlNode *e = at; e && e->type == XML_ELEMENT_NODE && n < PC_ARRAY_LEN(chain);
	     e = e->parent)
		if (mf_attr_node(e, NS_XML, "base"))
			chain[n++] = e;
	buf out = BUF_INIT;
	*external = 0;
	while (n-- > 0) {
		const char *b = mf_attr(c->m, chain[n], NS_XML, "base");
		if (scheme_len(b) > 1) {
			buf_reset(&out);
			*external = 1;
		}
		buf_puts(&out, b);
	}
	if (buf_error(&out))
		c->oom = 1;
	const char *s = out.len ? vkeep(c, buf_detach(&out, NULL)) : "";
	buf_free(&out);
	c->base_node = at;
	c->base_str = s ? s : "";
	c->base_external = *external;
	return c->base_str;
}

/* Decodes %HH in s[0..end) in place; returns the new length, or (size_t)-1 for a bad escape
 * (`nul` set when it encodes a NUL byte). */
static size_t percent_decode(char *s, size_t end, int *nul)
{
	size_t w = 0;
	*nul = 0;
	for (size_t r = 0; r < end; r++) {
		if (s[r] != '%') {
			s[w++] = s[r];
			continue;
		}
		int h1 = r + 2 < end ? hexval(s[r + 1]) : -1;
		int h2 = h1 >= 0 ? hexval(s[r + 2]) : -1;
		if (h1 < 0 || h2 < 0)
			return (size_t)-1;
		if (h1 == 0 && h2 == 0) {
			*nul = 1;
			return (size_t)-1;
		}
		s[w++] = (char)(h1 * 16 + h2);
		r += 2;
	}
	return w;
}

/* Resolves "." and ".." segments of s[0..len) in place (dropping empty segments); returns the
 * new length, or (size_t)-1 when ".." climbs above the start. */
static size_t normalize_path(char *s, size_t len)
{
	size_t w = 0;
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && s[j] != '/')
			j++;
		size_t cl = j - i;
		if (cl == 2 && s[i] == '.' && s[i + 1] == '.') {
			if (w == 0)
				return (size_t)-1;
			while (w > 0 && s[w - 1] != '/')
				w--;
			if (w > 0)
				w--; /* the slash before the dropped segment */
		} else if (cl > 0 && !(cl == 1 && s[i] == '.')) {
			if (w > 0)
				s[w++] = '/';
			memmove(s + w, s + i, cl);
			w += cl;
		}
		i = j + 1;
	}
	return w;
}

int resolve_href(vctx *c, const xmlNode *at, const void *attr, const char *what,
		 const char *href, const char **path, int flags)
{
	/* a launch page that cannot be found means the content cannot start (an error); a
	 * <file> href only lists the inventory (a conformance finding) */
	int launch = flags & HREF_LAUNCH;
	const char *bad = launch ? "launch-href" : "href";
	*path = NULL;
	if (!*href) {
		vreport(c, attr, bad, "%s is empty", what);
		return 0;
	}
	size_t sl = scheme_len(href);
	if (sl == 1 || (href[0] && href[1] == ':')) {
		vreport(c, attr, bad, "%s '%s' is a Windows drive path: it must be relative to the package",
			what, href);
		return 0;
	}
	if (sl > 1) {
		if (sl == 4 && strncasecmp(href, "file", 4) == 0) {
			vreport(c, attr, bad,
				"%s '%s' is a file: URL: the package must contain what it uses", what,
				href);
		} else if ((sl == 4 && strncasecmp(href, "http", 4) == 0) ||
			   (sl == 5 && strncasecmp(href, "https", 5) == 0)) {
			if (flags & HREF_REPORT_EXTERNAL)
				vreport(c, attr, "external-href",
					"%s '%s' is outside the package: it needs the network and may "
					"be blocked as cross-domain",
					what, href);
		} else {
			vreport(c, attr, bad,
				"%s '%s' uses the '%.*s:' scheme: only files in the package (or "
				"http/https URLs) can be referenced",
				what, href, (int)sl, href);
		}
		return 0;
	}
	if (href[0] == '/' || href[0] == '\\') {
		vreport(c, attr, bad, "%s '%s' starts with '%c': it must be relative to the package root",
			what, href, href[0]);
		return 0;
	}
	if (strchr(href, '\\'))
		/* browsers read '\\' as '/' in web addresses, so the file is looked for that way */
		vreport(c, attr, "href", "%s '%s' contains a backslash: use '/' to separate folders",
			what, href);
	int external;
	const char *base = base_at(c, at, &external);
	size_t bl = strlen(base), hl = strlen(href);
	if (bl + hl > HREF_SPM && chars_over(base, 0) + chars_over(href, 0) > HREF_SPM)
		vreport(c, attr, "href-length",
			"xml:base + %s is %zu characters, over the %d that LMSs must support", what,
			chars_over(base, 0) + chars_over(href, 0), HREF_SPM);
	if (external) {
		if (flags & HREF_REPORT_EXTERNAL)
			vreport(c, attr, "external-href",
				"%s '%s' resolves to '%s%s', outside the package (xml:base is a URL)",
				what, href, base, href);
		return 0;
	}
	/* one buffer: base + href, then ?query/#fragment dropped, '\\' made '/', %HH decoded
	 * and . / .. resolved in place (each step only shortens it) */
	char *full = malloc(bl + hl + 1);
	if (!full) {
		c->oom = 1;
		return 0;
	}
	memcpy(full, base, bl);
	memcpy(full + bl, href, hl + 1);
	size_t len = strcspn(full, "?#"), n;
	for (size_t i = 0; i < len; i++)
		if (full[i] == '\\')
			full[i] = '/';
	int nul;
	if ((n = percent_decode(full, len, &nul)) == (size_t)-1) {
		vreport(c, attr, launch ? bad : "href-encoding",
			nul ? "%s '%s' encodes a NUL byte"
			    : "%s '%s' has an invalid %%-escape ('%%' must be followed by two hex "
			      "digits)",
			what, href);
		free(full);
		return 0;
	}
	if ((n = normalize_path(full, n)) == (size_t)-1) {
		vreport(c, attr, launch ? bad : "href-above-root",
			"%s '%s' climbs above the package root", what, href);
		free(full);
		return 0;
	}
	if (n == 0) {
		vreport(c, attr, bad, "%s '%s' names no file", what, href);
		free(full);
		return 0;
	}
	full[n] = '\0';
	*path = vkeep(c, full);
	return *path != NULL;
}

size_t chars_over(const char *s, size_t limit)
{
	size_t n = strlen(s);
	if (n <= limit)
		return 0; /* a code point is at least one byte: within the limit */
	n = utf8_count(s, n);
	return n > limit ? n : 0;
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
		vreport(c, attr, "file-case",
			"%s '%s' is in the package only as '%s': it will not be found on a "
			"case-sensitive server",
			what, path, real);
		return -1;
	}
	if (check)
		vreport(c, attr, check, "%s '%s' is not in the package", what, path);
	return 0;
}
