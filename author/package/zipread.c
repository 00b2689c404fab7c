/* The zip (PIF) reader, hardened for hostile archives. Before libzip sees the file we read the
 * end-of-central-directory record ourselves, so an archive claiming millions of entries is
 * refused before libzip allocates for them. Every entry name is checked (zip slip, drive
 * letters, backslashes, control characters, non-UTF-8), symlinks and encrypted entries are
 * refused, and declared sizes are checked against the limits. Reading never trusts declared
 * sizes: inflation stops as soon as the output passes the declared size, the per-entry limit,
 * the ratio limit or the package total. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

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
	if (zipcd_pread(fd, b, tail, size - tail) != 0) {
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
		if (eocd_at >= 20 && zipcd_pread(fd, loc, 20, eocd_at - 20) == 0 &&
		    le32(loc) == EOCD64_LOC_SIG) {
			uint64_t at = le64(loc + 8);
			if (at + 56 <= size && zipcd_pread(fd, rec, 56, at) == 0 &&
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

/* What the listing needs to know about one central-directory entry, from libzip or from our
 * own parse of the directory (zipcd.c): both give the same values for the same entry. */
struct raw_entry {
	const char *name; /* raw bytes; NULL when libzip could not give a name */
	size_t name_len;
	int have_attr;
	uint8_t opsys;
	uint32_t attr;
	const char *stat_error; /* libzip could not stat the entry: why */
	uint64_t size, csize;
	int encrypted;
	unsigned method;
	int method_ok; /* a compression method that can be read */
};

/* Checks one central-directory entry and records it unless it must be left out. */
static int add_entry(pkg *p, zip_uint64_t i, const struct raw_entry *r, uint64_t *total,
		     diag_sink *sink)
{
	if (!r->name) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
			  "entry %llu has no readable name", (unsigned long long)i);
		return 0;
	}
	char *clean = NULL;
	const char *why = NULL;
	int bad_utf8 = 0;
	int rc = pkg_clean_name(r->name, r->name_len, &clean, &why, &bad_utf8);
	if (rc == PC_ENOMEM)
		return rc;
	if (rc) {
		buf shown = BUF_INIT;
		buf_init(&shown, 1024);
		buf_put_json(&shown, r->name, r->name_len); /* printable and valid UTF-8 */
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
	if (r->have_attr && r->opsys == ZIP_OPSYS_UNIX &&
	    ((r->attr >> 16) & S_IFMT_ZIP) == S_IFLNK_ZIP) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "symlink",
			  "entry '%s' is a symbolic link: refused (it could point outside the package)",
			  clean);
		free(clean);
		return 0;
	}
	if (r->stat_error) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
			  "entry '%s' cannot be read: %s", clean, r->stat_error);
		free(clean);
		return 0;
	}
	size_t at;
	rc = pkg_entry_take(p, clean, &at); /* clean is the package's now */
	if (rc)
		return rc;
	pkg_entry *e = &p->e[at];
	e->index = i;
	e->size = r->size;
	e->csize = r->csize;
	*total += e->size;
	if (r->encrypted) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "encrypted",
			  "entry '%s' is encrypted: an LMS cannot read it", e->name);
		e->refused = 1;
		e->refused_code = PC_EFORMAT;
	} else if (!r->method_ok) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
			  "entry '%s' uses compression method %u, which cannot be read", e->name,
			  r->method);
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

/* The entry as libzip describes it. `stat_msg` holds libzip's message when stat fails. */
static void libzip_entry(pkg *p, zip_uint64_t i, struct raw_entry *r, char *stat_msg,
			 size_t msg_size)
{
	memset(r, 0, sizeof *r);
	r->name = zip_get_name(p->za, i, ZIP_FL_ENC_RAW);
	r->name_len = r->name ? strlen(r->name) : 0;
	zip_uint8_t opsys;
	zip_uint32_t attr;
	if (zip_file_get_external_attributes(p->za, i, 0, &opsys, &attr) == 0) {
		r->have_attr = 1;
		r->opsys = opsys;
		r->attr = attr;
	}
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(p->za, i, 0, &st) != 0) {
		snprintf(stat_msg, msg_size, "%s", zip_strerror(p->za));
		r->stat_error = stat_msg;
		return;
	}
	r->size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
	r->csize = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	r->encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE;
	r->method = st.comp_method;
	r->method_ok = !(st.valid & ZIP_STAT_COMP_METHOD) ||
		       zip_compression_method_supported((zip_int32_t)st.comp_method, 0);
}

