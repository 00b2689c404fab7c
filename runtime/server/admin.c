/* The admin pages (team mode), under /admin: people (add one, add many from CSV, a new one-time
 * sign-in link, the role, erase), groups (create; members and managers) and the packages a group
 * is assigned (admins, and the group's managers), the packages (admin_packages.c), and the audit
 * log. Forms post back and are answered by a redirect (or, when a link was made, by a page that
 * shows it once). Every change is audited. Access: routes.c lets managers and admins in; each
 * page checks the role it needs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "common.h"

typedef void (*admin_fn)(rt_app *app, const http_request *req, const char *rest,
			 http_response *resp);

static void a_home(rt_app *, const http_request *, const char *, http_response *);
static void a_add(rt_app *, const http_request *, const char *, http_response *);
static void a_csv(rt_app *, const http_request *, const char *, http_response *);
static void a_person(rt_app *, const http_request *, const char *, http_response *);
static void a_group_add(rt_app *, const http_request *, const char *, http_response *);
static void a_group(rt_app *, const http_request *, const char *, http_response *);
static void a_group_post(rt_app *, const http_request *, const char *, http_response *);
static void a_person_page(rt_app *, const http_request *, const char *, http_response *);

/* What follows "/admin": exact, or a prefix ending in '/'. */
static const struct admin_route {
	unsigned get; /* 1 GET/HEAD, 0 POST */
	const char *sub;
	app_role role;
	admin_fn handler;
} admin_routes[] = {
	{1, "", ROLE_ADMIN, a_home},
	{0, "/people", ROLE_ADMIN, a_add},
	{0, "/people/csv", ROLE_ADMIN, a_csv},
	{0, "/people/", ROLE_ADMIN, a_person},
	{1, "/people/", ROLE_ADMIN, a_person_page},
	{0, "/groups", ROLE_ADMIN, a_group_add},
	{1, "/groups/", ROLE_MANAGER, a_group},
	{0, "/groups/", ROLE_MANAGER, a_group_post},
	{1, "/packages", ROLE_ADMIN, admin_packages_page},
	{0, "/packages", ROLE_ADMIN, admin_packages_upload},
};

void page_admin(rt_app *app, const http_request *req, http_response *resp)
{
	int get = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	const char *path = req->path + strlen("/admin");
	int seen = 0;
	for (size_t i = 0; i < PC_ARRAY_LEN(admin_routes); i++) {
		const struct admin_route *r = &admin_routes[i];
		size_t n = strlen(r->sub);
		int hit = n && r->sub[n - 1] == '/' ? strncmp(path, r->sub, n) == 0 : strcmp(path, r->sub) == 0;
		if (!hit)
			continue;
		seen = 1;
		if ((unsigned)get != r->get)
			continue;
		if (!req->session || req->session->role < r->role) {
			http_error(resp, 403, "your account cannot do this");
			return;
		}
		r->handler(app, req, path + n, resp);
		return;
	}
	if (seen) {
		http_errorf(resp, 405, "%s is not allowed here", req->method);
		http_header_add(resp, "Allow", "%s", get ? "POST" : "GET, HEAD");
		return;
	}
	http_error(resp, 404, "there is nothing at this address");
}

size_t admin_body_limit(const char *path)
{
	if (strcmp(path, "/admin/people/csv") == 0)
		return ADMIN_CSV_BODY_MAX;
	if (strcmp(path, "/admin/packages") == 0)
		return ADMIN_UPLOAD_MAX;
	return HTTP_MAX_SMALL_BODY;
}

/* Sends the browser back to a page after a form (Post/Redirect/Get). */
static void back_to(http_response *resp, const char *where)
{
	resp->status = 303;
	http_header_add(resp, "Location", "%s", where);
}

/* The address a one-time link is sent as: the public origin, or this request's own. */
static void link_url(rt_app *app, const http_request *req, const char *token, buf *b)
{
	const char *host = http_req_header(req, "Host");
	if (app->public_origin)
		buf_puts(b, app->public_origin);
	else
		buf_printf(b, "http://%s", host ? host : "postcard.localhost");
	buf_printf(b, "/invite/%s", token);
}

static void form_error(rt_app *app, const http_request *req, http_response *resp, int status,
		       const char *title, const char *message, const char *back)
{
	buf *b = &resp->body;
	buf_reset(b);
	resp->status = status;
	layout_head(app, req, b, title, NAV_ADMIN, "admin");
	buf_puts(b, "<main id=\"main\">\n<h1>");
	html_text(b, title);
	buf_puts(b, "</h1>\n<div class=\"error-summary\" role=\"alert\"><p>");
	html_text(b, message);
	buf_printf(b, "</p></div>\n<p><a href=\"%s\">Back</a></p>\n</main>\n", back);
	layout_foot(app, b);
	layout_finish(app, resp);
}

