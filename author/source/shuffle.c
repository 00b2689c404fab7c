/* The fixed shuffles shown to learners: targets of a matching question and steps of an ordering
 * question. They come from a hash of the module and question ids, never from a clock or a random
 * generator, so the same sources always give the same package (and the same resume state). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "model.h"

/* FNV-1a over "module/question": small, stable across platforms. */
static uint64_t seed_of(const char *module_id, const char *question_id)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *parts[3] = {module_id, "/", question_id};
	for (size_t p = 0; p < 3; p++)
		for (const unsigned char *s = (const unsigned char *)parts[p]; *s; s++) {
			h ^= *s;
			h *= 0x100000001b3ULL;
		}
	return h;
}

/* splitmix64: a well-mixed sequence from the seed. */
static uint64_t next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Fills order[0..n) with a permutation of 0..n-1 that is never the identity (n >= 2): showing
 * steps already in the right order would give the answer away. */
static void shuffle(size_t *order, size_t n, uint64_t seed)
{
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	uint64_t st = seed;
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(next(&st) % i);
		size_t t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	int identity = 1;
	for (size_t i = 0; i < n && identity; i++)
		identity = order[i] == i;
	if (identity && n >= 2) /* rotate by one */
		for (size_t i = 0; i < n; i++)
			order[i] = (i + 1) % n;
}

int module_shuffle(module *m)
{
	for (size_t i = 0; i < m->nquestions; i++) {
		question *q = &m->questions[i];
		size_t n = q->type == Q_MATCHING ? q->npairs : q->type == Q_ORDERING ? q->nsteps : 0;
		if (!n)
			continue;
		free(q->shown);
		q->shown = malloc(n * sizeof *q->shown);
		if (!q->shown)
			return PC_ENOMEM;
		shuffle(q->shown, n, seed_of(m->id, q->id));
	}
	return 0;
}
