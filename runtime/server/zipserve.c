/* Package files served from the zip (see zipserve.h). Archives sit in a small table under a
 * read-write lock; each is opened (author/package/zipfile.h: its directory read once) on first
 * use under its own mutex, and read by any number of threads after that. Cached entries are
 * immutable and live until zipserve_free, which is what lets a response borrow their bytes
 * without copying. */
#include "zipserve.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "mime.h"
#include "zipfile.h"

#define ZS_BUCKETS 4096

struct zs_archive {
	char hash[65];
	char *path;
	zipfile *zf; /* opened on first use; read-only after that */
	int failed;
	pthread_mutex_t lock; /* the opening */
};

struct zs_entry {
	struct zs_entry *next;
	const struct zs_archive *archive;
	char *name;
	unsigned char *data;
	size_t len;
	const char *mime;
	char etag[48];
};

struct zipserve {
	pthread_rwlock_t lock; /* archives[] and the cache buckets */
	struct zs_archive **archives;
	size_t narchives, cap;
	struct zs_entry *buckets[ZS_BUCKETS];
	size_t cache_max, cache_bytes, cache_entries;
	atomic_ullong hits, misses;
	atomic_uint streams;
};

int zipserve_new(zipserve **out, size_t cache_max)
{
	*out = NULL;
	zipserve *z = calloc(1, sizeof *z);
	if (!z)
		return PC_ENOMEM;
	pthread_rwlock_init(&z->lock, NULL);
	z->cache_max = cache_max ? cache_max : ZIPSERVE_CACHE_DEFAULT;
	*out = z;
	return 0;
}

void zipserve_free(zipserve *z)
{
	if (!z)
		return;
	for (size_t b = 0; b < ZS_BUCKETS; b++)
		for (struct zs_entry *e = z->buckets[b], *next; e; e = next) {
			next = e->next;
			free(e->name);
			free(e->data);
			free(e);
		}
	for (size_t i = 0; i < z->narchives; i++) {
		struct zs_archive *a = z->archives[i];
		zipfile_free(a->zf);
		pthread_mutex_destroy(&a->lock);
		free(a->path);
		free(a);
	}
	free(z->archives);
	pthread_rwlock_destroy(&z->lock);
	free(z);
}

static struct zs_archive *find_archive(zipserve *z, const char *hash)
{
	for (size_t i = 0; i < z->narchives; i++)
		if (strcmp(z->archives[i]->hash, hash) == 0)
			return z->archives[i];
	return NULL;
}

int zipserve_add(zipserve *z, const char *hash, const char *path)
{
	if (strlen(hash) != 64)
		return PC_EINVAL;
	int rc = 0;
	pthread_rwlock_wrlock(&z->lock);
	if (find_archive(z, hash))
		goto cleanup;
	if (z->narchives == z->cap) {
		size_t cap = z->cap ? z->cap * 2 : 8;
		struct zs_archive **a = realloc(z->archives, cap * sizeof *a);
		if (!a) {
			rc = PC_ENOMEM;
			goto cleanup;
		}
		z->archives = a;
		z->cap = cap;
	}
	struct zs_archive *a = calloc(1, sizeof *a);
	if (!a || !(a->path = strdup(path))) {
		free(a);
		rc = PC_ENOMEM;
		goto cleanup;
	}
	memcpy(a->hash, hash, 65);
	pthread_mutex_init(&a->lock, NULL);
	z->archives[z->narchives++] = a;
cleanup:
	pthread_rwlock_unlock(&z->lock);
	return rc;
}

static size_t bucket_of(const char *hash, const char *name)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (const char *s = hash; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	for (const char *s = name; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)(h % ZS_BUCKETS);
}

