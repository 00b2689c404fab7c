/* Zip entries by name for the server (see zipfile.h). The native reader keeps the archive's
 * directory (zipcd) and its entry indices sorted by name, both read-only once open, and reads
 * with pread on one descriptor: any number of threads read at once without a lock. Each open
 * entry has its own inflater. The libzip reader is the fallback for archives the directory
 * parser cannot vouch for; libzip handles are not thread-safe, so lookups share one under a
 * mutex and each open entry has its own. */
#include "zipfile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "common.h"
#include "utf8.h"
#include "zipcd.h"

#define LOCAL_LEN 30
#define READ_CHUNK 16384
/* Most bytes one zipfile_fread gives: zlib's crc32 counts in 32 bits. */
#define READ_MAX ((size_t)1 << 30)

struct zipfile {
	char *path;
	int fd;        /* native reader; -1 with libzip */
	zipcd cd;
	const zipcd_entry **sorted; /* the entries by name (bytes, shorter first on a tie) */
	zip_t *za;      /* libzip reader, for lookups */
	pthread_mutex_t lock; /* za */
};

struct zipfile_file {
	zipfile *zf;
	/* native */
	const zipcd_entry *e;
	uint64_t data_at; /* file offset of the entry's data */
	uint64_t in_at;   /* compressed bytes consumed so far */
	uint64_t out;     /* entry offset of the next byte given */
	uint32_t crc;
	int check_crc;    /* read from byte 0 without a skip */
	int ended;        /* deflate: the stream's end was seen */
	int end_rc;       /* 1 once the end checks passed, -1 once they failed, 0 before */
	z_stream zs;
	int zs_live;
	unsigned char in[READ_CHUNK];
	/* libzip */
	zip_t *za;
	zip_file_t *f;
};

static uint16_t le16(const unsigned char *b)
{
	return (uint16_t)(b[0] | b[1] << 8);
}

static int name_cmp(const zipcd_entry *a, const char *name, size_t len)
{
	int c = memcmp(a->name, name, a->name_len < len ? a->name_len : len);
	if (c)
		return c;
	return a->name_len < len ? -1 : a->name_len > len;
}

static int by_name(const void *x, const void *y)
{
	const zipcd_entry *a = *(const zipcd_entry *const *)x, *b = *(const zipcd_entry *const *)y;
	return name_cmp(a, b->name, b->name_len);
}

/* libzip takes a name with a control character other than tab, CR or LF for CP437, like one
 * that is not UTF-8, and converts it (zip_utf-8.c, _zip_guess_encoding). */
static int has_control(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 32 && c != '\t' && c != '\n' && c != '\r')
			return 1;
	}
	return 0;
}

/* Sorts the entries by name. Returns 0, PC_ENOMEM, or PC_EFORMAT when two entries share a name
 * or libzip would read a name as CP437 and find it under another spelling (has_control, or not
 * UTF-8): the native reader then does not answer for the archive. */
static int index_names(zipfile *zf)
{
	const zipcd *cd = &zf->cd;
	zf->sorted = malloc((cd->n ? cd->n : 1) * sizeof *zf->sorted);
	if (!zf->sorted)
		return PC_ENOMEM;
	for (size_t i = 0; i < cd->n; i++) {
		if (!utf8_valid(cd->e[i].name, cd->e[i].name_len) ||
		    has_control(cd->e[i].name, cd->e[i].name_len))
			return PC_EFORMAT;
		zf->sorted[i] = &cd->e[i];
	}
	qsort(zf->sorted, cd->n, sizeof *zf->sorted, by_name);
	for (size_t i = 1; i < cd->n; i++)
		if (by_name(&zf->sorted[i - 1], &zf->sorted[i]) == 0)
			return PC_EFORMAT;
	return 0;
}

/* The native reader when the directory is exact and every name unambiguous; PC_EFORMAT asks
 * for libzip. */
