/* Team records (team mode), for managers and admins: every part of every package their people
 * opened, with filters (group, package, status, last activity between two dates), as a table that
 * reads as a list on a phone, and the same rows as CSV; and each learner's page: their attempts,
 * their answers with the question and the options' text (pkginfo.c), their reflections. A
 * sequenced package's attempt also has its package-level row (sequencing's roll-up) after its
 * parts, in all three. A manager sees the people of the groups they manage; an admin, everyone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cmi.h"
#include "common.h"

static const char *const statuses[] = {"passed", "failed", "completed", "incomplete"};

/* The filters of a request (GET parameters), checked. */
struct team_filter {
	char group[24], package[512], status[16], from[11], to[11];
	char since[24], until[24];
	store_filter f;
};

static int date_ok(const char *s)
{
	return strlen(s) == 10 && strspn(s, "0123456789-") == 10 && s[4] == '-' && s[7] == '-';
}

static void read_filter(const http_request *req, struct team_filter *t)
{
	memset(t, 0, sizeof *t);
	if (!http_query_param(req, "group", t->group, sizeof t->group))
		t->group[0] = '\0';
	if (!http_query_param(req, "package", t->package, sizeof t->package))
		t->package[0] = '\0';
	if (!http_query_param(req, "status", t->status, sizeof t->status))
		t->status[0] = '\0';
	if (!http_query_param(req, "from", t->from, sizeof t->from) || !date_ok(t->from))
		t->from[0] = '\0';
	if (!http_query_param(req, "to", t->to, sizeof t->to) || !date_ok(t->to))
		t->to[0] = '\0';
	int known = 0;
	for (size_t i = 0; i < PC_ARRAY_LEN(statuses); i++)
		known |= strcmp(t->status, statuses[i]) == 0;
	if (!known)
		t->status[0] = '\0';
	t->f.group = strtoll(t->group, NULL, 10);
	t->f.package = t->package[0] ? t->package : NULL;
	t->f.status = t->status[0] ? t->status : NULL;
	if (t->from[0]) {
		snprintf(t->since, sizeof t->since, "%sT00:00:00Z", t->from);
		t->f.since = t->since;
	}
	if (t->to[0]) {
		/* "T24" sorts after every time of that day and before the next day. */
		snprintf(t->until, sizeof t->until, "%sT24", t->to);
		t->f.until = t->until;
	}
	/* A manager sees the people of the groups they manage; an admin, everyone. */
	if (req->session && req->session->role != ROLE_ADMIN)
		t->f.manager = req->session->user_id;
}

/* The query string that repeats the filters (for the CSV link and the learner pages). */
static void filter_query(const struct team_filter *t, buf *b)
{
	static const char *const names[] = {"group", "package", "status", "from", "to"};
	const char *values[] = {t->group, t->package, t->status, t->from, t->to};
	int first = 1;
	for (size_t i = 0; i < PC_ARRAY_LEN(names); i++) {
		if (!values[i][0])
			continue;
		buf_printf(b, "%s%s=", first ? "?" : "&", names[i]);
		url_segment(b, values[i]);
		first = 0;
	}
}

/* The groups a person may filter by: those they manage (admins: all). */
static int my_groups(rt_app *app, const app_session *s, store_group **out, size_t *n)
{
	int rc = app->st->ops->group_list(app->st, out, n);
	if (rc || s->role == ROLE_ADMIN)
		return rc;
	store_member *m = NULL;
	size_t nm = 0;
	if ((rc = app->st->ops->member_list(app->st, 0, s->user_id, &m, &nm)) != 0)
		return rc;
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		int manages = 0;
		for (size_t j = 0; j < nm && !manages; j++)
			manages = m[j].group_id == (*out)[i].id && m[j].manager;
		if (manages)
			(*out)[k++] = (*out)[i];
		else
			free((*out)[i].name);
	}
	*n = k;
	store_members_free(m, nm);
	return 0;
}

static const char *part_title(rt_app *app, const store_record *r)
{
	const rt_pkg *p = app_find_package(app, r->package);
	const sco_item *it = p ? sco_list_find(p->scos, r->item) : NULL;
	return it ? it->title : r->item;
}

static void status_cell(buf *b, const char *completion, const char *success)
{
	html_text(b, completion ? completion : "not attempted");
	if (success && strcmp(success, completion ? completion : "") != 0 &&
	    strcmp(success, "unknown") != 0) {
		buf_puts(b, ", ");
		html_text(b, success);
	}
}

