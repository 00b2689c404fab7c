/* The SCORM data types as checkers: CMIDecimal, CMITimespan, ISO 8601 times and durations,
 * identifiers (URIs), localized strings, language tags, and the interaction response formats
 * per type (SCORM 1.2 RTE 3.4.4 / scorm-rte.md 1.6; SCORM 2004 RTE 4.2.9 / scorm-rte.md 2.8).
 * The browser adapter runs these same checkers as WebAssembly (cmi_wasm.h). Values reach here as
 * valid UTF-8 without NUL.
 *
 * Readings chosen where the texts leave room (also listed in the rte report):
 * - Numbers (1.2 CMIDecimal, 2004 real(10,7)) are -?digits(.digits)?: no "+", no ".5", no "5.",
 *   no exponent; any number of digits (the LMS keeps at least 10 significant ones).
 * - 2004 identifiers are checked character by character as URI references (RFC 3986 characters
 *   and %HH escapes; non-ASCII above U+009F accepted as in IRIs), plus the urn:NID:NSS form.
 * - A value starting with "{lang=", "{case_matters=" or "{order_matters=" must be a valid
 *   delimiter allowed at that place (406); other text starting with "{" is plain text.
 * - 2004 time: YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]]: the time zone may only follow fractional
 *   seconds, so "...T10:00:00Z" is 406 and "...T10:00:00.0Z" valid (as scorm-again, Moodle and
 *   the ADL tests read it); the year is 1970..2038 (the instant limit 2038-01-19T03:14:07 is not
 *   checked) and the day must exist in its month.
 * - Empty responses: allowed for choice (no option chosen), fill-in, long-fill-in and other
 *   (one empty string); not for true-false, likert, matching, sequencing, performance, numeric.
 * - 1.2 true-false accepts 0, 1, t, f and the words true, false; 1.2 choice/likert/matching/
 *   sequencing characters are 0-9 and lowercase a-z. */
#include <string.h>

#include "cmi_int.h"
#include "utf8.h"

/* ---- small helpers --------------------------------------------------------------------------- */

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_alnum(char c) { return is_digit(c) || is_alpha(c); }
static int is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int is_char12(char c) { return is_digit(c) || (c >= 'a' && c <= 'z'); }

static int eq(const char *v, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(v, lit, len) == 0;
}

static int starts(const char *v, size_t len, const char *lit)
{
	size_t n = strlen(lit);
	return len >= n && memcmp(v, lit, n) == 0;
}

/* Position of the first `sep` in v[0..len) at or after `from`, or len. */
static size_t find(const char *v, size_t len, size_t from, const char *sep)
{
	size_t n = strlen(sep);
	for (size_t i = from; i + n <= len; i++)
		if (memcmp(v + i, sep, n) == 0)
			return i;
	return len;
}

static size_t occurrences(const char *v, size_t len, const char *sep)
{
	size_t n = 0, k = strlen(sep);
	for (size_t i = find(v, len, 0, sep); i < len; i = find(v, len, i + k, sep))
		n++;
	return n;
}

static int in_vocab(const char *const *vocab, const char *v, size_t len)
{
	for (; vocab && *vocab; vocab++)
		if (eq(v, len, *vocab))
			return 1;
	return 0;
}

static size_t cps(const char *v, size_t len) { return utf8_count(v, len); }

/* ---- numbers --------------------------------------------------------------------------------- */

int cmi_is_decimal(const char *v, size_t len)
{
	size_t i = 0;
	if (i < len && v[i] == '-')
		i++;
	size_t d = i;
	while (i < len && is_digit(v[i]))
		i++;
	if (i == d)
		return 0;
	if (i < len && v[i] == '.') {
		size_t f = ++i;
		while (i < len && is_digit(v[i]))
			i++;
		if (i == f)
			return 0;
	}
	return i == len;
}

static int is_integer(const char *v, size_t len)
{
	size_t i = (len && v[0] == '-') ? 1 : 0;
	if (i == len)
		return 0;
	for (; i < len; i++)
		if (!is_digit(v[i]))
			return 0;
	return 1;
}

