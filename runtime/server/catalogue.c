/* The package list, the learner's home page: every package with what it is about (the summary,
 * about how long it takes, its phase of the Knowledge Mobilisation Framework, from the module
 * data Postcard-built packages carry, pkginfo.c), grouped as the framework groups them (overview,
 * learning before, during and after; then courses, then packages from elsewhere), the packages
 * assigned to the learner's groups first (team mode), and a search (GET ?q=, no script needed).
 * Each says where the learner is on it, as of their last save. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "cmi.h"
#include "common.h"

/* The sections, in the order the framework presents them. */
static const struct section {
	const char *phase; /* the module's phase, or NULL for the sections after */
	const char *title;
	const char *intro;
} sections[] = {
	{"overview", "Overview", NULL},
	{"before", "Learning before", "Techniques for the start of a piece of work."},
	{"during", "Learning during", "Techniques for while the work goes on."},
	{"after", "Learning after", "Techniques for when the work, or a stage of it, is done."},
	{NULL, "Courses", "Several modules in one package, with a list of parts."},
	{NULL, "Other packages", NULL},
};
enum { SECTION_COURSES = 4, SECTION_OTHER = 5 };

static size_t section_of(const rt_pkg *p)
{
	if (p->scos->launchable > 1)
		return SECTION_COURSES;
	long m = pkginfo_first_module(p);
	const char *phase = m >= 0 ? pkginfo_field(p, (size_t)m, "phase") : NULL;
	for (size_t i = 0; phase && i < SECTION_COURSES; i++)
		if (strcmp(sections[i].phase, phase) == 0)
			return i;
	return SECTION_OTHER;
}