void page_team(rt_app *app, const http_request *req, http_response *resp)
{
	struct team_filter t;
	read_filter(req, &t);
	store_group *g = NULL;
	store_record *r = NULL;
	store_seq_record *pr = NULL;
	const rt_pkg **pkgs = NULL;
	size_t ng = 0, nr = 0, npr = 0, np = 0;
	if (my_groups(app, req->session, &g, &ng) || app_packages(app, &pkgs, &np) ||
	    app->st->ops->records(app->st, &t.f, &r, &nr) ||
	    app->st->ops->seq_records(app->st, &t.f, &pr, &npr)) {
		http_error(resp, 503, "the store does not answer");
		goto cleanup;
	}
	buf *b = &resp->body;
	layout_head(app, req, b, "Team records", NAV_TEAM, "team");
	buf_puts(b, "<main id=\"main\">\n<h1>Team records</h1>\n");
	if (req->session->role != ROLE_ADMIN && !ng)
		buf_puts(b, "<p>You do not manage a group yet: an administrator can make you the "
			    "manager of one.</p>\n");
	if (ng) {
		buf_puts(b, "<p>Assign packages to ");
		for (size_t i = 0; i < ng; i++) {
			buf_printf(b, "%s<a href=\"/admin/groups/%lld\">", i ? ", " : "", (long long)g[i].id);
			html_text(b, g[i].name);
			buf_puts(b, "</a>");
		}
		buf_puts(b, ".</p>\n");
	}
	/* Filters. */
	buf_puts(b, "<form class=\"filters\" method=\"get\" action=\"/team\">\n<div class=\"field\">"
		    "<label for=\"f-group\">Group</label><select id=\"f-group\" name=\"group\"><option "
		    "value=\"\">All my people</option>");
	for (size_t i = 0; i < ng; i++) {
		buf_printf(b, "<option value=\"%lld\"%s>", (long long)g[i].id,
			   t.f.group == g[i].id ? " selected" : "");
		html_text(b, g[i].name);
		buf_puts(b, "</option>");
	}
	buf_puts(b, "</select></div>\n<div class=\"field\"><label for=\"f-package\">Package</label>"
		    "<select id=\"f-package\" name=\"package\"><option value=\"\">Any</option>");
	for (size_t i = 0; i < np; i++) {
		buf_puts(b, "<option value=\"");
		html_text(b, pkgs[i]->id);
		buf_printf(b, "\"%s>", strcmp(t.package, pkgs[i]->id) == 0 ? " selected" : "");
		html_text(b, pkgs[i]->scos->title);
		buf_puts(b, "</option>");
	}
	buf_puts(b, "</select></div>\n<div class=\"field\"><label for=\"f-status\">Status</label>"
		    "<select id=\"f-status\" name=\"status\"><option value=\"\">Any</option>");
	for (size_t i = 0; i < PC_ARRAY_LEN(statuses); i++)
		buf_printf(b, "<option value=\"%s\"%s>%s</option>", statuses[i],
			   strcmp(t.status, statuses[i]) == 0 ? " selected" : "", statuses[i]);
	buf_printf(b, "</select></div>\n<div class=\"field\"><label for=\"f-from\">Last activity from"
		      "</label><input id=\"f-from\" name=\"from\" type=\"date\" value=\"%s\"></div>\n"
		      "<div class=\"field\"><label for=\"f-to\">to</label><input id=\"f-to\" name=\"to\" "
		      "type=\"date\" value=\"%s\"></div>\n<button type=\"submit\" class=\"button\">Show"
		      "</button>\n</form>\n",
		   t.from, t.to);
	buf_printf(b, "<p>%zu record%s. <a href=\"/team.csv", nr + npr, nr + npr == 1 ? "" : "s");
	filter_query(&t, b);
	buf_puts(b, "\">Download these as CSV</a></p>\n");
	if (nr + npr) {
		buf_puts(b, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"team-caption\" "
			    "tabindex=\"0\">\n<table class=\"stack\">\n<caption id=\"team-caption\">Each "
			    "part each person opened, by person, package and attempt (for a sequenced "
			    "package, then the whole package)</caption>\n<thead><tr><th scope=\"col\">"
			    "Learner</th><th scope=\"col\">Package</th><th scope=\"col\">Part</th>"
			    "<th scope=\"col\">Attempt</th><th scope=\"col\">Status</th><th scope=\"col\">"
			    "Score</th><th scope=\"col\">Time</th><th scope=\"col\">Last activity (UTC)"
			    "</th></tr></thead>\n<tbody>\n");
		record_table tbl = {.app = app, .b = b, .team = 1};
		app_records_walk(r, nr, pr, npr, record_table_row, &tbl);
		buf_puts(b, "</tbody>\n</table>\n</div>\n");
	}
	buf_puts(b, "</main>\n");
	layout_foot(app, b);
	layout_finish(app, resp);
cleanup:
	store_groups_free(g, ng);
	store_records_free(r, nr);
	store_seq_records_free(pr, npr);
	free(pkgs);
}