struct dec {
	int neg;
	const char *ip; /* integer digits without leading zeros */
	size_t il;
	const char *fp; /* fraction digits without trailing zeros */
	size_t fl;
};

static void dec_split(const char *s, size_t len, struct dec *d)
{
	const char *end = s + len;
	d->neg = (s < end && *s == '-');
	if (d->neg)
		s++;
	while (s < end && *s == '0')
		s++;
	d->ip = s;
	while (s < end && is_digit(*s))
		s++;
	d->il = (size_t)(s - d->ip);
	d->fp = (s < end && *s == '.') ? s + 1 : s;
	d->fl = (size_t)(end - d->fp);
	while (d->fl && d->fp[d->fl - 1] == '0')
		d->fl--;
	if (!d->il && !d->fl)
		d->neg = 0; /* -0 is 0 */
}

static int mag_cmp(const struct dec *a, const struct dec *b)
{
	if (a->il != b->il)
		return a->il < b->il ? -1 : 1;
	int c = memcmp(a->ip, b->ip, a->il);
	if (c)
		return c < 0 ? -1 : 1;
	size_t n = a->fl > b->fl ? a->fl : b->fl;
	for (size_t i = 0; i < n; i++) {
		char x = i < a->fl ? a->fp[i] : '0', y = i < b->fl ? b->fp[i] : '0';
		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

int cmi_decimal_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	struct dec x, y;
	dec_split(a, alen, &x);
	dec_split(b, blen, &y);
	if (x.neg != y.neg)
		return x.neg ? -1 : 1;
	int m = mag_cmp(&x, &y);
	return x.neg ? -m : m;
}

/* Range check of a decimal already known to be well formed. */
static int in_range(const struct cmi_elem *e, const char *v, size_t len)
{
	if (e->lo && cmi_decimal_cmp(v, len, e->lo, strlen(e->lo)) < 0)
		return 0;
	if (e->hi && cmi_decimal_cmp(v, len, e->hi, strlen(e->hi)) > 0)
		return 0;
	return 1;
}

/* ---- times ----------------------------------------------------------------------------------- */

/* n digits at v[*i] as a number within [lo, hi]; advances *i. */
static int digits(const char *v, size_t len, size_t *i, int n, int lo, int hi)
{
	int x = 0;
	for (int k = 0; k < n; k++) {
		if (*i + (size_t)k >= len || !is_digit(v[*i + (size_t)k]))
			return 0;
		x = x * 10 + (v[*i + (size_t)k] - '0');
	}
	if (x < lo || x > hi)
		return 0;
	*i += (size_t)n;
	return 1;
}

/* .d or .dd at v[*i] when present; advances. Returns 0 on a malformed fraction. */
static int fraction(const char *v, size_t len, size_t *i)
{
	if (*i >= len || v[*i] != '.')
		return 1;
	size_t k = *i + 1, f = k;
	while (k < len && is_digit(v[k]) && k - f < 2)
		k++;
	if (k == f)
		return 0;
	*i = k;
	return 1;
}

static int time12(const char *v, size_t len)
{
	size_t i = 0;
	if (!digits(v, len, &i, 2, 0, 23) || i >= len || v[i++] != ':' ||
	    !digits(v, len, &i, 2, 0, 59) || i >= len || v[i++] != ':' ||
	    !digits(v, len, &i, 2, 0, 59) || !fraction(v, len, &i))
		return 0;
	return i == len;
}

static int timespan12(const char *v, size_t len)
{
	size_t i = 0;
	while (i < len && is_digit(v[i]))
		i++;
	if (i < 2 || i > 4 || i >= len || v[i++] != ':' || !digits(v, len, &i, 2, 0, 59) ||
	    i >= len || v[i++] != ':' || !digits(v, len, &i, 2, 0, 59) || !fraction(v, len, &i))
		return 0;
	return i == len;
}

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static int time04(const char *v, size_t len)
{
	size_t i = 0;
	int y = 0, m = 0;
	if (len < 4 || !digits(v, len, &i, 4, 1970, 2038))
		return 0;
	y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
	if (i == len)
		return 1;
	if (v[i++] != '-' || !digits(v, len, &i, 2, 1, 12))
		return 0;
	m = (v[i - 2] - '0') * 10 + (v[i - 1] - '0');
	if (i == len)
		return 1;
	if (v[i++] != '-' || !digits(v, len, &i, 2, 1, days_in(y, m)))
		return 0;
	if (i == len)
		return 1;
	if (v[i++] != 'T' || !digits(v, len, &i, 2, 0, 23))
		return 0;
	if (i == len)
		return 1;
	if (v[i++] != ':' || !digits(v, len, &i, 2, 0, 59))
		return 0;
	if (i == len)
		return 1;
	size_t secs = i + 3; /* where a fraction would start */
	if (v[i++] != ':' || !digits(v, len, &i, 2, 0, 59) || !fraction(v, len, &i))
		return 0;
	if (i == len)
		return 1;
	if (i == secs) /* a time zone only after fractional seconds (RTE 4.1.1.6) */
		return 0;
	if (v[i] == 'Z')
		return i + 1 == len;
	if (v[i] != '+' && v[i] != '-')
		return 0;
	i++;
	if (!digits(v, len, &i, 2, 0, 23))
		return 0;
	if (i == len)
		return 1;
	if (v[i++] != ':' || !digits(v, len, &i, 2, 0, 59))
		return 0;
	return i == len;
}

/* Saturating arithmetic for durations, identical in the adapter (all values stay below 2^53). */
static long long sat_digit(long long v, int d)
{
	return v > (CMI_CS_CAP - d) / 10 ? CMI_CS_CAP : v * 10 + d;
}
static long long sat_mul(long long v, long long f) { return v > CMI_CS_CAP / f ? CMI_CS_CAP : v * f; }
static long long sat_add(long long a, long long b) { return a > CMI_CS_CAP - b ? CMI_CS_CAP : a + b; }

/* An optional "digits[.d[d]]X" component at v[*i]: when present, adds its value times `unit`
 * (hundredths of a second) to *cs and advances. */
static void component(const char *v, size_t len, size_t *i, char letter, int frac, long long unit,
		      long long *cs, int *seen)
{
	size_t k = *i;
	long long n = 0, f = 0;
	while (k < len && is_digit(v[k]))
		n = sat_digit(n, v[k++] - '0');
	if (k == *i)
		return;
	if (frac && k < len && v[k] == '.') {
		size_t s = ++k;
		while (k < len && is_digit(v[k]) && k - s < 2)
			f = f * 10 + (v[k++] - '0');
		if (k == s)
			return;
		if (k - s == 1)
			f *= 10;
	}
	if (k >= len || v[k] != letter)
		return;
	*cs = sat_add(*cs, sat_add(sat_mul(n, unit), f));
	*i = k + 1;
	*seen = 1;
}

long long cmi_duration_cs(const char *v)
{
	size_t len = strlen(v), i = 1;
	long long cs = 0;
	int seen = 0, tseen = 0;
	if (!len || v[0] != 'P')
		return -1;
	component(v, len, &i, 'Y', 0, 365LL * 86400 * 100, &cs, &seen);
	component(v, len, &i, 'M', 0, 30LL * 86400 * 100, &cs, &seen);
	component(v, len, &i, 'D', 0, 86400LL * 100, &cs, &seen);
	if (i < len && v[i] == 'T') {
		i++;
		component(v, len, &i, 'H', 0, 360000, &cs, &tseen);
		component(v, len, &i, 'M', 0, 6000, &cs, &tseen);
		component(v, len, &i, 'S', 1, 100, &cs, &tseen);
		if (!tseen)
			return -1;
	}
	if (i != len || !(seen || tseen))
		return -1;
	return cs;
}

long long cmi_timespan12_cs(const char *v)
{
	size_t len = strlen(v), i = 0;
	long long h = 0;
	if (!timespan12(v, len))
		return -1;
	while (v[i] != ':')
		h = h * 10 + (v[i++] - '0');
	long long m = (v[i + 1] - '0') * 10 + (v[i + 2] - '0');
	long long s = (v[i + 4] - '0') * 10 + (v[i + 5] - '0');
	long long f = 0;
	i += 6;
	if (v[i] == '.') {
		f = (v[i + 1] - '0') * 10;
		if (v[i + 2])
			f += v[i + 2] - '0';
	}
	return h * 360000 + m * 6000 + s * 100 + f;
}

long long cmi_interval_cs(const char *v)
{
	return v[0] == 'P' ? cmi_duration_cs(v) : cmi_timespan12_cs(v);
}

int cmi_timespan12_format(long long cs, buf *out)
{
	const long long cap = 9999LL * 360000 + 59 * 6000 + 59 * 100 + 99;
	if (cs > cap)
		cs = cap;
	return buf_printf(out, "%04lld:%02lld:%02lld.%02lld", cs / 360000, cs / 6000 % 60,
			  cs / 100 % 60, cs % 100);
}

int cmi_duration_format(long long cs, buf *out)
{
	int rc = buf_printf(out, "PT%lldH%lldM%lld", cs / 360000, cs / 6000 % 60, cs / 100 % 60);
	if (!rc && cs % 100)
		rc = buf_printf(out, ".%02lld", cs % 100);
	return rc ? rc : buf_putc(out, 'S');
}

/* ---- identifiers and strings ------------------------------------------------------------------ */

static int uri_ascii(char c)
{
	return is_alnum(c) || (c && strchr("-._~:/?#[]@!$&'()*+,;=", c));
}

/* 2004 long/short identifier: FORMAT, TOO_LONG (limit) or OK. */
static int identifier04(const char *v, size_t len, unsigned spm, unsigned *limit)
{
	if (!len)
		return CMI_CK_FORMAT;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(v + i, len - i, &cp);
		if (!n)
			return CMI_CK_FORMAT;
		if (cp == '%') {
			if (i + 2 >= len || !is_hex(v[i + 1]) || !is_hex(v[i + 2]))
				return CMI_CK_FORMAT;
		} else if (cp < 0x80 ? !uri_ascii((char)cp) : cp < 0xA0) {
			return CMI_CK_FORMAT;
		}
		i += n;
	}
	if (len >= 4 && (v[0] | 0x20) == 'u' && (v[1] | 0x20) == 'r' && (v[2] | 0x20) == 'n' &&
	    v[3] == ':') {
		size_t nid = 4;
		while (nid < len && v[nid] != ':') {
			if (!is_alnum(v[nid]) && v[nid] != '-')
				return CMI_CK_FORMAT;
			nid++;
		}
		if (nid == len || nid == 4 || nid - 4 > 31 || v[4] == '-' || nid + 1 == len)
			return CMI_CK_FORMAT;
	}
	if (cps(v, len) > spm) {
		*limit = spm;
		return CMI_CK_TOO_LONG;
	}
	return CMI_CK_OK;
}

