/* libFuzzer target: the server's zip reader (author/package/zipfile.c). The input is a zip
 * archive, opened through an in-memory file twice: as the server opens it (its own directory
 * parser and zlib for ordinary archives) and with libzip forced. Every name libzip lists, and a
 * few it does not, must be found or missed alike, with the same size, CRC and method, and give
 * the same bytes or fail alike, read whole and (stored entries) from the middle, as the server
 * reads them (exactly the declared size, then the end); any difference is a crash. Entries are
 * read up to 1 MiB so no input makes one iteration slow. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "common.h"
#include "memfile.h"
#include "zipfile.h"

#define READ_CAP ((size_t)1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

_Noreturn static void differ(const char *what, const char *name)
{
	fprintf(stderr, "the zip readers differ: %s (entry \"%s\")\n", what, name ? name : "");
	abort();
}

/* How an entry reads as the server reads it (runtime/server/zipserve.c): exactly the declared
 * size from `at`, then the end. Returns READ_OK, READ_CAPPED (READ_CAP bytes and no error so
 * far: the entry is longer) or READ_FAILED (an error, or data shorter or longer than declared);
 * the bytes in *out (caller frees). */
enum { READ_FAILED, READ_OK, READ_CAPPED };
static int read_rest(zipfile *zf, const zipfile_stat *st, uint64_t at, unsigned char **out,
		     size_t *len)
{
	*out = NULL;
	*len = 0;
	zipfile_file *f = NULL;
	if (zipfile_fopen(&f, zf, st) != 0)
		return READ_FAILED;
	if (at && zipfile_fseek(f, at) != 0) {
		zipfile_fclose(f);
		return READ_FAILED;
	}
	uint64_t want = st->size - at;
	size_t cap = want < READ_CAP ? (size_t)want : READ_CAP;
	unsigned char *b = malloc(cap + 1);
	int res = READ_FAILED;
	if (!b) {
		zipfile_fclose(f);
		return READ_FAILED;
	}
	long n = 1;
	while (*len < cap && (n = zipfile_fread(f, b + *len, cap - *len < 4096 ? cap - *len : 4096)) > 0)
		*len += (size_t)n;
	if (n > 0 && cap < want)
		res = READ_CAPPED;
	else if (n > 0 && zipfile_fread(f, b + cap, 1) == 0)
		res = READ_OK;
	zipfile_fclose(f);
	*out = b;
	return res;
}

static void compare_entry(zipfile *fast, zipfile *lib, const char *name)
{
	zipfile_stat a, b;
	int ra = zipfile_find(fast, name, &a), rb = zipfile_find(lib, name, &b);
	if (ra != rb)
		differ("one finds the entry, the other does not", name);
	if (ra)
		return;
	if (a.index != b.index || a.size != b.size || a.crc != b.crc || a.stored != b.stored)
		differ("different index, size, CRC or method", name);
	uint64_t starts[2] = {0, a.stored && a.size > 1 ? a.size / 2 : 0};
	for (int k = 0; k < (starts[1] ? 2 : 1); k++) {
		unsigned char *da, *db;
		size_t la, lb;
		int oka = read_rest(fast, &a, starts[k], &da, &la);
		int okb = read_rest(lib, &b, starts[k], &db, &lb);
		int same = oka == okb && (oka == READ_FAILED || (la == lb && memcmp(da, db, la) == 0));
		free(da);
		free(db);
		if (!same)
			differ(k ? "reading from the middle" : "reading the entry", name);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = fuzz_memfile(data, size, path, sizeof path);
	if (fd < 0)
		return 0;
	zipfile *fast = NULL, *lib = NULL;
	int ra = zipfile_open(&fast, path), rb = zipfile_open_reader(&lib, path, 1);
	if ((ra == 0) != (rb == 0) && ra != PC_ENOMEM && rb != PC_ENOMEM)
		differ("one opens the archive, the other does not", NULL);
	int err = 0;
	zip_t *za = ra == 0 && rb == 0 ? zip_open(path, ZIP_RDONLY, &err) : NULL;
	zip_int64_t n = za ? zip_get_num_entries(za, 0) : 0;
	for (zip_int64_t i = 0; i < n && i < 1000; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
		if (!name)
			continue;
		compare_entry(fast, lib, name);
		char other[600];
		snprintf(other, sizeof other, "%.500s/x", name); /* a name that is not there */
		compare_entry(fast, lib, other);
	}
	if (za) {
		compare_entry(fast, lib, "imsmanifest.xml");
		zip_discard(za);
	}
	zipfile_free(fast);
	zipfile_free(lib);
	close(fd);
	return 0;
}
