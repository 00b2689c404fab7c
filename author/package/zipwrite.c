/* A small zip writer over zlib's raw deflate, written so the bytes depend only on the files given:
 * entries in the order added (the caller fixes it), one timestamp for every entry (from
 * SOURCE_DATE_EPOCH, in UTC), fixed permissions (0644, made by Unix), no extra fields (they would
 * carry times and uids), no data descriptors, deflate level 6 with fixed parameters (or stored
 * when deflate does not shrink the file). libzip was not used because it adds extended timestamp
 * fields and takes times from the file system. Everything is built in memory: packages are small. */
#include "zipwrite.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "common.h"

/* Without zip64 an archive stays under 4 GiB and 65535 entries. */
#define ZIP_MAX_ENTRIES 65535u
#define ZIP_MAX_BYTES ((uint64_t)0xfffffffeU)

typedef struct zentry {
	char *name;
	uint32_t crc, csize, usize, offset;
	uint16_t method;
} zentry;

/* Only files at least this big are cached: small ones deflate faster than they compare. */
#define ZCACHE_MIN 4096
#define ZCACHE_MAX_ITEMS 256

typedef struct zitem {
	unsigned char *data; /* a copy of the uncompressed file */
	size_t len;
	uint32_t crc;
	unsigned char *comp; /* NULL when stored */
	size_t clen;
} zitem;

struct zcache {
	zitem items[ZCACHE_MAX_ITEMS];
	size_t n;
};

struct zipw {
	buf out;
	zentry *e;
	size_t n, cap;
	uint16_t dos_time, dos_date;
	int err;
	zcache *cache;
};

int zcache_new(zcache **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? 0 : PC_ENOMEM;
}

void zcache_free(zcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->items[i].data);
		free(c->items[i].comp);
	}
	free(c);
}

/* MS-DOS date and time of a Unix time, in UTC (never the local zone). The format covers
 * 1980..2107 with two-second steps: times outside are clamped. */
static void dos_datetime(int64_t t, uint16_t *dtime, uint16_t *ddate)
{
	const int64_t lo = 315532800;  /* 1980-01-01T00:00:00Z */
	const int64_t hi = 4354819198; /* 2107-12-31T23:59:58Z */
	if (t < lo)
		t = lo;
	if (t > hi)
		t = hi;
	/* civil-from-days, so no gmtime() and no dependence on the C library's time zone state */
	int64_t days = t / 86400, secs = t % 86400;
	int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	int64_t mo = mp < 10 ? mp + 3 : mp - 9;
	y += mo <= 2;
	*ddate = (uint16_t)(((y - 1980) << 9) | (mo << 5) | d);
	*dtime = (uint16_t)(((secs / 3600) << 11) | (((secs / 60) % 60) << 5) | ((secs % 60) / 2));
}

int zipw_new(zipw **out, int64_t epoch, zcache *cache)
{
	*out = NULL;
	zipw *z = calloc(1, sizeof *z);
	if (!z)
		return PC_ENOMEM;
	z->cache = cache;
	buf_init(&z->out, (size_t)ZIP_MAX_BYTES);
	dos_datetime(epoch, &z->dos_time, &z->dos_date);
	*out = z;
	return 0;
}

void zipw_free(zipw *z)
{
	if (!z)
		return;
	for (size_t i = 0; i < z->n; i++)
		free(z->e[i].name);
	free(z->e);
	buf_free(&z->out);
	free(z);
}

static void put16(buf *b, uint16_t v)
{
	unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
	buf_put(b, x, 2);
}

static void put32(buf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 24)};
	buf_put(b, x, 4);
}

static int utf8_name(const char *name)
{
	for (const unsigned char *s = (const unsigned char *)name; *s; s++)
		if (*s >= 0x80)
			return 1;
	return 0;
}

/* Raw deflate of data into *outp (caller frees). Returns 0, PC_ENOMEM or PC_EFORMAT. A fresh
 * deflate state every time: after deflateReset zlib's output can depend on the previous input,
 * which would make an entry's bytes depend on its neighbours (tests/build/test_compiler.c). */