static void role_select(buf *b, const char *id, const char *current)
{
	static const char *const roles[] = {"learner", "manager", "admin"};
	buf_printf(b, "<select id=\"%s\" name=\"role\">", id);
	for (size_t i = 0; i < PC_ARRAY_LEN(roles); i++)
		buf_printf(b, "<option value=\"%s\"%s>%s</option>", roles[i],
			   current && strcmp(current, roles[i]) == 0 ? " selected" : "", roles[i]);
	buf_puts(b, "</select>");
}

static void a_home(rt_app *app, const http_request *req, const char *rest, http_response *resp)
{
	(void)rest;
	store_user *u = NULL;
	store_group *g = NULL;
	store_member *m = NULL;
	store_audit *log = NULL;
	size_t nu = 0, ng = 0, nm = 0, nlog = 0;
	if (app->st->ops->user_list(app->st, &u, &nu) || app->st->ops->group_list(app->st, &g, &ng) ||
	    app->st->ops->member_list(app->st, 0, 0, &m, &nm) ||
	    app->st->ops->audit_list(app->st, 20, &log, &nlog)) {
		http_error(resp, 503, "the store does not answer");
		goto cleanup;
	}
	buf *b = &resp->body;
	layout_head(app, req, b, "Admin", NAV_ADMIN, "admin");
	buf_puts(b, "<main id=\"main\">\n<h1>Admin</h1>\n<p><a href=\"#people\">People</a> · "
		    "<a href=\"#add\">Add people</a> · <a href=\"#groups\">Groups</a> · "
		    "<a href=\"/admin/packages\">Packages</a> · <a href=\"#audit\">Audit log</a></p>\n");
	/* People. */
	buf_printf(b, "<h2 id=\"people\">People (%zu)</h2>\n<div class=\"table-wrap\" role=\"region\" "
		      "aria-labelledby=\"people-caption\" tabindex=\"0\">\n<table>\n<caption "
		      "id=\"people-caption\">Everyone with an account</caption>\n<thead><tr>"
		      "<th scope=\"col\">Name</th><th scope=\"col\">Email</th><th scope=\"col\">Role</th>"
		      "<th scope=\"col\">Groups</th><th scope=\"col\">Actions</th></tr></thead>\n<tbody>\n",
		   nu);
	for (size_t i = 0; i < nu; i++) {
		buf_puts(b, "<tr><td>");
		html_text(b, u[i].name);
		if (!u[i].password_hash)
			buf_puts(b, " <span class=\"tag\">no password yet</span>");
		buf_puts(b, "</td><td>");
		html_text(b, u[i].email);
		buf_printf(b, "</td><td><form class=\"inline\" method=\"post\" action=\"/admin/people/%lld/role\">",
			   (long long)u[i].id);
		layout_csrf(req, b);
		char id[40];
		snprintf(id, sizeof id, "role-%lld", (long long)u[i].id);
		buf_printf(b, "<label class=\"visually-hidden\" for=\"%s\">Role of ", id);
		html_text(b, u[i].name);
		buf_puts(b, "</label>");
		role_select(b, id, u[i].role);
		buf_puts(b, " <button type=\"submit\" class=\"button-secondary\">Change<span "
			    "class=\"visually-hidden\"> the role of ");
		html_text(b, u[i].name);
		buf_puts(b, "</span></button></form></td><td>");
		int first = 1;
		for (size_t k = 0; k < nm; k++) {
			if (m[k].user_id != u[i].id)
				continue;
			buf_puts(b, first ? "" : ", ");
			html_text(b, m[k].group_name);
			if (m[k].manager)
				buf_puts(b, " (manager)");
			first = 0;
		}
		buf_printf(b, "</td><td><form class=\"inline\" method=\"post\" action=\"/admin/people/%lld/link\">",
			   (long long)u[i].id);
		layout_csrf(req, b);
		buf_puts(b, "<button type=\"submit\" class=\"button-secondary\">New sign-in link<span "
			    "class=\"visually-hidden\"> for ");
		html_text(b, u[i].name);
		buf_printf(b, "</span></button></form> <a href=\"/admin/people/%lld/erase\">Erase<span "
			      "class=\"visually-hidden\"> ",
			   (long long)u[i].id);
		html_text(b, u[i].name);
		buf_puts(b, "</span></a></td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n</div>\n");
	/* Add one, or many. */
	buf_puts(b, "<h2 id=\"add\">Add people</h2>\n<form class=\"form\" method=\"post\" action=\"/admin/people\">\n");
	layout_csrf(req, b);
	buf_puts(b, "<div class=\"field\"><label for=\"new-email\">Email address</label>"
		    "<input id=\"new-email\" name=\"email\" type=\"email\" spellcheck=\"false\" required></div>\n"
		    "<div class=\"field\"><label for=\"new-name\">Name</label>"
		    "<input id=\"new-name\" name=\"name\" required></div>\n"
		    "<div class=\"field\"><label for=\"new-role\">Role</label>");
	role_select(b, "new-role", "learner");
	buf_puts(b, "</div>\n<div class=\"field\"><label for=\"new-group\">Group (optional)</label>"
		    "<select id=\"new-group\" name=\"group\"><option value=\"\">None</option>");
	for (size_t i = 0; i < ng; i++) {
		buf_printf(b, "<option value=\"%lld\">", (long long)g[i].id);
		html_text(b, g[i].name);
		buf_puts(b, "</option>");
	}
	buf_puts(b, "</select></div>\n<button type=\"submit\" class=\"button\">Add and make a sign-in "
		    "link</button>\n</form>\n"
		    "<form class=\"form\" method=\"post\" action=\"/admin/people/csv\">\n");
	layout_csrf(req, b);
	buf_puts(b, "<div class=\"field\"><label for=\"csv\">Many at once: one person per line, "
		    "<code>email,name</code>, optionally <code>,role</code> and <code>,group</code> "
		    "(a spreadsheet saved as CSV; a first line <code>email,name,...</code> is skipped)"
		    "</label>\n<textarea id=\"csv\" name=\"csv\" rows=\"6\" spellcheck=\"false\" "
		    "required></textarea></div>\n<button type=\"submit\" class=\"button\">Add them</button>\n"
		    "</form>\n");
	/* Groups. */
	buf_puts(b, "<h2 id=\"groups\">Groups</h2>\n");
	if (ng) {
		buf_puts(b, "<ul>\n");
		for (size_t i = 0; i < ng; i++) {
			buf_printf(b, "<li><a href=\"/admin/groups/%lld\">", (long long)g[i].id);
			html_text(b, g[i].name);
			buf_printf(b, "</a>: %lld member%s, %lld manager%s</li>\n", (long long)g[i].members,
				   g[i].members == 1 ? "" : "s", (long long)g[i].managers,
				   g[i].managers == 1 ? "" : "s");
		}
		buf_puts(b, "</ul>\n");
	} else {
		buf_puts(b, "<p>No groups yet.</p>\n");
	}
	buf_puts(b, "<form class=\"form\" method=\"post\" action=\"/admin/groups\">\n");
	layout_csrf(req, b);
	buf_puts(b, "<div class=\"field\"><label for=\"group-name\">New group's name</label>"
		    "<input id=\"group-name\" name=\"name\" required></div>\n"
		    "<button type=\"submit\" class=\"button\">Create the group</button>\n</form>\n");
	/* Audit. */
	buf_puts(b, "<h2 id=\"audit\">Audit log</h2>\n<p>The last changes to accounts and records, "
		    "newest first.</p>\n<ul class=\"audit\">\n");
	for (size_t i = 0; i < nlog; i++) {
		buf_puts(b, "<li>");
		html_text(b, log[i].at);
		buf_puts(b, ": ");
		html_text(b, log[i].actor);
		buf_puts(b, ": ");
		html_text(b, log[i].action);
		if (log[i].target) {
			buf_puts(b, ", ");
			html_text(b, log[i].target);
		}
		if (log[i].detail) {
			buf_puts(b, " (");
			html_text(b, log[i].detail);
			buf_puts(b, ")");
		}
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, "</ul>\n</main>\n");
	layout_foot(app, b);
	layout_finish(app, resp);
cleanup:
	store_users_free(u, nu);
	store_groups_free(g, ng);
	store_members_free(m, nm);
	store_audit_free(log, nlog);
}

/* The page that shows the links made for new people (each shown once: only its hash is kept). */
struct made {
	char email[ACCOUNTS_EMAIL_MAX + 1];
	char link[HTTP_TOKEN_LEN + 1];
	char problem[200];
};

static void made_page(rt_app *app, const http_request *req, http_response *resp,
		      const struct made *m, size_t n)
{
	buf *b = &resp->body;
	size_t ok = 0;
	for (size_t i = 0; i < n; i++)
		ok += !m[i].problem[0];
	layout_head(app, req, b, "Sign-in links", NAV_ADMIN, "admin");
	buf_printf(b, "<main id=\"main\">\n<h1>Sign-in links</h1>\n<p>%zu link%s made. Send each "
		      "person theirs: it lets them set a password and sign in, once, within 7 days. "
		      "It is shown only now.</p>\n",
		   ok, ok == 1 ? "" : "s");
	if (ok < n)
		buf_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%zu line%s could not be "
			      "added: see below.</p></div>\n",
			   n - ok, n - ok == 1 ? "" : "s");
	buf_puts(b, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"links-caption\" "
		    "tabindex=\"0\">\n<table>\n<caption id=\"links-caption\">Each person's link</caption>\n"
		    "<thead><tr><th scope=\"col\">Email</th><th scope=\"col\">Link or problem</th></tr>"
		    "</thead>\n<tbody>\n");
	buf list;
	buf_init(&list, 0);
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, "<tr><td>");
		html_text(b, m[i].email);
		buf_puts(b, "</td><td>");
		if (m[i].problem[0]) {
			html_text(b, m[i].problem);
		} else {
			buf url;
			buf_init(&url, 0);
			link_url(app, req, m[i].link, &url);
			buf_puts(b, "<code class=\"link\">");
			html_text(b, buf_cstr(&url));
			buf_puts(b, "</code>");
			buf_printf(&list, "%s,%s\n", m[i].email, buf_cstr(&url));
			buf_free(&url);
		}
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n</div>\n");
	if (ok > 1) {
		buf_puts(b, "<div class=\"field\"><label for=\"links-csv\">All of them as CSV, to copy "
			    "into a mail merge</label><textarea id=\"links-csv\" rows=\"6\" readonly>");
		html_text(b, buf_cstr(&list));
		buf_puts(b, "</textarea></div>\n");
	}
	buf_free(&list);
	buf_puts(b, "<p><a href=\"/admin#people\">Back to the people</a></p>\n</main>\n");
	layout_foot(app, b);
	layout_finish(app, resp);
}

