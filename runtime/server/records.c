/* Reports of who did what: one row per learner, package attempt and SCO (status, score, time,
 * last activity), for sequenced (SCORM 2004) packages one more per attempt with the whole
 * package as sequencing rolled it up (level "package"), and optionally every interaction. `postcard records` prints them as a
 * table, CSV or JSON, handed to a sink a block at a time so a large store needs no buffer of the
 * report's size; GET /api/records serves the JSON in one response of at most HTTP_MAX_RESPONSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cmi.h"
#include "common.h"
#include "utf8.h"

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* 1 when s is a plain decimal number ("-5", "+0.75", "12"): a spreadsheet reads it as one. */
static int plain_number(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	size_t digits = strspn(s, "0123456789");
	s += digits;
	if (*s == '.') {
		size_t more = strspn(s + 1, "0123456789");
		digits += more;
		s += 1 + more;
	}
	return digits > 0 && !*s;
}

void csv_cell(buf *b, const char *s, int last)
{
	s = nz(s);
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_putc(b, '"');
	/* A cell a spreadsheet would run as a formula (=, +, -, @; a TAB or CR first can hide them
	 * from a casual look, and some spreadsheets strip them) gets a leading apostrophe; numbers
	 * such as -5 keep their value. */
	if (s[0] && strchr("=+-@\t\r", s[0]) && !plain_number(s))
		buf_putc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	if (quote)
		buf_putc(b, '"');
	buf_putc(b, last ? '\n' : ',');
}

static void json_field(buf *b, const char *name, const char *v, int first)
{
	buf_printf(b, "%s\"%s\":", first ? "" : ",", name);
	if (v)
		buf_put_json_string(b, v);
	else
		buf_puts(b, "null");
}

/* Table cells: control characters become spaces, long values are cut with an ellipsis. */
static void cell(buf *b, const char *s, int width)
{
	s = nz(s);
	int n = 0;
	size_t len = strlen(s);
	for (size_t i = 0; i < len && n < width;) {
		unsigned char c = (unsigned char)s[i];
		size_t step = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (i + step > len)
			break;
		if (n == width - 1 && utf8_count(s + i, len - i) > 1) {
			buf_puts(b, "…");
			n++;
			break;
		}
		if (c < 0x20)
			buf_putc(b, ' ');
		else
			buf_put(b, s + i, step);
		i += step;
		n++;
	}
	for (; n < width; n++)
		buf_putc(b, ' ');
	buf_putc(b, ' ');
}

void app_reflections(rt_app *app, int64_t attempt_id, const char *item,
		     void (*each)(void *ctx, const char *text), void *ctx)
{
	char *json = NULL, err[160];
	int64_t seq, rev;
	cmi_state *st = NULL;
	if (app->st->ops->sco_get(app->st, attempt_id, item, &json, &seq, &rev) != 0 || !json ||
	    cmi_state_from_json(&st, json, strlen(json), err, sizeof err) != 0) {
		free(json);
		return;
	}
	free(json);
	if (cmi_state_version(st) == SCORM_12) {
		const char *c = cmi_state_get(st, "cmi.comments");
		if (c && *c)
			each(ctx, c);
	} else {
		size_t n = cmi_state_count(st, "cmi.comments_from_learner");
		for (size_t i = 0; i < n; i++) {
			char el[64];
			snprintf(el, sizeof el, "cmi.comments_from_learner.%zu.comment", i);
			const char *c = cmi_state_get(st, el);
			if (c && c[0] == '{' && strchr(c, '}'))
				c = strchr(c, '}') + 1; /* the {lang=..} of a localized string */
			if (c && *c)
				each(ctx, c);
		}
	}
	cmi_state_free(st);
}

/* Reflections joined into one cell: " | " between them. */
static void reflection_join(void *ctx, const char *text)
{
	buf *b = ctx;
	if (b->len)
		buf_puts(b, " | ");
	buf_puts(b, text);
}

/* Where a report goes: into `b`, handed to `sink` whenever a block has gathered (or, without a
 * sink, kept whole in `b`, which then caps the report's size). */
struct report {
	buf *b;
	rt_records_sink sink;
	void *ctx;
	int err;
	rt_app *app; /* for titles, questions and reflections */
};

