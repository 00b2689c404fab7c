/* The learner's pages besides the catalogue (catalogue.c): the player (the package's player frame
 * from its own origin, parts list and previous/next for multi-SCO packages, exit), the records
 * page, starting a new attempt. Plain server-rendered HTML with one stylesheet; the player page
 * adds a small script. Written for WCAG 2.2 AA and phone widths: landmarks, a skip link, one h1,
 * visible focus, no meaning carried by colour alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cmi.h"
#include "common.h"

/* Splits "<package>[/<item>]" and finds the version the learner plays: the open attempt's
 * (its suspend data belongs to it) or the current one. Fills id/item (first launchable when
 * absent). Returns the version, or NULL after filling an error into resp. */
static const rt_pkg *player_target(rt_app *app, const http_request *req, http_response *resp,
				   int64_t lid, char *id, size_t idsize, char *item, size_t itemsize)
{
	const char *slash = strchr(req->rest, '/');
	size_t idlen = slash ? (size_t)(slash - req->rest) : strlen(req->rest);
	item[0] = '\0';
	if (http_decode_segment(req->rest, idlen, id, idsize) != 0 || !id[0] ||
	    (slash && slash[1] && http_decode_segment(slash + 1, strlen(slash + 1), item, itemsize) != 0)) {
		http_error(resp, 404, "no such package");
		return NULL;
	}
	const rt_pkg *cur = app_find_package(app, id);
	if (!cur && app_refresh(app) == 0)
		cur = app_find_package(app, id);
	if (!cur) {
		http_error(resp, 404, "no such package");
		return NULL;
	}
	store_attempt a;
	if (!app->preview && app->st->ops->attempt_latest(app->st, lid, id, &a) == 0) {
		const rt_pkg *old = NULL;
		if (!a.closed && strcmp(a.version_hash, cur->hash) != 0 &&
		    app_load_version(app, id, a.version_hash, 0, &old) == 0 && old)
			cur = old;
		store_attempt_clear(&a);
	}
	/* Sequenced: no item is a plain launch (sequencing decides); an item is a choice of it. */
	if (cur->tree) {
		if (item[0] && sn_tree_find(cur->tree, item) < 0) {
			http_errorf(resp, 404, "no item '%s' in this package", item);
			return NULL;
		}
		return cur;
	}
	if (!item[0])
		snprintf(item, itemsize, "%s", cur->scos->items[sco_list_first(cur->scos)].id);
	const sco_item *it = sco_list_find(cur->scos, item);
	if (!it || !it->href) {
		http_errorf(resp, 404, "no launchable item '%s' in this package", item);
		return NULL;
	}
	return cur;
}

/* Where the player frame of a launch is: "frameUrl" and "origin" members. */
static void put_frame(rt_app *app, const http_request *req, const rt_pkg *pkg, const char *token,
		      buf *b)
{
	buf origin, frame;
	buf_init(&origin, 0);
	buf_init(&frame, 0);
	origin_content_url(app, req, pkg, &origin);
	buf_printf(&frame, "%s/l/%s/", buf_cstr(&origin), token);
	buf_puts(b, "\"frameUrl\":");
	buf_put_json_string(b, buf_cstr(&frame));
	buf_puts(b, ",\"origin\":");
	buf_put_json_string(b, buf_cstr(&origin));
	buf_free(&origin);
	buf_free(&frame);
}

/* What the learner reads about a navigation's outcome (NULL: nothing to say). */
static const char *nav_message(const seq_nav_result *r, char *out, size_t size)
{
	if (r->exception[0])
		snprintf(out, size, "This is not allowed: %s.", sn_exception_text(r->exception));
	else if (r->moved)
		snprintf(out, size, "The course had moved on (in another window, perhaps): this is where "
				    "you are now.");
	else if (r->outcome == 2 /* NAV_WAIT */)
		snprintf(out, size, "Choose where to go next: continue, or a part from the list.");
	else
		return NULL;
	return out;
}

