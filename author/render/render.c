/* Card bodies: CommonMark parsed by cmark, turned into HTML by our own walk over the tree so that
 * raw HTML is never passed through (safe mode: it is dropped with a warning), headings are shifted
 * so the card title is an <h2>, links and images are checked (files exist in the module, alt text
 * present, no unsafe schemes, nothing loaded from outside) and external links open safely. The walk
 * uses cmark's iterator, not recursion, so deeply nested Markdown cannot exhaust the stack. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>

#include "buf.h"
#include "common.h"
#include "model.h"

/* Rendered card HTML cap: a 256 KiB card cannot legitimately grow past this. */
#define CARD_HTML_MAX ((size_t)4 << 20)

typedef struct rctx {
	module *m;
	card *c;
	diag_src *src;
	diag_sink *sink;
	int errors;
	int oom;
} rctx;

/* Byte offset in the card source of a node, using the nearest ancestor that has a position
 * (cmark gives positions to blocks, not always to inlines). */
static size_t node_off(rctx *r, cmark_node *n)
{
	for (; n; n = cmark_node_parent(n)) {
		int line = cmark_node_get_start_line(n), col = cmark_node_get_start_column(n);
		if (line <= 0)
			continue;
		size_t off = 0;
		for (int l = 1; l < line && off < r->src->len; off++)
			if (r->src->text[off] == '\n')
				l++;
		off += col > 0 ? (size_t)col - 1 : 0;
		return off > r->src->len ? r->src->len : off;
	}
	return 0;
}

static void rreport(rctx *r, diag_level lvl, cmark_node *n, const char *check, const char *fmt,
		    va_list ap) __attribute__((format(printf, 5, 0)));
static void rreport(rctx *r, diag_level lvl, cmark_node *n, const char *check, const char *fmt,
		    va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	diag_at(r->sink, lvl, r->src, node_off(r, n), check, "%s", msg);
	if (lvl == DIAG_ERROR)
		r->errors++;
}

