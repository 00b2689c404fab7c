/* zipserve.c: files straight from the zip, every traversal spelling refused, MIME types,
 * ETag/304, byte ranges, no directory listings. */
#include "cmocka_all.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "test_server.h"

#define HASH "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

struct fx {
	char *dir;
	zipserve *zs;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->dir = test_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/p.zip", f->dir);
	test_write_zip(path, test_pkg12);
	assert_int_equal(zipserve_new(&f->zs, 0), 0);
	assert_int_equal(zipserve_add(f->zs, HASH, path), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	zipserve_free(f->zs);
	fstree_remove(f->dir, NULL, 0);
	free(f->dir);
	free(f);
	return 0;
}

static int get(struct fx *f, const char *raw, const char *const *headers, http_response *r)
{
	test_req t;
	test_req_init(&t, "GET", "/", headers);
	http_response_init(r);
	zipserve_respond(f->zs, HASH, raw, &t.req, r);
	return r->status;
}

static void serves_files_with_types(void **state)
{
	struct fx *f = *state;
	http_response r;
	assert_int_equal(get(f, "index.html", NULL, &r), 200);
	assert_string_equal(r.content_type, "text/html; charset=utf-8");
	size_t len;
	const char *b = http_response_bytes(&r, &len);
	assert_int_equal(len, strlen("<!doctype html><title>one</title>"));
	assert_memory_equal(b, "<!doctype html><title>one</title>", len);
	assert_non_null(http_response_header(&r, "ETag"));
	assert_string_equal(http_response_header(&r, "X-Content-Type-Options"), "nosniff");
	http_response_free(&r);
	assert_int_equal(get(f, "style.css", NULL, &r), 200);
	assert_string_equal(r.content_type, "text/css; charset=utf-8");
	http_response_free(&r);
	assert_int_equal(get(f, "assets/data.bin", NULL, &r), 200);
	assert_string_equal(r.content_type, "application/octet-stream");
	http_response_free(&r);
	/* A space in a name arrives percent-encoded. */
	assert_int_equal(get(f, "two/page%20two.html", NULL, &r), 200);
	http_response_free(&r);
	assert_int_equal(get(f, "missing.html", NULL, &r), 404);
	http_response_free(&r);
}

static void second_hit_comes_from_the_cache(void **state)
{
	struct fx *f = *state;
	http_response r1, r2;
	get(f, "style.css", NULL, &r1);
	get(f, "style.css", NULL, &r2);
	/* Both borrow the same inflated bytes: nothing is inflated twice. */
	assert_non_null(r1.data);
	assert_ptr_equal(r1.data, r2.data);
	assert_string_equal(http_response_header(&r1, "ETag"), http_response_header(&r2, "ETag"));
	size_t entries, bytes;
	unsigned long long hits, misses;
	zipserve_stats(f->zs, &entries, &bytes, &hits, &misses);
	assert_int_equal(misses, 1);
	assert_int_equal(hits, 1);
	http_response_free(&r1);
	http_response_free(&r2);
}

/* Each spelling of "somewhere else" gets 400 before any lookup. */
static void traversal_is_refused_in_every_spelling(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = {
		"../imsmanifest.xml",        /* .. */
		"two/../index.html",         /* .. inside */
		"..",                        /* bare */
		"./index.html",              /* . */
		"%2e%2e/index.html",         /* %2e%2e */
		"%2E%2E/index.html",         /* upper case */
		".%2e/index.html",           /* mixed */
		"two%2f..%2findex.html",     /* %2f */
		"two%2Fpage%20two.html",     /* an encoded separator, even to a real file */
		"two\\page two.html",        /* backslash */
		"two%5cpage%20two.html",     /* encoded backslash */
		"..\\index.html",            /* backslash traversal */
		"/etc/passwd",               /* absolute */
		"%2fetc/passwd",             /* encoded absolute */
		"C:/Windows/win.ini",        /* drive letter */
		"c:%5cwindows",              /* drive + backslash */
		"index.html%00.png",         /* NUL */
		"%c0%ae%c0%ae/index.html",   /* overlong '.' (2 bytes) */
		"%e0%80%ae%e0%80%ae/x",      /* overlong '.' (3 bytes) */
		"%c0%af",                    /* overlong '/' */
		"%ff%fe",                    /* not UTF-8 */
		"two//index.html",           /* empty segment */
		"two/",                      /* directory: no listings */
		"",                          /* the package root */
		"a%0d%0aX-Injected:%201",    /* control characters */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		http_response r;
		int st = get(f, bad[i], NULL, &r);
		if (st != 400)
			fail_msg("'%s' got %d, want 400", bad[i], st);
		assert_string_equal(r.content_type, "application/json");
		http_response_free(&r);
	}
	/* A folder named without a slash is not a file either: 404, and nothing listed. */
	http_response r;
	assert_int_equal(get(f, "two", NULL, &r), 404);
	http_response_free(&r);
}

static void etag_gives_304(void **state)
{
	struct fx *f = *state;
	http_response r;
	get(f, "index.html", NULL, &r);
	char hdr[128];
	snprintf(hdr, sizeof hdr, "If-None-Match: %s", http_response_header(&r, "ETag"));
	http_response_free(&r);
	const char *const h[] = {hdr, NULL};
	assert_int_equal(get(f, "index.html", h, &r), 304);
	size_t len;
	http_response_bytes(&r, &len);
	assert_int_equal(len, 0);
	assert_non_null(http_response_header(&r, "ETag"));
	http_response_free(&r);
	const char *const other[] = {"If-None-Match: \"nope\"", NULL};
	assert_int_equal(get(f, "index.html", other, &r), 200);
	http_response_free(&r);
}

static void ranges(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *range;
		int status;
		const char *content_range;
		size_t from, len;
	} cases[] = {
		{"Range: bytes=0-9", 206, "bytes 0-9/300", 0, 10},
		{"Range: bytes=290-", 206, "bytes 290-299/300", 290, 10},
		{"Range: bytes=-5", 206, "bytes 295-299/300", 295, 5},
		{"Range: bytes=100-1000", 206, "bytes 100-299/300", 100, 200},
		{"Range: bytes=300-", 416, "bytes */300", 0, 0},
		{"Range: bytes=0-1,5-6", 200, NULL, 0, 300}, /* several ranges: whole file */
		{"Range: items=0-1", 200, NULL, 0, 300},
		{"Range: bytes=5-1", 200, NULL, 0, 300},
	};
	const char *asset = test_pkg12[7];
	for (int pass = 0; pass < 2; pass++) /* uncached, then cached */
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			const char *const h[] = {cases[i].range, NULL};
			http_response r;
			assert_int_equal(get(f, "assets/data.bin", h, &r), cases[i].status);
			const char *cr = http_response_header(&r, "Content-Range");
			if (cases[i].content_range)
				assert_string_equal(cr, cases[i].content_range);
			else
				assert_null(cr);
			if (cases[i].status != 416) {
				size_t len;
				const char *b = http_response_bytes(&r, &len);
				assert_int_equal(len, cases[i].len);
				assert_memory_equal(b, asset + cases[i].from, len);
			}
			http_response_free(&r);
		}
}

