/* Serving files straight out of stored package zips: no extraction to disk. Each package
 * version (named by its content hash) is opened once; an entry is inflated on first request and
 * kept in a shared, read-only cache so hot assets are answered from memory. Answers carry the
 * right Content-Type, a strong ETag (304 on If-None-Match), and honour single byte ranges.
 * Request paths are decoded strictly: any spelling of traversal is refused before lookup. */
#ifndef POSTCARD_ZIPSERVE_H
#define POSTCARD_ZIPSERVE_H

#include <stddef.h>

#include "http.h"

typedef struct zipserve zipserve;

/* Total bytes of inflated entries kept in memory (default when 0: ZIPSERVE_CACHE_DEFAULT). */
#define ZIPSERVE_CACHE_DEFAULT ((size_t)64 << 20)
/* Entries larger than this are inflated per request and not cached. */
#define ZIPSERVE_CACHE_ENTRY_MAX ((size_t)8 << 20)
/* Largest entry served at all (inflated in memory per request). */
#define ZIPSERVE_ENTRY_MAX ((size_t)512 << 20)

int zipserve_new(zipserve **out, size_t cache_max);
void zipserve_free(zipserve *z);

/* Makes the zip at `path` servable under `hash` (64 hex digits). Opening is deferred to the
 * first request. Adding the same hash twice is harmless. */
int zipserve_add(zipserve *z, const char *hash, const char *path);
/* Reads a whole entry into a NUL-terminated buffer the caller frees. PC_ENOTFOUND when the
 * package or entry is missing. */
int zipserve_read(zipserve *z, const char *hash, const char *name, char **data, size_t *len);

/* Turns the raw (percent-encoded) path inside a package into a zip entry name. Returns -1 for
 * every traversal spelling (.., %2e%2e, %2f, backslashes, absolute paths, drive letters, NUL,
 * overlong or invalid UTF-8, control characters, empty segments) and for directory paths. */
int zipserve_decode_path(const char *raw, char *out, size_t size);

/* Answers GET or HEAD for `raw_path` inside package `hash`: 200/206/304, or the JSON error
 * (400 bad path, 404 no such file or package, 416 bad range, 500 unreadable zip). */
void zipserve_respond(zipserve *z, const char *hash, const char *raw_path, const http_request *req,
		      http_response *resp);

/* Cache statistics for /metrics. */
void zipserve_stats(zipserve *z, size_t *entries, size_t *bytes, unsigned long long *hits,
		    unsigned long long *misses);

#endif