static int identifier12(const char *v, size_t len)
{
	if (!len)
		return CMI_CK_FORMAT;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(v + i, len - i, &cp);
		if (!n || cp <= 0x20 || (cp >= 0x7F && cp < 0xA0))
			return CMI_CK_FORMAT;
		i += n;
	}
	return CMI_CK_OK;
}

static int language(const char *v, size_t len)
{
	size_t i = 0, s = 0;
	while (i < len && is_alpha(v[i]))
		i++;
	if (!(i == 2 || i == 3 || (i == 1 && ((v[0] | 0x20) == 'i' || (v[0] | 0x20) == 'x'))))
		return 0;
	while (i < len) {
		if (v[i++] != '-')
			return 0;
		s = i;
		while (i < len && is_alnum(v[i]))
			i++;
		if (i == s || i - s > 8)
			return 0;
	}
	return 1;
}

/* localized_string_type: optional {lang=tag} then text of at most spm code points. */
static int localized(const char *v, size_t len, unsigned spm, unsigned *limit)
{
	if (starts(v, len, "{lang=")) {
		size_t close = find(v, len, 6, "}");
		if (close == len || !language(v + 6, close - 6) || cps(v + 6, close - 6) > 250)
			return CMI_CK_FORMAT;
		v += close + 1;
		len -= close + 1;
	}
	if (cps(v, len) > spm) {
		*limit = spm;
		return CMI_CK_TOO_LONG;
	}
	return CMI_CK_OK;
}

