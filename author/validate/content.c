/* The remote-load scanner (see content.h). Three small lexers over the same bytes: HTML start
 * tags and their attributes (with <script> and <style> bodies handed to the other two), CSS
 * url() and @import, and JavaScript string literals (comments skipped). Every loop advances
 * at least one byte, so the cost is linear in the file's size whatever it holds. */
#include "content.h"

#include <string.h>
#include <strings.h>

#include "common.h"

typedef struct scanner {
	const char *d;
	size_t len;
	void (*found)(void *ud, const content_load *load);
	void *ud;
} scanner;

static int lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
}

/* Case-insensitive: does d[i..end) start with the lower-case ASCII `word`? */
static int at_word(const char *d, size_t i, size_t end, const char *word)
{
	size_t n = strlen(word);
	if (end - i < n)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (lower((unsigned char)d[i + k]) != word[k])
			return 0;
	return 1;
}

static int is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

/* The length of the scheme-and-slashes prefix when s[0..n) is a remote URL ("http://",
 * "https://" or "//" then a host character), else 0. */
static size_t remote_prefix(const char *s, size_t n)
{
	size_t p = at_word(s, 0, n, "https://") ? 8 : at_word(s, 0, n, "http://") ? 7 : 0;
	if (!p && n >= 3 && s[0] == '/' && s[1] == '/')
		p = 2;
	if (!p || p >= n)
		return 0;
	unsigned char h = (unsigned char)s[p];
	return (h >= 'a' && h <= 'z') || (h >= 'A' && h <= 'Z') || (h >= '0' && h <= '9') || h == '['
		       ? p
		       : 0;
}

/* File extensions and what a URL ending in one loads. */
static const struct {
	const char *ext;
	const char *what;
} exts[] = {
	{".js", "a script"},	 {".mjs", "a script"},	 {".css", "a stylesheet"}, {".woff", "a font"},
	{".woff2", "a font"},	 {".ttf", "a font"},	 {".otf", "a font"},	   {".eot", "a font"},
	{".mp4", "media"},	 {".webm", "media"},	 {".ogg", "media"},	   {".ogv", "media"},
	{".mp3", "media"},	 {".m4a", "media"},	 {".wav", "media"},	   {".m3u8", "media"},
	{".mpd", "media"},	 {".vtt", "media"},	 {".png", "an image"},	   {".jpg", "an image"},
	{".jpeg", "an image"}, {".gif", "an image"},	 {".svg", "an image"},	   {".webp", "an image"},
};

/* Hosts whose URLs are loads even without an extension (fonts, CDNs, players, analytics). */
static const struct {
	const char *host;
	const char *what;
} hosts[] = {
	{"fonts.googleapis.com", "a stylesheet"},   {"fonts.gstatic.com", "a font"},
	{"ajax.googleapis.com", "a script"},	    {"cdnjs.cloudflare.com", "a script"},
	{"code.jquery.com", "a script"},	    {"cdn.jsdelivr.net", "a script"},
	{"unpkg.com", "a script"},		    {"maxcdn.bootstrapcdn.com", "a stylesheet"},
	{"stackpath.bootstrapcdn.com", "a stylesheet"}, {"use.fontawesome.com", "a stylesheet"},
	{"kit.fontawesome.com", "a script"},	    {"use.typekit.net", "a stylesheet"},
	{"www.youtube.com", "a frame"},	    {"youtube.com", "a frame"},
	{"www.youtube-nocookie.com", "a frame"},    {"player.vimeo.com", "a frame"},
	{"www.google-analytics.com", "a script"},   {"www.googletagmanager.com", "a script"},
	{"cdn.plyr.io", "a script"},		    {"polyfill.io", "a script"},
};

/* What a remote URL most likely loads, from its path's extension, else its host; `fallback`
 * otherwise. */
