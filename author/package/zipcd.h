/* Private to the package reader: a zip's central directory, read once (zipcd.c). The zip
 * reader lists a package from it without libzip when it is `exact`; the data verifier and the
 * fast entry reader use its offsets, sizes and CRCs for every `usable` entry. */
#ifndef POSTCARD_ZIPCD_H
#define POSTCARD_ZIPCD_H

#include <stddef.h>
#include <stdint.h>

typedef struct zipcd_entry {
	const char *name; /* raw bytes inside zipcd.raw, not NUL-terminated */
	size_t name_len;
	uint16_t madeby, flags, method;
	uint32_t crc, csize, usize, attr, local;
	int usable; /* plain (no zip64 field), store or deflate, not encrypted */
} zipcd_entry;

typedef struct zipcd {
	zipcd_entry *e; /* in directory order, which is libzip's index order */
	size_t n;
	unsigned char *raw; /* the directory's bytes */
	int exact; /* libzip would list exactly these entries with exactly these fields */
} zipcd;

/* Reads the directory of the `size`-byte archive open as `fd`. Returns 0, PC_EFORMAT when
 * there is no usable end-of-directory record or the records do not line up, PC_EIO or
 * PC_ENOMEM. On failure *cd is empty. */
int zipcd_read(zipcd *cd, int fd, uint64_t size);
void zipcd_free(zipcd *cd);
/* pread until `len` bytes are read: 0 or PC_EIO. */
int zipcd_pread(int fd, void *to, size_t len, uint64_t at);

#endif