/* One CSV line of the team export; a package row (sequencing's roll-up of the attempt) has no
 * part and no raw score, and says "package" in the level column. */
static int team_csv_line(void *ctx, const store_record *sco, const store_seq_record *whole)
{
	const record_table *t = ctx;
	buf *b = t->b;
	char att[24], secs[32];
	snprintf(att, sizeof att, "%lld", (long long)(sco ? sco->attempt : whole->attempt));
	snprintf(secs, sizeof secs, "%.0f", sco ? sco->total_seconds : whole->total_seconds);
	csv_cell(b, sco ? sco->learner_name : whole->learner_name, 0);
	csv_cell(b, sco ? sco->learner_email : whole->learner_email, 0);
	csv_cell(b, sco ? sco->package : whole->package, 0);
	csv_cell(b, sco ? sco->package_title : whole->package_title, 0);
	csv_cell(b, sco ? part_title(t->app, sco) : "", 0);
	csv_cell(b, att, 0);
	csv_cell(b, (sco ? sco->closed : whole->closed) ? "yes" : "no", 0);
	csv_cell(b, sco ? sco->completion : whole->completion, 0);
	csv_cell(b, sco ? sco->success : whole->success, 0);
	csv_cell(b, sco ? sco->score_raw : "", 0);
	csv_cell(b, sco ? sco->score_scaled : whole->score_scaled, 0);
	csv_cell(b, secs, 0);
	csv_cell(b, sco ? sco->updated_at : whole->updated_at, 0);
	csv_cell(b, sco ? "sco" : "package", 1);
	return 0;
}

void page_team_csv(rt_app *app, const http_request *req, http_response *resp)
{
	struct team_filter t;
	read_filter(req, &t);
	store_record *r = NULL;
	store_seq_record *pr = NULL;
	size_t nr = 0, npr = 0;
	if (app->st->ops->records(app->st, &t.f, &r, &nr) ||
	    app->st->ops->seq_records(app->st, &t.f, &pr, &npr)) {
		store_records_free(r, nr);
		http_error(resp, 503, "the store does not answer");
		return;
	}
	buf *b = &resp->body;
	buf_puts(b, "learner,email,package,package_title,part,attempt,finished,status,success,score_raw,"
		    "score_scaled,seconds,last_activity,level\n");
	record_table tbl = {.app = app, .b = b, .team = 1};
	app_records_walk(r, nr, pr, npr, team_csv_line, &tbl);
	store_records_free(r, nr);
	store_seq_records_free(pr, npr);
	if (buf_error(b)) {
		http_error(resp, 500, "the export is larger than this server sends at once: filter it, or "
				      "use 'postcard records' on the server");
		return;
	}
	resp->content_type = "text/csv; charset=utf-8";
	http_header_add(resp, "Content-Disposition", "attachment; filename=\"team-records.csv\"");
	http_header_add(resp, "Cache-Control", "no-store");
}

/* One reflection as the learner's page shows it. */
static void reflection_html(void *ctx, const char *text)
{
	buf *b = ctx;
	buf_puts(b, "<blockquote class=\"reflection\"><p>");
	html_text(b, text);
	buf_puts(b, "</p></blockquote>\n");
}

/* A learner's page: what each section needs besides its row. */
struct learner_page {
	rt_app *app;
	buf *b;
	const store_interaction_row *in;
	size_t ni;
};