static const char *what_of(const char *u, size_t n, const char *fallback)
{
	size_t end = 0;
	while (end < n && u[end] != '?' && u[end] != '#')
		end++;
	for (size_t i = 0; i < PC_ARRAY_LEN(exts); i++) {
		size_t el = strlen(exts[i].ext);
		if (end > el && at_word(u, end - el, end, exts[i].ext))
			return exts[i].what;
	}
	size_t p = remote_prefix(u, n), h = p;
	while (h < n && u[h] != '/' && u[h] != ':' && u[h] != '?' && u[h] != '#')
		h++;
	for (size_t i = 0; p && i < PC_ARRAY_LEN(hosts); i++) {
		size_t hl = strlen(hosts[i].host);
		if (h - p == hl && at_word(u, p, h, hosts[i].host))
			return hosts[i].what;
	}
	return fallback;
}

static void report(scanner *s, size_t off, size_t n, const char *what)
{
	content_load l = {off, n, what};
	s->found(s->ud, &l);
}

/* A URL value at d[off..off+n) (surrounding white space trimmed) that loads `what` (NULL: what
 * its extension says, else `fallback`). */
static void url_fetch(scanner *s, size_t off, size_t n, const char *what, const char *fallback)
{
	while (n && is_space((unsigned char)s->d[off]))
		off++, n--;
	while (n && is_space((unsigned char)s->d[off + n - 1]))
		n--;
	if (!remote_prefix(s->d + off, n))
		return;
	report(s, off, n, what ? what : what_of(s->d + off, n, fallback));
}

static void url_value(scanner *s, size_t off, size_t n, const char *what)
{
	url_fetch(s, off, n, what, "a file");
}

/* Bytes that can start something a lexer looks at: runs of other bytes are skipped in one
 * tight loop (most of a file is such runs: per byte, a table lookup instead of the tests of
 * the lexer's every branch). */
static const unsigned char css_start[256] = {['/'] = 1, ['@'] = 1, ['u'] = 1, ['U'] = 1};
static const unsigned char js_start[256] = {['/'] = 1, ['"'] = 1, ['\''] = 1, ['`'] = 1};

static size_t skip_to(const char *d, size_t i, size_t end, const unsigned char *start)
{
	while (i < end && !start[(unsigned char)d[i]])
		i++;
	return i;
}

/* ---- CSS ---- */

/* url(...) and @import "..." in d[i..end). */
static void scan_css(scanner *s, size_t i, size_t end)
{
	const char *d = s->d;
	while ((i = skip_to(d, i, end, css_start)) < end) {
		if (d[i] == '/' && i + 1 < end && d[i + 1] == '*') {
			const char *close = NULL;
			for (size_t k = i + 2; k + 1 < end; k++)
				if (d[k] == '*' && d[k + 1] == '/') {
					close = d + k;
					break;
				}
			i = close ? (size_t)(close - d) + 2 : end;
			continue;
		}
		int import = d[i] == '@' && at_word(d, i, end, "@import");
		if (!import && !(lower((unsigned char)d[i]) == 'u' && at_word(d, i, end, "url("))) {
			i++;
			continue;
		}
		size_t k = i + (import ? 7 : 4);
		while (k < end && is_space((unsigned char)d[k]))
			k++;
		if (import && at_word(d, k, end, "url(")) {
			i = k; /* the url() form: read it as one */
			continue;
		}
		char q = k < end && (d[k] == '"' || d[k] == '\'') ? d[k] : 0;
		if (!q && import) {
			i = k;
			continue;
		}
		size_t v = q ? k + 1 : k, e = v;
		while (e < end && (q ? d[e] != q : d[e] != ')') && d[e] != '\n')
			e++;
		url_value(s, v, e - v, import ? "a stylesheet" : NULL);
		i = e > i ? e : i + 1;
	}
}

/* ---- JavaScript ---- */

/* String literals in d[i..end) that hold a remote asset URL; comments skipped. A ' or " string
 * ends at its line's end (a regular expression holding a quote cannot run away). */