static void unknown_package(void **state)
{
	struct fx *f = *state;
	test_req t;
	test_req_init(&t, "GET", "/", NULL);
	http_response r;
	http_response_init(&r);
	zipserve_respond(f->zs, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "index.html",
			 &t.req, &r);
	assert_int_equal(r.status, 404);
	http_response_free(&r);
}

/* A zip with two entries of BIG bytes (> ZIPSERVE_CACHE_ENTRY_MAX), one deflated, one stored. */
#define BIG (ZIPSERVE_CACHE_ENTRY_MAX + 12345)
static unsigned char *big_bytes(void)
{
	unsigned char *b = malloc(BIG);
	/* No two 64 KiB blocks alike, so a misplaced block or range shows. */
	for (size_t i = 0; i < BIG; i++)
		b[i] = (unsigned char)(i % 251 + i / 65536);
	return b;
}

static void write_big_zip(const char *path, const unsigned char *bytes)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(z);
	const char *names[] = {"video/deflated.mp4", "video/stored.mp4"};
	for (int i = 0; i < 2; i++) {
		zip_source_t *src = zip_source_buffer(z, bytes, BIG, 0);
		zip_int64_t idx = zip_file_add(z, names[i], src, ZIP_FL_ENC_UTF_8);
		assert_true(idx >= 0);
		assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)idx,
							  i ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0), 0);
	}
	assert_int_equal(zip_close(z), 0);
}

