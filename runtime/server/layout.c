/* What every page of the app shares: the head and header (navigation by role, the signed-in
 * person and the sign-out button in team mode), the footer, the headers every page is sent with,
 * and text made safe to show: escaped for HTML, with control characters and the bidirectional
 * overrides a title could use to disguise itself (U+202A-U+202E, U+2066-U+2069) replaced. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "common.h"
#include "utf8.h"

void html_text(buf *b, const char *s)
{
	if (!s)
		return;
	size_t len = strlen(s);
	size_t start = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		int bad = n == 0;
		if (!bad)
			bad = (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7f && cp < 0xa0) ||
			      (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
		if (bad) {
			buf_put_xml(b, s + start, i - start);
			buf_puts(b, "\xef\xbf\xbd"); /* U+FFFD, so the reader sees something was there */
			i += n ? n : 1;
			start = i;
		} else {
			i += n;
		}
	}
	buf_put_xml(b, s + start, len - start);
}

void url_segment(buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~')
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

/* The navigation: who sees which entry. */
static const struct nav_entry {
	enum layout_nav id;
	const char *href, *label;
	int min_role; /* -1: everyone, also in local mode */
} nav_entries[] = {
	{NAV_PACKAGES, "/", "Packages", -1},
	{NAV_RECORDS, "/records", "My records", -1},
	{NAV_TEAM, "/team", "Team records", ROLE_MANAGER},
	{NAV_ADMIN, "/admin", "Admin", ROLE_ADMIN},
};

void layout_head(rt_app *app, const http_request *req, buf *b, const char *title,
		 enum layout_nav current, const char *body_class)
{
	const app_session *s = req ? req->session : NULL;
	buf_puts(b, "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	html_text(b, title);
	buf_printf(b,
		   " – Postcard</title>\n<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n"
		   "<link rel=\"stylesheet\" href=\"/static/site.css\">\n</head>\n<body class=\"%s\">\n"
		   "<a class=\"skip-link\" href=\"#main\">Skip to main content</a>\n"
		   "<header class=\"site-header\">\n<a class=\"brand\" href=\"/\">Postcard</a>\n",
		   body_class);
	if (app->accounts && !s) {
		buf_puts(b, "</header>\n");
		return;
	}
	buf_puts(b, "<nav aria-label=\"Site\">\n<ul>\n");
	for (size_t i = 0; i < PC_ARRAY_LEN(nav_entries); i++) {
		const struct nav_entry *e = &nav_entries[i];
		if (e->min_role >= 0 && (!s || (int)s->role < e->min_role))
			continue;
		buf_printf(b, "<li><a href=\"%s\"%s>%s</a></li>\n", e->href,
			   current == e->id ? " aria-current=\"page\"" : "", e->label);
	}
	buf_puts(b, "</ul>\n</nav>\n");
	if (s) {
		buf_puts(b, "<form class=\"signout\" method=\"post\" action=\"/logout\">"
			    "<span class=\"who\">");
		html_text(b, s->name);
		buf_puts(b, "</span> <input type=\"hidden\" name=\"csrf\" value=\"");
		buf_puts(b, s->csrf);
		buf_puts(b, "\"><button type=\"submit\" class=\"button-link\">Sign out</button></form>\n");
	}
	buf_puts(b, "</header>\n");
}

void layout_foot(rt_app *app, buf *b)
{
	if (app->accounts)
		buf_puts(b, "<footer class=\"site-footer\"><p>Postcard: your progress is saved as you go. "
			    "Your organisation's administrators and your team's managers can see your "
			    "records.</p></footer>\n</body>\n</html>\n");
	else
		buf_puts(b, "<footer class=\"site-footer\"><p>Postcard runs SCORM packages on this "
			    "computer, for one learner and without accounts.</p></footer>\n</body>\n</html>\n");
}

void layout_finish(rt_app *app, http_response *resp)
{
	resp->content_type = "text/html; charset=utf-8";
	http_header_add(resp, "Cache-Control", "no-store");
	http_header_add(resp, "X-Content-Type-Options", "nosniff");
	http_header_add(resp, "Referrer-Policy", "same-origin");
	http_header_add(resp, "Content-Security-Policy",
			"default-src 'self'; frame-src %s; frame-ancestors 'none'; base-uri 'none'; "
			"form-action 'self'; object-src 'none'",
			origin_frame_src(app));
	if (buf_error(&resp->body))
		http_error(resp, 500, "the page is too large to build");
}

void layout_csrf(const http_request *req, buf *b)
{
	if (req->session)
		buf_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", req->session->csrf);
}
