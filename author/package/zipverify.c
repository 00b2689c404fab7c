/* Verifies a zip's data fast: every entry inflated (or read, when stored) and checked against
 * its CRC-32 and declared size, under the same limits as zipread_read. libzip's per-entry
 * machinery (sources, layers, buffers) costs about 30,000 instructions per file; on a
 * 5,000-file package that was most of the validator's time. Here the central directory read
 * when the package was opened (zipcd.c) gives every entry's place, the archive is read through
 * one window of WINDOW bytes (two preads per file were 10,000 system calls), and a small entry
 * is inflated in one zlib call into a buffer one byte larger than it declares. An entry that
 * one call does not accept exactly (any error, a size or CRC that does not match, data left
 * over) is checked again by the chunked loop, which reports what is wrong; anything unusual
 * for that loop too (zip64 fields, a compression method other than store/deflate, an entry
 * this parse cannot match to libzip's) is handed back to zipread_read, so this is a shortcut,
 * never a second opinion. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common.h"
#include "pkg_int.h"

#define LOCAL_SIG 0x04034b50u
#define CHUNK 65536
/* Bytes of the archive read at once, and the largest entry checked in one inflate call: at
 * or under PKG_RATIO_MIN_SIZE, so the ratio limit cannot apply to such an entry. */
#define WINDOW ((size_t)1 << 20)
#define ONESHOT_MAX ((size_t)1 << 20)

static uint16_t le16(const unsigned char *b)
{
	return (uint16_t)(b[0] | b[1] << 8);
}

static uint32_t le32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* A window on the archive: entries are stored in order, so one pread serves many of them. */
struct window {
	unsigned char *b;
	uint64_t at; /* archive offset of b[0] */
	size_t len;  /* bytes valid in b */
};

/* Points *out at `len` bytes of the archive from `at` (len <= WINDOW). Returns 0 or PC_EIO. */
static int window_get(struct window *w, int fd, uint64_t size, uint64_t at, size_t len,
		      const unsigned char **out)
{
	if (at < w->at || at + len > w->at + w->len) {
		size_t want = size - at < WINDOW ? (size_t)(size - at) : WINDOW;
		if (len > want || zipcd_pread(fd, w->b, want, at) != 0) {
			w->len = 0;
			return PC_EIO;
		}
		w->at = at;
		w->len = want;
	}
	*out = w->b + (at - w->at);
	return 0;
}

/* The one-call check of a small entry. Returns 0 when the entry is exactly what the directory
 * says (its data accounted in total_read), 1 for anything else: verify_one then looks again
 * and reports. Nothing is reported from here. */
static int verify_small(pkg *p, const pkg_entry *pe, const zipcd_entry *ce, uint64_t size,
			struct window *w, z_stream *zs, unsigned char *outb,
			const unsigned char **plain_out)
{
	const unsigned char *lh, *data;
	if (ce->csize != pe->csize || ce->usize != pe->size || ce->csize > WINDOW ||
	    ce->usize > ONESHOT_MAX || p->total_read + ce->usize > p->lim.max_total ||
	    (ce->method == 0 && ce->csize != ce->usize))
		return 1;
	if ((uint64_t)ce->local + 30 > size || window_get(w, p->fd, size, ce->local, 30, &lh) != 0 ||
	    le32(lh) != LOCAL_SIG)
		return 1;
	uint64_t at = (uint64_t)ce->local + 30 + le16(lh + 26) + le16(lh + 28);
	if (at + ce->csize > size || window_get(w, p->fd, size, at, ce->csize, &data) != 0)
		return 1;
	const unsigned char *plain = data;
	if (ce->method == 8) {
		if (inflateReset(zs) != Z_OK)
			return 1;
		zs->next_in = (unsigned char *)data;
		zs->avail_in = (uInt)ce->csize;
		zs->next_out = outb;
		zs->avail_out = (uInt)ce->usize + 1; /* data longer than declared does not fit */
		if (inflate(zs, Z_FINISH) != Z_STREAM_END || zs->avail_in != 0 ||
		    zs->total_out != ce->usize)
			return 1;
		plain = outb;
	}
	if ((uint32_t)crc32(crc32(0, NULL, 0), plain, (uInt)ce->usize) != ce->crc)
		return 1;
	p->total_read += ce->usize;
	*plain_out = plain;
	return 0;
}