static struct zs_entry *cache_find(zipserve *z, const struct zs_archive *a, const char *name, size_t b)
{
	for (struct zs_entry *e = z->buckets[b]; e; e = e->next)
		if (e->archive == a && strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

/* Opens the archive on first use and finds an entry. Returns 0 with its stat, PC_ENOTFOUND,
 * or PC_EIO. */
static int locate_entry(struct zs_archive *a, const char *name, zipfile_stat *st)
{
	pthread_mutex_lock(&a->lock);
	if (!a->zf && !a->failed && zipfile_open(&a->zf, a->path) != 0)
		a->failed = 1;
	zipfile *zf = a->zf;
	pthread_mutex_unlock(&a->lock);
	return zf ? zipfile_find(zf, name, st) : PC_EIO;
}

/* Inflates one located entry of at most `max` bytes. Returns 0 and a malloc'd NUL-terminated
 * buffer, PC_ELIMIT (too large), PC_ENOMEM or PC_EIO. */
static int inflate_entry(struct zs_archive *a, const zipfile_stat *st, size_t max,
			 unsigned char **data, size_t *len)
{
	*data = NULL;
	if (st->size > max)
		return PC_ELIMIT;
	unsigned char *mem = malloc((size_t)st->size + 1);
	if (!mem)
		return PC_ENOMEM;
	zipfile_file *f = NULL;
	int rc = zipfile_fopen(&f, a->zf, st);
	size_t got = 0;
	while (rc == 0 && got < st->size) {
		long n = zipfile_fread(f, mem + got, (size_t)st->size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	/* Reading to the end checks the CRC; a short or corrupt read is an I/O error. */
	char extra;
	if (rc == 0 && (got != st->size || zipfile_fread(f, &extra, 1) != 0))
		rc = PC_EIO;
	zipfile_fclose(f);
	if (rc) {
		free(mem);
		return rc == PC_ENOMEM ? rc : PC_EIO;
	}
	mem[got] = '\0';
	*data = mem;
	*len = got;
	return 0;
}

int zipserve_read(zipserve *z, const char *hash, const char *name, char **data, size_t *len)
{
	*data = NULL;
	pthread_rwlock_rdlock(&z->lock);
	struct zs_archive *a = find_archive(z, hash);
	pthread_rwlock_unlock(&z->lock);
	if (!a)
		return PC_ENOTFOUND;
	unsigned char *d = NULL;
	zipfile_stat st;
	int rc = locate_entry(a, name, &st);
	if (rc == 0)
		rc = inflate_entry(a, &st, ZIPSERVE_READ_MAX, &d, len);
	*data = (char *)d;
	return rc;
}

/* A large entry sent while it is read: its own open file (an inflater, or a libzip handle for
 * an unusual archive), opened on the first read so HEAD never opens it. */
struct zs_stream {
	zipserve *z;
	zipfile *zf; /* the archive's, which lives until zipserve_free */
	zipfile_stat st;
	uint64_t start; /* entry offset of the body's first byte (a range's start) */
	uint64_t at;    /* entry offset of the next byte the open file gives */
	zipfile_file *f;
};

static void stream_free(void *ctx)
{
	struct zs_stream *s = ctx;
	zipfile_fclose(s->f);
	atomic_fetch_sub(&s->z->streams, 1);
	free(s);
}

static long stream_read(void *ctx, uint64_t pos, char *out, size_t max)
{
	struct zs_stream *s = ctx;
	uint64_t want = s->start + pos;
	if (s->f && want < s->at) { /* never asked by the server, which reads in order */
		zipfile_fclose(s->f);
		s->f = NULL;
	}
	if (!s->f) {
		if (zipfile_fopen(&s->f, s->zf, &s->st) != 0)
			return -1;
		s->at = 0;
	}
	/* a failed seek leaves the file as it was: it is then read up to the start */
	if (want > s->at && s->st.stored && zipfile_fseek(s->f, want) == 0)
		s->at = want;
	/* Compressed entries are inflated up to the range's start. */
	char skip[16384];
	while (s->at < want) {
		uint64_t n = want - s->at < sizeof skip ? want - s->at : sizeof skip;
		long got = zipfile_fread(s->f, skip, (size_t)n);
		if (got <= 0)
			return -1;
		s->at += (uint64_t)got;
	}
	long got = zipfile_fread(s->f, out, max);
	if (got <= 0)
		return -1;
	s->at += (uint64_t)got;
	return got;
}

unsigned zipserve_streams(zipserve *z)
{
	return atomic_load(&z->streams);
}

int zipserve_decode_path(const char *raw, char *out, size_t size)
{
	size_t o = 0;
	const char *p = raw;
	if (!*p)
		return -1;
	for (;;) {
		const char *end = strchr(p, '/');
		size_t seglen = end ? (size_t)(end - p) : strlen(p);
		/* An empty segment is a leading '/' (absolute path), '//' or a trailing '/' (a
		 * directory, and we never list directories). */
		if (seglen == 0 || o + 1 >= size)
			return -1;
		if (http_decode_segment(p, seglen, out + o, size - o) != 0)
			return -1;
		const char *seg = out + o;
		if (strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0)
			return -1;
		/* A drive letter ("C:") makes an absolute Windows path. */
		if (o == 0 && ((seg[0] | 0x20) >= 'a' && (seg[0] | 0x20) <= 'z') && seg[1] == ':')
			return -1;
		o += strlen(seg);
		if (!end)
			break;
		if (o + 1 >= size)
			return -1;
		out[o++] = '/';
		p = end + 1;
	}
	out[o] = '\0';
	return 0;
}

void zipserve_stats(zipserve *z, size_t *entries, size_t *bytes, unsigned long long *hits,
		    unsigned long long *misses)
{
	pthread_rwlock_rdlock(&z->lock);
	*entries = z->cache_entries;
	*bytes = z->cache_bytes;
	pthread_rwlock_unlock(&z->lock);
	*hits = atomic_load(&z->hits);
	*misses = atomic_load(&z->misses);
}

static void file_headers(http_response *resp, const char *mime, const char *etag)
{
	resp->content_type = mime;
	http_header_add(resp, "ETag", "%s", etag);
	http_header_add(resp, "Cache-Control", "public, max-age=31536000, immutable");
	http_header_add(resp, "Accept-Ranges", "bytes");
	http_header_add(resp, "X-Content-Type-Options", "nosniff");
}

/* Conditional and range handling shared by both kinds of answer. Returns 1 when the response
 * is complete (304, 416), else 0 with the byte range to send in [*from, *to] (to < from for an
 * empty file), the status 200 or 206 and Content-Range set. */
static int conditions(const http_request *req, http_response *resp, const char *etag, uint64_t len,
		      uint64_t *from, uint64_t *to)
{
	if (http_etag_match(http_req_header(req, "If-None-Match"), etag)) {
		buf_reset(&resp->body);
		resp->status = 304;
		resp->content_type = NULL;
		return 1;
	}
	*from = 0;
	*to = len ? len - 1 : 0;
	const char *range = http_req_header(req, "Range");
	const char *if_range = http_req_header(req, "If-Range");
	int r = (if_range && strcmp(if_range, etag) != 0) ? 0 : http_parse_range(range, len, from, to);
	if (r < 0) {
		http_error(resp, 416, "the requested range is outside the file");
		http_header_add(resp, "Content-Range", "bytes */%" PRIu64, len);
		return 1;
	}
	if (r > 0) {
		resp->status = 206;
		http_header_add(resp, "Content-Range", "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, *from,
				*to, len);
	}
	return 0;
}

/* Answers with a stream for an entry over ZIPSERVE_CACHE_ENTRY_MAX. */
static void large_entry(zipserve *z, const struct zs_archive *a, const char *hash,
			const zipfile_stat *st, const char *mime, const http_request *req,
			http_response *resp)
{
	char etag[48];
	snprintf(etag, sizeof etag, "\"%.16s-%08" PRIx32 "-%" PRIx64 "\"", hash, st->crc, st->size);
	file_headers(resp, mime, etag);
	uint64_t from, to;
	if (conditions(req, resp, etag, st->size, &from, &to))
		return;
	if (atomic_fetch_add(&z->streams, 1) >= ZIPSERVE_MAX_STREAMS) {
		atomic_fetch_sub(&z->streams, 1);
		http_error(resp, 503, "too many large files are being sent at once; try again");
		http_header_add(resp, "Retry-After", "1");
		return;
	}
	struct zs_stream *s = calloc(1, sizeof *s);
	if (!s) {
		atomic_fetch_sub(&z->streams, 1);
		http_error(resp, 503, "out of memory");
		return;
	}
	s->z = z;
	s->zf = a->zf;
	s->st = *st;
	s->start = from;
	resp->stream.read = stream_read;
	resp->stream.free = stream_free;
	resp->stream.ctx = s;
	resp->stream.len = to - from + 1;
}

void zipserve_respond(zipserve *z, const char *hash, const char *raw_path, const http_request *req,
		      http_response *resp)
{
	char name[HTTP_MAX_URL];
	if (zipserve_decode_path(raw_path, name, sizeof name) != 0) {
		http_error(resp, 400, "the file path is not a plain path inside the package");
		return;
	}
	size_t b = bucket_of(hash, name);
	pthread_rwlock_rdlock(&z->lock);
	struct zs_archive *a = find_archive(z, hash);
	struct zs_entry *e = a ? cache_find(z, a, name, b) : NULL;
	pthread_rwlock_unlock(&z->lock);
	if (!a) {
		http_error(resp, 404, "no such package");
		return;
	}
	const unsigned char *data;
	size_t len;
	const char *mime, *etag;
	char etag_buf[48];
	if (e) {
		atomic_fetch_add(&z->hits, 1);
		data = e->data;
		len = e->len;
		mime = e->mime;
		etag = e->etag;
	} else {
		atomic_fetch_add(&z->misses, 1);
		unsigned char *d = NULL;
		zipfile_stat st;
		int rc = locate_entry(a, name, &st);
		if (rc == 0 && st.size <= ZIPSERVE_CACHE_ENTRY_MAX)
			rc = inflate_entry(a, &st, ZIPSERVE_CACHE_ENTRY_MAX, &d, &len);
		if (rc == PC_ENOTFOUND) {
			http_error(resp, 404, "no such file in the package");
			return;
		}
		if (rc == 0 && st.size > ZIPSERVE_ENTRY_MAX)
			rc = PC_ELIMIT;
		if (rc) {
			http_errorf(resp, 500, "could not read the file from the package: %s",
				    pc_strerror(rc));
			return;
		}
		uint32_t crc = st.crc;
		mime = mime_type(name);
		if (!d) {
			large_entry(z, a, hash, &st, mime, req, resp);
			return;
		}
		snprintf(etag_buf, sizeof etag_buf, "\"%.16s-%08" PRIx32 "-%zx\"", hash, crc, len);
		etag = etag_buf;
		data = d;
		/* Keep it for the next request when it fits; otherwise this response owns it. */
		struct zs_entry *ne = NULL;
		pthread_rwlock_wrlock(&z->lock);
		struct zs_entry *again = cache_find(z, a, name, b);
		if (again) {
			free(d);
			data = again->data;
			etag = again->etag;
		} else if (z->cache_bytes + len <= z->cache_max &&
			   (ne = calloc(1, sizeof *ne)) && (ne->name = strdup(name))) {
			ne->archive = a;
			ne->data = d;
			ne->len = len;
			ne->mime = mime;
			memcpy(ne->etag, etag_buf, sizeof ne->etag);
			ne->next = z->buckets[b];
			z->buckets[b] = ne;
			z->cache_bytes += len;
			z->cache_entries++;
			etag = ne->etag;
		} else {
			if (ne)
				free(ne);
			ne = NULL;
			/* Not cached: hand the buffer to the response body. */
			resp->body.data = (char *)d;
			resp->body.len = len;
			resp->body.cap = len + 1;
			data = NULL;
		}
		pthread_rwlock_unlock(&z->lock);
	}
	file_headers(resp, mime, etag);
	uint64_t from, to;
	if (conditions(req, resp, etag, len, &from, &to))
		return;
	if (resp->status == 206) {
		if (data) {
			data += from;
		} else {
			memmove(resp->body.data, resp->body.data + from, (size_t)(to - from + 1));
			resp->body.data[to - from + 1] = '\0';
		}
		len = (size_t)(to - from + 1);
	}
	if (data) {
		resp->data = data;
		resp->data_len = len;
	} else {
		resp->body.len = len;
	}
}