static int charstring(const char *v, size_t len, unsigned spm, unsigned *limit)
{
	if (spm && cps(v, len) > spm) {
		*limit = spm;
		return CMI_CK_TOO_LONG;
	}
	return CMI_CK_OK;
}

/* ---- 2004 interaction responses ---------------------------------------------------------------- */

enum { MOD_CASE = 1, MOD_ORDER = 2 };

/* Skips leading {case_matters=..}{order_matters=..} delimiters allowed by `allowed`; returns
 * the offset of the rest, or (size_t)-1 for a malformed, repeated or misplaced one. */
static size_t modifiers(const char *v, size_t len, int allowed)
{
	size_t i = 0;
	int seen = 0;
	for (;;) {
		int which;
		size_t name;
		if (starts(v + i, len - i, "{case_matters=")) {
			which = MOD_CASE;
			name = 14;
		} else if (starts(v + i, len - i, "{order_matters=")) {
			which = MOD_ORDER;
			name = 15;
		} else {
			return i;
		}
		if (!(allowed & which) || (seen & which))
			return (size_t)-1;
		size_t close = find(v, len, i + name, "}");
		if (close == len)
			return (size_t)-1;
		const char *val = v + i + name;
		size_t vl = close - i - name;
		if (!eq(val, vl, "true") && !eq(val, vl, "false"))
			return (size_t)-1;
		seen |= which;
		i = close + 1;
	}
}