/* Creates one account (and its group membership) for a form or a CSV row; fills m. */
static void add_one(rt_app *app, const http_request *req, const char *email, const char *name,
		    const char *role, const char *group, struct made *m)
{
	char err[200] = "";
	int r = accounts_role(role && *role ? role : "learner");
	snprintf(m->email, sizeof m->email, "%s", email);
	if (r < 0) {
		snprintf(m->problem, sizeof m->problem, "the role is learner, manager or admin");
		return;
	}
	int64_t gid = 0, uid = 0;
	if (group && *group) {
		store_group *g = NULL;
		size_t ng = 0;
		char *end;
		long long want = strtoll(group, &end, 10);
		if (app->st->ops->group_list(app->st, &g, &ng) == 0)
			for (size_t i = 0; i < ng && !gid; i++)
				if ((*end == '\0' && g[i].id == want) || strcmp(g[i].name, group) == 0)
					gid = g[i].id;
		store_groups_free(g, ng);
		if (!gid) {
			snprintf(m->problem, sizeof m->problem, "no group called '%.100s'", group);
			return;
		}
	}
	if (accounts_create(app, req->session->email, email, name, (app_role)r, NULL, &uid, m->link,
			    err, sizeof err) != 0) {
		snprintf(m->problem, sizeof m->problem, "%s", err);
		m->link[0] = '\0';
		return;
	}
	char normal[ACCOUNTS_EMAIL_MAX + 1];
	if (accounts_email(email, normal, sizeof normal) == 0)
		snprintf(m->email, sizeof m->email, "%s", normal);
	if (gid && app->st->ops->member_set(app->st, gid, uid, r == ROLE_MANAGER) != 0)
		snprintf(m->problem, sizeof m->problem, "added, but not to the group");
}

