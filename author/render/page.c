/* One SCO's page: the author/render/web/sco.html template filled with the module's rendered cards and
 * the data JSON the player reads, exactly as author/render/web/README.md (the compiler-player contract)
 * describes. */
#include "page.h"

#include <string.h>

#include "common.h"
#include "postcard_page.h"

static void jkey(buf *b, int *first, const char *key)
{
	buf_puts(b, *first ? "\"" : ",\"");
	buf_puts(b, key);
	buf_puts(b, "\":");
	*first = 0;
}

static void jstr(buf *b, int *first, const char *key, const char *value)
{
	if (!value)
		return;
	jkey(b, first, key);
	buf_put_json_string(b, value);
}

static void jindexes(buf *b, const size_t *idx, size_t n)
{
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++)
		buf_printf(b, i ? ",%zu" : "%zu", idx[i]);
	buf_putc(b, ']');
}

static void joptions(buf *b, const question *q)
{
	buf_puts(b, ",\"options\":[");
	for (size_t i = 0; i < q->noptions; i++) {
		int f = 1;
		buf_puts(b, i ? ",{" : "{");
		jstr(b, &f, "text", q->options[i].text);
		jstr(b, &f, "feedback", q->options[i].feedback);
		if (q->options[i].fixed)
			buf_puts(b, ",\"fixed\":true");
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

static void jstrings(buf *b, const char *key, char *const *s, size_t n)
{
	buf_printf(b, ",\"%s\":[", key);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		buf_put_json_string(b, s[i]);
	}
	buf_putc(b, ']');
}

static void jquestion(buf *b, const question *q)
{
	int f = 1;
	buf_putc(b, '{');
	jstr(b, &f, "id", q->id);
	jstr(b, &f, "type", q_type_name(q->type));
	jstr(b, &f, "prompt", q->prompt);
	jstr(b, &f, "card", q->card);
	buf_puts(b, ",\"feedback\":{");
	int ff = 1;
	jstr(b, &ff, "correct", q->fb_correct);
	jstr(b, &ff, "incorrect", q->fb_incorrect);
	buf_putc(b, '}');
	switch (q->type) {
	case Q_CHOICE:
	case Q_MULTIPLE: {
		joptions(b, q);
		buf_puts(b, ",\"correct\":[");
		int first = 1;
		for (size_t i = 0; i < q->noptions; i++)
			if (q->options[i].correct) {
				buf_printf(b, first ? "%zu" : ",%zu", i);
				first = 0;
			}
		buf_putc(b, ']');
		break;
	}
	case Q_TRUE_FALSE:
		buf_printf(b, ",\"answer\":%s", q->answer ? "true" : "false");
		break;
	case Q_FILL_IN:
		jstrings(b, "answers", q->answers, q->nanswers);
		buf_printf(b, ",\"maxlength\":%u", q->maxlength);
		break;
	case Q_NUMERIC:
		if (q->min) {
			buf_puts(b, ",\"min\":");
			buf_put_json_string(b, q->min);
		}
		if (q->max) {
			buf_puts(b, ",\"max\":");
			buf_put_json_string(b, q->max);
		}
		break;
	case Q_MATCHING:
		buf_puts(b, ",\"pairs\":[");
		for (size_t i = 0; i < q->npairs; i++) {
			int pf = 1;
			buf_puts(b, i ? ",{" : "{");
			jstr(b, &pf, "source", q->sources[i]);
			jstr(b, &pf, "target", q->targets[i]);
			buf_putc(b, '}');
		}
		buf_puts(b, "],\"targetOrder\":");
		jindexes(b, q->shown, q->npairs);
		break;
	case Q_ORDERING:
		jstrings(b, "steps", q->steps, q->nsteps);
		buf_puts(b, ",\"shownOrder\":");
		jindexes(b, q->shown, q->nsteps);
		break;
	case Q_LIKERT:
		joptions(b, q);
		break;
	}
	buf_putc(b, '}');
}

int page_data_json(const module *m, const char *scorm, const char *lms, size_t budget, buf *b)
{
	int f = 1;
	buf_puts(b, "{\"format\":1,\"scorm\":");
	buf_put_json_string(b, scorm);
	buf_puts(b, ",\"lms\":");
	buf_put_json_string(b, lms);
	buf_puts(b, ",\"module\":{");
	jstr(b, &f, "id", m->id);
	jstr(b, &f, "version", m->version);
	jstr(b, &f, "title", m->title);
	jstr(b, &f, "lang", m->lang);
	jstr(b, &f, "phase", m->phase);
	jstr(b, &f, "summary", m->summary);
	if (m->noutcomes)
		jstrings(b, "outcomes", m->outcomes, m->noutcomes);
	buf_printf(b, ",\"minutes\":%u", m->minutes);
	buf_puts(b, "},\"cards\":[");
	for (size_t i = 0; i < m->ncards; i++) {
		int cf = 1;
		buf_puts(b, i ? ",{" : "{");
		jstr(b, &cf, "id", m->cards[i].id);
		jstr(b, &cf, "title", m->cards[i].title);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
	if (m->has_quiz) {
		buf_puts(b, ",\"quiz\":{\"id\":");
		buf_put_json_string(b, m->quiz_id);
		buf_printf(b, ",\"pass\":%u,\"questions\":[", m->pass);
		for (size_t i = 0; i < m->nquestions; i++) {
			if (i)
				buf_putc(b, ',');
			jquestion(b, &m->questions[i]);
		}
		buf_puts(b, "]}");
	}
	if (m->has_reflection) {
		buf_puts(b, ",\"reflection\":{\"id\":");
		buf_put_json_string(b, m->refl_id);
		buf_puts(b, ",\"prompt\":");
		buf_put_json_string(b, m->refl_prompt ? m->refl_prompt : "");
		buf_printf(b, ",\"maxlength\":%u}", m->refl_max);
	}
	buf_puts(b, ",\"reading\":[");
	for (size_t i = 0; i < m->nreading; i++) {
		int lf = 1;
		buf_puts(b, i ? ",{" : "{");
		jstr(b, &lf, "href", m->reading[i].href);
		jstr(b, &lf, "text", m->reading[i].text);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
	if (m->postcard.present) {
		buf_puts(b, ",\"postcard\":\"" POSTCARD_FILE "\"");
		/* The learner's action plan lists these as a checklist (postcard.js, actionPlan). */
		jstrings(b, "postcardSteps", m->postcard.steps, m->postcard.nsteps);
	}
	buf_printf(b, ",\"suspendBudget\":%zu}", budget);
	return buf_error(b);
}

static const char *const placeholders[] = {"{{lang}}", "{{title}}", "{{assets}}", "{{cards}}",
					   "{{data}}"};

/* Every placeholder is replaced wherever it appears, in one pass (a title that contains
 * "{{cards}}" stays text). {{cards}} and {{data}} must appear exactly once: twice would give
 * duplicate element ids. */
int page_check_template(const char *tpl, size_t len, const char **missing)
{
	*missing = NULL;
	for (size_t i = 3; i < PC_ARRAY_LEN(placeholders); i++) {
		const char *p = placeholders[i];
		size_t pl = strlen(p), count = 0;
		for (size_t k = 0; k + pl <= len; k++)
			if (memcmp(tpl + k, p, pl) == 0)
				count++;
		if (count != 1) {
			*missing = p;
			return PC_EFORMAT;
		}
	}
	return 0;
}

int page_render(const module *m, const char *scorm, const char *lms, size_t budget,
		const char *assets, const char *tpl, size_t tlen, buf *out)
{
	size_t i = 0;
	while (i < tlen) {
		const char *brace = memchr(tpl + i, '{', tlen - i);
		size_t at = brace ? (size_t)(brace - tpl) : tlen;
		buf_put(out, tpl + i, at - i);
		i = at;
		if (!brace)
			break;
		size_t k;
		for (k = 0; k < PC_ARRAY_LEN(placeholders); k++)
			if (strncmp(tpl + i, placeholders[k], strlen(placeholders[k])) == 0)
				break;
		if (k == PC_ARRAY_LEN(placeholders)) {
			buf_putc(out, '{');
			i++;
			continue;
		}
		i += strlen(placeholders[k]);
		switch (k) {
		case 0:
			buf_put_xml(out, m->lang, strlen(m->lang));
			break;
		case 1:
			buf_put_xml(out, m->title, strlen(m->title));
			break;
		case 2:
			buf_put_xml(out, assets, strlen(assets));
			break;
		case 3:
			for (size_t c = 0; c < m->ncards; c++) {
				const card *cd = &m->cards[c];
				buf_printf(out, "<section class=\"card\" id=\"card-%s\" data-card=\"%s\">\n",
					   cd->id, cd->id);
				buf_puts(out, cd->html ? cd->html : "");
				buf_puts(out, "</section>\n");
			}
			break;
		case 4:
			page_data_json(m, scorm, lms, budget, out);
			break;
		}
	}
	return buf_error(out);
}
