/* The zip's central directory, read with one pread and parsed in place (see zipcd.h). libzip's
 * zip_open costs about 8,000 instructions per entry (a heap object, a name string and an
 * encoding guess each); on a 5,000-file package that was a sixth of the validator's time, all
 * of it before any other work could start. This parse is only trusted when it is certain to
 * describe the archive exactly as libzip would: anything unusual sets `exact` to 0 and the
 * package reader asks libzip instead, so findings never depend on which reader ran. */
#include "zipcd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

#define EOCD_SIG 0x06054b50u
#define EOCD64_LOC_SIG 0x07064b50u
#define CD_SIG 0x02014b50u
#define EOCD_LEN 22
#define CD_LEN 46
#define EOCD_SEARCH (EOCD_LEN + 65535) /* the record plus the longest archive comment */
#define EF_ZIP64 0x0001
#define EF_UTF8_NAME 0x7075    /* libzip replaces the name with this field's */
#define EF_UTF8_COMMENT 0x6375 /* and the comment */

static uint16_t le16(const unsigned char *b)
{
	return (uint16_t)(b[0] | b[1] << 8);
}

static uint32_t le32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int zipcd_pread(int fd, void *to, size_t len, uint64_t at)
{
	size_t n = 0;
	while (n < len) {
		ssize_t r = pread(fd, (char *)to + n, len - n, (off_t)(at + n));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return PC_EIO;
		n += (size_t)r;
	}
	return 0;
}

void zipcd_free(zipcd *cd)
{
	if (!cd)
		return;
	free(cd->e);
	free(cd->raw);
	memset(cd, 0, sizeof *cd);
}

/* Extra fields as libzip parses them: any malformed list, or a field that makes libzip change
 * what the entry says (UTF-8 name or comment, zip64 sizes), makes the entry inexact. */
static int plain_extra(const unsigned char *ef, size_t len)
{
	size_t i = 0;
	while (len - i >= 4) {
		uint16_t id = le16(ef + i), flen = le16(ef + i + 2);
		if (flen > len - i - 4)
			return 0;
		if (id == EF_UTF8_NAME || id == EF_UTF8_COMMENT || id == EF_ZIP64)
			return 0;
		i += 4 + (size_t)flen;
	}
	return i == len;
}

static int has_byte(const unsigned char *s, size_t len, int (*pred)(unsigned char))
{
	for (size_t i = 0; i < len; i++)
		if (pred(s[i]))
			return 1;
	return 0;
}

static int is_nul(unsigned char c)
{
	return c == 0;
}

/* Not ASCII as libzip counts it (printable, tab, CR, LF). In a name or comment flagged UTF-8,
 * libzip checks the encoding and refuses the whole archive (inconsistent) at such a byte when
 * it does not start valid UTF-8: a control character, say (fuzz_zip, issue 17). */
static int not_ascii(unsigned char c)
{
	return c >= 0x80 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r');
}

/* Parses the directory in cd->raw. Entries are kept even when the archive is not exact (the
 * data verifier can still use the plain ones); returns 0, or PC_EFORMAT when the records do
 * not even line up. */
static int parse_entries(zipcd *cd, uint64_t count, size_t cd_size)
{
	cd->e = calloc(count ? (size_t)count : 1, sizeof *cd->e);
	if (!cd->e)
		return PC_ENOMEM;
	size_t p = 0;
	for (uint64_t k = 0; k < count; k++) {
		if (cd_size - p < CD_LEN || le32(cd->raw + p) != CD_SIG)
			return PC_EFORMAT;
		const unsigned char *h = cd->raw + p;
		zipcd_entry *e = &cd->e[k];
		size_t nlen = le16(h + 28), elen = le16(h + 30), clen = le16(h + 32);
		if (cd_size - p - CD_LEN < nlen + elen + clen)
			return PC_EFORMAT;
		e->madeby = le16(h + 4);
		e->flags = le16(h + 8);
		e->method = le16(h + 10);
		e->crc = le32(h + 16);
		e->csize = le32(h + 20);
		e->usize = le32(h + 24);
		e->attr = le32(h + 38);
		e->local = le32(h + 42);
		e->name = (const char *)h + CD_LEN;
		e->name_len = nlen;
		e->usable = !(e->flags & 1) && (e->method == 0 || e->method == 8) &&
			    e->csize != 0xffffffffu && e->usize != 0xffffffffu &&
			    e->local != 0xffffffffu;
		/* exactly what libzip would report for this entry: a plain name (no NUL, which it
		 * turns into a space; ASCII when flagged UTF-8, which it would check), plain extra
		 * fields, no encryption or unusual method */
		const unsigned char *name = h + CD_LEN, *comment = name + nlen + elen;
		int utf8_flag = (e->flags & 0x800) != 0;
		if (!e->usable || nlen == 0 || has_byte(name, nlen, is_nul) ||
		    (utf8_flag && (has_byte(name, nlen, not_ascii) || has_byte(comment, clen, not_ascii))) ||
		    !plain_extra(name + nlen, elen))
			cd->exact = 0;
		p += CD_LEN + nlen + elen + clen;
	}
	if (p != cd_size)
		cd->exact = 0; /* more records than declared: libzip's Info-ZIP count hack */
	return 0;
}

int zipcd_read(zipcd *cd, int fd, uint64_t size)
{
	memset(cd, 0, sizeof *cd);
	if (size < EOCD_LEN)
		return PC_EFORMAT;
	size_t tail = size < EOCD_SEARCH + 20 ? (size_t)size : EOCD_SEARCH + 20;
	unsigned char *t = malloc(tail);
	int rc = PC_EFORMAT;
	if (!t)
		return PC_ENOMEM;
	if (zipcd_pread(fd, t, tail, size - tail) != 0) {
		rc = PC_EIO;
		goto cleanup;
	}
	/* the last record wins; libzip tries every candidate, so a second one makes this inexact */
	size_t at = tail, found = 0;
	for (size_t i = tail - EOCD_LEN + 1; i-- > 0;)
		if (le32(t + i) == EOCD_SIG) {
			if (!found++)
				at = i;
		}
	if (!found)
		goto cleanup;
	const unsigned char *r = t + at;
	uint64_t eocd_at = size - tail + at;
	uint64_t count = le16(r + 10), cd_size = le32(r + 12), cd_off = le32(r + 16);
	size_t comment = le16(r + 20);
	if (count == 0xffff || cd_size == 0xffffffffu || cd_off == 0xffffffffu ||
	    cd_off + cd_size > eocd_at)
		goto cleanup;
	cd->exact = found == 1 && le32(r + 4) == 0 && le16(r + 8) == count &&
		    eocd_at + EOCD_LEN + comment == size && cd_off + cd_size == eocd_at &&
		    !(at >= 20 && le32(t + at - 20) == EOCD64_LOC_SIG);
	cd->raw = malloc(cd_size ? (size_t)cd_size : 1);
	if (!cd->raw) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	if (zipcd_pread(fd, cd->raw, (size_t)cd_size, cd_off) != 0) {
		rc = PC_EIO;
		goto cleanup;
	}
	rc = parse_entries(cd, count, (size_t)cd_size);
	if (rc == 0)
		cd->n = (size_t)count;
cleanup:
	free(t);
	if (rc)
		zipcd_free(cd);
	return rc;
}
