/* The data model's JSON reader (cmi_json_read.h): recursive descent over the bytes, values
 * appended to one array in document order, strings decoded into one block as large as the input
 * (a decoded string is never longer than its quoted source, so the block cannot overflow). */
#include "cmi_json_read.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "utf8.h"

struct reader {
	struct cmi_json *doc;
	const char *s;
	size_t len, pos;
	size_t out; /* bytes used in doc->text */
	const char *why;
	size_t at; /* where the reader stopped, +1 (0: the reason has no place) */
	int rc;
};

static int fail(struct reader *r, const char *why)
{
	if (!r->rc) {
		r->why = why;
		r->at = r->pos + 1;
		r->rc = PC_EFORMAT;
	}
	return r->rc;
}

static void skip_ws(struct reader *r)
{
	while (r->pos < r->len) {
		char c = r->s[r->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		r->pos++;
	}
}

/* A new value at the end of the array; returns its index, or (size_t)-1 out of memory. */
static size_t add(struct reader *r, enum cmi_jtype type)
{
	struct cmi_json *d = r->doc;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct cmi_jval *v = realloc(d->vals, cap * sizeof *v);
		if (!v) {
			r->rc = PC_ENOMEM;
			return (size_t)-1;
		}
		d->vals = v;
		d->cap = cap;
	}
	d->vals[d->n] = (struct cmi_jval){.type = type, .size = 1};
	return d->n++;
}