/* POST /api/launch/<package>[/<item>][?nav=REQUEST&from=ITEM] for a sequenced package: runs the
 * learner's navigation request (sequencing.c), a plain launch without one, and answers
 * {"sequencing": true, "outcome", "item", "title", "frameUrl", "origin" (when a part is
 * delivered), "message", "exception", "moved", "closed", "view": the player's view (sn_ui_json)}.
 * Limits: the query's (HTTP_MAX_URL); the request is read by sn_nav_parse. */
static void api_launch_seq(rt_app *app, const http_request *req, http_response *resp, int64_t lid,
			   const char *learner, const rt_pkg *cur, const char *item)
{
	char nav[HTTP_MAX_URL], from[HTTP_MAX_URL], token[LAUNCH_TOKEN_LEN + 1], msg[200];
	int has_nav = http_query_param(req, "nav", nav, sizeof nav);
	int has_from = http_query_param(req, "from", from, sizeof from);
	char *ident = NULL, *name = NULL;
	if (app->st->ops->learner_get(app->st, lid, &ident, &name) != 0) {
		http_error(resp, 503, "the store does not answer");
		return;
	}
	seq_nav_result r;
	if (seq_navigate(app, cur, lid, ident, name, 0, item[0] ? item : NULL, has_nav ? nav : NULL,
			 has_from ? from : NULL, &r) != 0) {
		http_error(resp, r.status ? r.status : 500, r.detail);
		goto cleanup;
	}
	(void)learner;
	const sco_item *it = r.outcome == 1 /* NAV_DELIVER */ ? sco_list_find(r.pkg->scos, r.item) : NULL;
	if (it && (!it->href || launch_token_new(app, lid, r.pkg, r.item, token) != 0)) {
		http_error(resp, it->href ? 503 : 500, it->href ? "the store does not answer"
								: "the delivered item launches nothing");
		goto cleanup;
	}
	buf *b = &resp->body;
	buf_printf(b, "{\"sequencing\":true,\"outcome\":\"%s\",\"item\":", seq_outcome_name(r.outcome));
	if (it) {
		buf_put_json_string(b, it->id);
		buf_puts(b, ",\"title\":");
		buf_put_json_string(b, it->title);
		buf_putc(b, ',');
		put_frame(app, req, r.pkg, token, b);
	} else {
		buf_puts(b, "null,\"title\":null");
	}
	const char *m = nav_message(&r, msg, sizeof msg);
	buf_puts(b, ",\"message\":");
	if (m)
		buf_put_json_string(b, m);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"exception\":");
	if (r.exception[0])
		buf_put_json_string(b, r.exception);
	else
		buf_puts(b, "null");
	buf_printf(b, ",\"moved\":%s,\"closed\":%s,\"view\":%s}", r.moved ? "true" : "false",
		   r.closed ? "true" : "false", r.view);
	resp->content_type = "application/json";
	http_header_add(resp, "Cache-Control", "no-store");
	if (buf_error(b))
		http_error(resp, 500, "the answer is too large");
cleanup:
	seq_nav_result_clear(&r);
	free(ident);
	free(name);
}

/* POST /api/launch/<package>[/<item>]: makes a launch token for the learner and the part, and
 * answers where the player frame is: {"frameUrl": ".../l/TOKEN/", "origin": "..."} on the
 * package's content origin. The session itself starts when that frame asks (content.c).
 * Sequenced packages (SCORM 2004) go through sequencing first: api_launch_seq. */
void api_launch(rt_app *app, const http_request *req, http_response *resp)
{
	char id[512], item_id[512], learner[80], token[LAUNCH_TOKEN_LEN + 1];
	int64_t lid = app_request_learner(app, req, learner, sizeof learner, 1);
	if (lid <= 0) {
		http_error(resp, 503, "the store does not answer");
		return;
	}
	const rt_pkg *cur = player_target(app, req, resp, lid, id, sizeof id, item_id, sizeof item_id);
	if (!cur)
		return;
	if (cur->tree) {
		api_launch_seq(app, req, resp, lid, learner, cur, item_id);
		return;
	}
	if (launch_token_new(app, lid, cur, item_id, token) != 0) {
		http_error(resp, 503, "the store does not answer");
		return;
	}
	buf origin, frame;
	buf_init(&origin, 0);
	buf_init(&frame, 0);
	origin_content_url(app, req, cur, &origin);
	buf_printf(&frame, "%s/l/%s/", buf_cstr(&origin), token);
	resp->content_type = "application/json";
	http_header_add(resp, "Cache-Control", "no-store");
	buf_puts(&resp->body, "{\"frameUrl\":");
	buf_put_json_string(&resp->body, buf_cstr(&frame));
	buf_puts(&resp->body, ",\"origin\":");
	buf_put_json_string(&resp->body, buf_cstr(&origin));
	buf_puts(&resp->body, "}");
	buf_free(&origin);
	buf_free(&frame);
}