/* Keeps the first PKG_VISIT_MAX bytes of an entry checked in chunks, for the visitor. */
struct keep {
	unsigned char *b; /* NULL: the entry is not wanted */
	size_t len;
	int truncated;
};

static void keep_chunk(struct keep *k, const unsigned char *d, size_t n)
{
	if (!k->b)
		return;
	size_t room = PKG_VISIT_MAX - k->len;
	if (n > room) {
		n = room;
		k->truncated = 1;
	}
	memcpy(k->b + k->len, d, n);
	k->len += n;
}

/* Checks one entry's data. Returns 0, a PC_* code with the finding reported, or 1 when this
 * entry must go through libzip instead. */
static int verify_one(pkg *p, pkg_entry *pe, const zipcd_entry *ce, int fd, uint64_t size,
		      z_stream *zs, unsigned char *in, unsigned char *outb, struct keep *keep,
		      diag_sink *sink)
{
	unsigned char lh[30];
	if (ce->csize != pe->csize || ce->usize != pe->size)
		return 1; /* not the entry libzip described: let libzip read it */
	if ((uint64_t)ce->local + 30 > size || zipcd_pread(fd, lh, 30, ce->local) != 0 ||
	    le32(lh) != LOCAL_SIG)
		return 1;
	uint64_t data = (uint64_t)ce->local + 30 + le16(lh + 26) + le16(lh + 28);
	if (data + ce->csize > size)
		return 1;
	uint64_t n = 0, left = ce->csize;
	uint32_t crc = (uint32_t)crc32(0, NULL, 0);
	int deflated = ce->method == 8, done = !deflated;
	if (deflated && inflateReset(zs) != Z_OK)
		return 1;
	while (left > 0 || (deflated && !done)) {
		size_t take = left < CHUNK ? (size_t)left : CHUNK;
		if (take && zipcd_pread(fd, in, take, data + (ce->csize - left)) != 0)
			return 1;
		left -= take;
		const unsigned char *chunk = in;
		size_t got = take;
		if (deflated) {
			zs->next_in = in;
			zs->avail_in = (uInt)take;
			do {
				zs->next_out = outb;
				zs->avail_out = CHUNK;
				int zr = inflate(zs, Z_NO_FLUSH);
				if (zr != Z_OK && zr != Z_STREAM_END && !(zr == Z_BUF_ERROR && !take)) {
					diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
						  "entry '%s' is corrupt: %s", pe->name,
						  zs->msg ? zs->msg : "invalid deflate data");
					return PC_EFORMAT;
				}
				got = CHUNK - zs->avail_out;
				crc = (uint32_t)crc32(crc, outb, (uInt)got);
				keep_chunk(keep, outb, got);
				n += got;
				p->total_read += got;
				if (n > pe->size) {
					diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
						  "entry '%s' inflates past its declared size of %llu bytes: "
						  "refused",
						  pe->name, (unsigned long long)pe->size);
					return PC_EFORMAT;
				}
				if (n > PKG_RATIO_MIN_SIZE &&
				    n / (pe->csize ? pe->csize : 1) > p->lim.max_ratio) {
					diag_line(sink, DIAG_ERROR, p->display, 0, 0, "limit",
						  "entry '%s' inflates more than %u times its compressed "
						  "size (--max-ratio): a zip bomb?",
						  pe->name, p->lim.max_ratio);
					return PC_ELIMIT;
				}
				if (zr == Z_STREAM_END) {
					done = 1;
					break;
				}
				if (zr == Z_BUF_ERROR)
					break;
			} while (zs->avail_out == 0 || zs->avail_in > 0);
			if (!take && !done) {
				diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
					  "entry '%s' is corrupt: its compressed data ends early", pe->name);
				return PC_EFORMAT;
			}
			continue;
		}
		crc = (uint32_t)crc32(crc, chunk, (uInt)got);
		keep_chunk(keep, chunk, got);
		n += got;
		p->total_read += got;
	}
	if (p->total_read > p->lim.max_total) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "limit",
			  "the package inflates past the limit of %llu bytes (--max-total)",
			  (unsigned long long)p->lim.max_total);
		return PC_ELIMIT;
	}
	if (n != pe->size) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
			  "entry '%s' holds %llu bytes but declares %llu", pe->name,
			  (unsigned long long)n, (unsigned long long)pe->size);
		return PC_EFORMAT;
	}
	if (crc != ce->crc) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "corrupt-entry",
			  "entry '%s' is corrupt: CRC error", pe->name);
		return PC_EFORMAT;
	}
	return 0;
}