static void scan_js(scanner *s, size_t i, size_t end)
{
	const char *d = s->d;
	while ((i = skip_to(d, i, end, js_start)) < end) {
		char ch = d[i];
		if (ch == '/' && i + 1 < end && d[i + 1] == '/') {
			while (i < end && d[i] != '\n')
				i++;
			continue;
		}
		if (ch == '/' && i + 1 < end && d[i + 1] == '*') {
			size_t k = i + 2;
			while (k + 1 < end && !(d[k] == '*' && d[k + 1] == '/'))
				k++;
			i = k + 2 <= end ? k + 2 : end;
			continue;
		}
		if (ch != '"' && ch != '\'' && ch != '`') {
			i++;
			continue;
		}
		size_t v = i + 1, e = v;
		while (e < end && d[e] != ch && (ch == '`' || d[e] != '\n')) {
			if (d[e] == '\\' && e + 1 < end)
				e++;
			e++;
		}
		if (remote_prefix(d + v, e - v)) {
			/* only up to the first character that cannot be in a URL (string building) */
			size_t n = 0;
			while (n < e - v && !is_space((unsigned char)d[v + n]) && d[v + n] != '\\' &&
			       d[v + n] != '$' && d[v + n] != '"' && d[v + n] != '\'')
				n++;
			/* in code, only a URL naming an asset file or a known asset host is a load
			 * (a link to a web page is not) */
			const char *what = what_of(d + v, n, NULL);
			if (what)
				report(s, v, n, what);
		}
		i = e < end ? e + 1 : end;
	}
}

/* ---- HTML ---- */

#define MAX_ATTRS 32

typedef struct attr {
	size_t name, nlen; /* offsets into the file */
	size_t val, vlen;
} attr;

/* Attributes that fetch, by element ("*": any). */
static const struct {
	const char *tag, *attr, *what;
} loads[] = {
	{"script", "src", "a script"}, {"img", "src", "an image"},	   {"img", "srcset", "an image"},
	{"iframe", "src", "a frame"},  {"frame", "src", "a frame"},	   {"embed", "src", "media"},
	{"video", "src", "media"},     {"video", "poster", "an image"},   {"audio", "src", "media"},
	{"source", "src", "media"},    {"source", "srcset", "an image"},  {"track", "src", "media"},
	{"object", "data", "media"},   {"input", "src", "an image"},	   {"image", "href", "an image"},
	{"image", "xlink:href", "an image"}, {"use", "href", "an image"}, {"use", "xlink:href", "an image"},
	{"base", "href", "the page's base address"},
};

/* rel values that make <link href> a load, and what it loads. */
static const struct {
	const char *rel, *what;
} link_rels[] = {
	{"stylesheet", "a stylesheet"}, {"icon", "an image"},      {"apple-touch-icon", "an image"},
	{"preload", NULL},		{"modulepreload", "a script"}, {"prefetch", NULL},
	{"manifest", "a file"},
};

static int name_is(const scanner *s, const attr *a, const char *name)
{
	return a->nlen == strlen(name) && at_word(s->d, a->name, a->name + a->nlen, name);
}

/* Does the space-separated list in the value contain `word` (case-insensitive)? */
static int value_has_word(const scanner *s, const attr *a, const char *word)
{
	size_t n = strlen(word);
	for (size_t i = 0; i + n <= a->vlen; i++) {
		if (i && !is_space((unsigned char)s->d[a->val + i - 1]))
			continue;
		if (at_word(s->d, a->val + i, a->val + a->vlen, word) &&
		    (i + n == a->vlen || is_space((unsigned char)s->d[a->val + i + n])))
			return 1;
	}
	return 0;
}