/* /play/<package>[/<item>]: the player page. The session itself starts when the page's script
 * asks /api/launch (see api_launch). */
/* The table of contents of a multi-SCO package as nested lists that follow the items' depth, so
 * a screen reader hears the structure (groups and their modules) rather than one flat list.
 * Items that cannot be launched (the course root, groups) are labels; the current part is
 * marked aria-current. A lone root item that cannot be launched (a course's title) is left out:
 * the page heading already says it. */
static void render_toc(buf *b, const sco_list *l, const sco_item *current, const char *pkg_id)
{
	size_t first = 0;
	int base = 0;
	if (l->count > 1 && !l->items[0].href && l->items[0].depth == 0) {
		size_t roots = 0;
		for (size_t i = 0; i < l->count; i++)
			roots += l->items[i].depth == 0;
		if (roots == 1)
			first = 1, base = 1;
	}
	buf_puts(b, "<nav class=\"toc\" aria-label=\"Parts of this package\">\n<h2>Parts</h2>\n");
	int open = -1; /* depth of the innermost open <ol> */
	for (size_t i = first; i < l->count; i++) {
		const sco_item *x = &l->items[i];
		int depth = x->depth - base;
		if (depth > open + 1)
			depth = open + 1; /* a depth jump of more than one level: attach to the last */
		while (open < depth) {
			buf_puts(b, open < 0 ? "<ol>\n" : "\n<ol>\n");
			open++;
		}
		while (open > depth) {
			buf_puts(b, "</li>\n</ol>\n");
			open--;
		}
		if (i > first && l->items[i - 1].depth - base >= depth)
			buf_puts(b, "</li>\n");
		buf_puts(b, "<li>");
		if (x == current) {
			buf_puts(b, "<span aria-current=\"step\">");
			html_text(b, x->title);
			buf_puts(b, " <span class=\"visually-hidden\">(this part)</span></span>");
		} else if (x->href && x->choice) {
			buf_puts(b, "<a href=\"/play/");
			url_segment(b, pkg_id);
			buf_putc(b, '/');
			url_segment(b, x->id);
			buf_puts(b, "\">");
			html_text(b, x->title);
			buf_puts(b, "</a>");
		} else {
			buf_puts(b, "<span class=\"toc-label\">");
			html_text(b, x->title);
			buf_puts(b, "</span>");
		}
	}
	while (open >= 0) {
		buf_puts(b, "</li>\n</ol>\n");
		open--;
	}
	buf_puts(b, "</nav>\n");
}

/* The preview's build status (preview mode only). */
static void preview_status(rt_app *app, buf *b)
{
	if (!app->preview)
		return;
	pthread_mutex_lock(&app->preview_lock);
	buf_puts(b, "<div id=\"preview-status\" role=\"status\">");
	if (app->preview_error) {
		buf_puts(b, "<div class=\"build-error\"><h2>The build failed</h2><pre>");
		html_text(b, app->preview_error);
		buf_puts(b, "</pre><p>Fix the source; this page reloads when the build works. "
			    "Below is the last build that worked.</p></div>");
	} else if (app->preview_warnings) {
		buf_puts(b, "<div class=\"build-warnings\"><h2>The build has warnings</h2><pre>");
		html_text(b, app->preview_warnings);
		buf_puts(b, "</pre><p>The package was built; fixing these makes it better.</p></div>");
	}
	buf_puts(b, "</div>\n");
	pthread_mutex_unlock(&app->preview_lock);
}