static void a_add(rt_app *app, const http_request *req, const char *rest, http_response *resp)
{
	(void)rest;
	char email[300], name[300], role[20], group[300];
	if (http_form_field(req->body, req->body_len, "email", email, sizeof email) != 1 ||
	    http_form_field(req->body, req->body_len, "name", name, sizeof name) != 1 ||
	    http_form_field(req->body, req->body_len, "role", role, sizeof role) < 0 ||
	    http_form_field(req->body, req->body_len, "group", group, sizeof group) < 0) {
		form_error(app, req, resp, 400, "Add a person", "Give an email address and a name.",
			   "/admin#add");
		return;
	}
	struct made m;
	memset(&m, 0, sizeof m);
	add_one(app, req, email, name, role, group, &m);
	if (m.problem[0] && !m.link[0]) {
		form_error(app, req, resp, 400, "Add a person", m.problem, "/admin#add");
		return;
	}
	made_page(app, req, resp, &m, 1);
}

static void a_csv(rt_app *app, const http_request *req, const char *rest, http_response *resp)
{
	(void)rest;
	char *text = malloc(CSV_TEXT_MAX + 1), err[200];
	csv_row *rows = NULL;
	size_t n = 0;
	struct made *m = NULL;
	if (!text) {
		http_error(resp, 503, "out of memory");
		return;
	}
	int got = http_form_field(req->body, req->body_len, "csv", text, CSV_TEXT_MAX + 1);
	if (got != 1) {
		form_error(app, req, resp, got < 0 ? 413 : 400, "Add people",
			   got < 0 ? "The list is too large (256 KiB at most) or not text."
				   : "Paste the list of people.",
			   "/admin#add");
		goto cleanup;
	}
	if (csv_parse(text, strlen(text), &rows, &n, err, sizeof err) != 0) {
		form_error(app, req, resp, 400, "Add people", err, "/admin#add");
		goto cleanup;
	}
	size_t first = n && strcasecmp(rows[0].fields[0], "email") == 0; /* a header line */
	m = calloc(n ? n : 1, sizeof *m);
	if (!m) {
		http_error(resp, 503, "out of memory");
		goto cleanup;
	}
	size_t k = 0;
	for (size_t i = first; i < n; i++, k++) {
		csv_row *r = &rows[i];
		if (r->n < 2) {
			snprintf(m[k].email, sizeof m[k].email, "%.200s", r->fields[0]);
			snprintf(m[k].problem, sizeof m[k].problem, "line %zu: an email and a name are needed",
				 r->line);
			continue;
		}
		add_one(app, req, r->fields[0], r->fields[1], r->n > 2 ? r->fields[2] : NULL,
			r->n > 3 ? r->fields[3] : NULL, &m[k]);
		if (m[k].problem[0]) {
			char p[200];
			snprintf(p, sizeof p, "line %zu: %.180s", r->line, m[k].problem);
			snprintf(m[k].problem, sizeof m[k].problem, "%s", p);
		}
	}
	made_page(app, req, resp, m, k);
cleanup:
	free(m);
	csv_rows_free(rows, n);
	free(text);
}

