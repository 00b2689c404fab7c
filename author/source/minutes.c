/* About how long a module takes, for its start screen ("about 20 minutes"), worked out from the
 * words the learner reads: the cards, then the quiz (prompts, options, pairs, steps) and the
 * reflection prompt, at READ_WPM words a minute, plus THINK_SECONDS per question and
 * REFLECT_MINUTES to write the reflection. Above ten minutes it is rounded up to a multiple of
 * five, because "about 17 minutes" promises a precision this estimate does not have. */
#include <ctype.h>
#include <stddef.h>

#include "model.h"

/* Why these numbers: adults read screen text of this plain kind at about 200 to 250 words a
 * minute; the lower figure leaves room for readers with dyslexia or English as a second
 * language. Half a minute to think per question and three to write a short plan are guesses
 * to be checked against real sessions. */
#define READ_WPM 200
#define THINK_SECONDS 30
#define REFLECT_MINUTES 3

/* Words in text: runs of letters and digits; markup between < and > (card HTML) is skipped. */
static size_t words(const char *s)
{
	size_t n = 0;
	int in_word = 0, in_tag = 0;
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (in_tag) {
			in_tag = c != '>';
			continue;
		}
		if (c == '<') {
			in_tag = 1;
			in_word = 0;
			continue;
		}
		int w = isalnum(c) || c >= 0x80; /* any UTF-8 byte is part of a word */
		if (w && !in_word)
			n++;
		in_word = w;
	}
	return n;
}

void minutes_compute(module *m)
{
	size_t n = 0;
	for (size_t i = 0; i < m->ncards; i++)
		n += words(m->cards[i].html);
	for (size_t i = 0; i < m->nquestions; i++) {
		const question *q = &m->questions[i];
		n += words(q->prompt);
		for (size_t k = 0; k < q->noptions; k++)
			n += words(q->options[k].text);
		for (size_t k = 0; k < q->npairs; k++)
			n += words(q->sources[k]) + words(q->targets[k]);
		for (size_t k = 0; k < q->nsteps; k++)
			n += words(q->steps[k]);
	}
	if (m->has_reflection)
		n += words(m->refl_prompt);
	size_t seconds = n * 60 / READ_WPM + m->nquestions * THINK_SECONDS +
			 (m->has_reflection ? REFLECT_MINUTES * 60 : 0);
	size_t min = (seconds + 59) / 60;
	if (min < 1)
		min = 1;
	if (min > 10)
		min = (min + 4) / 5 * 5;
	m->minutes = (unsigned)min;
}
