/* The zip (PIF) reader, hardened for hostile archives. Before libzip sees the file we read the
 * end-of-central-directory record ourselves, so an archive claiming millions of entries is
 * refused before libzip allocates for them. Every entry name is checked (zip slip, drive
 * letters, backslashes, control characters, non-UTF-8), symlinks and encrypted entries are
 * refused, and declared sizes are checked against the limits. Reading never trusts declared
 * sizes: inflation stops as soon as the output passes the declared size, the per-entry limit,
 * the ratio limit or the package total. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "pkg_int.h"

#define EOCD_SIG 0x06054b50u
#define EOCD64_SIG 0x06064b50u
#define EOCD64_LOC_SIG 0x07064b50u
#define EOCD_MIN 22
#define EOCD_SEARCH (EOCD_MIN + 65535) /* the record plus the longest archive comment */
#define S_IFMT_ZIP 0170000u
#define S_IFLNK_ZIP 0120000u
#define READ_CHUNK 65536

static uint32_t le32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint64_t le64(const unsigned char *b)
{
	return (uint64_t)le32(b) | (uint64_t)le32(b + 4) << 32;
}

static int pread_all(int fd, void *to, size_t len, off_t at)
{
	size_t n = 0;
	while (n < len) {
		ssize_t r = pread(fd, (char *)to + n, len - n, at + (off_t)n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return PC_EIO;
		n += (size_t)r;
	}
	return 0;
}

/* Finds the entry count the archive declares (zip64 aware). Returns PC_EFORMAT when there is
 * no end-of-central-directory record: the file is not a zip, or was cut short. */
static int declared_entries(int fd, uint64_t size, uint64_t *entries)
{
	if (size < EOCD_MIN)
		return PC_EFORMAT;
	size_t tail = size < EOCD_SEARCH ? (size_t)size : EOCD_SEARCH;
	unsigned char *b = malloc(tail);
	int rc = PC_EFORMAT;
	if (!b)
		return PC_ENOMEM;
	if (pread_all(fd, b, tail, (off_t)(size - tail)) != 0) {
		rc = PC_EIO;
		goto cleanup;
	}
	for (size_t i = tail - EOCD_MIN + 1; i-- > 0;) {
		if (le32(b + i) != EOCD_SIG)
			continue;
		*entries = (uint64_t)(b[i + 10] | b[i + 11] << 8);
		rc = 0;
		/* zip64: the locator sits just before the record and points at the real count */
		uint64_t eocd_at = size - tail + i;
		unsigned char loc[20], rec[56];
		if (eocd_at >= 20 && pread_all(fd, loc, 20, (off_t)(eocd_at - 20)) == 0 &&
		    le32(loc) == EOCD64_LOC_SIG) {
			uint64_t at = le64(loc + 8);
			if (at + 56 <= size && pread_all(fd, rec, 56, (off_t)at) == 0 &&
			    le32(rec) == EOCD64_SIG)
				*entries = le64(rec + 32);
		}
		break;
	}
cleanup:
	free(b);
	return rc;
}

static const char *zip_error_text(int ze)
{
	switch (ze) {
	case ZIP_ER_NOZIP: return "not a zip archive";
	case ZIP_ER_INCONS: return "the archive is inconsistent (truncated or corrupt)";
	case ZIP_ER_READ:
	case ZIP_ER_SEEK: return "the archive could not be read (truncated?)";
	case ZIP_ER_MEMORY: return "out of memory";
	case ZIP_ER_MULTIDISK: return "multi-part archives are not supported";
	case ZIP_ER_OPEN: return "cannot open the file";
	default: return "the archive could not be opened";
	}
}

/* Checks one central-directory entry and records it unless it must be left out. */
static int add_entry(pkg *p, zip_uint64_t i, uint64_t *total, diag_sink *sink)
{
	const char *raw = zip_get_name(p->za, i, ZIP_FL_ENC_RAW);
	if (!raw) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
			  "entry %llu has no readable name", (unsigned long long)i);
		return 0;
	}
	char *clean = NULL;
	const char *why = NULL;
	int bad_utf8 = 0;
	int rc = pkg_clean_name(raw, strlen(raw), &clean, &why, &bad_utf8);
	if (rc == PC_ENOMEM)
		return rc;
	if (rc) {
		buf shown = BUF_INIT;
		buf_init(&shown, 1024);
		buf_put_json(&shown, raw, strlen(raw)); /* printable and valid UTF-8 */
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "unsafe-path",
			  "entry '%s' is refused: %s", buf_cstr(&shown), why);
		buf_free(&shown);
		return 0;
	}
	size_t len = strlen(clean);
	if (clean[len - 1] == '/') { /* a folder entry: nothing to read */
		free(clean);
		return 0;
	}
	if (bad_utf8)
		diag_line(sink, DIAG_WARNING, p->display, 0, 0, "name-encoding",
			  "entry name '%s' is not UTF-8: LMSs will unpack it under different names",
			  clean);
	zip_uint8_t opsys;
	zip_uint32_t attr;
	if (zip_file_get_external_attributes(p->za, i, 0, &opsys, &attr) == 0 &&
	    opsys == ZIP_OPSYS_UNIX && ((attr >> 16) & S_IFMT_ZIP) == S_IFLNK_ZIP) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "symlink",
			  "entry '%s' is a symbolic link: refused (it could point outside the package)",
			  clean);
		free(clean);
		return 0;
	}
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(p->za, i, 0, &st) != 0) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
			  "entry '%s' cannot be read: %s", clean, zip_strerror(p->za));
		free(clean);
		return 0;
	}
	size_t at;
	rc = pkg_entry_add(p, clean, &at);
	free(clean);
	if (rc)
		return rc;
	pkg_entry *e = &p->e[at];
	e->index = i;
	e->size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
	e->csize = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	*total += e->size;
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "encrypted",
			  "entry '%s' is encrypted: an LMS cannot read it", e->name);
		e->refused = 1;
		e->refused_code = PC_EFORMAT;
	} else if ((st.valid & ZIP_STAT_COMP_METHOD) &&
		   !zip_compression_method_supported((zip_int32_t)st.comp_method, 0)) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
			  "entry '%s' uses compression method %u, which cannot be read", e->name,
			  (unsigned)st.comp_method);
		e->refused = 1;
		e->refused_code = PC_EFORMAT;
	} else if (e->size > p->lim.max_entry) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "limit",
			  "entry '%s' declares %llu bytes, over the per-file limit of %llu "
			  "(--max-entry)",
			  e->name, (unsigned long long)e->size, (unsigned long long)p->lim.max_entry);
		e->refused = 1;
		e->refused_code = PC_ELIMIT;
	} else if (e->size > PKG_RATIO_MIN_SIZE &&
		   e->size / (e->csize ? e->csize : 1) > p->lim.max_ratio) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "limit",
			  "entry '%s' declares a compression ratio of %llu:1, over the limit of "
			  "%u:1 (--max-ratio): a zip bomb?",
			  e->name, (unsigned long long)(e->size / (e->csize ? e->csize : 1)),
			  p->lim.max_ratio);
		e->refused = 1;
		e->refused_code = PC_ELIMIT;
	}
	return 0;
}