/* Calls item() on each "[,]"-separated part of v. Stops at the first FORMAT; otherwise
 * remembers the first TOO_LONG. *count gets the number of items. */
typedef int (*item_fn)(const char *v, size_t len, unsigned *limit, const void *ctx);

static int each_item(const char *v, size_t len, item_fn item, const void *ctx, size_t *count,
		     unsigned *limit)
{
	int result = CMI_CK_OK;
	size_t start = 0;
	*count = 0;
	for (;;) {
		size_t end = find(v, len, start, "[,]");
		unsigned l = 0;
		int r = item(v + start, end - start, &l, ctx);
		(*count)++;
		if (r == CMI_CK_FORMAT)
			return r;
		if (r != CMI_CK_OK && result == CMI_CK_OK) {
			result = r;
			*limit = l;
		}
		if (end == len)
			return result;
		start = end + 3;
	}
}

static int item_short_id(const char *v, size_t len, unsigned *limit, const void *ctx)
{
	(void)ctx;
	return identifier04(v, len, 250, limit);
}

static int item_localized250(const char *v, size_t len, unsigned *limit, const void *ctx)
{
	(void)ctx;
	return localized(v, len, 250, limit);
}

static int item_pair(const char *v, size_t len, unsigned *limit, const void *ctx)
{
	(void)ctx;
	if (occurrences(v, len, "[.]") != 1)
		return CMI_CK_FORMAT;
	size_t dot = find(v, len, 0, "[.]");
	unsigned l1 = 0, l2 = 0;
	int a = identifier04(v, dot, 250, &l1), b = identifier04(v + dot + 3, len - dot - 3, 250, &l2);
	if (a == CMI_CK_FORMAT || b == CMI_CK_FORMAT)
		return CMI_CK_FORMAT;
	if (a != CMI_CK_OK || b != CMI_CK_OK) {
		*limit = 250;
		return CMI_CK_TOO_LONG;
	}
	return CMI_CK_OK;
}