/* Reads a whole stream the way the server does: in order, in blocks. */
static unsigned char *drain(http_response *r)
{
	unsigned char *out = malloc(r->stream.len + 1);
	uint64_t pos = 0;
	while (pos < r->stream.len) {
		size_t want = r->stream.len - pos < 65536 ? (size_t)(r->stream.len - pos) : 65536;
		long n = r->stream.read(r->stream.ctx, pos, (char *)out + pos, want);
		if (!(n > 0 && (size_t)n <= want))
			fail_msg("read at %llu of %llu: %ld", (unsigned long long)pos, (unsigned long long)r->stream.len, n);
		pos += (uint64_t)n;
	}
	return out;
}

static void large_files_are_streamed(void **state)
{
	(void)state;
	char *dir = test_tmpdir(), path[512];
	snprintf(path, sizeof path, "%s/big.zip", dir);
	unsigned char *bytes = big_bytes();
	write_big_zip(path, bytes);
	zipserve *zs = NULL;
	assert_int_equal(zipserve_new(&zs, 0), 0);
	assert_int_equal(zipserve_add(zs, HASH, path), 0);
	for (int stored = 0; stored < 2; stored++) {
		const char *name = stored ? "video/stored.mp4" : "video/deflated.mp4";
		test_req t;
		http_response r;
		/* The whole file: a stream, never a buffer of its size. */
		test_req_init(&t, "GET", "/", NULL);
		http_response_init(&r);
		zipserve_respond(zs, HASH, name, &t.req, &r);
		assert_int_equal(r.status, 200);
		assert_non_null(r.stream.read);
		assert_int_equal(r.stream.len, BIG);
		assert_null(r.body.data);
		assert_string_equal(r.content_type, "video/mp4");
		assert_int_equal(zipserve_streams(zs), 1);
		unsigned char *got = drain(&r);
		assert_memory_equal(got, bytes, BIG);
		free(got);
		char etag[64];
		snprintf(etag, sizeof etag, "If-None-Match: %s", http_response_header(&r, "ETag"));
		http_response_free(&r);
		assert_int_equal(zipserve_streams(zs), 0);
		/* Ranges: seeks (stored) or inflates up to the start (deflated). In the middle, over
		 * several 64 KiB blocks; one byte; open-ended from past the middle; a suffix. (Each
		 * deflated one inflates from the start: few, so valgrind's run stays short.) */
		static const struct {
			const char *header;
			size_t from, len;
		} ranges[] = {
			{"Range: bytes=4194000-4394099", 4194000, 200100},
			{"Range: bytes=3000001-3000001", 3000001, 1},
			{"Range: bytes=7000000-", 7000000, BIG - 7000000},
			{"Range: bytes=-70000", BIG - 70000, 70000},
		};
		for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
			const char *const range[] = {ranges[i].header, NULL};
			test_req_init(&t, "GET", "/", range);
			http_response_init(&r);
			zipserve_respond(zs, HASH, name, &t.req, &r);
			assert_int_equal(r.status, 206);
			assert_int_equal(r.stream.len, ranges[i].len);
			char want[96];
			snprintf(want, sizeof want, "bytes %zu-%zu/%zu", ranges[i].from,
				 ranges[i].from + ranges[i].len - 1, (size_t)BIG);
			assert_string_equal(http_response_header(&r, "Content-Range"), want);
			got = drain(&r);
			assert_memory_equal(got, bytes + ranges[i].from, ranges[i].len);
			free(got);
			http_response_free(&r);
		}
		/* HEAD: the length, and the zip is never opened for reading. */
		test_req_init(&t, "HEAD", "/", NULL);
		http_response_init(&r);
		r.head_only = 1;
		zipserve_respond(zs, HASH, name, &t.req, &r);
		assert_int_equal(r.status, 200);
		assert_int_equal(r.stream.len, BIG);
		http_response_free(&r);
		/* 304 and 416 open nothing. */
		const char *const inm[] = {etag, NULL};
		test_req_init(&t, "GET", "/", inm);
		http_response_init(&r);
		zipserve_respond(zs, HASH, name, &t.req, &r);
		assert_int_equal(r.status, 304);
		assert_null(r.stream.read);
		http_response_free(&r);
		const char *const past[] = {"Range: bytes=99999999-", NULL};
		test_req_init(&t, "GET", "/", past);
		http_response_init(&r);
		zipserve_respond(zs, HASH, name, &t.req, &r);
		assert_int_equal(r.status, 416);
		assert_null(r.stream.read);
		http_response_free(&r);
	}
	/* Nothing large was cached. */
	size_t entries, cached;
	unsigned long long hits, misses;
	zipserve_stats(zs, &entries, &cached, &hits, &misses);
	assert_int_equal(entries, 0);
	/* At most ZIPSERVE_MAX_STREAMS at once; the next is told to come back. */
	http_response rs[ZIPSERVE_MAX_STREAMS + 1];
	for (int i = 0; i <= ZIPSERVE_MAX_STREAMS; i++) {
		test_req t;
		test_req_init(&t, "GET", "/", NULL);
		http_response_init(&rs[i]);
		zipserve_respond(zs, HASH, "video/stored.mp4", &t.req, &rs[i]);
		assert_int_equal(rs[i].status, i < ZIPSERVE_MAX_STREAMS ? 200 : 503);
	}
	assert_non_null(http_response_header(&rs[ZIPSERVE_MAX_STREAMS], "Retry-After"));
	for (int i = 0; i <= ZIPSERVE_MAX_STREAMS; i++)
		http_response_free(&rs[i]);
	assert_int_equal(zipserve_streams(zs), 0);
	/* Whole reads (the manifest) are capped separately, at ZIPSERVE_READ_MAX. */
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(zipserve_read(zs, HASH, "video/stored.mp4", &data, &len), 0);
	assert_int_equal(len, BIG);
	assert_memory_equal(data, bytes, BIG);
	free(data);
	zipserve_free(zs);
	free(bytes);
	fstree_remove(dir, NULL, 0);
	free(dir);
}