int zipread_open(pkg *p, const char *path, diag_sink *sink)
{
	int rc = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "open", "cannot open: %s", strerror(errno));
		return PC_EIO;
	}
	struct stat st;
	uint64_t entries = 0;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return PC_EIO;
	}
	rc = declared_entries(fd, (uint64_t)st.st_size, &entries);
	close(fd);
	if (rc == PC_EFORMAT) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "zip",
			  "not a zip archive, or truncated (no end of central directory)");
		return rc;
	}
	if (rc)
		return rc;
	if (entries > p->lim.max_entries) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "limit",
			  "the archive declares %llu entries, over the limit of %zu (--max-entries)",
			  (unsigned long long)entries, p->lim.max_entries);
		return PC_ELIMIT;
	}
	p->root = strdup(path);
	if (!p->root)
		return PC_ENOMEM;
	int ze = 0;
	p->za = zip_open(path, ZIP_RDONLY, &ze);
	if (!p->za) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "zip", "%s", zip_error_text(ze));
		return ze == ZIP_ER_MEMORY ? PC_ENOMEM : ze == ZIP_ER_OPEN ? PC_EIO : PC_EFORMAT;
	}
	zip_int64_t n = zip_get_num_entries(p->za, 0);
	if (n < 0 || (uint64_t)n > p->lim.max_entries) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "limit",
			  "the archive holds %lld entries, over the limit of %zu (--max-entries)",
			  (long long)n, p->lim.max_entries);
		return PC_ELIMIT;
	}
	uint64_t total = 0;
	for (zip_uint64_t i = 0; i < (zip_uint64_t)n; i++) {
		rc = add_entry(p, i, &total, sink);
		if (rc)
			return rc;
	}
	if (total > p->lim.max_total) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "limit",
			  "the archive declares %llu bytes uncompressed, over the limit of %llu "
			  "(--max-total)",
			  (unsigned long long)total, (unsigned long long)p->lim.max_total);
		return PC_ELIMIT;
	}
	pkg_check_names(p, sink);
	return 0;
}

