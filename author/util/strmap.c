/* String-keyed hash map (see strmap.h): open addressing, FNV-1a, grows at half full. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

void strmap_free(strmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

static size_t slot(const strmap *m, const char *key)
{
	size_t i = (size_t)hash(key) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int grow(strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	strmap g = {calloc(cap, sizeof *g.keys), calloc(cap, sizeof *g.vals), 0, cap, 0};
	if (!g.keys || !g.vals) {
		strmap_free(&g);
		return PC_ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i]) {
			size_t j = slot(&g, m->keys[i]);
			g.keys[j] = m->keys[i];
			g.vals[j] = m->vals[i];
			g.n++;
		}
	strmap_free(m);
	*m = g;
	return 0;
}

int strmap_add(strmap *m, const char *key, void *val, void **old)
{
	if ((m->n + 1) * 2 > m->cap && grow(m) != 0) {
		m->oom = 1;
		return PC_ENOMEM;
	}
	size_t i = slot(m, key);
	if (m->keys[i]) {
		if (old)
			*old = m->vals[i];
		return 0;
	}
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
	return 1;
}

void *strmap_get(const strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t i = slot(m, key);
	return m->keys[i] ? m->vals[i] : NULL;
}

int strmap_has(const strmap *m, const char *key)
{
	return m->cap && m->keys[slot(m, key)] != NULL;
}