/* Where player.js says that the learner's progress is not being saved (a quota, the server out
 * of reach) and why, until a save works again: in the page, not in the content, which cannot be
 * trusted to say it. On the page from the start, so screen readers hear the alert when it fills. */
static void saving_notice(buf *b)
{
	buf_puts(b, "<div class=\"notice saving\" id=\"pc-saving\" role=\"alert\" hidden></div>\n");
}

/* The player of a sequenced package: sequencing decides what is delivered, so the page is a
 * frame and empty places that player.js fills from the launch answer (the part, a message, the
 * buttons the course allows, the list of parts with what can be chosen and why not). */
static void page_player_seq(rt_app *app, const http_request *req, http_response *resp,
			    const rt_pkg *pkg, const char *id, const char *item_id)
{
	buf *b = &resp->body;
	const sco_list *l = pkg->scos;
	layout_head(app, req, b, l->title, NAV_NONE, "player");
	buf_puts(b, "<main id=\"main\">\n<div class=\"player-head\">\n<h1>");
	html_text(b, l->title);
	buf_puts(b, "</h1>\n<p class=\"part\" id=\"pc-part\"></p>\n</div>\n");
	preview_status(app, b);
	buf_puts(b, "<p class=\"notice\" id=\"pc-message\" role=\"status\" hidden></p>\n");
	saving_notice(b);
	buf_puts(b, "<div class=\"frame-wrap\">\n<iframe id=\"player-frame\" title=\"");
	html_text(b, l->title);
	buf_puts(b, "\" sandbox=\"allow-scripts allow-same-origin allow-forms allow-popups "
		    "allow-modals allow-downloads\" allow=\"fullscreen\"></iframe>\n</div>\n<noscript><p "
		    "class=\"notice\">This learning content needs JavaScript to record your progress."
		    "</p></noscript>\n<nav class=\"pager\" id=\"pc-controls\" aria-label=\"Move through "
		    "the course\">\n<ul>\n<li><a class=\"exit\" href=\"/\">Exit to packages</a></li>\n"
		    "</ul>\n</nav>\n<nav class=\"toc\" id=\"pc-toc\" aria-label=\"Parts of this package\" "
		    "hidden>\n<h2>Parts</h2>\n</nav>\n</main>\n");
	/* What player.js starts with: the launch address (no item: sequencing decides; an item:
	 * the learner chose it), the page to come back to, and the mode. */
	buf_puts(b, "<script type=\"application/json\" id=\"pc-launch\">{\"launchUrl\":");
	buf tmp;
	buf_init(&tmp, 0);
	buf_puts(&tmp, "/api/launch/");
	url_segment(&tmp, id);
	if (item_id[0]) {
		buf_putc(&tmp, '/');
		url_segment(&tmp, item_id);
	}
	buf_put_json_string(b, buf_cstr(&tmp));
	buf_puts(b, ",\"home\":");
	buf_reset(&tmp);
	buf_puts(&tmp, "/play/");
	url_segment(&tmp, id);
	buf_put_json_string(b, buf_cstr(&tmp));
	buf_free(&tmp);
	if (req->session)
		buf_printf(b, ",\"csrf\":\"%s\"", req->session->csrf);
	buf_printf(b, ",\"sequencing\":true,\"preview\":%s}</script>\n"
		      "<script src=\"/static/player.js\"></script>\n</body>\n</html>\n",
		   app->preview ? "true" : "false");
	layout_finish(app, resp);
}

