/* The value store of a CMI state: element name -> value, an open-addressing hash map with
 * linear probing and backward-shift deletion (no tombstones). It owns copies of keys and
 * values. A state holds at most a few thousand entries (collections are capped). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmi_int.h"

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

void cmi_store_free(struct cmi_store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++) {
		free(s->slots[i].key);
		free(s->slots[i].val);
	}
	free(s->slots);
	s->slots = NULL;
	s->cap = s->len = 0;
}

struct cmi_slot *cmi_store_find(const struct cmi_store *s, const char *key, size_t klen)
{
	if (!s->cap)
		return NULL;
	size_t mask = s->cap - 1;
	for (size_t i = (size_t)hash(key, klen) & mask;; i = (i + 1) & mask) {
		struct cmi_slot *sl = &s->slots[i];
		if (!sl->key)
			return NULL;
		if (sl->klen == klen && memcmp(sl->key, key, klen) == 0)
			return sl;
	}
}

/* Places an owned slot into a table known to have room and not to hold the key. */
static void place(struct cmi_slot *slots, size_t cap, struct cmi_slot sl)
{
	size_t mask = cap - 1;
	size_t i = (size_t)hash(sl.key, sl.klen) & mask;
	while (slots[i].key)
		i = (i + 1) & mask;
	slots[i] = sl;
}

static int grow(struct cmi_store *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 64;
	struct cmi_slot *ns = calloc(ncap, sizeof *ns);
	if (!ns)
		return PC_ENOMEM;
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i].key)
			place(ns, ncap, s->slots[i]);
	free(s->slots);
	s->slots = ns;
	s->cap = ncap;
	return 0;
}

static char *dup(const char *p, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, p, n);
		d[n] = '\0';
	}
	return d;
}

int cmi_store_put(struct cmi_store *s, const char *key, size_t klen, const char *val, size_t vlen)
{
	char *v = dup(val, vlen);
	if (!v)
		return PC_ENOMEM;
	struct cmi_slot *sl = cmi_store_find(s, key, klen);
	if (sl) {
		free(sl->val);
		sl->val = v;
		sl->vlen = vlen;
		return 0;
	}
	/* keep the load factor under 1/2 so probes stay short */
	if ((s->len + 1) * 2 > s->cap && grow(s) != 0) {
		free(v);
		return PC_ENOMEM;
	}
	char *k = dup(key, klen);
	if (!k) {
		free(v);
		return PC_ENOMEM;
	}
	place(s->slots, s->cap, (struct cmi_slot){k, v, klen, vlen});
	s->len++;
	return 0;
}

void cmi_store_del(struct cmi_store *s, const char *key, size_t klen)
{
	struct cmi_slot *sl = cmi_store_find(s, key, klen);
	if (!sl)
		return;
	free(sl->key);
	free(sl->val);
	size_t mask = s->cap - 1, i = (size_t)(sl - s->slots);
	s->slots[i] = (struct cmi_slot){0};
	s->len--;
	/* backward shift: re-place the rest of the cluster so lookups never stop at the hole */
	for (size_t j = (i + 1) & mask; s->slots[j].key; j = (j + 1) & mask) {
		struct cmi_slot moved = s->slots[j];
		s->slots[j] = (struct cmi_slot){0};
		place(s->slots, s->cap, moved);
	}
}

int cmi_store_copy(struct cmi_store *dst, const struct cmi_store *src)
{
	struct cmi_store n = {0};
	for (size_t i = 0; i < src->cap; i++) {
		const struct cmi_slot *sl = &src->slots[i];
		if (sl->key && cmi_store_put(&n, sl->key, sl->klen, sl->val, sl->vlen) != 0) {
			cmi_store_free(&n);
			return PC_ENOMEM;
		}
	}
	cmi_store_free(dst);
	*dst = n;
	return 0;
}
