/* The two origins (DESIGN.md §6 "Content is untrusted code", docs/seams.md §4). The app origin
 * serves the catalogue, records, admin and login; each package's files and the player frame that
 * hosts its SCORM API come from a content origin of their own, so one package's script cannot
 * read another's storage, frames or files, nor anything of the app.
 *
 * Both are told apart by the request's Host on the one listener. Local mode: the app answers to
 * "postcard.localhost" and to the loopback names (127.x.y.z, [::1], localhost), and package P to
 * "<label>.postcard.localhost", all on the same port; browsers resolve *.localhost to loopback
 * themselves (RFC 6761). The label is "p" and 24 hex digits of the SHA-256 of P's manifest
 * identifier, so it stays the same across versions.
 *
 * The content origins are subdomains of the app's name on purpose: the same site, so browsers
 * that block storage in another site's frames (third-party storage: Chromium's default here,
 * Brave, private windows) still give the content and the player frame their localStorage. From
 * 127.0.0.1 the content still works, as a third party.
 *
 * Team mode behind a proxy (--public-url https://lms.example.org): the app answers to that host
 * (and to the loopback names, for the machine itself), package P to the content pattern with
 * P's label for its '*' (--content-url, default *.lms.example.org with the same scheme: a wildcard name and
 * certificate, and again the same site as the app). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "app.h"
#include "common.h"

void origin_label(const char *package_id, char out[ORIGIN_LABEL_SIZE])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)package_id, strlen(package_id));
	static const char hex[] = "0123456789abcdef";
	out[0] = 'p';
	for (size_t i = 0; i < (ORIGIN_LABEL_SIZE - 2) / 2; i++) {
		out[1 + 2 * i] = hex[d[i] >> 4];
		out[2 + 2 * i] = hex[d[i] & 15];
	}
	out[ORIGIN_LABEL_SIZE - 1] = '\0';
}

/* A label as origin_label makes them ("p" and lower-case hex; hosts arrive in any case). */
static int read_label(const char *s, char out[ORIGIN_LABEL_SIZE])
{
	if (s[0] != 'p' && s[0] != 'P')
		return 0;
	out[0] = 'p';
	for (size_t i = 1; i < ORIGIN_LABEL_SIZE - 1; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
		out[i] = c;
	}
	out[ORIGIN_LABEL_SIZE - 1] = '\0';
	return 1;
}

/* 1 when s is empty or ":PORT" (1 to 5 digits, at most 65535). */
static int port_only(const char *s)
{
	if (!*s)
		return 1;
	if (*s++ != ':')
		return 0;
	size_t n = strspn(s, "0123456789");
	return n >= 1 && n <= 5 && !s[n] && strtol(s, NULL, 10) <= 65535;
}

/* Local mode's name for the app; packages are its subdomains. */
static const char local_app[] = "postcard.localhost";

/* 1 when `host` is `name` followed by nothing or a port (case-insensitive). */
static int host_is(const char *host, const char *name)
{
	size_t n = strlen(name);
	return strncasecmp(host, name, n) == 0 && port_only(host + n);
}

/* "scheme://host[:port]" with nothing after: fills the scheme's length and the host part. */
static int parse_origin(const char *url, size_t *scheme_len, const char **host)
{
	const char *sep = strstr(url, "://");
	if (!sep || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
		return -1;
	const char *h = sep + 3;
	size_t n = strcspn(h, "/?#");
	if (!n || h[n] || strchr(h, '@') || strchr(h, ' ') || n > 200)
		return -1;
	*scheme_len = (size_t)(sep - url);
	*host = h;
	return 0;
}

int origin_setup(rt_app *app, const char *public_url, const char *content_url, char *err,
		 size_t errsize)
{
	size_t sl, cl;
	const char *host, *chost;
	char tmp[300];
	if (!public_url)
		return 0;
	if (parse_origin(public_url, &sl, &host) != 0) {
		snprintf(err, errsize, "--public-url wants an origin such as https://lms.example.org (got '%s')",
			 public_url);
		return PC_EINVAL;
	}
	if (!content_url) {
		snprintf(tmp, sizeof tmp, "%.*s://*.%s", (int)sl, public_url, host);
		content_url = tmp;
	}
	if (parse_origin(content_url, &cl, &chost) != 0 || strncmp(chost, "*.", 2) != 0 ||
	    strchr(chost + 2, '*') || cl != sl || strncmp(content_url, public_url, sl) != 0) {
		snprintf(err, errsize,
			 "--content-url wants a pattern such as https://*.lms.example.org, with the "
			 "scheme of --public-url: each package gets its own name for the '*' (got '%s')",
			 content_url);
		return PC_EINVAL;
	}
	app->https = sl == 5;
	app->public_origin = strdup(public_url);
	app->public_host = strdup(host);
	app->content_origin = strdup(content_url);
	app->content_suffix = strdup(chost + 1); /* ".lms.example.org[:port]" */
	size_t n = strlen(public_url) + 64;
	app->csp_ancestors = malloc(n);
	app->csp_frames = strdup(content_url);
	if (!app->public_origin || !app->public_host || !app->content_origin || !app->content_suffix ||
	    !app->csp_ancestors || !app->csp_frames)
		return PC_ENOMEM;
	snprintf(app->csp_ancestors, n, "%s", public_url);
	return 0;
}

origin_kind origin_classify(const rt_app *app, const char *host, char label[ORIGIN_LABEL_SIZE])
{
	label[0] = '\0';
	if (http_host_is_loopback(host))
		return ORIGIN_APP;
	if (app->public_host) {
		if (strcasecmp(host, app->public_host) == 0)
			return ORIGIN_APP;
		if (read_label(host, label) && strcasecmp(host + ORIGIN_LABEL_SIZE - 1, app->content_suffix) == 0)
			return ORIGIN_CONTENT;
		label[0] = '\0';
		return ORIGIN_REFUSED;
	}
	if (host_is(host, local_app))
		return ORIGIN_APP;
	if (read_label(host, label) && host[ORIGIN_LABEL_SIZE - 1] == '.' &&
	    host_is(host + ORIGIN_LABEL_SIZE, local_app))
		return ORIGIN_CONTENT;
	label[0] = '\0';
	return ORIGIN_REFUSED;
}

void origin_content_url(const rt_app *app, const http_request *req, const rt_pkg *pkg, buf *out)
{
	if (app->content_origin) {
		const char *star = strchr(app->content_origin, '*');
		buf_printf(out, "%.*s%s%s", (int)(star - app->content_origin), app->content_origin,
			   pkg->label, star + 1);
		return;
	}
	/* The port the browser used to reach the app (none in the Host: its scheme's default). */
	const char *host = http_req_header(req, "Host");
	const char *port = NULL;
	if (host) {
		const char *close = host[0] == '[' ? strchr(host, ']') : host;
		port = close ? strchr(close, ':') : NULL;
	}
	buf_printf(out, "http://%s.%s", pkg->label, local_app);
	if (port)
		buf_puts(out, port);
	else if (!host && app->port)
		buf_printf(out, ":%u", app->port);
}

const char *origin_frame_ancestors(const rt_app *app)
{
	if (app->csp_ancestors)
		return app->csp_ancestors;
	/* CSP host sources cannot name IPv6 literals: [::1] is reached by a name. */
	return "http://postcard.localhost:* http://127.0.0.1:* http://localhost:*";
}

const char *origin_frame_src(const rt_app *app)
{
	return app->csp_frames ? app->csp_frames : "http://*.postcard.localhost:*";
}
