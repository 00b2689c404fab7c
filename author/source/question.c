/* One quiz question of module.xml: its options, answers, pairs or steps, and the checks a
 * schema cannot express (exactly one correct option in a choice, accepted answers the learner
 * could type, a numeric range that admits an answer, texts the learner can tell apart). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "reader.h"
#include "utf8.h"

/* Compares two decimals as the schema allows them (-?digits(.digits)?): <0, 0, >0. Written by
 * hand so the result never depends on the locale's decimal separator. */
static int dec_cmp(const char *a, const char *b)
{
	int na = *a == '-', nb = *b == '-';
	a += na;
	b += nb;
	/* -0 equals 0: treat an all-zero number as positive */
	int za = strspn(a, "0.") == strlen(a), zb = strspn(b, "0.") == strlen(b);
	if (za)
		na = 0;
	if (zb)
		nb = 0;
	if (na != nb)
		return na ? -1 : 1;
	while (*a == '0' && a[1] && a[1] != '.')
		a++;
	while (*b == '0' && b[1] && b[1] != '.')
		b++;
	size_t ia = strcspn(a, "."), ib = strcspn(b, ".");
	int c = 0;
	if (ia != ib)
		c = ia < ib ? -1 : 1;
	else {
		c = strncmp(a, b, ia);
		const char *fa = a[ia] ? a + ia + 1 : "", *fb = b[ib] ? b + ib + 1 : "";
		while (!c && (*fa || *fb)) {
			char da = *fa ? *fa++ : '0', db = *fb ? *fb++ : '0';
			c = (da > db) - (da < db);
		}
		c = (c > 0) - (c < 0);
	}
	return na ? -c : c;
}

const char *q_type_name(q_type t)
{
	static const char *const names[] = {"choice",  "multiple", "true-false", "fill-in",
					    "numeric", "matching", "ordering",   "likert"};
	return names[t];
}

int q_type_of(const xmlNode *n, q_type *t)
{
	for (int i = Q_CHOICE; i <= Q_LIKERT; i++)
		if (is(n, q_type_name((q_type)i))) {
			*t = (q_type)i;
			return 1;
		}
	return 0;
}

static void read_feedback(reader *r, question *q, const xmlNode *n)
{
	q->fb_correct = attr_of(r, n, "correct");
	q->fb_incorrect = attr_of(r, n, "incorrect");
}

static void check_distinct(reader *r, char **texts, size_t n, const size_t *offs, size_t dflt_off,
			   const char *what)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (texts[i] && texts[j] && same_answer(texts[i], texts[j])) {
				err_at(r, offs ? offs[i] : dflt_off, "duplicate-text",
				       "two %s read '%s': the learner could not tell them apart", what,
				       texts[i]);
				j = i;
			}
}