/* The entry from our own parse of an exact directory: plain, store or deflate, unencrypted. */
static void cd_entry(const zipcd_entry *c, struct raw_entry *r)
{
	memset(r, 0, sizeof *r);
	r->name = c->name;
	r->name_len = c->name_len;
	r->have_attr = 1;
	r->opsys = (uint8_t)(c->madeby >> 8);
	r->attr = c->attr;
	r->size = c->usize;
	r->csize = c->csize;
	r->method = c->method;
	r->method_ok = 1;
}

static int open_error_code(int ze)
{
	return ze == ZIP_ER_MEMORY ? PC_ENOMEM : ze == ZIP_ER_OPEN ? PC_EIO : PC_EFORMAT;
}

int zipread_libzip(pkg *p, diag_sink *sink)
{
	if (p->za)
		return 0;
	int ze = 0;
	p->za = zip_open(p->root, ZIP_RDONLY, &ze);
	if (!p->za) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "zip", "%s", zip_error_text(ze));
		return open_error_code(ze);
	}
	return 0;
}

int zipread_open(pkg *p, const char *path, diag_sink *sink)
{
	int rc = 0;
	p->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (p->fd < 0) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "open", "cannot open: %s", strerror(errno));
		return PC_EIO;
	}
	struct stat st;
	uint64_t entries = 0;
	if (fstat(p->fd, &st) != 0)
		return PC_EIO;
	p->size = (uint64_t)st.st_size;
	rc = declared_entries(p->fd, p->size, &entries);
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
	rc = p->libzip_only ? PC_EFORMAT : zipcd_read(&p->cd, p->fd, p->size);
	if (rc == PC_ENOMEM)
		return rc;
	uint64_t n;
	if (rc == 0 && p->cd.exact) {
		n = p->cd.n; /* the directory, as libzip would read it: no need for libzip */
	} else {
		int ze = 0;
		p->za = zip_open(path, ZIP_RDONLY, &ze);
		if (!p->za) {
			diag_line(sink, DIAG_ERROR, path, 0, 0, "zip", "%s", zip_error_text(ze));
			return open_error_code(ze);
		}
		zip_int64_t zn = zip_get_num_entries(p->za, 0);
		n = zn < 0 ? UINT64_MAX : (uint64_t)zn;
	}
	p->cd_indexed = p->cd.e && p->cd.n == n;
	if (n > p->lim.max_entries) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "limit",
			  "the archive holds %lld entries, over the limit of %zu (--max-entries)",
			  n == UINT64_MAX ? -1LL : (long long)n, p->lim.max_entries);
		return PC_ELIMIT;
	}
	/* the whole listing at once: no reallocation while entries are added */
	if (n > p->cap) {
		pkg_entry *e = realloc(p->e, (size_t)n * sizeof *e);
		if (!e)
			return PC_ENOMEM;
		p->e = e;
		p->cap = (size_t)n;
	}
	uint64_t total = 0;
	char stat_msg[256];
	for (uint64_t i = 0; i < n; i++) {
		struct raw_entry r;
		if (p->za)
			libzip_entry(p, i, &r, stat_msg, sizeof stat_msg);
		else
			cd_entry(&p->cd.e[i], &r);
		rc = add_entry(p, i, &r, &total, sink);
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

/* Entries read whole by read_plain are at most this big: the buffer is allocated at the
 * declared size up front (a claim, not yet a fact), so this bounds what a lying header costs. */
#define PLAIN_READ_MAX ((uint64_t)64 << 20)

/* Reads a plain entry (see zipcd.h) whole, without libzip: one pread of the data, one inflate
 * into a buffer of the declared size, the CRC. Returns 0 with the data, PC_ENOMEM, or 1 when
 * anything is unusual (a local header that does not match, data that inflates to another size
 * or fails its CRC, a limit reached): zipread_read then reads it through libzip, which reports
 * exactly what is wrong. */
static int read_plain(pkg *p, pkg_entry *e, const zipcd_entry *ce, char **data, size_t *len)
{
	unsigned char lh[30];
	if (!ce->usable || ce->csize != e->csize || ce->usize != e->size ||
	    (ce->method == 0 && ce->csize != ce->usize) ||
	    e->size > PLAIN_READ_MAX || p->total_read + e->size > p->lim.max_total)
		return 1;
	if ((uint64_t)ce->local + 30 > p->size || zipcd_pread(p->fd, lh, 30, ce->local) != 0 ||
	    le32(lh) != 0x04034b50u)
		return 1;
	uint64_t at = (uint64_t)ce->local + 30 + (lh[26] | lh[27] << 8) + (lh[28] | lh[29] << 8);
	if (at + ce->csize > p->size)
		return 1;
	size_t size = (size_t)e->size;
	char *b = malloc(size + 1);
	unsigned char *in = NULL;
	int rc = 1;
	if (!b)
		return PC_ENOMEM;
	if (ce->method == 0) {
		if (zipcd_pread(p->fd, b, size, at) != 0)
			goto cleanup;
	} else {
		in = malloc(ce->csize ? ce->csize : 1);
		if (!in) {
			rc = PC_ENOMEM;
			goto cleanup;
		}
		if (zipcd_pread(p->fd, in, ce->csize, at) != 0)
			goto cleanup;
		z_stream zs;
		memset(&zs, 0, sizeof zs);
		if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
			goto cleanup;
		zs.next_in = in;
		zs.avail_in = ce->csize;
		zs.next_out = (unsigned char *)b;
		zs.avail_out = (uInt)size + 1; /* one byte spare: data longer than declared shows */
		int zr = inflate(&zs, Z_FINISH);
		int whole = zr == Z_STREAM_END && zs.total_out == size && zs.avail_in == 0;
		inflateEnd(&zs);
		if (!whole)
			goto cleanup;
	}
	if ((uint32_t)crc32(crc32(0, NULL, 0), (const unsigned char *)b, (uInt)size) != ce->crc)
		goto cleanup;
	b[size] = '\0';
	p->total_read += size;
	e->verified = 1;
	*data = b;
	*len = size;
	b = NULL;
	rc = 0;
cleanup:
	free(b);
	free(in);
	return rc;
}

/* An entry with no compressed data, which libzip reads as empty without looking further: its
 * zip_source_zip_new answers a compressed size of 0 with an empty buffer, so neither the CRC
 * nor the compression method is checked. The zip format leaves no room for that: the CRC-32
 * of zero bytes is 0 (APPNOTE 4.4.7), and compressed data is never empty (deflate is at least
 * one final block, RFC 1951 3.2.3, the shortest 2 bytes; bzip2, LZMA, xz and zstd streams
 * start with a header). Info-ZIP's unzip -t reports both, Python's zipfile the CRC, and
 * zipverify.c both from the directory, so the findings do not depend on which reader ran.
 * Returns 0, or PC_EFORMAT with the finding reported. */
static int check_no_data(pkg *p, const pkg_entry *e, diag_sink *sink)
{
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(p->za, e->index, 0, &st) != 0)
		return 0; /* listed already, so this does not fail; nothing more to learn */
	if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
			  "entry '%s' is corrupt: its compressed data ends early", e->name);
		return PC_EFORMAT;
	}
	if (e->size == 0 && (st.valid & ZIP_STAT_CRC) && st.crc != 0) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
			  "entry '%s' is corrupt: CRC error", e->name);
		return PC_EFORMAT;
	}
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
	if (data && p->cd_indexed && e->index < p->cd.n) {
		rc = read_plain(p, e, &p->cd.e[e->index], data, len);
		if (rc != 1)
			return rc;
		rc = 0;
	}
	rc = zipread_libzip(p, sink);
	if (rc)
		return rc;
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
	if (e->csize == 0) {
		rc = check_no_data(p, e, sink);
		if (rc)
			goto cleanup;
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