/* Sets a 32-bit field (`at` bytes into the record) of `name`'s central directory record and,
 * at the same place less 2 (the local header lacks "version made by"), of its local header. */
static void patch_entry(const char *path, const char *name, size_t at, uint32_t value)
{
	FILE *fp = fopen(path, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	size_t size = (size_t)ftell(fp);
	unsigned char *b = malloc(size);
	assert_non_null(b);
	assert_int_equal(fseek(fp, 0, SEEK_SET), 0);
	size_t n = fread(b, 1, size, fp);
	int patched = 0;
	size_t nlen = strlen(name);
	for (size_t i = 0; i + 46 + nlen <= n; i++) {
		if (memcmp(b + i, "PK\1\2", 4) != 0 || (size_t)(b[i + 28] | b[i + 29] << 8) != nlen ||
		    memcmp(b + i + 46, name, nlen) != 0)
			continue;
		size_t local = (size_t)(b[i + 42] | b[i + 43] << 8 | b[i + 44] << 16 | (uint32_t)b[i + 45] << 24);
		const size_t spots[] = {i + at, local + at - 2};
		for (size_t k = 0; k < 2; k++)
			for (int j = 0; j < 4; j++)
				b[spots[k] + (size_t)j] = (unsigned char)(value >> (8 * j));
		patched = 1;
	}
	assert_true(patched);
	assert_int_equal(fseek(fp, 0, SEEK_SET), 0);
	assert_int_equal(fwrite(b, 1, n, fp), n);
	fclose(fp);
	free(b);
}

/* Data that does not match its directory record is never served: a wrong CRC, or a declared
 * size the data does not have (shorter or longer), is a 500, while the archive's other files
 * are still served. */
static void damaged_entries_are_server_errors(void **state)
{
	(void)state;
	char *dir = test_tmpdir(), path[512];
	snprintf(path, sizeof path, "%s/d.zip", dir);
	char text[2000];
	for (size_t i = 0; i < sizeof text - 1; i++)
		text[i] = (char)('a' + i % 7);
	text[sizeof text - 1] = '\0';
	const char *const files[] = {"good.txt", text, "crc.txt", text, "long.txt", text,
				     "short.txt", text, NULL};
	test_write_zip(path, files);
	patch_entry(path, "crc.txt", 16, 0x12345678u);
	patch_entry(path, "long.txt", 24, 1000);  /* declared smaller than the data */
	patch_entry(path, "short.txt", 24, 3000); /* declared larger */
	zipserve *zs = NULL;
	assert_int_equal(zipserve_new(&zs, 0), 0);
	assert_int_equal(zipserve_add(zs, HASH, path), 0);
	static const struct {
		const char *name;
		int status;
	} want[] = {{"good.txt", 200}, {"crc.txt", 500}, {"long.txt", 500}, {"short.txt", 500}};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		test_req t;
		http_response r;
		test_req_init(&t, "GET", "/", NULL);
		http_response_init(&r);
		zipserve_respond(zs, HASH, want[i].name, &t.req, &r);
		if (r.status != want[i].status)
			fail_msg("%s: %d, not %d", want[i].name, r.status, want[i].status);
		size_t len;
		const char *b = http_response_bytes(&r, &len);
		if (want[i].status == 200)
			assert_memory_equal(b, text, strlen(text));
		http_response_free(&r);
	}
	zipserve_free(zs);
	fstree_remove(dir, NULL, 0);
	free(dir);
}

