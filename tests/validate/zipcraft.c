/* Test zip builder (see zipcraft.h): libzip writes the archive, then plain byte patches bend
 * the headers in ways libzip would refuse to write. */
#include "zipcraft.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

int zc_can_encrypt(void)
{
	return zip_encryption_method_supported(ZIP_EM_AES_256, 1);
}

int zc_write(const char *path, const struct zc_entry *e, size_t n)
{
	int err = 0;
	remove(path);
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	if (!za)
		return -1;
	for (size_t i = 0; i < n; i++) {
		zip_source_t *src = zip_source_buffer(za, e[i].data, e[i].len, 0);
		if (!src)
			goto fail;
		zip_int64_t idx = zip_file_add(za, e[i].name, src, ZIP_FL_ENC_RAW);
		if (idx < 0) {
			zip_source_free(src);
			goto fail;
		}
		if (e[i].store)
			zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
		if (e[i].symlink)
			zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
							 (zip_uint32_t)0120777 << 16);
		if (e[i].encrypt &&
		    zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_AES_256, "pw") != 0)
			goto fail;
	}
	return zip_close(za) == 0 ? 0 : -1;
fail:
	zip_discard(za);
	return -1;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return b;
}

int zc_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = fwrite(data, 1, len, f);
	return fclose(f) == 0 && w == len ? 0 : -1;
}

int zc_patch(const char *path, const void *from, const void *to, size_t len)
{
	size_t n;
	unsigned char *b = slurp(path, &n);
	int count = 0;
	if (!b)
		return -1;
	for (size_t i = 0; i + len <= n; i++)
		if (memcmp(b + i, from, len) == 0) {
			memcpy(b + i, to, len);
			count++;
		}
	zc_write_file(path, b, n);
	free(b);
	return count;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Writes `value` (`width` bytes, little-endian) at `lh_at` in the local header and `cd_at` in
 * the central header of every entry called `name`. Returns how many headers changed, or -1. */
static int set_field(const char *path, const char *name, size_t lh_at, size_t cd_at, int width,
		     uint32_t value)
{
	size_t n, nl = strlen(name);
	unsigned char *b = slurp(path, &n);
	int count = 0;
	if (!b)
		return -1;
	for (size_t i = 0; i + 46 <= n; i++) {
		uint32_t sig = get32(b + i);
		size_t at = 0;
		if (sig == 0x04034b50 && i + 30 + nl <= n && (b[i + 26] | b[i + 27] << 8) == (int)nl &&
		    memcmp(b + i + 30, name, nl) == 0)
			at = i + lh_at;
		else if (sig == 0x02014b50 && i + 46 + nl <= n &&
			 (b[i + 28] | b[i + 29] << 8) == (int)nl && memcmp(b + i + 46, name, nl) == 0)
			at = i + cd_at;
		if (!at)
			continue;
		for (int k = 0; k < width; k++)
			b[at + (size_t)k] = (unsigned char)(value >> (8 * k));
		count++;
	}
	zc_write_file(path, b, n);
	free(b);
	return count;
}

int zc_set_size(const char *path, const char *name, uint32_t size)
{
	return set_field(path, name, 22, 24, 4, size);
}

int zc_set_crc(const char *path, const char *name, uint32_t crc)
{
	return set_field(path, name, 14, 16, 4, crc);
}

int zc_set_method(const char *path, const char *name, uint16_t method)
{
	return set_field(path, name, 8, 10, 2, method);
}

int zc_set_flags(const char *path, const char *name, uint16_t flags)
{
	return set_field(path, name, 6, 8, 2, flags);
}

int zc_set_count(const char *path, uint16_t count)
{
	size_t n;
	unsigned char *b = slurp(path, &n);
	if (!b || n < 22)
		return -1;
	for (size_t i = n - 22 + 1; i-- > 0;)
		if (get32(b + i) == 0x06054b50) {
			b[i + 8] = b[i + 10] = (unsigned char)count;
			b[i + 9] = b[i + 11] = (unsigned char)(count >> 8);
			break;
		}
	zc_write_file(path, b, n);
	free(b);
	return 0;
}