static int real_or_empty(const char *v, size_t len) { return len == 0 || cmi_is_decimal(v, len); }

/* min[:]max with either bound empty; both present: min <= max. */
static int numeric_range(const char *v, size_t len)
{
	if (occurrences(v, len, "[:]") != 1)
		return 0;
	size_t c = find(v, len, 0, "[:]");
	const char *hi = v + c + 3;
	size_t hl = len - c - 3;
	if (!real_or_empty(v, c) || !real_or_empty(hi, hl))
		return 0;
	return !(c && hl) || cmi_decimal_cmp(v, c, hi, hl) <= 0;
}

/* A performance record step_name[.]step_answer; ctx non-NULL: a pattern (answers may be
 * numeric ranges). */
static int item_step(const char *v, size_t len, unsigned *limit, const void *ctx)
{
	if (occurrences(v, len, "[.]") != 1)
		return CMI_CK_FORMAT;
	size_t dot = find(v, len, 0, "[.]");
	const char *ans = v + dot + 3;
	size_t al = len - dot - 3;
	unsigned l = 0;
	int r = CMI_CK_OK;
	if (dot == 0 && al == 0)
		return CMI_CK_FORMAT;
	if (dot) {
		r = identifier04(v, dot, 250, &l);
		if (r == CMI_CK_FORMAT)
			return r;
	}
	if (ctx && occurrences(ans, al, "[:]")) {
		if (!numeric_range(ans, al))
			return CMI_CK_FORMAT;
	} else if (cps(ans, al) > 250) {
		r = CMI_CK_TOO_LONG;
	}
	if (r != CMI_CK_OK)
		*limit = 250;
	return r;
}

/* Choice items must be distinct (called with at most 36 items). */
static int distinct_items(const char *v, size_t len)
{
	for (size_t a = 0;;) {
		size_t ae = find(v, len, a, "[,]");
		if (ae == len)
			return 1;
		for (size_t b = ae + 3;;) {
			size_t be = find(v, len, b, "[,]");
			if (be - b == ae - a && memcmp(v + a, v + b, ae - a) == 0)
				return 0;
			if (be == len)
				break;
			b = be + 3;
		}
		a = ae + 3;
	}
}

static int list_check(const char *v, size_t len, item_fn item, const void *ctx, size_t max,
		      unsigned *limit)
{
	size_t n;
	int r = each_item(v, len, item, ctx, &n, limit);
	if (r != CMI_CK_OK)
		return r;
	if (n > max) {
		*limit = (unsigned)max;
		return CMI_CK_TOO_MANY;
	}
	return CMI_CK_OK;
}