static int deflate_all(const unsigned char *data, size_t len, unsigned char **outp,
		       size_t *outlen)
{
	z_stream s;
	memset(&s, 0, sizeof s);
	/* level 6, 32 KiB window, memLevel 8, default strategy: fixed, so output is reproducible */
	if (deflateInit2(&s, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return PC_ENOMEM;
	uLong bound = deflateBound(&s, (uLong)len);
	unsigned char *o = malloc(bound ? bound : 1);
	if (!o) {
		deflateEnd(&s);
		return PC_ENOMEM;
	}
	s.next_in = (Bytef *)(uintptr_t)data;
	s.avail_in = (uInt)len;
	s.next_out = o;
	s.avail_out = (uInt)bound;
	int rc = deflate(&s, Z_FINISH);
	*outlen = s.total_out;
	deflateEnd(&s);
	if (rc != Z_STREAM_END) {
		free(o);
		return PC_EFORMAT;
	}
	*outp = o;
	return 0;
}

/* The compressed form of a file: from the cache when the same bytes were compressed before.
 * *comp is NULL when the file is best stored; *owned tells whether the caller frees *comp. */
static int compress_file(zipw *z, const void *data, size_t len, uint32_t crc,
			 const unsigned char **comp, size_t *clen, int *owned)
{
	zcache *c = z->cache;
	*owned = 0;
	if (c && len >= ZCACHE_MIN)
		for (size_t i = 0; i < c->n; i++) {
			zitem *it = &c->items[i];
			if (it->len == len && it->crc == crc && memcmp(it->data, data, len) == 0) {
				*comp = it->comp;
				*clen = it->clen;
				return 0;
			}
		}
	unsigned char *out = NULL;
	size_t olen = 0;
	int rc = deflate_all(data, len, &out, &olen);
	if (rc)
		return rc;
	if (olen >= len) { /* already compressed (images): store */
		free(out);
		out = NULL;
		olen = 0;
	}
	if (c && len >= ZCACHE_MIN && c->n < ZCACHE_MAX_ITEMS) {
		zitem *it = &c->items[c->n];
		it->data = malloc(len);
		if (it->data) {
			memcpy(it->data, data, len);
			it->len = len;
			it->crc = crc;
			it->comp = out;
			it->clen = olen;
			c->n++;
			*comp = out;
			*clen = olen;
			return 0; /* now owned by the cache */
		}
	}
	*comp = out;
	*clen = olen;
	*owned = 1;
	return 0;
}

int zipw_add(zipw *z, const char *name, const void *data, size_t len)
{
	size_t clen = 0;
	if (z->err)
		return z->err;
	size_t nlen = strlen(name);
	if (z->n >= ZIP_MAX_ENTRIES || len > ZIP_MAX_BYTES || nlen == 0 || nlen > 0xffff)
		return z->err = PC_ELIMIT;
	if (z->n == z->cap) {
		size_t cap = z->cap ? z->cap * 2 : 32;
		zentry *p = realloc(z->e, cap * sizeof *p);
		if (!p)
			return z->err = PC_ENOMEM;
		z->e = p;
		z->cap = cap;
	}
	uint32_t crc = (uint32_t)crc32(crc32(0, NULL, 0), data, (uInt)len);
	const unsigned char *comp = NULL;
	int owned = 0;
	int rc = compress_file(z, data, len, crc, &comp, &clen, &owned);
	if (rc != 0)
		return z->err = rc;
	zentry e = {strdup(name), crc, 0, (uint32_t)len, (uint32_t)z->out.len, 8};
	if (!e.name) {
		if (owned)
			free((void *)comp);
		return z->err = PC_ENOMEM;
	}
	const void *body = comp;
	if (!comp) { /* store */
		e.method = 0;
		body = data;
		clen = len;
	}
	e.csize = (uint32_t)clen;
	uint16_t flags = utf8_name(name) ? 0x0800 : 0; /* bit 11: the name is UTF-8 */
	buf *b = &z->out;
	put32(b, 0x04034b50);
	put16(b, 20); /* version needed: 2.0 (deflate) */
	put16(b, flags);
	put16(b, e.method);
	put16(b, z->dos_time);
	put16(b, z->dos_date);
	put32(b, e.crc);
	put32(b, e.csize);
	put32(b, e.usize);
	put16(b, (uint16_t)nlen);
	put16(b, 0); /* no extra field */
	buf_put(b, name, nlen);
	buf_put(b, body, clen);
	if (owned)
		free((void *)comp);
	if (buf_error(b) || b->len > ZIP_MAX_BYTES) {
		free(e.name);
		return z->err = buf_error(b) ? buf_error(b) : PC_ELIMIT;
	}
	z->e[z->n++] = e;
	return 0;
}

int zipw_finish(zipw *z, unsigned char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	if (z->err)
		return z->err;
	buf *b = &z->out;
	uint32_t cd_start = (uint32_t)b->len;
	for (size_t i = 0; i < z->n; i++) {
		const zentry *e = &z->e[i];
		size_t nlen = strlen(e->name);
		put32(b, 0x02014b50);
		put16(b, (3 << 8) | 20); /* made by: Unix, spec 2.0 (so the permissions below apply) */
		put16(b, 20);
		put16(b, utf8_name(e->name) ? 0x0800 : 0);
		put16(b, e->method);
		put16(b, z->dos_time);
		put16(b, z->dos_date);
		put32(b, e->crc);
		put32(b, e->csize);
		put32(b, e->usize);
		put16(b, (uint16_t)nlen);
		put16(b, 0); /* extra */
		put16(b, 0); /* comment */
		put16(b, 0); /* disk */
		put16(b, 0); /* internal attributes */
		put32(b, (uint32_t)0100644 << 16); /* regular file, rw-r--r-- */
		put32(b, e->offset);
		buf_put(b, e->name, nlen);
	}
	uint32_t cd_size = (uint32_t)(b->len - cd_start);
	put32(b, 0x06054b50);
	put16(b, 0);
	put16(b, 0);
	put16(b, (uint16_t)z->n);
	put16(b, (uint16_t)z->n);
	put32(b, cd_size);
	put32(b, cd_start);
	put16(b, 0); /* no comment */
	if (buf_error(b))
		return z->err = buf_error(b);
	if (b->len > ZIP_MAX_BYTES)
		return z->err = PC_ELIMIT;
	*data = (unsigned char *)buf_detach(b, len);
	return *data ? 0 : (z->err = PC_ENOMEM);
}