/* Case-insensitive (ASCII) substring. */
static int contains(const char *hay, const char *needle)
{
	if (!hay)
		return 0;
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

static int matches(const rt_pkg *p, const char *q)
{
	if (!*q || contains(p->scos->title, q) || contains(p->id, q))
		return 1;
	for (size_t i = 0; i < p->scos->count; i++)
		if (contains(p->scos->items[i].title, q) || contains(pkginfo_field(p, i, "summary"), q))
			return 1;
	return 0;
}

/* One line about where the learner is on a package's latest attempt. */
static void status_text(buf *b, const store_attempt *a, const store_record *r, size_t n,
			const rt_pkg *p)
{
	if (!a) {
		buf_puts(b, "Not started");
		return;
	}
	buf_printf(b, "%s (attempt %lld)", a->closed ? "Finished" : "In progress", (long long)a->number);
	if (p->scos->launchable == 1 && n == 1) {
		const char *c = r[0].completion, *s = r[0].success;
		if (c && *c)
			buf_printf(b, ": %s", c);
		if (p->scos->version != SCORM_12 && s && *s && strcmp(s, "unknown") != 0)
			buf_printf(b, ", %s", s);
		if (r[0].score_raw && *r[0].score_raw)
			buf_printf(b, ", score %s", r[0].score_raw);
	} else if (p->scos->launchable > 1) {
		size_t done = 0;
		for (size_t i = 0; i < n; i++) {
			const char *c = r[i].completion ? r[i].completion : "";
			done += !strcmp(c, "completed") || !strcmp(c, "passed") || !strcmp(c, "failed");
		}
		buf_printf(b, ": %zu of %zu parts finished", done, p->scos->launchable);
	}
}

/* A sequenced package's line: the course as sequencing rolled it up (the package-level row of
 * records). 1 when it has a result. */
static int seq_status_text(buf *b, const store_attempt *a, const store_seq_record *r)
{
	buf_printf(b, "%s (attempt %lld)", a->closed ? "Finished" : "In progress", (long long)a->number);
	if (!r)
		return 0;
	int result = 0;
	const char *c = r->completion ? r->completion : "";
	const char *s = r->success ? r->success : "";
	if (!strcmp(c, "completed") || !strcmp(c, "incomplete")) {
		buf_printf(b, ": %s", c);
		result = !strcmp(c, "completed");
	}
	if (!strcmp(s, "passed") || !strcmp(s, "failed")) {
		buf_printf(b, "%s%s", *c && (result || !strcmp(c, "incomplete")) ? ", " : ": ", s);
		result = 1;
	}
	if (r->score_scaled && *r->score_scaled)
		buf_printf(b, ", score %.0f%%", strtod(r->score_scaled, NULL) * 100);
	return result;
}

static void one_package(rt_app *app, const http_request *req, buf *b, const rt_pkg *p,
			int64_t lid, const char *assigned_by)
{
	store_attempt a;
	int have = lid > 0 && app->st->ops->attempt_latest(app->st, lid, p->id, &a) == 0;
	store_record *r = NULL;
	size_t nr = 0;
	if (have) {
		store_filter f = {.attempt = a.id};
		app->st->ops->records(app->st, &f, &r, &nr);
	}
	long m = p->scos->launchable == 1 ? pkginfo_first_module(p) : -1;
	buf_puts(b, "<li class=\"package\">\n<h3><a href=\"/play/");
	url_segment(b, p->id);
	buf_puts(b, "\">");
	html_text(b, p->scos->title);
	buf_puts(b, "</a></h3>\n");
	const char *summary = m >= 0 ? pkginfo_field(p, (size_t)m, "summary") : NULL;
	if (summary) {
		buf_puts(b, "<p class=\"summary\">");
		html_text(b, summary);
		buf_puts(b, "</p>\n");
	}
	buf_puts(b, "<p class=\"meta\">");
	unsigned minutes = m >= 0 ? pkginfo_minutes(p, (size_t)m) : 0;
	if (minutes)
		buf_printf(b, "About %u minute%s · ", minutes, minutes == 1 ? "" : "s");
	if (p->scos->launchable > 1)
		buf_printf(b, "%zu parts · ", p->scos->launchable);
	buf_puts(b, sco_list_edition(p->scos));
	if (assigned_by) {
		buf_puts(b, " · assigned to ");
		html_text(b, assigned_by);
	}
	buf_puts(b, "</p>\n<p class=\"status\">");
	int result = 0;
	if (have && p->tree) {
		store_seq_record *sr = NULL;
		size_t ns = 0;
		store_filter f = {.attempt = a.id};
		if (app->st->ops->seq_records(app->st, &f, &sr, &ns) != 0)
			ns = 0;
		result = seq_status_text(b, &a, ns ? sr : NULL) && !a.closed;
		store_seq_records_free(sr, ns);
	} else {
		status_text(b, have ? &a : NULL, r, nr, p);
	}
	buf_puts(b, "</p>\n");
	/* An open attempt that already has a result (say a failed quiz the content keeps suspended
	 * for a retry) can be closed by the learner to start afresh. */
	for (size_t k = 0; have && !p->tree && !a.closed && k < nr; k++) {
		const char *c = r[k].completion ? r[k].completion : "";
		result |= !strcmp(c, "completed") || !strcmp(c, "passed") || !strcmp(c, "failed");
	}
	if (result) {
		buf_puts(b, "<form method=\"post\" action=\"/attempts/");
		url_segment(b, p->id);
		buf_puts(b, "/new\">");
		layout_csrf(req, b);
		buf_puts(b, "<button type=\"submit\" class=\"button-secondary\">Start a new "
			    "attempt<span class=\"visually-hidden\"> at ");
		html_text(b, p->scos->title);
		buf_puts(b, "</span></button></form>\n");
	}
	buf_puts(b, "</li>\n");
	store_records_free(r, nr);
	if (have)
		store_attempt_clear(&a);
}

void page_catalogue(rt_app *app, const http_request *req, http_response *resp)
{
	buf *b = &resp->body;
	const rt_pkg **pkgs = NULL;
	store_assignment *as = NULL;
	size_t n = 0, na = 0;
	char learner[80], q[200] = "";
	if (!http_query_param(req, "q", q, sizeof q))
		q[0] = '\0';
	int64_t lid = app_request_learner(app, req, learner, sizeof learner, 0);
	app_refresh(app); /* a package imported while we run shows up on the next visit */
	if (lid < 0 || app_packages(app, &pkgs, &n) != 0 ||
	    (app->accounts && lid > 0 && app->st->ops->assignment_list(app->st, lid, &as, &na) != 0)) {
		http_error(resp, 503, "the store does not answer");
		goto cleanup;
	}
	layout_head(app, req, b, "Packages", NAV_PACKAGES, "catalogue");
	buf_puts(b, "<main id=\"main\">\n<h1>Packages</h1>\n");
	if (n == 0) {
		buf_puts(b, "<p>No packages yet. Import one with <code>postcard import PACKAGE.zip</code> "
			    "and reload this page.</p>\n</main>\n");
		goto done;
	}
	buf_puts(b, "<form class=\"search\" role=\"search\" method=\"get\" action=\"/\">"
		    "<label for=\"q\">Search the packages</label> <input id=\"q\" name=\"q\" "
		    "type=\"search\" value=\"");
	html_text(b, q);
	buf_puts(b, "\"> <button type=\"submit\" class=\"button-secondary\">Search</button></form>\n");
	size_t shown = 0;
	for (size_t i = 0; i < n; i++)
		shown += matches(pkgs[i], q);
	if (*q) {
		buf_printf(b, "<p role=\"status\">%zu package%s match “", shown, shown == 1 ? "" : "s");
		html_text(b, q);
		buf_puts(b, "”. <a href=\"/\">Show them all</a>.</p>\n");
	}
	/* Assigned first: what the learner's groups are asked to do. */
	if (na) {
		int open = 0;
		for (size_t i = 0; i < n; i++) {
			const char *by = NULL;
			for (size_t k = 0; k < na && !by; k++)
				if (strcmp(as[k].package, pkgs[i]->id) == 0)
					by = as[k].group_name;
			if (!by || !matches(pkgs[i], q))
				continue;
			if (!open)
				buf_puts(b, "<section aria-labelledby=\"assigned\">\n<h2 id=\"assigned\">"
					    "Assigned to you</h2>\n<ul class=\"packages\">\n");
			open = 1;
			one_package(app, req, b, pkgs[i], lid, by);
		}
		if (open)
			buf_puts(b, "</ul>\n</section>\n");
	}
	for (size_t sec = 0; sec < PC_ARRAY_LEN(sections); sec++) {
		int open = 0;
		for (size_t i = 0; i < n; i++) {
			if (section_of(pkgs[i]) != sec || !matches(pkgs[i], q))
				continue;
			if (!open) {
				buf_printf(b, "<section aria-labelledby=\"sec-%zu\">\n<h2 id=\"sec-%zu\">%s</h2>\n",
					   sec, sec, sections[sec].title);
				if (sections[sec].intro)
					buf_printf(b, "<p>%s</p>\n", sections[sec].intro);
				buf_puts(b, "<ul class=\"packages\">\n");
			}
			open = 1;
			one_package(app, req, b, pkgs[i], lid, NULL);
		}
		if (open)
			buf_puts(b, "</ul>\n</section>\n");
	}
	buf_puts(b, "</main>\n");
done:
	layout_foot(app, b);
	layout_finish(app, resp);
cleanup:
	free(pkgs);
	store_assignments_free(as, na);
}