void page_player(rt_app *app, const http_request *req, http_response *resp)
{
	char id[512], item_id[512], learner[80];
	int64_t lid = app_request_learner(app, req, learner, sizeof learner, 0);
	if (lid < 0) {
		http_error(resp, 503, "the store does not answer");
		return;
	}
	const rt_pkg *pkg = player_target(app, req, resp, lid, id, sizeof id, item_id, sizeof item_id);
	if (!pkg)
		return;
	if (pkg->tree) {
		page_player_seq(app, req, resp, pkg, id, item_id);
		return;
	}
	const sco_list *l = pkg->scos;
	const sco_item *it = sco_list_find(l, item_id);
	size_t idx = (size_t)(it - l->items);
	size_t part = 0;
	for (size_t i = 0; i <= idx; i++)
		part += l->items[i].href != NULL;
	buf *b = &resp->body;
	layout_head(app, req, b, it->title, NAV_NONE, "player");
	buf_puts(b, "<main id=\"main\">\n<div class=\"player-head\">\n<h1>");
	html_text(b, l->title);
	buf_puts(b, "</h1>\n");
	if (l->launchable > 1) {
		buf_printf(b, "<p class=\"part\">Part %zu of %zu: ", part, l->launchable);
		html_text(b, it->title);
		buf_puts(b, "</p>\n");
	}
	buf_puts(b, "</div>\n");
	preview_status(app, b);
	if (l->version != SCORM_12 && pkg->sn_error[0]) {
		/* A 2004 manifest the sequencing engine could not read (the validator accepted it). */
		buf_puts(b, "<p class=\"notice\"><strong>Note:</strong> Postcard cannot run this "
			    "package's sequencing (");
		html_text(b, pkg->sn_error);
		buf_puts(b, "). You can move between parts with the list and the previous and next "
			    "links the package allows.</p>\n");
	}
	/* The player frame comes from the package's own origin (origin.c): player.js gets its
	 * address from /api/launch. The sandbox keeps the package from navigating this page. */
	saving_notice(b);
	buf_puts(b, "<div class=\"frame-wrap\">\n<iframe id=\"player-frame\" title=\"");
	html_text(b, it->title);
	buf_puts(b, "\" sandbox=\"allow-scripts allow-same-origin allow-forms allow-popups "
		    "allow-modals allow-downloads\" allow=\"fullscreen\"></iframe>\n</div>\n<noscript><p class=\"notice\">This learning content needs "
		    "JavaScript to record your progress.</p></noscript>\n");
	/* Previous / next / exit. 2004 flow=false hides previous/next (the package asked for none). */
	long prev = sco_list_step(l, idx, -1), next = sco_list_step(l, idx, +1);
	buf_puts(b, "<nav class=\"pager\" aria-label=\"Move between parts\">\n<ul>\n");
	if (it->flow && prev >= 0) {
		buf_puts(b, "<li><a rel=\"prev\" href=\"/play/");
		url_segment(b, id);
		buf_putc(b, '/');
		url_segment(b, l->items[prev].id);
		buf_puts(b, "\">Previous<span class=\"visually-hidden\"> part</span>: ");
		html_text(b, l->items[prev].title);
		buf_puts(b, "</a></li>\n");
	}
	if (it->flow && next >= 0) {
		buf_puts(b, "<li><a rel=\"next\" href=\"/play/");
		url_segment(b, id);
		buf_putc(b, '/');
		url_segment(b, l->items[next].id);
		buf_puts(b, "\">Next<span class=\"visually-hidden\"> part</span>: ");
		html_text(b, l->items[next].title);
		buf_puts(b, "</a></li>\n");
	}
	buf_puts(b, "<li><a class=\"exit\" href=\"/\">Exit to packages</a></li>\n</ul>\n</nav>\n");
	if (l->launchable > 1)
		render_toc(b, l, it, id);
	buf_puts(b, "</main>\n<script type=\"application/json\" id=\"pc-launch\">{\"launchUrl\":");
	buf tmp;
	buf_init(&tmp, 0);
	buf_puts(&tmp, "/api/launch/");
	url_segment(&tmp, id);
	buf_putc(&tmp, '/');
	url_segment(&tmp, item_id);
	buf_put_json_string(b, buf_cstr(&tmp));
	buf_free(&tmp);
	if (req->session)
		buf_printf(b, ",\"csrf\":\"%s\"", req->session->csrf);
	buf_printf(b, ",\"preview\":%s}</script>\n"
		      "<script src=\"/static/player.js\"></script>\n</body>\n</html>\n",
		   app->preview ? "true" : "false");
	layout_finish(app, resp);

}

