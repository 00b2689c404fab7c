/* Packages on the admin pages: the list, and importing a zip from the browser (what `postcard
 * import` does: validated first, refused with the findings when it has errors). The page's
 * script sends the file as the request body (application/zip), so nothing but the zip is parsed;
 * uploads are held in memory, so they are capped (ADMIN_UPLOAD_MAX): larger packages are
 * imported on the server with `postcard import`. One import runs at a time. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "app.h"
#include "common.h"

static pthread_mutex_t import_lock = PTHREAD_MUTEX_INITIALIZER;

void admin_packages_page(rt_app *app, const http_request *req, const char *rest,
			 http_response *resp)
{
	(void)rest;
	store_version *v = NULL;
	size_t n = 0;
	if (app->st->ops->version_list(app->st, &v, &n) != 0) {
		http_error(resp, 503, "the store does not answer");
		return;
	}
	buf *b = &resp->body;
	layout_head(app, req, b, "Packages", NAV_ADMIN, "admin");
	buf_puts(b, "<main id=\"main\">\n<h1>Packages</h1>\n<p><a href=\"/admin\">Admin</a></p>\n"
		    "<h2>Import a package</h2>\n<p>A SCORM 1.2 or 2004 zip. It is checked first, as "
		    "<code>postcard validate</code> does; a package with errors is refused and the "
		    "errors shown. Importing a new version of a package (the same manifest identifier) "
		    "keeps every learner's records. Up to 48 MB here; larger ones with <code>postcard "
		    "import</code> on the server.</p>\n<form id=\"upload\" class=\"form\" method=\"post\" "
		    "action=\"/admin/packages\" data-csrf=\"");
	if (req->session)
		buf_puts(b, req->session->csrf);
	buf_puts(b, "\">\n<div class=\"field\"><label for=\"package\">Package zip</label><input "
		    "id=\"package\" name=\"package\" type=\"file\" accept=\".zip,application/zip\" "
		    "required></div>\n<button type=\"submit\" class=\"button\">Import</button>\n</form>\n"
		    "<div id=\"upload-result\" role=\"status\"></div>\n<noscript><p class=\"notice\">"
		    "Importing from this page needs JavaScript.</p></noscript>\n");
	buf_printf(b, "<h2>Imported (%zu)</h2>\n", n);
	if (n) {
		buf_puts(b, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"pkg-caption\" "
			    "tabindex=\"0\">\n<table>\n<caption id=\"pkg-caption\">The current version of "
			    "each package</caption>\n<thead><tr><th scope=\"col\">Title</th><th scope=\"col\">"
			    "Identifier</th><th scope=\"col\">SCORM</th><th scope=\"col\">Version</th>"
			    "<th scope=\"col\">Imported (UTC)</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < n; i++) {
			buf_puts(b, "<tr><td>");
			html_text(b, v[i].title);
			buf_puts(b, "</td><td>");
			html_text(b, v[i].package);
			buf_puts(b, "</td><td>");
			html_text(b, v[i].scorm);
			buf_puts(b, "</td><td>");
			html_text(b, v[i].version_attr ? v[i].version_attr : "–");
			buf_puts(b, "</td><td>");
			html_text(b, v[i].imported_at);
			buf_puts(b, "</td></tr>\n");
		}
		buf_puts(b, "</tbody>\n</table>\n</div>\n");
	}
	buf_puts(b, "</main>\n<script src=\"/static/admin.js\"></script>\n");
	layout_foot(app, b);
	layout_finish(app, resp);
	store_versions_free(v, n);
}

/* POST /admin/packages, the zip as the body: answers JSON {"imported": bool, "package",
 * "title", "updated": bool, "findings": "text"} (422 when refused for its errors). */
void admin_packages_upload(rt_app *app, const http_request *req, const char *rest,
			   http_response *resp)
{
	(void)rest;
	if (!req->body || req->body_len < 22) {
		http_error(resp, 400, "send the package zip as the request body");
		return;
	}
	char path[4200];
	unsigned char raw[8];
	char name[17];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(name, sizeof name, raw, sizeof raw);
	snprintf(path, sizeof path, "%s/packages/.upload-%s.zip", app->data_dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	size_t off = 0;
	while (fd >= 0 && off < req->body_len) {
		ssize_t w = write(fd, req->body + off, req->body_len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (fd < 0 || off != req->body_len || close(fd) != 0) {
		if (fd >= 0)
			unlink(path);
		http_error(resp, 500, "cannot write the upload to the data folder");
		return;
	}
	diag_sink *sink = NULL;
	rt_import_result res;
	int rc = diag_sink_new(&sink);
	if (rc == 0) {
		pthread_mutex_lock(&import_lock);
		rc = rt_import(app, path, sink, &res);
		pthread_mutex_unlock(&import_lock);
	}
	unlink(path);
	buf findings;
	buf_init(&findings, 64 << 10);
	if (sink)
		diag_render_text(sink, &findings, 0);
	diag_sink_free(sink);
	buf *b = &resp->body;
	resp->content_type = "application/json";
	http_header_add(resp, "Cache-Control", "no-store");
	if (rc == 0) {
		buf_puts(b, "{\"imported\":true,\"package\":");
		buf_put_json_string(b, res.package);
		buf_puts(b, ",\"title\":");
		buf_put_json_string(b, res.title);
		buf_printf(b, ",\"updated\":%s,\"already\":%s", res.previous[0] ? "true" : "false",
			   res.already ? "true" : "false");
		app->st->ops->audit_add(app->st, req->session ? req->session->email : NULL,
					"package imported", res.package, res.title);
	} else {
		resp->status = rc == PC_EINVALID ? 422 : 400;
		buf_puts(b, "{\"imported\":false,\"error\":");
		buf_put_json_string(b, rc == PC_EINVALID ? "the package has errors" : pc_strerror(rc));
	}
	buf_puts(b, ",\"findings\":");
	buf_put_json_string(b, buf_cstr(&findings));
	buf_puts(b, "}\n");
	buf_free(&findings);
	app_refresh(app);
}
