/* Builds zip archives for tests, hostile ones included: names no honest tool writes, symlink
 * entries, encryption, and byte patches to central-directory fields (duplicate names, sizes
 * that lie, entry counts that lie). Used by the unit tests and by the hostile-input CLI test. */
#ifndef ZIPCRAFT_H
#define ZIPCRAFT_H

#include <stddef.h>
#include <stdint.h>

struct zc_entry {
	const char *name;
	const void *data;
	size_t len;
	int store;   /* no compression */
	int symlink; /* unix symlink mode bits in the external attributes */
	int encrypt; /* AES-256 with password "pw" (needs libzip crypto) */
};

/* Writes the archive. Returns 0 or -1. */
int zc_write(const char *path, const struct zc_entry *e, size_t n);
/* Replaces every occurrence of `from` by `to` (same length) in the file. Returns the count. */
int zc_patch(const char *path, const void *from, const void *to, size_t len);
/* Sets the declared uncompressed size of entry `name` in its local and central headers. */
int zc_set_size(const char *path, const char *name, uint32_t size);
/* Sets the CRC-32, or the compression method, of entry `name` in both headers. */
int zc_set_crc(const char *path, const char *name, uint32_t crc);
int zc_set_method(const char *path, const char *name, uint16_t method);
/* Sets the general-purpose flags of entry `name` in both headers (0x800: the name is UTF-8). */
int zc_set_flags(const char *path, const char *name, uint16_t flags);
/* Sets the entry count in the end-of-central-directory record. */
int zc_set_count(const char *path, uint16_t count);
/* Writes `len` bytes of `data` to a file. */
int zc_write_file(const char *path, const void *data, size_t len);
/* 1 if libzip here can write AES-encrypted entries. */
int zc_can_encrypt(void);

#endif