/* srcset: "url [descriptor], url [descriptor], ..." */
static void srcset(scanner *s, const attr *a, const char *what)
{
	size_t i = a->val, end = a->val + a->vlen;
	while (i < end) {
		while (i < end && (is_space((unsigned char)s->d[i]) || s->d[i] == ','))
			i++;
		size_t u = i;
		while (i < end && !is_space((unsigned char)s->d[i]))
			i++;
		size_t ul = i - u;
		if (ul && s->d[u + ul - 1] == ',')
			ul--;
		url_value(s, u, ul, what);
		while (i < end && s->d[i] != ',')
			i++;
	}
}

static void tag_loads(scanner *s, size_t tag, size_t tlen, const attr *attrs, size_t n)
{
	const char *d = s->d;
	for (size_t k = 0; k < n; k++) {
		const attr *a = &attrs[k];
		if (name_is(s, a, "style")) {
			scan_css(s, a->val, a->val + a->vlen);
			continue;
		}
		for (size_t i = 0; i < PC_ARRAY_LEN(loads); i++) {
			if (tlen != strlen(loads[i].tag) || !at_word(d, tag, tag + tlen, loads[i].tag) ||
			    !name_is(s, a, loads[i].attr))
				continue;
			if (strcmp(loads[i].attr, "srcset") == 0)
				srcset(s, a, loads[i].what);
			else
				url_fetch(s, a->val, a->vlen,
					  strcmp(loads[i].what, "media") == 0 ? NULL : loads[i].what,
					  loads[i].what);
		}
	}
	if (!(tlen == 4 && at_word(d, tag, tag + 4, "link")))
		return;
	const attr *href = NULL, *rel = NULL, *as = NULL;
	for (size_t k = 0; k < n; k++) {
		if (name_is(s, &attrs[k], "href"))
			href = &attrs[k];
		else if (name_is(s, &attrs[k], "rel"))
			rel = &attrs[k];
		else if (name_is(s, &attrs[k], "as"))
			as = &attrs[k];
	}
	for (size_t i = 0; href && rel && i < PC_ARRAY_LEN(link_rels); i++)
		if (value_has_word(s, rel, link_rels[i].rel)) {
			const char *what = link_rels[i].what;
			if (!what && as)
				what = value_has_word(s, as, "font")	 ? "a font"
				       : value_has_word(s, as, "style")	 ? "a stylesheet"
				       : value_has_word(s, as, "script") ? "a script"
									 : NULL;
			url_value(s, href->val, href->vlen, what);
			return;
		}
}

/* The end of a <script> or <style> body: the offset of "</name", or end. */
static size_t raw_text_end(const scanner *s, size_t i, const char *close)
{
	for (; i < s->len; i++)
		if (s->d[i] == '<' && at_word(s->d, i, s->len, close))
			return i;
	return s->len;
}

