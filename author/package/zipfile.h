/* A stored zip opened for reading entries by name, many threads at once: what the server's
 * package files come from (runtime/server/zipserve.c). An ordinary archive is read with the
 * project's own central-directory parser (zipcd.c) and zlib, so serving never loads libzip
 * (nor the OpenSSL and bzip2 it maps); an archive zipcd cannot describe exactly as libzip would
 * (zip64, bzip2, duplicate or non-UTF-8 names, a fake end record) is handed to libzip whole, so
 * which file a name finds and which bytes it gives never depend on the reader. */
#ifndef POSTCARD_ZIPFILE_H
#define POSTCARD_ZIPFILE_H

#include <stddef.h>
#include <stdint.h>

typedef struct zipfile zipfile;
typedef struct zipfile_file zipfile_file;

typedef struct zipfile_stat {
	uint64_t index; /* the entry's place in the directory */
	uint64_t size;  /* declared uncompressed size */
	uint32_t crc;
	int stored;     /* not compressed: zipfile_fseek works */
} zipfile_stat;

/* Opens the zip at `path` and reads its directory. Returns 0, PC_EIO when the file cannot be
 * read or is not a zip, or PC_ENOMEM; a failed open leaves *out NULL. */
int zipfile_open(zipfile **out, const char *path);
/* zipfile_open with libzip forced (`libzip_only`) or not: the tests and the fuzz target read
 * the same archive both ways and require the same answers. */
int zipfile_open_reader(zipfile **out, const char *path, int libzip_only);
void zipfile_free(zipfile *zf);

/* Finds the entry named exactly `name` (UTF-8, '/'-separated). Returns 0 with its stat,
 * PC_ENOTFOUND, or PC_EIO. Thread-safe. */
int zipfile_find(zipfile *zf, const char *name, zipfile_stat *st);

/* Opens entry `st` (from zipfile_find) for reading from its first byte. Returns 0, PC_EIO or
 * PC_ENOMEM. Each open file is used by one thread at a time; several may be open at once. */
int zipfile_fopen(zipfile_file **out, zipfile *zf, const zipfile_stat *st);
/* Reads up to `n` bytes (at most 1 GiB at once). Returns how many, 0 at the end of the entry (reached only when the
 * data had exactly the declared size and, read from the start, the declared CRC), or -1 on any
 * error (short or corrupt data, a read error). */
long zipfile_fread(zipfile_file *f, void *buf, size_t n);
/* Moves a stored entry's next read to byte `at`. Returns 0, or -1 (compressed entry, past the
 * end): the file is then unchanged. A file that skipped bytes no longer checks the CRC. */
int zipfile_fseek(zipfile_file *f, uint64_t at);
void zipfile_fclose(zipfile_file *f);

#endif