/* /admin/people/<id>/<action>: link, role, erase (POST); erase also GET (the confirmation). */
static int64_t person_of(const char *rest, const char **action)
{
	char *end;
	long long id = strtoll(rest, &end, 10);
	if (end == rest || *end != '/' || id <= 0)
		return 0;
	*action = end + 1;
	return id;
}

static void a_person(rt_app *app, const http_request *req, const char *rest, http_response *resp)
{
	const char *action = NULL;
	int64_t id = person_of(rest, &action);
	store_user u;
	if (!id || app->st->ops->user_get(app->st, id, NULL, &u) != 0 || !u.email) {
		if (id)
			store_user_clear(&u);
		http_error(resp, 404, "no such person");
		return;
	}
	const char *actor = req->session->email;
	if (strcmp(action, "link") == 0) {
		struct made m;
	memset(&m, 0, sizeof m);
		snprintf(m.email, sizeof m.email, "%s", u.email);
		if (accounts_link(app, u.id, m.link) != 0 ||
		    app->st->ops->audit_add(app->st, actor, "sign-in link made", u.email, NULL) != 0)
			http_error(resp, 503, "the store does not answer");
		else
			made_page(app, req, resp, &m, 1);
	} else if (strcmp(action, "role") == 0) {
		char role[20];
		int r = http_form_field(req->body, req->body_len, "role", role, sizeof role) == 1
				? accounts_role(role)
				: -1;
		if (r < 0) {
			form_error(app, req, resp, 400, "Change a role", "The role is learner, manager or admin.",
				   "/admin#people");
		} else if (u.id == req->session->user_id && r != ROLE_ADMIN) {
			form_error(app, req, resp, 400, "Change a role",
				   "You cannot take away your own admin role: another admin can.",
				   "/admin#people");
		} else if (app->st->ops->user_update(app->st, u.id, NULL, accounts_role_name((app_role)r),
						     NULL) != 0 ||
			   app->st->ops->audit_add(app->st, actor, "role changed", u.email,
						   accounts_role_name((app_role)r)) != 0) {
			http_error(resp, 503, "the store does not answer");
		} else {
			session_cache_clear(app->sessions); /* the new role applies at once */
			back_to(resp, "/admin#people");
		}
	} else if (strcmp(action, "erase") == 0) {
		char confirm[8];
		if (u.id == req->session->user_id) {
			form_error(app, req, resp, 400, "Erase a person", "You cannot erase yourself.",
				   "/admin#people");
		} else if (http_form_field(req->body, req->body_len, "confirm", confirm, sizeof confirm) != 1 ||
			   strcmp(confirm, "yes") != 0) {
			form_error(app, req, resp, 400, "Erase a person",
				   "Tick the box to confirm: erasing cannot be undone.", "/admin#people");
		} else if (accounts_erase(app, actor, u.id, u.email) != 0) {
			http_error(resp, 503, "the store does not answer");
		} else {
			back_to(resp, "/admin#people");
		}
	} else {
		http_error(resp, 404, "there is nothing at this address");
	}
	store_user_clear(&u);
}