/* The cells of one row of a records table; `learner` NULL leaves out the learner column.
 * Strings are borrowed. */
typedef struct record_cells {
	const char *learner, *learner_name, *package_title, *part;
	int whole, closed;
	int64_t attempt;
	const char *completion, *success, *score, *updated;
	double seconds;
} record_cells;

static void record_row_html(buf *b, const record_cells *c)
{
	buf_puts(b, c->whole ? "<tr class=\"whole\">" : "<tr>");
	if (c->learner) {
		buf_puts(b, "<td data-label=\"Learner\"><a href=\"/team/learner/");
		url_segment(b, c->learner);
		buf_puts(b, "\">");
		html_text(b, c->learner_name);
		buf_puts(b, "</a></td>");
	}
	buf_puts(b, "<td data-label=\"Package\">");
	html_text(b, c->package_title);
	/* The package row is named by its part cell ("Whole package"), a header for its row. */
	buf_printf(b, "</td><%s data-label=\"Part\">", c->whole ? "th scope=\"row\"" : "td");
	html_text(b, c->part);
	buf_printf(b, "</%s><td data-label=\"Attempt\">%lld%s</td><td data-label=\"Status\">",
		   c->whole ? "th" : "td", (long long)c->attempt, c->closed ? " (finished)" : "");
	html_text(b, c->completion ? c->completion : "not attempted");
	if (c->success && strcmp(c->success, c->completion ? c->completion : "") &&
	    strcmp(c->success, "unknown")) {
		buf_puts(b, ", ");
		html_text(b, c->success);
	}
	buf_puts(b, "</td><td data-label=\"Score\">");
	html_text(b, c->score && *c->score ? c->score : "–");
	long secs = (long)(c->seconds + 0.5);
	buf_printf(b, "</td><td data-label=\"Time\">%ld min %02ld s</td>"
		      "<td data-label=\"Last activity\">",
		   secs / 60, secs % 60);
	html_text(b, c->updated);
	buf_puts(b, "</td></tr>\n");
}

/* A SCO row: the part's title from the package while it is still imported. */
static void record_cells_sco(record_cells *c, rt_app *app, const store_record *r)
{
	const rt_pkg *p = app_find_package(app, r->package);
	const sco_item *it = p ? sco_list_find(p->scos, r->item) : NULL;
	*c = (record_cells){.learner_name = r->learner_name, .package_title = r->package_title,
			    .part = it ? it->title : r->item, .attempt = r->attempt,
			    .closed = r->closed, .completion = r->completion, .success = r->success,
			    .score = r->score_raw, .seconds = r->total_seconds,
			    .updated = r->updated_at};
}

/* A package row: the scaled score as a percentage, written into `score`. */
static void record_cells_whole(record_cells *c, const store_seq_record *e, char score[32])
{
	score[0] = '\0';
	if (e->score_scaled && *e->score_scaled)
		snprintf(score, 32, "%.0f%%", strtod(e->score_scaled, NULL) * 100);
	*c = (record_cells){.learner_name = e->learner_name, .package_title = e->package_title,
			    .part = "Whole package", .whole = 1, .attempt = e->attempt,
			    .closed = e->closed, .completion = e->completion, .success = e->success,
			    .score = score, .seconds = e->total_seconds, .updated = e->updated_at};
}

int record_table_row(void *ctx, const store_record *sco, const store_seq_record *whole)
{
	const record_table *t = ctx;
	record_cells c;
	char score[32];
	if (sco)
		record_cells_sco(&c, t->app, sco);
	else
		record_cells_whole(&c, whole, score);
	if (t->team)
		c.learner = sco ? sco->learner : whole->learner;
	record_row_html(t->b, &c);
	return 0;
}