static void rerr(rctx *r, cmark_node *n, const char *check, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void rerr(rctx *r, cmark_node *n, const char *check, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rreport(r, DIAG_ERROR, n, check, fmt, ap);
	va_end(ap);
}

static void rwarn(rctx *r, cmark_node *n, const char *check, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void rwarn(rctx *r, cmark_node *n, const char *check, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rreport(r, DIAG_WARNING, n, check, fmt, ap);
	va_end(ap);
}

/* The plain text under a node (for titles, alt text and link text). */
static void plain_text(cmark_node *n, buf *out)
{
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			buf_puts(out, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/* The scheme of a URL ("https"), or "" for a relative reference. */
static void url_scheme(const char *url, char *out, size_t cap)
{
	size_t i = 0;
	out[0] = '\0';
	if (!isalpha((unsigned char)url[0]))
		return;
	while (url[i] && (isalnum((unsigned char)url[i]) || url[i] == '+' || url[i] == '-' ||
			  url[i] == '.'))
		i++;
	if (url[i] != ':' || i + 1 > cap)
		return;
	for (size_t k = 0; k < i; k++)
		out[k] = (char)tolower((unsigned char)url[k]);
	out[i] = '\0';
}

static const char *const image_exts[] = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"};

static int has_image_ext(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot)
		return 0;
	for (size_t i = 0; i < PC_ARRAY_LEN(image_exts); i++)
		if (strcasecmp(dot, image_exts[i]) == 0)
			return 1;
	return 0;
}

/* Checks a relative reference to a module file and adds the file to the package. `path` is the
 * URL without its fragment. Returns 0 or reports. */
static void local_file(rctx *r, cmark_node *n, const char *path)
{
	const char *p = path;
	while (strncmp(p, "./", 2) == 0)
		p += 2;
	int ok = *p && *p != '/';
	for (const char *s = p; ok && *s; s++)
		ok = isalnum((unsigned char)*s) || *s == '-' || *s == '_' || *s == '.' || *s == '/';
	/* no "..", no empty segment, no segment starting with a dot */
	for (const char *s = p; ok && *s; s++)
		if ((s == p || s[-1] == '/') && (*s == '.' || *s == '/'))
			ok = 0;
	if (ok && p[strlen(p) - 1] == '/')
		ok = 0;
	if (!ok) {
		rerr(r, n, "link-path",
		     "'%s' is not a usable file name: link to files inside the module folder, with names made of letters, digits, '-', '_' and '.' (no '..')",
		     path);
		return;
	}
	if (strcmp(p, "module.xml") == 0) {
		rerr(r, n, "link-path", "'%s' cannot be linked from a card", path);
		return;
	}
	int rc = module_add_media(r->m, p, r->src, node_off(r, n), r->sink);
	if (rc == PC_ENOMEM)
		r->oom = 1;
	else if (rc != 0)
		r->errors++;
}

/* Returns 1 for an external link (http, https, mailto), 0 for a local one, -1 if refused. */
static int check_url(rctx *r, cmark_node *n, const char *url, int image)
{
	char scheme[16];
	if (!url || !*url) {
		rerr(r, n, "link-path", "%s has no address", image ? "image" : "link");
		return -1;
	}
	url_scheme(url, scheme, sizeof scheme);
	if (*scheme) {
		if (image) {
			rerr(r, n, "image-remote",
			     "image '%s' is not in the module: a package must not load anything from outside, so put the image in media/",
			     url);
			return -1;
		}
		if (strcmp(scheme, "http") && strcmp(scheme, "https") && strcmp(scheme, "mailto")) {
			rerr(r, n, "link-scheme",
			     "link '%s' uses a scheme that is not allowed (only http, https and mailto)",
			     url);
			return -1;
		}
		return 1;
	}
	if (url[0] == '#')
		return 0;
	if (strncmp(url, "//", 2) == 0) {
		rerr(r, n, "link-scheme", "'%s': write the full address with https://", url);
		return -1;
	}
	char *path = strdup(url);
	if (!path) {
		r->oom = 1;
		return -1;
	}
	path[strcspn(path, "#")] = '\0';
	if (strchr(path, '?')) {
		rerr(r, n, "link-path", "'%s': a link to a module file cannot have a query ('?')", url);
		free(path);
		return -1;
	}
	if (image && !has_image_ext(path)) {
		rerr(r, n, "image-type",
		     "image '%s' is not a web image: use .png, .jpg, .gif, .svg or .webp", url);
	} else {
		size_t before = (size_t)r->errors;
		local_file(r, n, path);
		if ((size_t)r->errors != before) {
			free(path);
			return -1;
		}
	}
	free(path);
	return 0;
}

static void put_attr(buf *b, const char *name, const char *value)
{
	buf_printf(b, " %s=\"", name);
	buf_put_xml(b, value, strlen(value));
	buf_putc(b, '"');
}

static int list_is_tight(cmark_node *paragraph)
{
	cmark_node *item = cmark_node_parent(paragraph);
	if (!item || cmark_node_get_type(item) != CMARK_NODE_ITEM)
		return 0;
	cmark_node *list = cmark_node_parent(item);
	return list && cmark_node_get_list_tight(list);
}

typedef struct heads {
	int title_level; /* 0 until the first heading */
	int prev;
	int shift;
} heads;

static void heading_enter(rctx *r, heads *h, cmark_node *n, buf *out)
{
	int level = cmark_node_get_heading_level(n);
	char msg[64];
	if (!h->title_level) {
		h->title_level = h->prev = level;
		h->shift = 2 - level;
		buf tb = BUF_INIT;
		buf_init(&tb, 4096);
		plain_text(n, &tb);
		r->c->title = buf_detach(&tb, NULL);
		if (!r->c->title || blank(r->c->title)) {
			free(r->c->title);
			r->c->title = NULL;
			rerr(r, n, "card-title", "%s", "the card's first heading is empty: it is the card's title");
		}
	} else {
		if (level < h->title_level) {
			snprintf(msg, sizeof msg, "%d", level);
			rerr(r, n, "heading-level",
			     "heading level %s is above the card's title: the first heading must be the highest",
			     msg);
		} else if (level > h->prev + 1) {
			snprintf(msg, sizeof msg, "%d to %d", h->prev, level);
			rerr(r, n, "heading-level",
			     "heading level jumps from %s: do not skip levels (screen readers navigate by them)",
			     msg);
		}
		h->prev = level;
	}
	int shown = level + h->shift;
	shown = shown < 2 ? 2 : shown > 6 ? 6 : shown;
	buf_printf(out, "<h%d>", shown);
}

static void heading_exit(heads *h, cmark_node *n, buf *out)
{
	int shown = cmark_node_get_heading_level(n) + h->shift;
	shown = shown < 2 ? 2 : shown > 6 ? 6 : shown;
	buf_printf(out, "</h%d>\n", shown);
}

static void link_enter(rctx *r, cmark_node *n, buf *out, int *external)
{
	const char *url = cmark_node_get_url(n);
	buf text = BUF_INIT;
	buf_init(&text, 4096);
	plain_text(n, &text);
	int has_img = 0;
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
		has_img |= cmark_node_get_type(c) == CMARK_NODE_IMAGE;
	if (blank(buf_cstr(&text)) && !has_img)
		rerr(r, n, "link-text", "link to '%s' has no text: say where it goes", url ? url : "");
	else if (link_text_vague(buf_cstr(&text)))
		rwarn(r, n, "link-text",
		      "link text '%s' does not say where the link goes; name the page instead",
		      buf_cstr(&text));
	buf_free(&text);
	int kind = check_url(r, n, url, 0);
	*external = kind == 1;
	buf_puts(out, "<a");
	put_attr(out, "href", kind >= 0 ? url : "#");
	const char *title = cmark_node_get_title(n);
	if (title && *title)
		put_attr(out, "title", title);
	if (kind == 1) /* never give the opened page a handle on the package's window */
		buf_puts(out, " target=\"_blank\" rel=\"noopener noreferrer\"");
	else if (kind == 0 && url && url[0] != '#')
		/* A module file (a template, a handout) is downloaded: opening it in the SCO's own frame
		 * would end the session (pagehide). Where a browser ignores `download`, a new tab. */
		buf_puts(out, " download target=\"_blank\"");
	buf_putc(out, '>');
}

static void image_node(rctx *r, cmark_node *n, buf *out)
{
	const char *url = cmark_node_get_url(n);
	buf alt = BUF_INIT;
	buf_init(&alt, 4096);
	plain_text(n, &alt);
	if (blank(buf_cstr(&alt)))
		rerr(r, n, "image-alt",
		     "image '%s' has no alt text: describe what it shows, ![like this](media/photo.png)",
		     url ? url : "");
	int kind = check_url(r, n, url, 1);
	buf_puts(out, "<img");
	put_attr(out, "src", kind == 0 && url ? url : "");
	put_attr(out, "alt", buf_cstr(&alt));
	const char *title = cmark_node_get_title(n);
	if (title && *title)
		put_attr(out, "title", title);
	buf_puts(out, ">");
	buf_free(&alt);
}

/* Walks the document, writing HTML to `out`. Images are rendered on entry and their children
 * skipped (the children are the alt text). */
/* An image or link Markdown could not read stays text: "![Map](media/my map.png)" (a space in
 * the path ends it) would show as those characters, the picture silently missing. Looks at
 * the text directly inside a paragraph or heading for "[...](...)" with white space in the
 * parentheses and reports it where it is written. */
static void unread_links(rctx *r, cmark_node *block)
{
	buf text = BUF_INIT;
	for (cmark_node *c = cmark_node_first_child(block); c; c = cmark_node_next(c)) {
		const char *lit = cmark_node_get_literal(c);
		if (cmark_node_get_type(c) == CMARK_NODE_TEXT && lit)
			buf_puts(&text, lit);
		else
			buf_putc(&text, cmark_node_get_type(c) == CMARK_NODE_SOFTBREAK ? ' ' : '\n');
	}
	if (buf_error(&text)) {
		r->oom |= buf_error(&text) == PC_ENOMEM;
		buf_free(&text);
		return;
	}
	const char *g = buf_cstr(&text);
	for (const char *k = strstr(g, "]("); k; k = strstr(k + 2, "](")) {
		const char *open = k;
		while (open > g && open[-1] != '[' && open[-1] != '\n')
			open--;
		if (open == g || open[-1] != '[')
			continue;
		open--;
		int image = open > g && open[-1] == '!';
		const char *dest = k + 2, *close = strchr(dest, ')');
		const char *nl = strchr(dest, '\n');
		if (!close || (nl && nl < close))
			continue;
		size_t dl = (size_t)(close - dest);
		if (!memchr(dest, ' ', dl) && !memchr(dest, '\t', dl))
			continue;
		/* where it is written: the same characters in the card, from the block on */
		const char *from = image ? open - 1 : open;
		size_t at = node_off(r, block), n = (size_t)(k + 2 - from);
		for (size_t i = at; i + n <= r->src->len; i++)
			if (memcmp(r->src->text + i, from, n) == 0) {
				at = i;
				break;
			}
		/* the same path with '-' for each space: module files have no spaces */
		char fixed[256];
		size_t fl = dl < sizeof fixed - 1 ? dl : sizeof fixed - 1;
		for (size_t i = 0; i < fl; i++)
			fixed[i] = dest[i] == ' ' || dest[i] == '\t' ? '-' : dest[i];
		fixed[fl] = '\0';
		int remote = strstr(fixed, "://") != NULL;
		if (image)
			diag_at(r->sink, DIAG_ERROR, r->src, at, "image-path",
				"image '%.*s' has a space in its path, so Markdown does not read it as an "
				"image (it would show as text): rename the file without spaces, such as "
				"'%s'",
				(int)dl, dest, fixed);
		else if (remote)
			diag_at(r->sink, DIAG_ERROR, r->src, at, "link-path",
				"link '%.*s' has a space in its address, so Markdown does not read it as "
				"a link (it would show as text): write %%20 for each space",
				(int)dl, dest);
		else
			diag_at(r->sink, DIAG_ERROR, r->src, at, "link-path",
				"link '%.*s' has a space in its path, so Markdown does not read it as a "
				"link (it would show as text): rename the file without spaces, such as "
				"'%s'",
				(int)dl, dest, fixed);
		r->errors++;
	}
	buf_free(&text);
}

static void walk(rctx *r, cmark_node *doc, buf *out)
{
	heads h = {0, 0, 0};
	int ext_stack[64] = {0}, depth = 0; /* links do not nest; the stack is a guard */
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int enter = ev == CMARK_EVENT_ENTER;
		const char *lit = cmark_node_get_literal(n);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_DOCUMENT:
			break;
		case CMARK_NODE_BLOCK_QUOTE:
			buf_puts(out, enter ? "<blockquote>\n" : "</blockquote>\n");
			break;
		case CMARK_NODE_LIST: {
			int ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
			if (!enter)
				buf_puts(out, ordered ? "</ol>\n" : "</ul>\n");
			else if (ordered && cmark_node_get_list_start(n) != 1)
				buf_printf(out, "<ol start=\"%d\">\n", cmark_node_get_list_start(n));
			else
				buf_puts(out, ordered ? "<ol>\n" : "<ul>\n");
			break;
		}
		case CMARK_NODE_ITEM:
			buf_puts(out, enter ? "<li>" : "</li>\n");
			break;
		case CMARK_NODE_CODE_BLOCK: {
			const char *info = cmark_node_get_fence_info(n);
			buf_puts(out, "<pre><code");
			if (info && *info) {
				size_t l = strcspn(info, " \t");
				buf_puts(out, " class=\"language-");
				buf_put_xml(out, info, l);
				buf_putc(out, '"');
			}
			buf_putc(out, '>');
			buf_put_xml(out, lit ? lit : "", lit ? strlen(lit) : 0);
			buf_puts(out, "</code></pre>\n");
			break;
		}
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			rwarn(r, n, "raw-html", "%s",
			      "raw HTML is not allowed in cards and was left out; use Markdown");
			break;
		case CMARK_NODE_PARAGRAPH:
			if (enter)
				unread_links(r, n);
			if (!list_is_tight(n))
				buf_puts(out, enter ? "<p>" : "</p>\n");
			else if (!enter)
				buf_putc(out, '\n');
			break;
		case CMARK_NODE_HEADING:
			if (enter)
				unread_links(r, n);
			if (enter)
				heading_enter(r, &h, n, out);
			else
				heading_exit(&h, n, out);
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			buf_puts(out, "<hr>\n");
			break;
		case CMARK_NODE_TEXT:
			buf_put_xml(out, lit ? lit : "", lit ? strlen(lit) : 0);
			break;
		case CMARK_NODE_SOFTBREAK:
			buf_putc(out, '\n');
			break;
		case CMARK_NODE_LINEBREAK:
			buf_puts(out, "<br>\n");
			break;
		case CMARK_NODE_CODE:
			buf_puts(out, "<code>");
			buf_put_xml(out, lit ? lit : "", lit ? strlen(lit) : 0);
			buf_puts(out, "</code>");
			break;
		case CMARK_NODE_EMPH:
			buf_puts(out, enter ? "<em>" : "</em>");
			break;
		case CMARK_NODE_STRONG:
			buf_puts(out, enter ? "<strong>" : "</strong>");
			break;
		case CMARK_NODE_LINK:
			if (enter) {
				int ext = 0;
				link_enter(r, n, out, &ext);
				if (depth < (int)PC_ARRAY_LEN(ext_stack))
					ext_stack[depth] = ext;
				depth++;
			} else {
				depth--;
				if (depth >= 0 && depth < (int)PC_ARRAY_LEN(ext_stack) && ext_stack[depth])
					buf_puts(out, " (opens in a new tab)");
				buf_puts(out, "</a>");
			}
			break;
		case CMARK_NODE_IMAGE:
			if (enter) {
				image_node(r, n, out);
				/* skip the alt-text children: resume at this node's exit */
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			}
			break;
		default: /* custom nodes are never produced by the parser */
			break;
		}
		if (r->oom)
			break;
	}
	cmark_iter_free(it);
	if (!h.title_level && !r->oom) {
		diag_at(r->sink, DIAG_ERROR, r->src, 0, "card-title",
			"card '%s' has no heading: its first heading (# Title) is the card's title",
			r->c->id);
		r->errors++;
	}
}

int render_card(module *m, card *c, diag_src *card_src, diag_sink *sink)
{
	rctx r = {m, c, card_src, sink, 0, 0};
	if (blank(card_src->text)) {
		diag_at(sink, DIAG_ERROR, card_src, 0, "card-empty", "card '%s' is empty", c->id);
		return PC_EINVALID;
	}
	cmark_node *doc = cmark_parse_document(card_src->text, card_src->len, CMARK_OPT_DEFAULT);
	if (!doc)
		return PC_ENOMEM;
	buf out = BUF_INIT;
	buf_init(&out, CARD_HTML_MAX);
	walk(&r, doc, &out);
	cmark_node_free(doc);
	if (r.oom || buf_error(&out) == PC_ENOMEM) {
		buf_free(&out);
		return PC_ENOMEM;
	}
	if (buf_error(&out)) {
		diag_at(sink, DIAG_ERROR, card_src, 0, "card-size", "card '%s' renders to more than %zu MiB",
			c->id, CARD_HTML_MAX >> 20);
		r.errors++;
	}
	free(c->html);
	c->html = buf_detach(&out, NULL);
	if (!c->html && !r.errors)
		c->html = strdup("");
	if (!c->html && !r.errors)
		return PC_ENOMEM;
	return r.errors ? PC_EINVALID : 0;
}