/* The confirmation of an erasure. */
static void erase_confirm(rt_app *app, const http_request *req, int64_t id, http_response *resp)
{
	store_user u;
	if (app->st->ops->user_get(app->st, id, NULL, &u) != 0 || !u.email) {
		/* a learner without an account (no email) is found too: cleared either way */
		store_user_clear(&u);
		http_error(resp, 404, "no such person");
		return;
	}
	buf *b = &resp->body;
	layout_head(app, req, b, "Erase a person", NAV_ADMIN, "admin");
	buf_puts(b, "<main id=\"main\">\n<h1>Erase ");
	html_text(b, u.name);
	buf_puts(b, "?</h1>\n<p>This removes their account and everything kept about them: every "
		    "attempt, answer, reflection and score, the history of what their packages sent, "
		    "their sessions and group memberships. It cannot be undone. The audit log will say "
		    "that a learner was erased, and by you, but not who.</p>\n");
	buf_printf(b, "<form class=\"form\" method=\"post\" action=\"/admin/people/%lld/erase\">\n",
		   (long long)u.id);
	layout_csrf(req, b);
	buf_puts(b, "<div class=\"field checkbox\"><input id=\"confirm\" name=\"confirm\" type=\"checkbox\" "
		    "value=\"yes\" required><label for=\"confirm\">Yes, erase ");
	html_text(b, u.email);
	buf_puts(b, " and all their records</label></div>\n<button type=\"submit\" class=\"button "
		    "button-warning\">Erase</button> <a href=\"/admin#people\">Cancel</a>\n</form>\n</main>\n");
	layout_foot(app, b);
	layout_finish(app, resp);
	store_user_clear(&u);
}

static void a_group_add(rt_app *app, const http_request *req, const char *rest, http_response *resp)
{
	(void)rest;
	char name[300];
	int64_t id;
	if (http_form_field(req->body, req->body_len, "name", name, sizeof name) != 1 || !name[0] ||
	    strlen(name) > 200) {
		form_error(app, req, resp, 400, "Create a group", "Give the group a name (200 characters "
			   "at most).", "/admin#groups");
		return;
	}
	int rc = app->st->ops->group_add(app->st, name, &id);
	if (rc == PC_EINVAL) {
		form_error(app, req, resp, 400, "Create a group", "There is a group of that name already.",
			   "/admin#groups");
		return;
	}
	if (rc || app->st->ops->audit_add(app->st, req->session->email, "group created", name, NULL)) {
		http_error(resp, 503, "the store does not answer");
		return;
	}
	char where[64];
	snprintf(where, sizeof where, "/admin/groups/%lld", (long long)id);
	back_to(resp, where);
}

/* The group of /admin/groups/<id>[/...], if the person may see it: admins every group, managers
 * the ones they manage. 1 with *g filled (the caller frees its name), 0 when not (resp filled). */