void read_question(reader *r, module *m, question *q, const xmlNode *n)
{
	q->off = off_of(r, n);
	q->id = attr_of(r, n, "id");
	q->card = attr_of(r, n, "card");
	if (q->card) {
		size_t k = 0;
		while (k < m->ncards && !(m->cards[k].id && strcmp(m->cards[k].id, q->card) == 0))
			k++;
		if (k == m->ncards)
			err_at(r, attr_off(r, n, "card"), "question-card",
			       "question '%s' points to card '%s', which this module does not have (cards come before the quiz)",
			       q->id ? q->id : "", q->card);
	}
	q->maxlength = attr_uint(n, "maxlength", 60);
	q->answer = attr_bool(n, "answer");
	size_t ncorrect = 0;
	size_t *offs = NULL, noffs = 0;
	EACH_CHILD(c, n) {
		if (is(c, "prompt")) {
			q->prompt = text_of(r, c);
		} else if (is(c, "feedback")) {
			read_feedback(r, q, c);
		} else if (is(c, "option")) {
			q_option *o = push(r, (void **)&q->options, &q->noptions, sizeof *o);
			if (!o)
				return;
			o->text = text_of(r, c);
			o->feedback = attr_of(r, c, "feedback");
			o->correct = attr_bool(c, "correct");
			o->fixed = attr_bool(c, "fixed");
			o->off = off_of(r, c);
			ncorrect += o->correct;
		} else if (is(c, "answer") && q->type == Q_FILL_IN) {
			size_t k = q->nanswers;
			char **a = push(r, (void **)&q->answers, &q->nanswers, sizeof *a);
			size_t *ao = a ? push(r, (void **)&q->answer_offs, &k, sizeof *ao) : NULL;
			if (!a || !ao)
				return;
			*a = text_of(r, c);
			*ao = off_of(r, c);
		} else if (is(c, "answer") && q->type == Q_NUMERIC) {
			char *v = attr_of(r, c, "value");
			q->min = attr_of(r, c, "min");
			q->max = attr_of(r, c, "max");
			size_t off = off_of(r, c);
			if (v && (q->min || q->max)) {
				err_at(r, off, "numeric-answer",
				       "give either value=\"…\" for an exact answer, or min/max for a range, not both");
			} else if (v) {
				q->min = v;
				q->max = strdup(v);
				v = NULL;
				if (!q->max)
					r->oom = 1;
			} else if (!q->min && !q->max) {
				err_at(r, off, "numeric-answer",
				       "a numeric answer needs value=\"…\", or min=\"…\" and/or max=\"…\"");
			} else if (q->min && q->max && dec_cmp(q->min, q->max) > 0) {
				err_at(r, attr_off(r, c, "min"), "numeric-range",
				       "min (%s) is greater than max (%s): no answer could be right",
				       q->min, q->max);
			}
			free(v);
		} else if (is(c, "pair")) {
			size_t k = q->npairs, k2 = q->npairs;
			char **s = push(r, (void **)&q->sources, &k, sizeof *s);
			char **t = s ? push(r, (void **)&q->targets, &k2, sizeof *t) : NULL;
			size_t *po = t ? push(r, (void **)&offs, &noffs, sizeof *po) : NULL;
			if (!po)
				return;
			q->npairs++;
			*po = off_of(r, c);
			EACH_CHILD(pc, c) {
				if (is(pc, "source") && !*s)
					*s = text_of(r, pc);
				else if (is(pc, "target") && !*t)
					*t = text_of(r, pc);
			}
		} else if (is(c, "step")) {
			char **s = push(r, (void **)&q->steps, &q->nsteps, sizeof *s);
			size_t *po = s ? push(r, (void **)&offs, &noffs, sizeof *po) : NULL;
			if (!po)
				return;
			*s = text_of(r, c);
			*po = off_of(r, c);
		}
	}
	const char *tn = q_type_name(q->type);
	switch (q->type) {
	case Q_CHOICE:
		if (ncorrect == 0)
			err_at(r, q->off, "correct-option",
			       "choice question '%s' has no correct option: mark one with correct=\"true\"",
			       q->id);
		else if (ncorrect > 1)
			err_at(r, q->off, "correct-option",
			       "choice question '%s' has %zu correct options; a <choice> has exactly one (use <multiple> for several)",
			       q->id, ncorrect);
		break;
	case Q_MULTIPLE:
		if (ncorrect == 0)
			err_at(r, q->off, "correct-option",
			       "multiple question '%s' has no correct option: mark at least one with correct=\"true\"",
			       q->id);
		break;
	case Q_FILL_IN:
		for (size_t i = 0; i < q->nanswers; i++) {
			size_t len = q->answers[i] ? utf8_count(q->answers[i], strlen(q->answers[i])) : 0;
			if (len > q->maxlength)
				err_at(r, q->answer_offs[i], "answer-length",
				       "accepted answer is %zu characters long but maxlength is %u: the learner could never type it",
				       len, q->maxlength);
		}
		check_distinct(r, q->answers, q->nanswers, q->answer_offs, q->off, "accepted answers");
		break;
	default:
		break;
	}
	if (q->noptions) {
		char **texts = calloc(q->noptions, sizeof *texts);
		size_t *oo = calloc(q->noptions, sizeof *oo);
		if (!texts || !oo)
			r->oom = 1;
		else {
			for (size_t i = 0; i < q->noptions; i++) {
				texts[i] = q->options[i].text;
				oo[i] = q->options[i].off;
			}
			check_distinct(r, texts, q->noptions, oo, q->off, "options");
		}
		free(texts);
		free(oo);
	}
	if (q->npairs) {
		check_distinct(r, q->sources, q->npairs, offs, q->off, "sources");
		check_distinct(r, q->targets, q->npairs, offs, q->off, "targets");
	}
	if (q->nsteps)
		check_distinct(r, q->steps, q->nsteps, offs, q->off, "steps");
	(void)tn;
	(void)m;
	free(offs);
}