void page_records(rt_app *app, const http_request *req, http_response *resp)
{
	char learner[80];
	int64_t lid = app_request_learner(app, req, learner, sizeof learner, 0);
	store_record *r = NULL;
	store_seq_record *pr = NULL;
	size_t n = 0, np = 0;
	store_filter f = {.learner = learner};
	if (lid < 0 || app->st->ops->records(app->st, &f, &r, &n) != 0 ||
	    app->st->ops->seq_records(app->st, &f, &pr, &np) != 0) {
		store_records_free(r, n);
		http_error(resp, 503, "the store does not answer");
		return;
	}
	buf *b = &resp->body;
	layout_head(app, req, b, "My records", NAV_RECORDS, "records");
	buf_puts(b, "<main id=\"main\">\n<h1>My records</h1>\n");
	if (n + np == 0) {
		buf_puts(b, "<p>Nothing recorded yet. Start a package from the "
			    "<a href=\"/\">package list</a>.</p>\n");
	} else {
		buf_puts(b, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"records-caption\" "
			    "tabindex=\"0\">\n<table>\n<caption id=\"records-caption\">Every part you have "
			    "opened, by package and attempt</caption>\n<thead><tr><th scope=\"col\">Package"
			    "</th><th scope=\"col\">Part</th><th scope=\"col\">Attempt</th><th scope=\"col\">"
			    "Status</th><th scope=\"col\">Score</th><th scope=\"col\">Time</th>"
			    "<th scope=\"col\">Last activity (UTC)</th></tr></thead>\n<tbody>\n");
		/* Each attempt's rows, then (sequenced packages) the whole package's row. */
		record_table t = {.app = app, .b = b};
		app_records_walk(r, n, pr, np, record_table_row, &t);
		buf_puts(b, "</tbody>\n</table>\n</div>\n");
	}
	buf_puts(b, "</main>\n");
	layout_foot(app, b);
	store_records_free(r, n);
	store_seq_records_free(pr, np);
	layout_finish(app, resp);
}

/* POST /attempts/<package>/new: closes the learner's open attempt (kept in the history) so the
 * next launch starts a new one, then sends the browser to the player. */
void page_new_attempt(rt_app *app, const http_request *req, http_response *resp)
{
	char id[512];
	const char *slash = strchr(req->rest, '/');
	if (!slash || strcmp(slash, "/new") != 0 ||
	    http_decode_segment(req->rest, (size_t)(slash - req->rest), id, sizeof id) != 0 ||
	    !app_find_package(app, id)) {
		http_error(resp, 404, "no such package");
		return;
	}
	char learner[80];
	int64_t lid = app_request_learner(app, req, learner, sizeof learner, 0);
	store_attempt a;
	int rc = lid < 0 ? PC_EIO : lid == 0 ? PC_ENOTFOUND : app->st->ops->attempt_latest(app->st, lid, id, &a);
	if (rc == 0) {
		if (!a.closed)
			rc = app->st->ops->attempt_close(app->st, a.id);
		store_attempt_clear(&a);
	}
	if (rc && rc != PC_ENOTFOUND) {
		http_error(resp, 503, "the store does not answer");
		return;
	}
	resp->status = 303;
	buf tmp;
	buf_init(&tmp, 0);
	buf_puts(&tmp, "/play/");
	url_segment(&tmp, id);
	http_header_add(resp, "Location", "%s", buf_cstr(&tmp));
	buf_free(&tmp);
}

/* GET /api/preview: the build generation, error and warnings, polled by the player in preview
 * mode. */
void api_preview(rt_app *app, const http_request *req, http_response *resp)
{
	(void)req;
	resp->content_type = "application/json";
	http_header_add(resp, "Cache-Control", "no-store");
	pthread_mutex_lock(&app->preview_lock);
	buf_printf(&resp->body, "{\"preview\":%s,\"generation\":%u,\"error\":",
		   app->preview ? "true" : "false", atomic_load(&app->preview_generation));
	if (app->preview_error)
		buf_put_json_string(&resp->body, app->preview_error);
	else
		buf_puts(&resp->body, "null");
	buf_puts(&resp->body, ",\"warnings\":");
	if (app->preview_warnings)
		buf_put_json_string(&resp->body, app->preview_warnings);
	else
		buf_puts(&resp->body, "null");
	buf_puts(&resp->body, "}\n");
	pthread_mutex_unlock(&app->preview_lock);
}