static int response04(const char *itype, int pattern, const char *v, size_t len, unsigned *limit)
{
	if (!strcmp(itype, "true-false"))
		return (eq(v, len, "true") || eq(v, len, "false")) ? CMI_CK_OK : CMI_CK_FORMAT;
	if (!strcmp(itype, "choice")) {
		if (!len)
			return CMI_CK_OK;
		/* item formats, then the count (before the quadratic distinctness test), then
		 * distinctness, then item lengths */
		size_t n;
		unsigned l = 0;
		int r = each_item(v, len, item_short_id, NULL, &n, &l);
		if (r == CMI_CK_FORMAT)
			return r;
		if (n > 36) {
			*limit = 36;
			return CMI_CK_TOO_MANY;
		}
		if (!distinct_items(v, len))
			return CMI_CK_FORMAT;
		*limit = l;
		return r;
	}
	if (!strcmp(itype, "fill-in")) {
		size_t at = modifiers(v, len, pattern ? MOD_CASE | MOD_ORDER : 0);
		if (at == (size_t)-1)
			return CMI_CK_FORMAT;
		return list_check(v + at, len - at, item_localized250, NULL, 10, limit);
	}
	if (!strcmp(itype, "long-fill-in")) {
		size_t at = modifiers(v, len, pattern ? MOD_CASE : 0);
		if (at == (size_t)-1)
			return CMI_CK_FORMAT;
		return localized(v + at, len - at, 4000, limit);
	}
	if (!strcmp(itype, "likert"))
		return identifier04(v, len, 250, limit);
	if (!strcmp(itype, "matching"))
		return len ? list_check(v, len, item_pair, NULL, 36, limit) : CMI_CK_FORMAT;
	if (!strcmp(itype, "performance")) {
		size_t at = modifiers(v, len, pattern ? MOD_ORDER : 0);
		if (at == (size_t)-1 || at == len)
			return CMI_CK_FORMAT;
		return list_check(v + at, len - at, item_step, pattern ? "p" : NULL,
				  pattern ? 125 : 250, limit);
	}
	if (!strcmp(itype, "sequencing"))
		return len ? list_check(v, len, item_short_id, NULL, 36, limit) : CMI_CK_FORMAT;
	if (!strcmp(itype, "numeric")) {
		if (pattern && occurrences(v, len, "[:]"))
			return numeric_range(v, len) ? CMI_CK_OK : CMI_CK_FORMAT;
		return cmi_is_decimal(v, len) ? CMI_CK_OK : CMI_CK_FORMAT;
	}
	/* "other" */
	return charstring(v, len, 4000, limit);
}

int cmi_choice_same(const char *a, const char *b)
{
	/* equal as sets: same number of (distinct) items, each item of a found in b */
	size_t la = strlen(a), lb = strlen(b);
	size_t na = la ? occurrences(a, la, "[,]") + 1 : 0, nb = lb ? occurrences(b, lb, "[,]") + 1 : 0;
	if (na != nb)
		return 0;
	for (size_t s = 0; s < la;) {
		size_t e = find(a, la, s, "[,]");
		int found = 0;
		for (size_t t = 0; t < lb && !found;) {
			size_t f = find(b, lb, t, "[,]");
			found = (f - t == e - s && memcmp(a + s, b + t, e - s) == 0);
			t = f + 3;
		}
		if (!found)
			return 0;
		s = e + 3;
	}
	return 1;
}

/* ---- 1.2 interaction responses ----------------------------------------------------------------- */

/* Items separated by "," inside optional braces, each checked by ok(). */
static int list12(const char *v, size_t len, int braces, int (*ok)(const char *, size_t))
{
	if (braces && len && v[0] == '{') {
		if (len < 2 || v[len - 1] != '}')
			return 0;
		v++;
		len -= 2;
	}
	size_t start = 0;
	for (;;) {
		size_t end = find(v, len, start, ",");
		if (!ok(v + start, end - start))
			return 0;
		if (end == len)
			return 1;
		start = end + 1;
	}
}

static int one_char12(const char *v, size_t len) { return len == 1 && is_char12(v[0]); }
static int pair12(const char *v, size_t len)
{
	return len == 3 && is_char12(v[0]) && v[1] == '.' && is_char12(v[2]);
}

static int feedback12(const char *itype, const char *v, size_t len)
{
	if (!itype)
		return 1;
	if (!strcmp(itype, "true-false"))
		return eq(v, len, "0") || eq(v, len, "1") || eq(v, len, "t") || eq(v, len, "f") ||
		       eq(v, len, "true") || eq(v, len, "false");
	if (!strcmp(itype, "choice"))
		return list12(v, len, 1, one_char12);
	if (!strcmp(itype, "numeric"))
		return cmi_is_decimal(v, len);
	if (!strcmp(itype, "likert"))
		return len == 0 || one_char12(v, len);
	if (!strcmp(itype, "matching"))
		return list12(v, len, 1, pair12);
	if (!strcmp(itype, "sequencing"))
		return list12(v, len, 0, one_char12);
	return 1; /* fill-in, performance: free text */
}