static int open_native(zipfile *zf)
{
	struct stat sb;
	zf->fd = open(zf->path, O_RDONLY | O_CLOEXEC);
	if (zf->fd < 0 || fstat(zf->fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		return PC_EIO;
	int rc = zipcd_read(&zf->cd, zf->fd, (uint64_t)sb.st_size);
	if (rc == 0 && !zf->cd.exact)
		rc = PC_EFORMAT;
	if (rc == 0)
		rc = index_names(zf);
	return rc;
}

int zipfile_open(zipfile **out, const char *path)
{
	return zipfile_open_reader(out, path, 0);
}

int zipfile_open_reader(zipfile **out, const char *path, int libzip_only)
{
	*out = NULL;
	zipfile *zf = calloc(1, sizeof *zf);
	if (!zf)
		return PC_ENOMEM;
	zf->fd = -1;
	pthread_mutex_init(&zf->lock, NULL);
	int rc = PC_ENOMEM;
	if (!(zf->path = strdup(path)))
		goto cleanup;
	rc = libzip_only ? PC_EFORMAT : open_native(zf);
	if (rc == PC_EFORMAT) {
		/* unusual archive: libzip lists and reads it */
		close(zf->fd);
		zf->fd = -1;
		zipcd_free(&zf->cd);
		free(zf->sorted);
		zf->sorted = NULL;
		int err = 0;
		zf->za = zip_open(path, ZIP_RDONLY, &err);
		rc = zf->za ? 0 : PC_EIO;
	}
cleanup:
	if (rc) {
		zipfile_free(zf);
		return rc;
	}
	*out = zf;
	return 0;
}

void zipfile_free(zipfile *zf)
{
	if (!zf)
		return;
	if (zf->fd >= 0)
		close(zf->fd);
	if (zf->za)
		zip_discard(zf->za);
	zipcd_free(&zf->cd);
	free(zf->sorted);
	free(zf->path);
	pthread_mutex_destroy(&zf->lock);
	free(zf);
}

static int find_libzip(zipfile *zf, const char *name, zipfile_stat *st)
{
	zip_stat_t zs;
	pthread_mutex_lock(&zf->lock);
	zip_int64_t i = zip_name_locate(zf->za, name, 0);
	int rc = i < 0 ? PC_ENOTFOUND
		 : zip_stat_index(zf->za, (zip_uint64_t)i, 0, &zs) != 0 || !(zs.valid & ZIP_STAT_SIZE)
			 ? PC_EIO
			 : 0;
	pthread_mutex_unlock(&zf->lock);
	if (rc)
		return rc;
	st->index = (uint64_t)i;
	st->size = zs.size;
	st->crc = (zs.valid & ZIP_STAT_CRC) ? zs.crc : 0;
	st->stored = (zs.valid & ZIP_STAT_COMP_METHOD) && zs.comp_method == ZIP_CM_STORE;
	return 0;
}

int zipfile_find(zipfile *zf, const char *name, zipfile_stat *st)
{
	if (zf->za)
		return find_libzip(zf, name, st);
	size_t len = strlen(name), lo = 0, hi = zf->cd.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const zipcd_entry *e = zf->sorted[mid];
		int c = name_cmp(e, name, len);
		if (c == 0) {
			st->index = (uint64_t)(e - zf->cd.e);
			st->size = e->usize;
			st->crc = e->crc;
			st->stored = e->method == 0;
			return 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return PC_ENOTFOUND;
}

/* Finds the data after the entry's local header. Returns 0 or PC_EIO. An entry with no data
 * is read as empty without looking at its local header, as libzip does (zipread.c says more). */
static int open_native_file(zipfile_file *f, const zipcd_entry *e)
{
	unsigned char lh[LOCAL_LEN];
	if (e->csize == 0)
		return 0;
	/* Only the two lengths are read: libzip checks neither the signature (its
	 * _zip_dirent_size) nor that the compressed size fits in the file (a deflate stream that
	 * ends before the file does reads fine); the sizes and the CRC vouch for the data. */
	if (zipcd_pread(f->zf->fd, lh, LOCAL_LEN, e->local) != 0)
		return PC_EIO;
	f->data_at = (uint64_t)e->local + LOCAL_LEN + le16(lh + 26) + le16(lh + 28);
	f->check_crc = 1;
	f->crc = (uint32_t)crc32(0, NULL, 0);
	if (e->method == 8 && e->csize) {
		if (inflateInit2(&f->zs, -MAX_WBITS) != Z_OK)
			return PC_ENOMEM;
		f->zs_live = 1;
	}
	return 0;
}

int zipfile_fopen(zipfile_file **out, zipfile *zf, const zipfile_stat *st)
{
	*out = NULL;
	zipfile_file *f = calloc(1, sizeof *f);
	if (!f)
		return PC_ENOMEM;
	f->zf = zf;
	int rc = 0;
	if (zf->za) {
		int err = 0;
		if (!(f->za = zip_open(zf->path, ZIP_RDONLY, &err)) ||
		    !(f->f = zip_fopen_index(f->za, st->index, 0)))
			rc = PC_EIO;
	} else {
		f->e = &zf->cd.e[st->index];
		rc = open_native_file(f, f->e);
	}
	if (rc) {
		zipfile_fclose(f);
		return rc;
	}
	*out = f;
	return 0;
}

void zipfile_fclose(zipfile_file *f)
{
	if (!f)
		return;
	if (f->zs_live)
		inflateEnd(&f->zs);
	if (f->f)
		zip_fclose(f->f);
	if (f->za)
		zip_discard(f->za);
	free(f);
}

/* Inflates up to `n` (> 0) bytes into `buf`, or with `buf` NULL checks that the stream ends
 * exactly here. Returns the count (0 for a good end) or -1: corrupt data, data shorter or
 * longer than declared, a read error. */
static long inflate_some(zipfile_file *f, unsigned char *buf, size_t n)
{
	const zipcd_entry *e = f->e;
	unsigned char spare; /* one byte of room: data past the declared size shows */
	f->zs.next_out = buf ? buf : &spare;
	f->zs.avail_out = buf ? (uInt)(n > READ_CHUNK * 4 ? READ_CHUNK * 4 : n) : 1;
	uInt room = f->zs.avail_out;
	while (f->zs.avail_out == room && !f->ended) {
		if (f->zs.avail_in == 0 && f->in_at < e->csize) {
			size_t want = e->csize - f->in_at < READ_CHUNK ? (size_t)(e->csize - f->in_at)
								       : READ_CHUNK;
			ssize_t got = pread(f->zf->fd, f->in, want, (off_t)(f->data_at + f->in_at));
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0)
				return -1;
			/* the file's end: what the inflater has is all there is */
			f->in_at = got ? f->in_at + (uint64_t)got : e->csize;
			f->zs.next_in = f->in;
			f->zs.avail_in = (uInt)got;
		}
		int zr = inflate(&f->zs, Z_NO_FLUSH);
		if (zr == Z_STREAM_END)
			f->ended = 1;
		else if (zr != Z_OK)
			return -1; /* corrupt, or the compressed data ran out (Z_BUF_ERROR) */
	}
	size_t got = room - f->zs.avail_out;
	if (!buf)
		return got || !f->ended ? -1 : 0;
	if (f->ended && f->out + got < e->usize)
		return -1;
	return (long)got;
}

/* The checks once the last declared byte is given: the deflate stream ends there and, when
 * the file was read from its start, the CRC matches. An entry with no data is not checked
 * (see zipfile_fread). */
static int at_end_ok(zipfile_file *f)
{
	const zipcd_entry *e = f->e;
	if (e->csize == 0)
		return 1;
	if (e->method == 0 && e->csize != e->usize)
		return 0; /* stored data of another length than the file's */
	if (e->method == 8 && inflate_some(f, NULL, 0) != 0)
		return 0;
	return !f->check_crc || f->crc == e->crc;
}

long zipfile_fread(zipfile_file *f, void *buf, size_t n)
{
	if (f->f) {
		zip_int64_t got = zip_fread(f->f, buf, n);
		return got < 0 ? -1 : (long)got;
	}
	const zipcd_entry *e = f->e;
	uint64_t left = e->usize - f->out;
	if (n > READ_MAX)
		n = READ_MAX;
	if (n > left)
		n = (size_t)left;
	if (n == 0 && left == 0 && !f->end_rc)
		f->end_rc = at_end_ok(f) ? 1 : -1; /* an empty entry */
	if (f->end_rc < 0)
		return -1;
	if (n == 0)
		return 0;
	long got;
	if (e->csize == 0) /* no data: libzip reads it as empty, so a declared size is short */
		got = -1;
	else if (e->method == 0)
		got = e->csize != e->usize ? -1
		      : zipcd_pread(f->zf->fd, buf, n, f->data_at + f->out) != 0 ? -1
										 : (long)n;
	else
		got = inflate_some(f, buf, n);
	if (got < 0)
		return -1;
	f->crc = (uint32_t)crc32(f->crc, buf, (uInt)got);
	f->out += (uint64_t)got;
	if (f->out == e->usize && !f->end_rc)
		f->end_rc = at_end_ok(f) ? 1 : -1;
	return f->end_rc < 0 ? -1 : got;
}

int zipfile_fseek(zipfile_file *f, uint64_t at)
{
	if (f->f)
		return zip_fseek(f->f, (zip_int64_t)at, SEEK_SET) == 0 ? 0 : -1;
	if (f->e->method != 0 || at > f->e->usize)
		return -1;
	if (at != f->out)
		f->check_crc = 0;
	f->out = at;
	return 0;
}