/* A block of this much is handed on: large enough that a sink sees few calls. */
#define REPORT_BLOCK ((size_t)64 << 10)

static void report_flush(struct report *o, int force)
{
	if (!o->sink || o->err || (!force && o->b->len < REPORT_BLOCK))
		return;
	o->err = buf_error(o->b);
	if (!o->err && o->b->len)
		o->err = o->sink(o->ctx, o->b->data, o->b->len);
	buf_reset(o->b);
}

static void time_text(char *out, size_t size, double seconds)
{
	long s = (long)(seconds + 0.5);
	snprintf(out, size, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
}

/* Orders SCO rows and package rows alike: learner, package, attempt number. */
static int key_cmp(const char *la, const char *pa, int64_t aa, const char *lb, const char *pb,
		   int64_t ab)
{
	int c = strcmp(nz(la), nz(lb));
	if (!c)
		c = strcmp(nz(pa), nz(pb));
	return c ? c : (aa > ab) - (aa < ab);
}

static int pkg_before(const store_seq_record *p, const store_record *r)
{
	return key_cmp(p->learner, p->package, p->attempt, r->learner, r->package, r->attempt) < 0;
}

static int pkg_with(const store_seq_record *p, const store_record *r)
{
	return key_cmp(p->learner, p->package, p->attempt, r->learner, r->package, r->attempt) == 0;
}

/* One line of the table format: learner, package, title, item, attempt ("done" added when
 * `closed`), status, success, score, time, last activity. */
static void table_line(buf *b, const char *const row[10], int closed)
{
	static const int width[] = {12, 20, 20, 16, 7, 13, 8, 6, 8};
	static const char *const none[] = {"", "", "", "", "", "not attempted", "-", "-", ""};
	char att[32];
	snprintf(att, sizeof att, "%s%s", row[4], closed ? " done" : "");
	for (size_t i = 0; i < PC_ARRAY_LEN(width); i++) {
		const char *v = i == 4 ? att : row[i];
		cell(b, v && *v ? v : none[i], width[i]);
	}
	buf_printf(b, "%s\n", nz(row[9]));
}

/* A package-level row (sequenced packages): the attempt as sequencing rolled it up. */
static void package_row(const store_seq_record *e, rt_records_format fmt, int first, struct report *o)
{
	buf *b = o->b;
	char t[32], att[24], secs[32];
	time_text(t, sizeof t, e->total_seconds);
	snprintf(att, sizeof att, "%lld", (long long)e->attempt);
	snprintf(secs, sizeof secs, "%.2f", e->total_seconds);
	if (fmt == RT_RECORDS_TABLE) {
		const char *row[] = {e->learner, e->package, "", "(package)", att, e->completion,
				     e->success, e->score_scaled, t, e->updated_at};
		table_line(b, row, e->closed);
	} else if (fmt == RT_RECORDS_CSV) {
		csv_cell(b, e->learner, 0);
		csv_cell(b, e->package, 0);
		csv_cell(b, "", 0); /* title: the SCO rows have it */
		csv_cell(b, "", 0);
		csv_cell(b, att, 0);
		csv_cell(b, e->closed ? "yes" : "no", 0);
		csv_cell(b, e->completion, 0);
		csv_cell(b, e->success, 0);
		csv_cell(b, "", 0);
		csv_cell(b, e->score_scaled, 0);
		csv_cell(b, "", 0);
		csv_cell(b, secs, 0);
		csv_cell(b, "", 0);
		csv_cell(b, "", 0);
		csv_cell(b, "", 0);
		csv_cell(b, e->updated_at, 0);
		csv_cell(b, "package", 0);
		csv_cell(b, "", 1);
	} else {
		buf_puts(b, first ? "\n{" : ",\n{");
		json_field(b, "learner", e->learner, 1);
		json_field(b, "package", e->package, 0);
		buf_printf(b, ",\"title\":null,\"item\":null,\"attempt\":%s,\"finished\":%s", att, e->closed ? "true" : "false");
		json_field(b, "status", e->completion, 0);
		json_field(b, "success", e->success, 0);
		buf_puts(b, ",\"score_raw\":null");
		json_field(b, "score_scaled", e->score_scaled, 0);
		buf_printf(b, ",\"total_time\":null,\"scorm_total_time\":null,\"seconds\":%s,\"location\":null,\"exit\":null,"
			      "\"commits\":null", secs);
		json_field(b, "last_activity", e->updated_at, 0);
		buf_puts(b, ",\"reflection\":null,\"level\":\"package\"}");
	}
}

int app_records_walk(const store_record *r, size_t n, const store_seq_record *pr, size_t np,
		     int (*each)(void *ctx, const store_record *sco, const store_seq_record *whole),
		     void *ctx)
{
	size_t k = 0;
	int rc = 0;
	for (size_t i = 0; i <= n && !rc; i++) {
		/* Package rows of attempts whose SCO rows came before (or that have none). */
		while (!rc && k < np && (i == n || pkg_before(&pr[k], &r[i])))
			rc = each(ctx, NULL, &pr[k++]);
		if (rc || i == n)
			break;
		rc = each(ctx, &r[i], NULL);
		/* The attempt's package row right after its last SCO row. */
		if (!rc && k < np && pkg_with(&pr[k], &r[i]) &&
		    (i + 1 == n || !pkg_with(&pr[k], &r[i + 1])))
			rc = each(ctx, NULL, &pr[k++]);
	}
	return rc;
}

/* One per-SCO row. */
static void sco_row(const store_record *e, rt_records_format fmt, int first, struct report *o,
		    buf *reflection)
{
	buf *b = o->b;
	char t[32], att[24], commits[24];
	time_text(t, sizeof t, e->total_seconds);
	snprintf(att, sizeof att, "%lld", (long long)e->attempt);
	snprintf(commits, sizeof commits, "%lld", (long long)e->commits);
	/* Total time in one format whatever the edition (1.2 HHHH:MM:SS.SS, 2004 PT..S):
	 * hours:minutes:seconds, and the seconds in their own column. */
	buf_reset(reflection);
	if (fmt != RT_RECORDS_TABLE && o->app)
		app_reflections(o->app, e->attempt_id, e->item, reflection_join, reflection);
	if (fmt == RT_RECORDS_TABLE) {
		const char *row[] = {e->learner, e->package, e->package_title, e->item, att,
				     e->completion, e->success, e->score_raw, t, e->updated_at};
		table_line(b, row, e->closed);
	} else if (fmt == RT_RECORDS_CSV) {
		char secs[32];
		snprintf(secs, sizeof secs, "%.2f", e->total_seconds);
		csv_cell(b, e->learner, 0);
		csv_cell(b, e->package, 0);
		csv_cell(b, e->package_title, 0);
		csv_cell(b, e->item, 0);
		csv_cell(b, att, 0);
		csv_cell(b, e->closed ? "yes" : "no", 0);
		csv_cell(b, e->completion, 0);
		csv_cell(b, e->success, 0);
		csv_cell(b, e->score_raw, 0);
		csv_cell(b, e->score_scaled, 0);
		csv_cell(b, t, 0);
		csv_cell(b, secs, 0);
		csv_cell(b, e->location, 0);
		csv_cell(b, e->exit, 0);
		csv_cell(b, commits, 0);
		csv_cell(b, e->updated_at, 0);
		csv_cell(b, "sco", 0);
		csv_cell(b, buf_cstr(reflection), 1);
	} else {
		buf_puts(b, first ? "\n{" : ",\n{");
		json_field(b, "learner", e->learner, 1);
		json_field(b, "package", e->package, 0);
		json_field(b, "title", e->package_title, 0);
		json_field(b, "item", e->item, 0);
		buf_printf(b, ",\"attempt\":%s,\"finished\":%s", att, e->closed ? "true" : "false");
		json_field(b, "status", e->completion, 0);
		json_field(b, "success", e->success, 0);
		json_field(b, "score_raw", e->score_raw, 0);
		json_field(b, "score_scaled", e->score_scaled, 0);
		json_field(b, "total_time", t, 0);
		json_field(b, "scorm_total_time", e->total_time, 0); /* as the edition writes it */
		buf_printf(b, ",\"seconds\":%.2f", e->total_seconds);
		json_field(b, "location", e->location, 0);
		json_field(b, "exit", e->exit, 0);
		buf_printf(b, ",\"commits\":%s", commits);
		json_field(b, "last_activity", e->updated_at, 0);
		json_field(b, "reflection", reflection->len ? buf_cstr(reflection) : NULL, 0);
		buf_puts(b, ",\"level\":\"sco\"}");
	}
}

struct rows_ctx {
	rt_records_format fmt;
	struct report *o;
	buf reflection; /* the SCO row's reflections, joined */
	size_t rows;
};

static int report_row(void *ctx, const store_record *sco, const store_seq_record *whole)
{
	struct rows_ctx *c = ctx;
	report_flush(c->o, 0);
	if (c->o->err)
		return c->o->err;
	if (sco)
		sco_row(sco, c->fmt, c->rows == 0, c->o, &c->reflection);
	else
		package_row(whole, c->fmt, c->rows == 0, c->o);
	c->rows++;
	return 0;
}

/* The per-SCO rows, each attempt's package row (sequenced packages) after its SCOs' rows. */
static void records_rows(const store_record *r, size_t n, const store_seq_record *pr, size_t np,
			 rt_records_format fmt, struct report *o)
{
	buf *b = o->b;
	if (fmt == RT_RECORDS_TABLE) {
		cell(b, "LEARNER", 12);
		cell(b, "PACKAGE", 20);
		cell(b, "TITLE", 20);
		cell(b, "ITEM", 16);
		cell(b, "ATTEMPT", 7);
		cell(b, "STATUS", 13);
		cell(b, "SUCCESS", 8);
		cell(b, "SCORE", 6);
		cell(b, "TIME", 8);
		buf_puts(b, "LAST ACTIVITY\n");
	} else if (fmt == RT_RECORDS_CSV) {
		buf_puts(b, "learner,package,title,item,attempt,finished,status,success,score_raw,"
			    "score_scaled,total_time,seconds,location,exit,commits,last_activity,level,"
			    "reflection\n");
	} else {
		buf_puts(b, "{\"records\":[");
	}
	struct rows_ctx c = {.fmt = fmt, .o = o};
	buf_init(&c.reflection, 0);
	app_records_walk(r, n, pr, np, report_row, &c);
	buf_free(&c.reflection);
	if (fmt == RT_RECORDS_JSON)
		buf_puts(b, "\n]");
}

/* An interaction's latency as total time is shown, whichever edition wrote it (1.2
 * HHHH:MM:SS.SS, 2004 PT#H#M#S): h:mm:ss, and .hh when there are hundredths (answers take
 * seconds, not hours, so they matter here). A value neither edition writes is shown as it is. */
static const char *latency_text(char *out, size_t size, const char *v)
{
	long long cs = v && *v ? cmi_interval_cs(v) : -1;
	if (cs < 0)
		return v;
	long long s = cs / 100;
	int n = snprintf(out, size, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
	if (cs % 100 && n > 0 && (size_t)n < size)
		snprintf(out + n, size - (size_t)n, ".%02lld", cs % 100);
	return out;
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

/* Reads `n` digits at *p into *v, at most `max`; 0 when they are not there. */
static int read_digits(const char **p, int n, int max, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return 0;
		*v = *v * 10 + (**p - '0');
	}
	return *v <= max;
}

/* An interaction's timestamp in one form whatever the edition, ISO 8601's extended one: a
 * 2004 date-time (precise to the hour or better) is written to the second,
 * "YYYY-MM-DDThh:mm:ss" with its fraction kept, and when it names its zone it is moved to UTC
 * ("...Z"), as last activity is. A 1.2 time (HH:MM:SS[.SS]) is a time of day already in that
 * form; 1.2 records no date and no zone, and none is made up. A date alone, or anything else,
 * is shown as it is. */
static const char *timestamp_text(char *out, size_t size, const char *v)
{
	const char *p = v, *frac = "";
	int y, mo, d, h, mi = 0, s = 0, zh = 0, zm = 0, sign = 0, nfrac = 0;
	if (!v || !read_digits(&p, 4, 9999, &y) || *p++ != '-' || !read_digits(&p, 2, 12, &mo) ||
	    *p++ != '-' || !read_digits(&p, 2, 31, &d) || *p++ != 'T' || !read_digits(&p, 2, 23, &h))
		return v;
	if (*p == ':' && (++p, !read_digits(&p, 2, 59, &mi)))
		return v;
	if (*p == ':' && (++p, !read_digits(&p, 2, 59, &s)))
		return v;
	if (*p == '.') {
		frac = ++p;
		while (*p >= '0' && *p <= '9' && nfrac < 9)
			p++, nfrac++;
		if (!nfrac)
			return v;
	}
	if (*p == 'Z') {
		p++;
		sign = 1;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (!read_digits(&p, 2, 23, &zh) || (*p == ':' && (++p, !read_digits(&p, 2, 59, &zm))))
			return v;
	}
	if (*p || mo < 1 || d < 1)
		return v;
	long long yy = y;
	unsigned um = (unsigned)mo, ud = (unsigned)d;
	if (sign) {
		long long min = days_from_civil(yy, um, ud) * 1440 + h * 60 + mi - sign * (zh * 60 + zm);
		long long day = (min >= 0 ? min : min - 1439) / 1440;
		min -= day * 1440;
		civil_from_days(day, &yy, &um, &ud);
		h = (int)(min / 60);
		mi = (int)(min % 60);
	}
	snprintf(out, size, "%04lld-%02u-%02uT%02d:%02d:%02d%s%.*s%s", yy, um, ud, h, mi, s,
		 nfrac ? "." : "", nfrac, frac, sign ? "Z" : "");
	return out;
}

static void interaction_rows(const store_interaction_row *r, size_t n, rt_records_format fmt,
			     struct report *o)
{
	buf *b = o->b;
	char att[24], idx[24], latency[48], stamp[64];
	buf answer;
	buf_init(&answer, 0);
	if (fmt == RT_RECORDS_TABLE) {
		buf_puts(b, "\n");
		cell(b, "LEARNER", 12);
		cell(b, "PACKAGE", 20);
		cell(b, "ITEM", 16);
		cell(b, "ATTEMPT", 7);
		cell(b, "N", 3);
		cell(b, "QUESTION", 16);
		cell(b, "TYPE", 11);
		cell(b, "RESULT", 10);
		buf_puts(b, "RESPONSE\n");
	} else if (fmt == RT_RECORDS_CSV) {
		buf_puts(b, "\nlearner,package,item,attempt,n,id,type,description,learner_response,"
			    "correct_responses,result,weighting,latency,timestamp,question,answer\n");
	} else {
		buf_puts(b, ",\"interactions\":[");
	}
	for (size_t i = 0; i < n && !o->err; i++) {
		report_flush(o, 0);
		const store_interaction_row *e = &r[i];
		snprintf(att, sizeof att, "%lld", (long long)e->attempt);
		snprintf(idx, sizeof idx, "%lld", (long long)e->n);
		/* A Postcard-built package says what it asked and what its option letters stand for
		 * (pkginfo.c); for others these stay empty. */
		const rt_pkg *p = o->app ? app_find_package(o->app, e->package) : NULL;
		const char *question = p ? pkginfo_prompt(p, e->item, e->id) : NULL;
		buf_reset(&answer);
		if (p)
			pkginfo_answer(p, e->item, e->id, e->learner_response, &answer);
		/* One format per column whatever the edition; JSON also keeps what the SCO wrote. */
		const char *lat = latency_text(latency, sizeof latency, e->latency);
		const char *when = timestamp_text(stamp, sizeof stamp, e->timestamp);
		if (fmt == RT_RECORDS_TABLE) {
			cell(b, e->learner, 12);
			cell(b, e->package, 20);
			cell(b, e->item, 16);
			cell(b, att, 7);
			cell(b, idx, 3);
			cell(b, question ? question : e->id, 16);
			cell(b, e->type, 11);
			cell(b, e->result, 10);
			buf_printf(b, "%s\n", answer.len ? buf_cstr(&answer) : nz(e->learner_response));
		} else if (fmt == RT_RECORDS_CSV) {
			csv_cell(b, e->learner, 0);
			csv_cell(b, e->package, 0);
			csv_cell(b, e->item, 0);
			csv_cell(b, att, 0);
			csv_cell(b, idx, 0);
			csv_cell(b, e->id, 0);
			csv_cell(b, e->type, 0);
			csv_cell(b, e->description, 0);
			csv_cell(b, e->learner_response, 0);
			csv_cell(b, e->correct_responses, 0);
			csv_cell(b, e->result, 0);
			csv_cell(b, e->weighting, 0);
			csv_cell(b, lat, 0);
			csv_cell(b, when, 0);
			csv_cell(b, question, 0);
			csv_cell(b, answer.len ? buf_cstr(&answer) : NULL, 1);
		} else {
			buf_puts(b, i ? ",\n{" : "\n{");
			json_field(b, "learner", e->learner, 1);
			json_field(b, "package", e->package, 0);
			json_field(b, "item", e->item, 0);
			buf_printf(b, ",\"attempt\":%s,\"n\":%s", att, idx);
			json_field(b, "id", e->id, 0);
			json_field(b, "type", e->type, 0);
			json_field(b, "description", e->description, 0);
			json_field(b, "learner_response", e->learner_response, 0);
			json_field(b, "correct_responses", e->correct_responses, 0);
			json_field(b, "result", e->result, 0);
			json_field(b, "weighting", e->weighting, 0);
			json_field(b, "latency", lat, 0);
			json_field(b, "scorm_latency", e->latency, 0);
			json_field(b, "timestamp", when, 0);
			json_field(b, "scorm_timestamp", e->timestamp, 0);
			json_field(b, "question", question, 0);
			json_field(b, "answer", answer.len ? buf_cstr(&answer) : NULL, 0);
			buf_putc(b, '}');
		}
	}
	if (fmt == RT_RECORDS_JSON)
		buf_puts(b, "\n]");
	buf_free(&answer);
}

static int records_into(rt_app *app, const rt_records_query *q, struct report *o)
{
	store *st = app->st;
	o->app = app;
	store_filter f = {.package = q->package, .learner = q->learner};
	store_record *r = NULL;
	store_seq_record *pr = NULL;
	store_interaction_row *ir = NULL;
	size_t n = 0, np = 0, ni = 0;
	int rc = st->ops->records(st, &f, &r, &n);
	if (!rc)
		rc = st->ops->seq_records(st, &f, &pr, &np);
	if (!rc && q->interactions)
		rc = st->ops->interactions(st, &f, &ir, &ni);
	if (!rc) {
		records_rows(r, n, pr, np, q->format, o);
		if (q->interactions)
			interaction_rows(ir, ni, q->format, o);
		if (q->format == RT_RECORDS_JSON)
			buf_puts(o->b, "}\n");
		report_flush(o, 1);
		rc = o->err ? o->err : buf_error(o->b);
	}
	store_records_free(r, n);
	store_seq_records_free(pr, np);
	store_interaction_rows_free(ir, ni);
	return rc;
}

int rt_records(rt_app *app, const rt_records_query *q, rt_records_sink sink, void *ctx)
{
	buf b;
	buf_init(&b, 0);
	struct report o = {.b = &b, .sink = sink, .ctx = ctx};
	int rc = records_into(app, q, &o);
	buf_free(&b);
	return rc;
}

/* GET /api/records[?package=ID][&interactions=1]: the requesting learner's records as JSON. */
void api_records(rt_app *app, const http_request *req, http_response *resp)
{
	char learner[80], package[512], inter[8];
	if (app_request_learner(app, req, learner, sizeof learner, 0) < 0) {
		http_error(resp, 503, "the store does not answer");
		return;
	}
	rt_records_query q = {
		.package = http_query_param(req, "package", package, sizeof package) ? package : NULL,
		.learner = learner,
		.interactions = http_query_param(req, "interactions", inter, sizeof inter) &&
				strcmp(inter, "0") != 0,
		.format = RT_RECORDS_JSON,
	};
	/* Kept whole in the response body, so capped (HTTP_MAX_RESPONSE). */
	size_t max = app->records_max ? app->records_max : HTTP_MAX_RESPONSE;
	if (max < resp->body.max)
		resp->body.max = max;
	struct report o = {.b = &resp->body};
	int rc = records_into(app, &q, &o);
	if (rc == PC_ELIMIT) {
		/* Not the client's fault, and retrying will not help: a server limit, said plainly. */
		http_errorf(resp, 500,
			    "the records are larger than the %zu MiB this server sends at once; ask for one "
			    "package (?package=ID) or use 'postcard records', which has no such limit",
			    max >> 20);
		return;
	}
	if (rc) {
		http_error(resp, 503, "the store does not answer");
		return;
	}
	resp->content_type = "application/json";
	http_header_add(resp, "Cache-Control", "no-store");
}