static void scan_html(scanner *s)
{
	const char *d = s->d;
	size_t len = s->len, i = 0;
	while (i < len) {
		const char *lt = memchr(d + i, '<', len - i);
		if (!lt)
			break;
		i = (size_t)(lt - d) + 1;
		if (at_word(d, i, len, "!--")) {
			size_t k = i + 3;
			while (k + 2 < len && !(d[k] == '-' && d[k + 1] == '-' && d[k + 2] == '>'))
				k++;
			i = k + 3 <= len ? k + 3 : len;
			continue;
		}
		if (i >= len || !((d[i] >= 'a' && d[i] <= 'z') || (d[i] >= 'A' && d[i] <= 'Z')))
			continue; /* </end>, <!doctype>, <?pi?>, a stray '<' */
		size_t tag = i;
		while (i < len && !is_space((unsigned char)d[i]) && d[i] != '>' && d[i] != '/')
			i++;
		size_t tlen = i - tag;
		attr attrs[MAX_ATTRS];
		size_t n = 0;
		while (i < len && d[i] != '>') {
			if (is_space((unsigned char)d[i]) || d[i] == '/') {
				i++;
				continue;
			}
			attr a = {i, 0, 0, 0};
			while (i < len && !is_space((unsigned char)d[i]) && d[i] != '=' && d[i] != '>' &&
			       !(d[i] == '/' && i + 1 < len && d[i + 1] == '>'))
				i++;
			a.nlen = i - a.name;
			if (a.nlen == 0) {
				i++;
				continue;
			}
			while (i < len && is_space((unsigned char)d[i]))
				i++;
			if (i < len && d[i] == '=') {
				i++;
				while (i < len && is_space((unsigned char)d[i]))
					i++;
				char q = i < len && (d[i] == '"' || d[i] == '\'') ? d[i] : 0;
				a.val = q ? i + 1 : i;
				if (q) {
					const char *close = memchr(d + a.val, q, len - a.val);
					i = close ? (size_t)(close - d) : len;
					a.vlen = i - a.val;
					if (i < len)
						i++;
				} else {
					while (i < len && !is_space((unsigned char)d[i]) && d[i] != '>')
						i++;
					a.vlen = i - a.val;
				}
			}
			if (n < MAX_ATTRS)
				attrs[n++] = a;
		}
		tag_loads(s, tag, tlen, attrs, n);
		if (i < len)
			i++; /* '>' */
		int script = tlen == 6 && at_word(d, tag, len, "script");
		int style = tlen == 5 && at_word(d, tag, len, "style");
		if (script || style) {
			size_t end = raw_text_end(s, i, script ? "</script" : "</style");
			if (script)
				scan_js(s, i, end);
			else
				scan_css(s, i, end);
			i = end;
		}
	}
}

/* ---- what the code names ---- */

static const char *find(const char *d, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = d, *end = d + len; (size_t)(end - p) >= n; p++) {
		p = memchr(p, needle[0], (size_t)(end - p) - n + 1);
		if (!p)
			return NULL;
		if (memcmp(p, needle, n) == 0)
			return p;
	}
	return NULL;
}

static unsigned mentions(const char *d, size_t len)
{
	unsigned m = 0;
	const char *p = find(d, len, "cmi.interactions.");
	if (p) {
		m |= CONTENT_MENTIONS_INTERACTIONS;
		if (find(p, len - (size_t)(p - d), "cmi.interactions._count"))
			m |= CONTENT_MENTIONS_INTERACTIONS_COUNT;
	}
	/* SCORM 1.2's cmi.comments, not 2004's cmi.comments_from_learner/_from_lms */
	for (const char *c = d; (c = find(c, len - (size_t)(c - d), "cmi.comments"));) {
		size_t after = (size_t)(c - d) + 12;
		if (after >= len || d[after] != '_') {
			m |= CONTENT_MENTIONS_COMMENTS;
			break;
		}
		c += 12;
	}
	return m;
}

content_kind content_kind_of(const char *name)
{
	static const struct {
		const char *ext;
		content_kind kind;
	} kinds[] = {
		{".html", CONTENT_HTML}, {".htm", CONTENT_HTML}, {".xhtml", CONTENT_HTML},
		{".css", CONTENT_CSS},	 {".js", CONTENT_JS},	 {".mjs", CONTENT_JS},
	};
	size_t n = strlen(name);
	for (size_t i = 0; i < PC_ARRAY_LEN(kinds); i++) {
		size_t el = strlen(kinds[i].ext);
		if (n > el && strcasecmp(name + n - el, kinds[i].ext) == 0)
			return kinds[i].kind;
	}
	return CONTENT_NONE;
}

unsigned content_scan(content_kind kind, const char *data, size_t len,
		      void (*found)(void *ud, const content_load *load), void *ud)
{
	scanner s = {data, len, found, ud};
	if (kind == CONTENT_HTML)
		scan_html(&s);
	else if (kind == CONTENT_CSS)
		scan_css(&s, 0, len);
	else if (kind == CONTENT_JS)
		scan_js(&s, 0, len);
	return kind == CONTENT_HTML || kind == CONTENT_JS ? mentions(data, len) : 0;
}