static int group_for(rt_app *app, const http_request *req, const char *rest, store_group *out,
		     const char **sub, http_response *resp)
{
	char *end;
	long long id = strtoll(rest, &end, 10);
	if (end == rest || (*end && *end != '/') || id <= 0) {
		http_error(resp, 404, "no such group");
		return 0;
	}
	*sub = *end ? end + 1 : "";
	store_group *g = NULL;
	size_t n = 0;
	int found = 0;
	if (app->st->ops->group_list(app->st, &g, &n) != 0) {
		http_error(resp, 503, "the store does not answer");
		return 0;
	}
	for (size_t i = 0; i < n && !found; i++)
		if (g[i].id == id) {
			*out = g[i];
			g[i].name = NULL; /* now the caller's */
			found = 1;
		}
	store_groups_free(g, n);
	if (!found) {
		http_error(resp, 404, "no such group");
		return 0;
	}
	if (req->session->role == ROLE_ADMIN)
		return 1;
	store_member *m = NULL;
	size_t nm = 0;
	int manages = 0;
	if (app->st->ops->member_list(app->st, id, req->session->user_id, &m, &nm) == 0)
		manages = nm == 1 && m[0].manager;
	store_members_free(m, nm);
	if (!manages) {
		free(out->name);
		http_error(resp, 403, "you do not manage this group");
		return 0;
	}
	return 1;
}

static void a_group(rt_app *app, const http_request *req, const char *rest, http_response *resp)
{
	store_group g;
	const char *sub;
	if (!group_for(app, req, rest, &g, &sub, resp))
		return;
	store_member *m = NULL;
	store_assignment *as = NULL;
	const rt_pkg **pkgs = NULL;
	size_t nm = 0, na = 0, np = 0;
	int admin = req->session->role == ROLE_ADMIN;
	if (*sub || app->st->ops->member_list(app->st, g.id, 0, &m, &nm) ||
	    app->st->ops->assignment_list(app->st, 0, &as, &na) || app_packages(app, &pkgs, &np)) {
		if (*sub)
			http_error(resp, 404, "there is nothing at this address");
		else
			http_error(resp, 503, "the store does not answer");
		goto cleanup;
	}
	buf *b = &resp->body;
	layout_head(app, req, b, g.name, admin ? NAV_ADMIN : NAV_TEAM, "admin");
	buf_puts(b, "<main id=\"main\">\n<h1>");
	html_text(b, g.name);
	buf_puts(b, "</h1>\n");
	if (admin)
		buf_puts(b, "<p><a href=\"/admin#groups\">All groups</a></p>\n");
	buf_puts(b, "<h2>People</h2>\n");
	if (!nm)
		buf_puts(b, "<p>Nobody yet.</p>\n");
	else
		buf_puts(b, "<ul class=\"members\">\n");
	for (size_t i = 0; i < nm; i++) {
		buf_puts(b, "<li>");
		html_text(b, m[i].name);
		buf_puts(b, " (");
		html_text(b, m[i].email);
		buf_puts(b, m[i].manager ? "), manager" : ")");
		if (admin) {
			buf_printf(b, " <form class=\"inline\" method=\"post\" action=\"/admin/groups/%lld/remove\">",
				   (long long)g.id);
			layout_csrf(req, b);
			buf_printf(b, "<input type=\"hidden\" name=\"user\" value=\"%lld\"><button "
				      "type=\"submit\" class=\"button-secondary\">Remove<span "
				      "class=\"visually-hidden\"> ",
				   (long long)m[i].user_id);
			html_text(b, m[i].name);
			buf_puts(b, " from the group</span></button></form>");
		}
		buf_puts(b, "</li>\n");
	}
	if (nm)
		buf_puts(b, "</ul>\n");
	if (admin) {
		buf_printf(b, "<form class=\"form\" method=\"post\" action=\"/admin/groups/%lld/add\">\n",
			   (long long)g.id);
		layout_csrf(req, b);
		buf_puts(b, "<div class=\"field\"><label for=\"member-email\">Add someone by email address"
			    "</label><input id=\"member-email\" name=\"email\" type=\"email\" "
			    "spellcheck=\"false\" required></div>\n<div class=\"field checkbox\"><input "
			    "id=\"member-manager\" name=\"manager\" type=\"checkbox\" value=\"1\"><label "
			    "for=\"member-manager\">as a manager of the group (sees its records, assigns "
			    "packages)</label></div>\n<button type=\"submit\" class=\"button\">Add</button>\n"
			    "</form>\n");
	}
	buf_puts(b, "<h2>Assigned packages</h2>\n");
	buf_printf(b, "<form class=\"form\" method=\"post\" action=\"/admin/groups/%lld/assign\">\n",
		   (long long)g.id);
	layout_csrf(req, b);
	buf_puts(b, "<fieldset><legend>Packages this group is asked to do</legend>\n");
	for (size_t i = 0; i < np; i++) {
		int on = 0;
		for (size_t k = 0; k < na && !on; k++)
			on = as[k].group_id == g.id && strcmp(as[k].package, pkgs[i]->id) == 0;
		buf_printf(b, "<div class=\"field checkbox\"><input id=\"pkg-%zu\" name=\"package\" "
			      "type=\"checkbox\" value=\"",
			   i);
		html_text(b, pkgs[i]->id);
		buf_printf(b, "\"%s><label for=\"pkg-%zu\">", on ? " checked" : "", i);
		html_text(b, pkgs[i]->scos->title);
		buf_puts(b, "</label></div>\n");
	}
	if (!np)
		buf_puts(b, "<p>No packages imported yet.</p>\n");
	buf_puts(b, "</fieldset>\n<button type=\"submit\" class=\"button\">Save the assignments</button>\n"
		    "</form>\n</main>\n");
	layout_foot(app, b);
	layout_finish(app, resp);
cleanup:
	free(g.name);
	store_members_free(m, nm);
	store_assignments_free(as, na);
	free(pkgs);
}