static int hex4(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void put_utf8(char *o, size_t *n, uint32_t cp)
{
	if (cp < 0x80) {
		o[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		o[(*n)++] = (char)(0xC0 | (cp >> 6));
		o[(*n)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		o[(*n)++] = (char)(0xE0 | (cp >> 12));
		o[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[(*n)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		o[(*n)++] = (char)(0xF0 | (cp >> 18));
		o[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		o[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[(*n)++] = (char)(0x80 | (cp & 0x3F));
	}
}

/* A string at r->pos (on its opening quote): decoded into doc->text. Offsets, not pointers, come
 * back (the value array may move while parsing; the text block does not). */
static int string(struct reader *r, size_t *off, size_t *len)
{
	char *o = r->doc->text + r->out;
	size_t n = 0;
	r->pos++; /* the quote */
	for (;;) {
		if (r->pos >= r->len)
			return fail(r, "unterminated string");
		unsigned char c = (unsigned char)r->s[r->pos];
		if (c == '"') {
			r->pos++;
			break;
		}
		if (c < 0x20)
			return fail(r, "control character in a string");
		if (c < 0x80 && c != '\\') {
			o[n++] = (char)c; /* ASCII, most of a commit's text: no decoding needed */
			r->pos++;
			continue;
		}
		if (c != '\\') {
			uint32_t cp;
			size_t k = utf8_decode(r->s + r->pos, r->len - r->pos, &cp);
			if (!k)
				return fail(r, "invalid UTF-8");
			memcpy(o + n, r->s + r->pos, k);
			n += k;
			r->pos += k;
			continue;
		}
		if (r->pos + 1 >= r->len)
			return fail(r, "unterminated string");
		char e = r->s[r->pos + 1];
		static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
		const char *m = e ? strchr(from, e) : NULL;
		if (m) {
			o[n++] = to[m - from];
			r->pos += 2;
			continue;
		}
		uint32_t cp, lo;
		if (e != 'u' || r->pos + 6 > r->len || hex4(r->s + r->pos + 2, &cp) != 0)
			return fail(r, "invalid escape");
		if (cp >= 0xDC00 && cp <= 0xDFFF)
			return fail(r, "unpaired surrogate escape");
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (r->pos + 12 > r->len || r->s[r->pos + 6] != '\\' || r->s[r->pos + 7] != 'u' ||
			    hex4(r->s + r->pos + 8, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
				return fail(r, "unpaired surrogate escape");
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			r->pos += 6;
		}
		if (cp == 0)
			return fail(r, "\\u0000 in a string");
		put_utf8(o, &n, cp);
		r->pos += 6;
	}
	o[n] = '\0';
	*off = r->out;
	*len = n;
	r->out += n + 1;
	return 0;
}

static int number(struct reader *r, size_t idx)
{
	size_t start = r->pos;
	int neg = 0, real = 0;
	unsigned long long v = 0;
	int overflow = 0;
	if (r->s[r->pos] == '-') {
		neg = 1;
		r->pos++;
	}
	if (r->pos >= r->len || r->s[r->pos] < '0' || r->s[r->pos] > '9')
		return fail(r, "invalid number");
	if (r->s[r->pos] == '0') {
		r->pos++;
	} else {
		while (r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9') {
			unsigned d = (unsigned)(r->s[r->pos] - '0');
			if (v > (9223372036854775808ULL - d) / 10)
				overflow = 1;
			else
				v = v * 10 + d;
			r->pos++;
		}
	}
	if (r->pos < r->len && r->s[r->pos] == '.') {
		real = 1;
		r->pos++;
		size_t f = r->pos;
		while (r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9')
			r->pos++;
		if (r->pos == f)
			return fail(r, "invalid number");
	}
	if (r->pos < r->len && (r->s[r->pos] == 'e' || r->s[r->pos] == 'E')) {
		real = 1;
		r->pos++;
		if (r->pos < r->len && (r->s[r->pos] == '+' || r->s[r->pos] == '-'))
			r->pos++;
		size_t f = r->pos;
		while (r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9')
			r->pos++;
		if (r->pos == f)
			return fail(r, "invalid number");
	}
	if (real) {
		r->doc->vals[idx].type = CMI_J_REAL;
		return 0;
	}
	if (overflow || (!neg && v > 9223372036854775807ULL)) {
		r->pos = start;
		return fail(r, "integer out of range");
	}
	r->doc->vals[idx].num = neg ? (v == 9223372036854775808ULL ? INT64_MIN : -(long long)v) : (long long)v;
	return 0;
}

static int same_key(const struct cmi_jval *a, const struct cmi_jval *b)
{
	return a->klen == b->klen && memcmp(a->key, b->key, a->klen) == 0;
}

static int key_cmp(const void *pa, const void *pb)
{
	const struct cmi_jval *a = *(const struct cmi_jval *const *)pa, *b = *(const struct cmi_jval *const *)pb;
	size_t n = a->klen < b->klen ? a->klen : b->klen;
	int c = memcmp(a->key, b->key, n);
	return c ? c : (a->klen > b->klen) - (a->klen < b->klen);
}

/* 1 when two members of the object at idx share a name (keys are set by then). Small objects
 * by comparing pairs, large ones (a state's values: thousands) by sorting. */
static int has_duplicates(struct reader *r, size_t idx)
{
	const struct cmi_jval *obj = &r->doc->vals[idx];
	size_t n = obj->count, k = 0;
	if (n < 2)
		return 0;
	const struct cmi_jval **m = malloc(n * sizeof *m);
	if (!m) {
		r->rc = PC_ENOMEM;
		return 1;
	}
	for (const struct cmi_jval *c = cmi_json_first(obj); c; c = cmi_json_next(obj, c))
		m[k++] = c;
	int dup = 0;
	if (n <= 16) {
		for (size_t i = 0; i < n && !dup; i++)
			for (size_t j = i + 1; j < n && !dup; j++)
				dup = same_key(m[i], m[j]);
	} else {
		qsort(m, n, sizeof *m, key_cmp);
		for (size_t i = 1; i < n && !dup; i++)
			dup = same_key(m[i - 1], m[i]);
	}
	free(m);
	return dup;
}

static int value(struct reader *r, int depth);

/* An array or object at r->pos (on its bracket). */
static int container(struct reader *r, int depth, int object)
{
	size_t idx = add(r, object ? CMI_J_OBJECT : CMI_J_ARRAY);
	if (idx == (size_t)-1)
		return r->rc;
	if (depth >= CMI_JSON_MAX_DEPTH)
		return fail(r, "nested too deeply");
	char close = object ? '}' : ']';
	r->pos++;
	skip_ws(r);
	if (r->pos < r->len && r->s[r->pos] == close) {
		r->pos++;
		return 0;
	}
	for (;;) {
		size_t koff = 0, klen = 0;
		if (object) {
			skip_ws(r);
			if (r->pos >= r->len || r->s[r->pos] != '"')
				return fail(r, "expected a member name");
			if (string(r, &koff, &klen))
				return r->rc;
			skip_ws(r);
			if (r->pos >= r->len || r->s[r->pos] != ':')
				return fail(r, "expected ':'");
			r->pos++;
		}
		size_t kid = r->doc->n;
		if (value(r, depth + 1))
			return r->rc;
		if (object) {
			r->doc->vals[kid].key = (const char *)(uintptr_t)koff; /* made a pointer at the end */
			r->doc->vals[kid].klen = klen;
		}
		r->doc->vals[idx].count++;
		skip_ws(r);
		if (r->pos < r->len && r->s[r->pos] == ',') {
			r->pos++;
			skip_ws(r);
			continue;
		}
		if (r->pos < r->len && r->s[r->pos] == close) {
			r->pos++;
			r->doc->vals[idx].size = r->doc->n - idx;
			return 0;
		}
		return fail(r, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int literal(struct reader *r, const char *word, enum cmi_jtype type)
{
	size_t n = strlen(word);
	if (r->len - r->pos < n || memcmp(r->s + r->pos, word, n) != 0)
		return fail(r, "invalid value");
	if (add(r, type) == (size_t)-1)
		return r->rc;
	r->pos += n;
	return 0;
}

static int value(struct reader *r, int depth)
{
	skip_ws(r);
	if (r->pos >= r->len)
		return fail(r, "expected a value");
	char c = r->s[r->pos];
	switch (c) {
	case '{': return container(r, depth, 1);
	case '[': return container(r, depth, 0);
	case 't': return literal(r, "true", CMI_J_TRUE);
	case 'f': return literal(r, "false", CMI_J_FALSE);
	case 'n': return literal(r, "null", CMI_J_NULL);
	case '"': {
		size_t idx = add(r, CMI_J_STRING), off, len;
		if (idx == (size_t)-1 || string(r, &off, &len))
			return r->rc;
		r->doc->vals[idx].str = (const char *)(uintptr_t)off; /* made a pointer at the end */
		r->doc->vals[idx].len = len;
		return 0;
	}
	default: {
		if (c != '-' && (c < '0' || c > '9'))
			return fail(r, "invalid value");
		size_t idx = add(r, CMI_J_INT);
		if (idx == (size_t)-1)
			return r->rc;
		return number(r, idx);
	}
	}
}

/* Marks which values are members of objects (their key offsets may be 0, like "no key"). */
static void mark_members(struct cmi_json *d, unsigned char *member)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->vals[i].type != CMI_J_OBJECT)
			continue;
		for (size_t k = i + 1; k < i + d->vals[i].size; k += d->vals[k].size)
			member[k] = 1;
	}
}

int cmi_json_parse(struct cmi_json *doc, const char *in, size_t len, char *err, size_t errlen)
{
	struct reader r = {doc, in, len, 0, 0, NULL, 0, 0};
	unsigned char *member = NULL;
	memset(doc, 0, sizeof *doc);
	doc->text = malloc(len + 1);
	if (!doc->text)
		return PC_ENOMEM;
	if (value(&r, 0) == 0) {
		skip_ws(&r);
		if (r.pos != len)
			fail(&r, "text after the value");
	}
	if (!r.rc) {
		member = calloc(doc->n, 1);
		if (!member)
			r.rc = PC_ENOMEM;
	}
	if (!r.rc) { /* offsets into the text block become pointers; then repeated names */
		mark_members(doc, member);
		for (size_t i = 0; i < doc->n; i++) {
			struct cmi_jval *v = &doc->vals[i];
			if (v->type == CMI_J_STRING)
				v->str = doc->text + (uintptr_t)v->str;
			v->key = member[i] ? doc->text + (uintptr_t)v->key : NULL;
		}
		for (size_t i = 0; i < doc->n && !r.rc; i++)
			if (doc->vals[i].type == CMI_J_OBJECT && has_duplicates(&r, i) && !r.rc) {
				r.rc = PC_EFORMAT;
				r.why = "a member name is repeated in an object";
				r.at = 0;
			}
	}
	free(member);
	if (r.rc == PC_EFORMAT && err && errlen) {
		if (r.at)
			snprintf(err, errlen, "%s (at byte %zu)", r.why, r.at - 1);
		else
			snprintf(err, errlen, "%s", r.why);
	}
	return r.rc;
}

void cmi_json_free(struct cmi_json *doc)
{
	if (!doc)
		return;
	free(doc->vals);
	free(doc->text);
	memset(doc, 0, sizeof *doc);
}

const struct cmi_jval *cmi_json_root(const struct cmi_json *doc)
{
	return doc->n ? &doc->vals[0] : NULL;
}

const struct cmi_jval *cmi_json_first(const struct cmi_jval *v)
{
	return v && (v->type == CMI_J_ARRAY || v->type == CMI_J_OBJECT) && v->count ? v + 1 : NULL;
}

const struct cmi_jval *cmi_json_next(const struct cmi_jval *parent, const struct cmi_jval *kid)
{
	const struct cmi_jval *n = kid + kid->size;
	return n < parent + parent->size ? n : NULL;
}

const struct cmi_jval *cmi_json_get(const struct cmi_jval *v, const char *name)
{
	if (!v || v->type != CMI_J_OBJECT)
		return NULL;
	size_t n = strlen(name);
	for (const struct cmi_jval *c = cmi_json_first(v); c; c = cmi_json_next(v, c))
		if (c->klen == n && memcmp(c->key, name, n) == 0)
			return c;
	return NULL;
}