/* One part's section: status, score, time, the answers, the reflection. */
static void part_section(const struct learner_page *lp, const store_record *e)
{
	buf *b = lp->b;
	buf_puts(b, "<section class=\"attempt\">\n<h2>");
	html_text(b, e->package_title);
	if (strcmp(part_title(lp->app, e), e->package_title) != 0) {
		buf_puts(b, ": ");
		html_text(b, part_title(lp->app, e));
	}
	buf_printf(b, ", attempt %lld</h2>\n<p>", (long long)e->attempt);
	status_cell(b, e->completion, e->success);
	if (e->score_raw && *e->score_raw) {
		buf_puts(b, ", score ");
		html_text(b, e->score_raw);
	}
	long secs = (long)(e->total_seconds + 0.5);
	buf_printf(b, "; %ld min %02ld s; last activity ", secs / 60, secs % 60);
	html_text(b, e->updated_at);
	buf_printf(b, "%s</p>\n", e->closed ? " (finished)" : "");
	const rt_pkg *p = app_find_package(lp->app, e->package);
	int any = 0;
	for (size_t k = 0; k < lp->ni; k++) {
		const store_interaction_row *x = &lp->in[k];
		if (x->attempt != e->attempt || strcmp(x->package, e->package) != 0 ||
		    strcmp(x->item, e->item) != 0)
			continue;
		if (!any)
			buf_puts(b, "<h3>Answers</h3>\n<dl class=\"answers\">\n");
		any = 1;
		const char *prompt = p ? pkginfo_prompt(p, x->item, x->id) : NULL;
		buf_puts(b, "<dt>");
		html_text(b, prompt ? prompt : x->description ? x->description : x->id);
		buf_puts(b, "</dt>\n<dd>");
		buf text;
		buf_init(&text, 0);
		if (p && pkginfo_answer(p, x->item, x->id, x->learner_response, &text))
			html_text(b, buf_cstr(&text));
		else
			html_text(b, x->learner_response ? x->learner_response : "(no answer)");
		buf_free(&text);
		if (x->result) {
			buf_puts(b, " <span class=\"result\">(");
			html_text(b, x->result);
			buf_puts(b, ")</span>");
		}
		buf_puts(b, "</dd>\n");
	}
	if (any)
		buf_puts(b, "</dl>\n");
	buf mine;
	buf_init(&mine, 0);
	app_reflections(lp->app, e->attempt_id, e->item, reflection_html, &mine);
	if (mine.len) {
		buf_puts(b, "<h3>Reflection</h3>\n");
		buf_put(b, mine.data, mine.len);
	}
	buf_free(&mine);
	buf_puts(b, "</section>\n");
}

/* A sequenced package's attempt as sequencing rolled it up, after its parts' sections. */
static void whole_section(buf *b, const store_seq_record *e)
{
	buf_puts(b, "<section class=\"attempt whole\">\n<h2>");
	html_text(b, e->package_title);
	buf_printf(b, ", attempt %lld: the whole package</h2>\n<p>", (long long)e->attempt);
	status_cell(b, e->completion, e->success);
	if (e->score_scaled && *e->score_scaled)
		buf_printf(b, ", score %.0f%%", strtod(e->score_scaled, NULL) * 100);
	long secs = (long)(e->total_seconds + 0.5);
	buf_printf(b, "; %ld min %02ld s; last activity ", secs / 60, secs % 60);
	html_text(b, e->updated_at);
	buf_printf(b, "%s</p>\n</section>\n", e->closed ? " (finished)" : "");
}

static int learner_section(void *ctx, const store_record *sco, const store_seq_record *whole)
{
	const struct learner_page *lp = ctx;
	if (sco)
		part_section(lp, sco);
	else
		whole_section(lp->b, whole);
	return 0;
}

/* /team/learner/<ident>: one person's attempts, answers and reflections. */
void page_team_learner(rt_app *app, const http_request *req, http_response *resp)
{
	char ident[80];
	if (http_decode_segment(req->rest, strlen(req->rest), ident, sizeof ident) != 0 || !ident[0]) {
		http_error(resp, 404, "no such learner");
		return;
	}
	store_filter f = {.learner = ident};
	if (req->session->role != ROLE_ADMIN)
		f.manager = req->session->user_id;
	store_record *r = NULL;
	store_seq_record *pr = NULL;
	store_interaction_row *in = NULL;
	size_t nr = 0, npr = 0, ni = 0;
	if (app->st->ops->records(app->st, &f, &r, &nr) ||
	    app->st->ops->seq_records(app->st, &f, &pr, &npr) ||
	    app->st->ops->interactions(app->st, &f, &in, &ni)) {
		http_error(resp, 503, "the store does not answer");
		goto cleanup;
	}
	if (!nr) {
		/* Nobody of theirs, or nothing recorded: the same answer, so it tells nothing. */
		http_error(resp, 404, "no records of this learner that you can see");
		goto cleanup;
	}
	buf *b = &resp->body;
	layout_head(app, req, b, r[0].learner_name, NAV_TEAM, "team");
	buf_puts(b, "<main id=\"main\">\n<p><a href=\"/team\">Team records</a></p>\n<h1>");
	html_text(b, r[0].learner_name);
	buf_puts(b, "</h1>\n");
	if (r[0].learner_email) {
		buf_puts(b, "<p>");
		html_text(b, r[0].learner_email);
		buf_puts(b, "</p>\n");
	}
	struct learner_page lp = {.app = app, .b = b, .in = in, .ni = ni};
	app_records_walk(r, nr, pr, npr, learner_section, &lp);
	buf_puts(b, "</main>\n");
	layout_foot(app, b);
	layout_finish(app, resp);
cleanup:
	store_records_free(r, nr);
	store_seq_records_free(pr, npr);
	store_interaction_rows_free(in, ni);
}