/* A large file whose data does not match its CRC: the stream fails at its end instead of
 * finishing as if the file were whole (the connection is cut, so a client does not keep it). */
static void large_damaged_file_fails_at_its_end(void **state)
{
	(void)state;
	char *dir = test_tmpdir(), path[512];
	snprintf(path, sizeof path, "%s/big.zip", dir);
	unsigned char *bytes = big_bytes();
	write_big_zip(path, bytes);
	patch_entry(path, "video/deflated.mp4", 16, 0x12345678u);
	zipserve *zs = NULL;
	assert_int_equal(zipserve_new(&zs, 0), 0);
	assert_int_equal(zipserve_add(zs, HASH, path), 0);
	test_req t;
	http_response r;
	test_req_init(&t, "GET", "/", NULL);
	http_response_init(&r);
	zipserve_respond(zs, HASH, "video/deflated.mp4", &t.req, &r);
	assert_int_equal(r.status, 200);
	unsigned char *out = malloc(65536);
	uint64_t pos = 0;
	long n = 1;
	while (pos < r.stream.len && (n = r.stream.read(r.stream.ctx, pos, (char *)out, 65536)) > 0)
		pos += (uint64_t)n;
	assert_true(n < 0);
	assert_true(pos < r.stream.len);
	free(out);
	http_response_free(&r);
	zipserve_free(zs);
	free(bytes);
	fstree_remove(dir, NULL, 0);
	free(dir);
}

int test_zipserve(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(serves_files_with_types, setup, teardown),
		cmocka_unit_test_setup_teardown(second_hit_comes_from_the_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(traversal_is_refused_in_every_spelling, setup, teardown),
		cmocka_unit_test_setup_teardown(etag_gives_304, setup, teardown),
		cmocka_unit_test_setup_teardown(ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_package, setup, teardown),
		cmocka_unit_test(large_files_are_streamed),
		cmocka_unit_test(damaged_entries_are_server_errors),
		cmocka_unit_test(large_damaged_file_fails_at_its_end),
	};
	return cmocka_run_group_tests_name("zipserve", tests, NULL, NULL);
}
