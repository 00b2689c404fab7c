/* Reproducible zip archives in memory (zipwrite.c): the same files added in the same order with
 * the same epoch give the same bytes, whatever the clock, time zone, locale or file system. */
#ifndef POSTCARD_ZIPWRITE_H
#define POSTCARD_ZIPWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct zipw zipw;

/* Compressed files kept across the archives of one build: every package carries the same
 * schemas and player assets, which are then deflated once. Entries are found by content (a
 * copy is kept and compared), so a hit is always the same bytes. Not thread-safe. */
typedef struct zcache zcache;
int zcache_new(zcache **out);
void zcache_free(zcache *c);

/* A new empty archive whose entries all carry the time `epoch` (Unix seconds, UTC). `cache`
 * (may be NULL) is borrowed and must outlive the archive. */
int zipw_new(zipw **out, int64_t epoch, zcache *cache);
void zipw_free(zipw *z);
/* Adds a file (copied, compressed). Names are '/' separated, relative. Returns 0, PC_ENOMEM or
 * PC_ELIMIT (more than 65535 entries or 4 GiB); a failure sticks: later calls fail too. */
int zipw_add(zipw *z, const char *name, const void *data, size_t len);
/* Writes the central directory and hands the whole archive to the caller (free() it). */
int zipw_finish(zipw *z, unsigned char **data, size_t *len);

#endif