/* Reads (or, with data == NULL, only checks) one entry. The output is bounded by the smallest
 * of: the declared size (an entry inflating past it is lying), the per-entry limit, the ratio
 * limit once past PKG_RATIO_MIN_SIZE, and what is left of the package total. */
int zipread_read(pkg *p, pkg_entry *e, char **data, size_t *len, diag_sink *sink)
{
	int rc = 0;
	char *b = NULL;
	unsigned char *chunk = NULL;
	size_t n = 0;
	zip_file_t *zf = zip_fopen_index(p->za, e->index, 0);
	if (!zf) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
			  "entry '%s' cannot be read: %s", e->name, zip_strerror(p->za));
		return PC_EFORMAT;
	}
	size_t cap = 0;
	if (data) {
		/* grow as data arrives: a declared size is a claim, not a fact */
		cap = e->size < READ_CHUNK ? (size_t)e->size + 1 : READ_CHUNK;
		b = malloc(cap);
		if (!b) {
			rc = PC_ENOMEM;
			goto cleanup;
		}
	} else {
		chunk = malloc(READ_CHUNK);
		if (!chunk) {
			rc = PC_ENOMEM;
			goto cleanup;
		}
	}
	for (;;) {
		/* ask for one byte more than the declared size, to catch entries that lie */
		size_t want = data ? (size_t)(e->size + 1 - n) : READ_CHUNK;
		if (want > READ_CHUNK)
			want = READ_CHUNK;
		if (data && n + want > cap) {
			size_t ncap = cap * 2 > n + want ? cap * 2 : n + want;
			if (ncap > e->size + 1)
				ncap = (size_t)e->size + 1;
			char *nb = realloc(b, ncap);
			if (!nb) {
				rc = PC_ENOMEM;
				goto cleanup;
			}
			b = nb;
			cap = ncap;
		}
		zip_int64_t r = zip_fread(zf, data ? (void *)(b + n) : (void *)chunk, want);
		if (r < 0) {
			diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
				  "entry '%s' is corrupt: %s", e->name, zip_file_strerror(zf));
			rc = PC_EFORMAT;
			goto cleanup;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		p->total_read += (uint64_t)r;
		if (n > e->size) {
			diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
				  "entry '%s' inflates past its declared size of %llu bytes: refused",
				  e->name, (unsigned long long)e->size);
			rc = PC_EFORMAT;
			goto cleanup;
		}
		if (n > p->lim.max_entry) {
			diag_line(sink, DIAG_ERROR, p->display, 0, 0, "limit",
				  "entry '%s' is over the per-file limit of %llu bytes (--max-entry)",
				  e->name, (unsigned long long)p->lim.max_entry);
			rc = PC_ELIMIT;
			goto cleanup;
		}
		if (n > PKG_RATIO_MIN_SIZE && n / (e->csize ? e->csize : 1) > p->lim.max_ratio) {
			diag_line(sink, DIAG_ERROR, p->display, 0, 0, "limit",
				  "entry '%s' inflates more than %u times its compressed size "
				  "(--max-ratio): a zip bomb?",
				  e->name, p->lim.max_ratio);
			rc = PC_ELIMIT;
			goto cleanup;
		}
		if (p->total_read > p->lim.max_total) {
			diag_line(sink, DIAG_ERROR, p->display, 0, 0, "limit",
				  "the package inflates past the limit of %llu bytes (--max-total)",
				  (unsigned long long)p->lim.max_total);
			rc = PC_ELIMIT;
			goto cleanup;
		}
	}
	if (n != e->size) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
			  "entry '%s' holds %zu bytes but declares %llu", e->name, n,
			  (unsigned long long)e->size);
		rc = PC_EFORMAT;
		goto cleanup;
	}
	e->verified = 1; /* libzip checked the CRC at the end of the data */
	if (data) {
		b[n] = '\0'; /* n == size < cap */
		*data = b;
		b = NULL;
	}
	*len = n;
cleanup:
	free(b);
	free(chunk);
	zip_fclose(zf);
	return rc;
}
