/* Serving files straight out of stored package zips: no extraction to disk. Each package
 * version (named by its content hash) is opened once; an entry is inflated on first request and
 * kept in a shared, read-only cache so hot assets are answered from memory. Answers carry the
 * right Content-Type, a strong ETag (304 on If-None-Match), and honour single byte ranges.
 * Request paths are decoded strictly: any spelling of traversal is refused before lookup. */
#ifndef POSTCARD_ZIPSERVE_H
#define POSTCARD_ZIPSERVE_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"

typedef struct zipserve zipserve;

/* Total bytes of inflated entries kept in memory (default when 0: ZIPSERVE_CACHE_DEFAULT). */
#define ZIPSERVE_CACHE_DEFAULT ((size_t)64 << 20)
/* Entries up to this size are inflated into memory (and cached while the cache has room);
 * larger ones (video, audio) are streamed from the zip while they are sent, 64 KiB at a time,
 * so a request never makes the server hold a large file. Fuzzing builds (BUILD_FUZZERS) stream
 * from 256 KiB: the same paths, and an input that reads the end of a large deflated file inflates
 * 256 KiB instead of 8 MiB (fuzz_request ran 20 times slower on such inputs). */
#ifdef POSTCARD_FUZZING
#define ZIPSERVE_CACHE_ENTRY_MAX ((size_t)256 << 10)
#else
#define ZIPSERVE_CACHE_ENTRY_MAX ((size_t)8 << 20)
#endif
/* Largest entry served: what import accepts (PKG_DEFAULT_MAX_ENTRY). */
#define ZIPSERVE_ENTRY_MAX ((uint64_t)1 << 30)
/* Large entries being streamed at once (each has its own open zip and inflater, ~100 KiB).
 * Past it a request for a large file is answered 503 with Retry-After. */
#define ZIPSERVE_MAX_STREAMS 32
/* Largest entry zipserve_read returns whole: the manifest reader's own cap. */
#define ZIPSERVE_READ_MAX ((size_t)16 << 20)

int zipserve_new(zipserve **out, size_t cache_max);
void zipserve_free(zipserve *z);

/* Makes the zip at `path` servable under `hash` (64 hex digits). Opening is deferred to the
 * first request. Adding the same hash twice is harmless. */
int zipserve_add(zipserve *z, const char *hash, const char *path);
/* Reads a whole entry into a NUL-terminated buffer the caller frees. PC_ENOTFOUND when the
 * package or entry is missing, PC_ELIMIT when it is over ZIPSERVE_READ_MAX. */
int zipserve_read(zipserve *z, const char *hash, const char *name, char **data, size_t *len);

/* Turns the raw (percent-encoded) path inside a package into a zip entry name. Returns -1 for
 * every traversal spelling (.., %2e%2e, %2f, backslashes, absolute paths, drive letters, NUL,
 * overlong or invalid UTF-8, control characters, empty segments) and for directory paths. */
int zipserve_decode_path(const char *raw, char *out, size_t size);

/* Answers GET or HEAD for `raw_path` inside package `hash`: 200/206/304, or the JSON error
 * (400 bad path, 404 no such file or package, 416 bad range, 500 unreadable zip or a file over
 * ZIPSERVE_ENTRY_MAX, 503 too many large files in flight). Small files come as bytes (borrowed
 * from the cache or owned), large ones as resp->stream. */
void zipserve_respond(zipserve *z, const char *hash, const char *raw_path, const http_request *req,
		      http_response *resp);

/* Cache statistics for /metrics. */
void zipserve_stats(zipserve *z, size_t *entries, size_t *bytes, unsigned long long *hits,
		    unsigned long long *misses);
/* Large entries being streamed now (responses not yet freed). */
unsigned zipserve_streams(zipserve *z);

#endif