/* 1 when a form body lists `value` for field `name` (a checkbox group sends one per box). */
static int form_has(const http_request *req, const char *name, const char *value)
{
	const char *p = req->body, *end = req->body ? req->body + req->body_len : NULL;
	char v[600];
	while (p && p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		size_t len = amp ? (size_t)(amp - p) : (size_t)(end - p);
		if (http_form_field(p, len, name, v, sizeof v) == 1 && strcmp(v, value) == 0)
			return 1;
		p += len + 1;
	}
	return 0;
}

static void a_group_post(rt_app *app, const http_request *req, const char *rest,
			 http_response *resp)
{
	store_group g;
	const char *sub;
	if (!group_for(app, req, rest, &g, &sub, resp))
		return;
	int admin = req->session->role == ROLE_ADMIN;
	const char *actor = req->session->email;
	char where[64];
	snprintf(where, sizeof where, "/admin/groups/%lld", (long long)g.id);
	if (strcmp(sub, "assign") == 0) {
		const rt_pkg **pkgs = NULL;
		size_t np = 0;
		int rc = app_packages(app, &pkgs, &np);
		for (size_t i = 0; rc == 0 && i < np; i++) {
			int on = form_has(req, "package", pkgs[i]->id);
			rc = app->st->ops->assignment_set(app->st, g.id, pkgs[i]->id, on);
		}
		free(pkgs);
		if (rc == 0)
			rc = app->st->ops->audit_add(app->st, actor, "assignments saved", g.name, NULL);
		if (rc)
			http_error(resp, 503, "the store does not answer");
		else
			back_to(resp, where);
	} else if (admin && (strcmp(sub, "add") == 0 || strcmp(sub, "remove") == 0)) {
		char email[300], uid_s[24], normal[ACCOUNTS_EMAIL_MAX + 1];
		store_user u;
		int found;
		if (sub[0] == 'a')
			found = http_form_field(req->body, req->body_len, "email", email, sizeof email) == 1 &&
				accounts_email(email, normal, sizeof normal) == 0 &&
				app->st->ops->user_get(app->st, 0, normal, &u) == 0;
		else
			found = http_form_field(req->body, req->body_len, "user", uid_s, sizeof uid_s) == 1 &&
				app->st->ops->user_get(app->st, strtoll(uid_s, NULL, 10), NULL, &u) == 0;
		if (!found) {
			form_error(app, req, resp, 400, g.name,
				   "There is no account with that email address: add the person first.",
				   where);
		} else {
			int manager = form_has(req, "manager", "1");
			int rc = sub[0] == 'a' ? app->st->ops->member_set(app->st, g.id, u.id, manager)
					       : app->st->ops->member_remove(app->st, g.id, u.id);
			if (rc == 0)
				rc = app->st->ops->audit_add(app->st, actor,
							     sub[0] == 'a' ? (manager ? "manager added" : "member added")
									   : "member removed",
							     u.email, g.name);
			if (rc)
				http_error(resp, 503, "the store does not answer");
			else
				back_to(resp, where);
			store_user_clear(&u);
		}
	} else {
		http_error(resp, admin ? 404 : 403, admin ? "there is nothing at this address"
							  : "your account cannot do this");
	}
	free(g.name);
}

/* GET /admin/people/<id>/erase: the confirmation. */
static void a_person_page(rt_app *app, const http_request *req, const char *rest,
			  http_response *resp)
{
	const char *action = NULL;
	int64_t id = person_of(rest, &action);
	if (!id || strcmp(action, "erase") != 0) {
		http_error(resp, 404, "there is nothing at this address");
		return;
	}
	erase_confirm(app, req, id, resp);
}