/* ---- navigation requests ------------------------------------------------------------------------ */

static int navreq(unsigned model, const char *v, size_t len)
{
	static const char *const plain[] = {"continue", "previous", "exit", "exitAll", "abandon",
					    "abandonAll", "suspendAll", "_none_", NULL};
	if (in_vocab(plain, v, len))
		return 1;
	if (!starts(v, len, "{target="))
		return 0;
	size_t close = find(v, len, 8, "}");
	unsigned l;
	if (close == len || identifier04(v + 8, close - 8, 250, &l) != CMI_CK_OK)
		return 0;
	const char *rest = v + close + 1;
	size_t rl = len - close - 1;
	return eq(rest, rl, "choice") || (model == CMI_M2004_4 && eq(rest, rl, "jump"));
}

/* ---- entry point -------------------------------------------------------------------------------- */

int cmi_check_value(const struct cmi_elem *e, unsigned model, const char *itype, const char *v,
		    size_t len, unsigned *limit)
{
	unsigned spm = e->spm;
	switch (e->type) {
	case CMI_T12_STRING:
	case CMI_T_CHARSTRING:
		return charstring(v, len, spm, limit);
	case CMI_T12_IDENTIFIER: {
		int r = identifier12(v, len);
		return r ? r : charstring(v, len, spm, limit);
	}
	case CMI_T12_DECIMAL:
	case CMI_T_REAL:
		if (!len && (e->flags & CMI_F_BLANK))
			return CMI_CK_OK;
		if (!cmi_is_decimal(v, len))
			return CMI_CK_FORMAT;
		return in_range(e, v, len) ? CMI_CK_OK : CMI_CK_RANGE;
	case CMI_T12_SINTEGER:
		if (!is_integer(v, len))
			return CMI_CK_FORMAT;
		return in_range(e, v, len) ? CMI_CK_OK : CMI_CK_RANGE;
	case CMI_T12_VOCAB:
	case CMI_T_STATE:
		return in_vocab(e->vocab, v, len) ? CMI_CK_OK : CMI_CK_FORMAT;
	case CMI_T12_TIME:
		return time12(v, len) ? CMI_CK_OK : CMI_CK_FORMAT;
	case CMI_T12_TIMESPAN:
		return timespan12(v, len) ? CMI_CK_OK : CMI_CK_FORMAT;
	case CMI_T12_FEEDBACK:
		if (!feedback12(itype, v, len))
			return CMI_CK_FORMAT;
		return charstring(v, len, spm, limit);
	case CMI_T12_RESULT:
	case CMI_T_RESULT:
		return (in_vocab(e->vocab, v, len) || cmi_is_decimal(v, len)) ? CMI_CK_OK : CMI_CK_FORMAT;
	case CMI_T_LOCALIZED:
		return localized(v, len, spm, limit);
	case CMI_T_LONG_ID:
	case CMI_T_SHORT_ID:
		return identifier04(v, len, spm, limit);
	case CMI_T_TIME:
		return time04(v, len) ? CMI_CK_OK : CMI_CK_FORMAT;
	case CMI_T_DURATION:
		/* the value is NUL-terminated (the model checks for embedded NULs first) */
		return cmi_duration_cs(v) >= 0 ? CMI_CK_OK : CMI_CK_FORMAT;
	case CMI_T_LANGUAGE:
		if (!len)
			return (e->flags & CMI_F_BLANK) ? CMI_CK_OK : CMI_CK_FORMAT;
		if (!language(v, len))
			return CMI_CK_FORMAT;
		return charstring(v, len, spm, limit);
	case CMI_T_PATTERN:
	case CMI_T_RESPONSE:
		if (!itype)
			return CMI_CK_FORMAT;
		return response04(itype, e->type == CMI_T_PATTERN, v, len, limit);
	case CMI_T_NAVREQ:
		return navreq(model, v, len) ? CMI_CK_OK : CMI_CK_FORMAT;
	default:
		return CMI_CK_FORMAT;
	}
}
