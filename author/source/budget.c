/* The suspend_data budget: the longest resume state the player's encoding (author/render/web/README.md,
 * "Encoding") can produce for a module, computed at build time so a module that cannot resume in
 * SCORM 1.2's 4096 characters never ships (field-lessons.md, complaint 1). The encoding is
 *   "1." + cards-seen bitmap (one hex digit per 4 cards) + (";" + answer) per quiz question
 * and the reflection is not part of it (it goes to cmi.comments / comments_from_learner). A
 * profile may add to it (the Learning Hub's interaction count: build.c, module_budget).
 * Worst-case answer lengths per question type are the table below; the player's browser test
 * drives a worst-case learner and checks the real length equals this number. */
#include <stddef.h>

#include "model.h"

/* Longest numeric answer: "-" + 10 digits + "." + 7 digits (the schema's number pattern,
 * which is also what the player accepts). */
#define NUMERIC_MAX 19
/* A fill-in character is stored as typed or, for ';', '%' and control characters, as %XX. */
#define ESCAPED_CHAR 3

static size_t answer_worst(const question *q)
{
	switch (q->type) {
	case Q_CHOICE:
	case Q_LIKERT:
	case Q_TRUE_FALSE:
		return 1; /* one digit (at most 10 options) or t/f */
	case Q_FILL_IN:
		return (size_t)ESCAPED_CHAR * q->maxlength;
	case Q_NUMERIC:
		return NUMERIC_MAX;
	case Q_MULTIPLE:
		return q->noptions; /* every option picked: one digit each */
	case Q_MATCHING:
		return q->npairs; /* a target digit per source */
	case Q_ORDERING:
		return q->nsteps; /* a step digit per position */
	}
	return 0;
}

void budget_compute(module *m)
{
	size_t n = 2 + (m->ncards + 3) / 4; /* "1." and the cards-seen bitmap */
	for (size_t i = 0; i < m->nquestions; i++)
		n += 1 + answer_worst(&m->questions[i]); /* ";" and the answer */
	m->budget = n;
}