int zipverify_all(pkg *p, diag_sink *sink, const pkg_visitor *v)
{
	unsigned char *in = NULL, *outb = NULL, *small = NULL;
	struct window w = {NULL, 0, 0};
	struct keep keep = {NULL, 0, 0};
	z_stream zs;
	int zinit = 0, rc = 0;
	memset(&zs, 0, sizeof zs);
	in = malloc(CHUNK);
	outb = malloc(CHUNK);
	if (in && outb && inflateInit2(&zs, -MAX_WBITS) == Z_OK)
		zinit = 1;
	if (zinit && p->cd_indexed) {
		w.b = malloc(WINDOW);
		small = malloc(ONESHOT_MAX + 1);
	}
	for (size_t i = 0; i < p->n; i++) {
		pkg_entry *e = &p->e[i];
		if (e->refused || e->verified)
			continue;
		if (e->size > p->lim.max_manifest && strcmp(e->name, "imsmanifest.xml") == 0)
			continue; /* refused unread by the validator already */
		int wanted = v && v->want(v->ud, e->name);
		int r = 1;
		if (zinit && p->cd_indexed && e->index < p->cd.n && p->cd.e[e->index].usable) {
			const zipcd_entry *ce = &p->cd.e[e->index];
			const unsigned char *plain = NULL;
			if (w.b && small)
				r = verify_small(p, e, ce, p->size, &w, &zs, small, &plain);
			if (r == 0 && wanted)
				v->data(v->ud, e->name, plain, (size_t)ce->usize, 0);
			if (r == 1) {
				if (wanted && !keep.b && !(keep.b = malloc(PKG_VISIT_MAX)))
					wanted = 0;
				keep.len = 0;
				keep.truncated = 0;
				struct keep none = {NULL, 0, 0};
				r = verify_one(p, e, ce, p->fd, p->size, &zs, in, outb,
					       wanted ? &keep : &none, sink);
				if (r == 0 && wanted)
					v->data(v->ud, e->name, keep.b, keep.len, keep.truncated);
			}
		}
		if (r == 1) {
			char *data = NULL;
			size_t len;
			r = zipread_read(p, e, wanted ? &data : NULL, &len, sink);
			if (r == 0 && wanted)
				v->data(v->ud, e->name, (const unsigned char *)data,
					len < PKG_VISIT_MAX ? len : PKG_VISIT_MAX, len > PKG_VISIT_MAX);
			free(data);
		}
		if (r == PC_ENOMEM) {
			rc = r;
			break;
		}
		if (r == PC_ELIMIT && p->total_read > p->lim.max_total)
			break; /* reported once; reading more would only repeat it */
	}
	if (zinit)
		inflateEnd(&zs);
	free(keep.b);
	free(w.b);
	free(small);
	free(in);
	free(outb);
	return rc;
}
