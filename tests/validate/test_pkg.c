/* The package reader: zips (honest and hostile), folders, memory packages, name rules. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "pkg_int.h"
#include "readercmp.h"
#include "test_validate.h"
#include "zipcraft.h"

static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/pc_pkg_XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *tmp(const char *name)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

/* Count of findings with this check id (and level, unless level < 0). */
static size_t count_check(const diag_sink *sink, const char *check, int level)
{
	size_t n = 0;
	for (size_t i = 0; i < diag_count(sink); i++) {
		const diag *d = diag_get(sink, i);
		n += strcmp(d->check, check) == 0 && (level < 0 || (int)d->level == level);
	}
	return n;
}

static int open_zip(const char *path, const pkg_limits *lim, pkg **p, diag_sink **sink)
{
	assert_int_equal(diag_sink_new(sink), 0);
	return pkg_open(p, path, lim, *sink);
}

static void reads_an_honest_zip(void **state)
{
	struct zc_entry e[] = {{"imsmanifest.xml", "<m/>", 4, 0, 0, 0},
			       {"a/b.html", "hello", 5, 1, 0, 0},
			       {"a/", "", 0, 1, 0, 0}};
	assert_int_equal(zc_write(tmp("ok.zip"), e, 3), 0);
	pkg *p;
	diag_sink *sink;
	assert_int_equal(open_zip(tmp("ok.zip"), NULL, &p, &sink), 0);
	assert_int_equal(pkg_get_kind(p), PKG_ZIP);
	assert_int_equal(pkg_count(p), 2); /* the folder entry is not a file */
	assert_true(pkg_has(p, "a/b.html"));
	assert_false(pkg_has(p, "a/c.html"));
	char *data;
	size_t len;
	assert_int_equal(pkg_read(p, "a/b.html", &data, &len), 0);
	assert_int_equal(len, 5);
	assert_string_equal(data, "hello");
	free(data);
	assert_int_equal(pkg_read(p, "nope", &data, &len), PC_ENOTFOUND);
	assert_int_equal(pkg_verify(p, sink), 0);
	assert_int_equal(diag_count(sink), 0);
	pkg_free(p);
	diag_sink_free(sink);
}

static void refuses_unsafe_names(void **state)
{
	const char *bad[] = {"../evil.html", "a/../../evil.html", "/etc/evil", "C:/evil.html",
			     "c:evil.html", "a\\..\\evil.html", "a/\x01.html"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct zc_entry e[] = {{"imsmanifest.xml", "<m/>", 4, 0, 0, 0},
				       {bad[i], "x", 1, 0, 0, 0}};
		assert_int_equal(zc_write(tmp("slip.zip"), e, 2), 0);
		pkg *p;
		diag_sink *sink;
		assert_int_equal(open_zip(tmp("slip.zip"), NULL, &p, &sink), 0);
		assert_int_equal(count_check(sink, "unsafe-path", DIAG_ERROR), 1);
		assert_int_equal(pkg_count(p), 1); /* left out: never read, never served */
		pkg_free(p);
		diag_sink_free(sink);
	}
}

static void name_rules(void **state)
{
	char *clean;
	const char *why;
	int bad;
	assert_int_equal(pkg_clean_name("./a//b/./c.html", 15, &clean, &why, &bad), 0);
	assert_string_equal(clean, "a/b/c.html");
	free(clean);
	assert_int_equal(pkg_clean_name("caf\xc3\xa9.html", 10, &clean, &why, &bad), 0);
	assert_int_equal(bad, 0);
	free(clean);
	assert_int_equal(pkg_clean_name("caf\xe9.html", 9, &clean, &why, &bad), 0);
	assert_int_equal(bad, 1);
	assert_string_equal(clean, "caf\\xE9.html");
	free(clean);
	assert_int_equal(pkg_clean_name("..", 2, &clean, &why, &bad), PC_EFORMAT);
	assert_int_equal(pkg_clean_name("", 0, &clean, &why, &bad), PC_EFORMAT);
	assert_int_equal(pkg_clean_name("./", 2, &clean, &why, &bad), PC_EFORMAT);
}

static void refuses_symlinks_and_encryption(void **state)
{
	struct zc_entry e[] = {{"imsmanifest.xml", "<m/>", 4, 0, 0, 0},
			       {"link.html", "/etc/passwd", 11, 1, 1, 0},
			       {"secret.html", "secret", 6, 0, 0, zc_can_encrypt()}};
	assert_int_equal(zc_write(tmp("sym.zip"), e, 3), 0);
	pkg *p;
	diag_sink *sink;
	assert_int_equal(open_zip(tmp("sym.zip"), NULL, &p, &sink), 0);
	assert_int_equal(count_check(sink, "symlink", DIAG_ERROR), 1);
	assert_false(pkg_has(p, "link.html"));
	if (zc_can_encrypt()) {
		assert_int_equal(count_check(sink, "encrypted", DIAG_ERROR), 1);
		char *data;
		size_t len;
		assert_int_equal(pkg_read(p, "secret.html", &data, &len), PC_EFORMAT);
	} else {
		print_message("libzip cannot write AES entries here: encryption case not built\n");
	}
	pkg_free(p);
	diag_sink_free(sink);
}

static void duplicates_case_and_encoding(void **state)
{
	struct zc_entry e[] = {{"imsmanifest.xml", "<m/>", 4, 0, 0, 0},
			       {"page1.html", "first", 5, 1, 0, 0},
			       {"page2.html", "second", 6, 1, 0, 0},
			       {"Index.html", "x", 1, 0, 0, 0},
			       {"index.html", "x", 1, 0, 0, 0},
			       {"caf\xe9.html", "x", 1, 0, 0, 0}};
	assert_int_equal(zc_write(tmp("dup.zip"), e, 6), 0);
	/* libzip will not write two entries of one name: rename the second in place */
	assert_int_equal(zc_patch(tmp("dup.zip"), "page2.html", "page1.html", 10), 2);
	pkg *p;
	diag_sink *sink;
	assert_int_equal(open_zip(tmp("dup.zip"), NULL, &p, &sink), 0);
	assert_int_equal(count_check(sink, "duplicate-entry", DIAG_ERROR), 1);
	assert_int_equal(count_check(sink, "case-clash", DIAG_WARNING), 1);
	assert_int_equal(count_check(sink, "name-encoding", DIAG_WARNING), 1);
	assert_true(pkg_has(p, "caf\\xE9.html"));
	char *data;
	size_t len;
	assert_int_equal(pkg_read(p, "page1.html", &data, &len), 0);
	assert_string_equal(data, "first"); /* the first copy, always */
	free(data);
	pkg_free(p);
	diag_sink_free(sink);
}

static void not_a_zip_and_truncated(void **state)
{
	assert_int_equal(zc_write_file(tmp("text.zip"), "hello, not a zip", 16), 0);
	pkg *p;
	diag_sink *sink;
	assert_int_equal(open_zip(tmp("text.zip"), NULL, &p, &sink), PC_EFORMAT);
	assert_null(p);
	assert_int_equal(count_check(sink, "zip", DIAG_ERROR), 1);
	diag_sink_free(sink);

	char big[4096];
	memset(big, 'a', sizeof big);
	struct zc_entry e[] = {{"imsmanifest.xml", big, sizeof big, 1, 0, 0}};
	assert_int_equal(zc_write(tmp("trunc.zip"), e, 1), 0);
	assert_int_equal(truncate(tmp("trunc.zip"), 2000), 0);
	assert_int_equal(open_zip(tmp("trunc.zip"), NULL, &p, &sink), PC_EFORMAT);
	assert_int_equal(count_check(sink, "zip", DIAG_ERROR), 1);
	diag_sink_free(sink);
}

static void corrupt_and_lying_entries(void **state)
{
	char data[3000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (char)('a' + i % 26);
	struct zc_entry e[] = {{"imsmanifest.xml", "<m/>", 4, 0, 0, 0},
			       {"stored.html", "MARKERMARKER", 12, 1, 0, 0},
			       {"big.txt", data, sizeof data, 0, 0, 0}};
	assert_int_equal(zc_write(tmp("crc.zip"), e, 3), 0);
	assert_int_equal(zc_patch(tmp("crc.zip"), "MARKERMARKER", "MARKERMARKEX", 12), 1);
	assert_int_equal(zc_set_size(tmp("crc.zip"), "big.txt", 100), 2);
	pkg *p;
	diag_sink *sink;
	assert_int_equal(open_zip(tmp("crc.zip"), NULL, &p, &sink), 0);
	assert_int_equal(pkg_verify(p, sink), 0);
	assert_int_equal(count_check(sink, "corrupt-entry", DIAG_ERROR), 2);
	char *d;
	size_t len;
	assert_int_equal(pkg_read(p, "big.txt", &d, &len), PC_EFORMAT);
	pkg_free(p);
	diag_sink_free(sink);
}

static void limits(void **state)
{
	size_t n = 1 << 22; /* 4 MiB of zeros: deflates about 1000:1 */
	char *zeros = calloc(1, n);
	struct zc_entry e[] = {{"imsmanifest.xml", "<m/>", 4, 0, 0, 0},
			       {"bomb.bin", zeros, n, 0, 0, 0},
			       {"a.txt", zeros, 1000, 1, 0, 0},
			       {"b.txt", zeros, 1000, 1, 0, 0}};
	assert_int_equal(zc_write(tmp("bomb.zip"), e, 4), 0);
	free(zeros);
	pkg *p;
	diag_sink *sink;
	pkg_limits lim;
	pkg_limits_default(&lim);
	/* ratio: refused by what the header declares */
	assert_int_equal(open_zip(tmp("bomb.zip"), &lim, &p, &sink), 0);
	assert_int_equal(count_check(sink, "limit", DIAG_ERROR), 1);
	char *d;
	size_t len;
	assert_int_equal(pkg_read(p, "bomb.bin", &d, &len), PC_ELIMIT);
	pkg_free(p);
	diag_sink_free(sink);
	/* ratio: the declared size lies low, the inflater stops at the declared size */
	assert_int_equal(zc_set_size(tmp("bomb.zip"), "bomb.bin", 1000), 2);
	assert_int_equal(open_zip(tmp("bomb.zip"), &lim, &p, &sink), 0);
	assert_int_equal(pkg_read(p, "bomb.bin", &d, &len), PC_EFORMAT);
	pkg_free(p);
	diag_sink_free(sink);
	/* per-entry and total */
	lim.max_entry = 999;
	assert_int_equal(open_zip(tmp("bomb.zip"), &lim, &p, &sink), 0);
	assert_int_equal(count_check(sink, "limit", DIAG_ERROR), 3);
	pkg_free(p);
	diag_sink_free(sink);
	pkg_limits_default(&lim);
	lim.max_total = 2500;
	assert_int_equal(open_zip(tmp("bomb.zip"), &lim, &p, &sink), PC_ELIMIT);
	diag_sink_free(sink);
	/* entry count: checked from the end record before libzip reads the directory */
	pkg_limits_default(&lim);
	lim.max_entries = 3;
	assert_int_equal(open_zip(tmp("bomb.zip"), &lim, &p, &sink), PC_ELIMIT);
	assert_int_equal(count_check(sink, "limit", DIAG_ERROR), 1);
	diag_sink_free(sink);
}

static void folders(void **state)
{
	char path[300];
	snprintf(path, sizeof path, "%s/pkgdir", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/pkgdir/sub", dir);
	mkdir(path, 0755);
	assert_int_equal(zc_write_file(tmp("pkgdir/imsmanifest.xml"), "<m/>", 4), 0);
	assert_int_equal(zc_write_file(tmp("pkgdir/sub/b.html"), "bee", 3), 0);
	assert_int_equal(zc_write_file(tmp("pkgdir/a.html"), "a", 1), 0);
	assert_int_equal(symlink("/etc/passwd", tmp("pkgdir/sub/link.html")), 0);
	pkg *p;
	diag_sink *sink;
	assert_int_equal(open_zip(tmp("pkgdir"), NULL, &p, &sink), 0);
	assert_int_equal(pkg_get_kind(p), PKG_DIR);
	assert_int_equal(pkg_count(p), 3);
	assert_string_equal(pkg_name(p, 0), "a.html"); /* sorted */
	assert_string_equal(pkg_name(p, 2), "sub/b.html");
	assert_int_equal(count_check(sink, "symlink", DIAG_ERROR), 1);
	char *d;
	size_t len;
	assert_int_equal(pkg_read(p, "sub/b.html", &d, &len), 0);
	assert_string_equal(d, "bee");
	free(d);
	assert_non_null(strstr(pkg_manifest_display(p), "pkgdir/imsmanifest.xml"));
	pkg_free(p);
	diag_sink_free(sink);
}

static void memory_packages(void **state)
{
	pkg *p;
	assert_int_equal(pkg_new_memory(&p), 0);
	assert_int_equal(pkg_add(p, "index.html", "hi", 2), 0);
	assert_int_equal(pkg_add(p, "../x", "", 0), PC_EINVAL);
	assert_int_equal(pkg_add(p, "/x", "", 0), PC_EINVAL);
	assert_int_equal(pkg_add(p, "a\\b", "", 0), PC_EINVAL);
	assert_int_equal(pkg_add(p, "./x", "", 0), PC_EINVAL); /* names must already be clean */
	assert_int_equal(pkg_count(p), 1);
	char *d;
	size_t len;
	assert_int_equal(pkg_read(p, "index.html", &d, &len), 0);
	assert_string_equal(d, "hi");
	free(d);
	pkg_free(p);
}

/* The shortcut reader (zipcd.c, read_plain, zipverify.c) against libzip alone, on every kind of
 * archive the hostile-input tests use and on the ones only libzip may read (zip64, bzip2, a
 * second end record in the comment): same listing, bytes and findings, and the shortcut is
 * taken exactly where it should be. */
static const char cmp_manifest[] =
	"<?xml version=\"1.0\"?>\n<manifest identifier=\"m\" "
	"xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\"><metadata><schema>ADL SCORM</schema>"
	"<schemaversion>1.2</schemaversion></metadata><organizations/><resources/></manifest>\n";

static void agrees(const char *path, const pkg_limits *lim, int want_fast)
{
	struct readercmp_result r;
	int rc = readercmp(path, lim, &r);
	if (rc != 0)
		fail_msg("%s: the readers differ (%d):\n%s", path, rc, r.why);
	if (want_fast >= 0 && r.fast_listing != want_fast)
		fail_msg("%s: shortcut listing %d, expected %d", path, r.fast_listing, want_fast);
}

static void with_entry(const char *path, const char *name, const void *data, size_t len, int store)
{
	struct zc_entry e[] = {{"imsmanifest.xml", cmp_manifest, sizeof cmp_manifest - 1, 0, 0, 0},
			       {name, data, len, store, 0, 0}};
	assert_int_equal(zc_write(path, e, 2), 0);
}

static void shortcut_agrees_with_libzip(void **state)
{
	pkg_limits lim;
	pkg_limits_default(&lim);
	/* honest, stored and deflated */
	with_entry(tmp("c_ok.zip"), "a/page.html", "<p>hello</p>", 12, 0);
	agrees(tmp("c_ok.zip"), NULL, 1);
	with_entry(tmp("c_store.zip"), "a/page.html", "<p>hello</p>", 12, 1);
	agrees(tmp("c_store.zip"), NULL, 1);
	/* zip slip, in every spelling */
	const char *slips[] = {"../../evil.html", "/tmp/evil.html", "C:/Windows/evil.html",
			       "..\\..\\evil.html", "a/./b/../../../c.html", "ok\x01.html"};
	for (size_t i = 0; i < PC_ARRAY_LEN(slips); i++) {
		with_entry(tmp("c_slip.zip"), slips[i], "x", 1, 0);
		agrees(tmp("c_slip.zip"), NULL, 1);
	}
	/* symlink; encryption (libzip lists it) */
	struct zc_entry l[] = {{"imsmanifest.xml", cmp_manifest, sizeof cmp_manifest - 1, 0, 0, 0},
			       {"passwd.html", "/etc/passwd", 11, 1, 1, 0}};
	assert_int_equal(zc_write(tmp("c_link.zip"), l, 2), 0);
	agrees(tmp("c_link.zip"), NULL, 1);
	if (zc_can_encrypt()) {
		struct zc_entry s[] = {
			{"imsmanifest.xml", cmp_manifest, sizeof cmp_manifest - 1, 0, 0, 0},
			{"secret.html", "secret", 6, 0, 0, 1}};
		assert_int_equal(zc_write(tmp("c_enc.zip"), s, 2), 0);
		agrees(tmp("c_enc.zip"), NULL, 0);
	}
	/* bombs: by ratio, by a declared size that lies, per-file and total limits */
	size_t n = (size_t)4 << 20;
	char *zeros = calloc(1, n);
	assert_non_null(zeros);
	with_entry(tmp("c_bomb.zip"), "bomb.bin", zeros, n, 0);
	agrees(tmp("c_bomb.zip"), &lim, 1);
	assert_int_equal(zc_set_size(tmp("c_bomb.zip"), "bomb.bin", 1024), 2);
	agrees(tmp("c_bomb.zip"), &lim, 1);
	lim.max_ratio = 100000;
	agrees(tmp("c_bomb.zip"), &lim, 1);
	lim.max_entry = 1 << 20;
	with_entry(tmp("c_big.zip"), "big.bin", zeros, 2 << 20, 0);
	agrees(tmp("c_big.zip"), &lim, 1);
	pkg_limits_default(&lim);
	struct zc_entry t[] = {{"imsmanifest.xml", cmp_manifest, sizeof cmp_manifest - 1, 0, 0, 0},
			       {"a.bin", zeros, 600000, 0, 0, 0},
			       {"b.bin", zeros, 600000, 0, 0, 0},
			       {"c.bin", zeros, 600000, 0, 0, 0}};
	assert_int_equal(zc_write(tmp("c_total.zip"), t, 4), 0);
	lim.max_total = 1 << 20;
	agrees(tmp("c_total.zip"), &lim, -1);
	pkg_limits_default(&lim);
	/* a manifest over the limit, then one whose declared size lies small */
	memcpy(zeros, "<?xml version=\"1.0\"?>\n<manifest><!--", 36);
	memset(zeros + 36, ' ', n - 36);
	memcpy(zeros + n - 16, "-->\n</manifest>\n", 16);
	struct zc_entry h[] = {{"imsmanifest.xml", zeros, n, 0, 0, 0}};
	assert_int_equal(zc_write(tmp("c_huge.zip"), h, 1), 0);
	lim.max_manifest = 1 << 20;
	lim.max_ratio = 100000;
	agrees(tmp("c_huge.zip"), &lim, 1);
	assert_int_equal(zc_set_size(tmp("c_huge.zip"), "imsmanifest.xml", 4096), 2);
	agrees(tmp("c_huge.zip"), &lim, 1);
	pkg_limits_default(&lim);
	free(zeros);
	/* entry counts: over the limit, and an end record that lies */
	struct zc_entry m[12];
	char names[12][16];
	m[0] = (struct zc_entry){"imsmanifest.xml", cmp_manifest, sizeof cmp_manifest - 1, 0, 0, 0};
	for (int i = 1; i < 12; i++) {
		snprintf(names[i], sizeof names[i], "f%02d.txt", i);
		m[i] = (struct zc_entry){names[i], "x", 1, 0, 0, 0};
	}
	assert_int_equal(zc_write(tmp("c_many.zip"), m, 12), 0);
	lim.max_entries = 5;
	agrees(tmp("c_many.zip"), &lim, -1);
	pkg_limits_default(&lim);
	assert_int_equal(zc_set_count(tmp("c_many.zip"), 11), 0);
	agrees(tmp("c_many.zip"), &lim, 0);
	assert_int_equal(zc_set_count(tmp("c_many.zip"), 65535), 0);
	agrees(tmp("c_many.zip"), &lim, -1);
	/* truncated, CRC mismatch, duplicates, case, non-UTF-8 */
	char *data = malloc(100000);
	assert_non_null(data);
	for (int i = 0; i < 100000; i++)
		data[i] = (char)(i * 7919 % 251);
	with_entry(tmp("c_trunc.zip"), "data.bin", data, 100000, 1);
	free(data);
	assert_int_equal(truncate(tmp("c_trunc.zip"), 50000), 0);
	agrees(tmp("c_trunc.zip"), NULL, -1);
	with_entry(tmp("c_crc.zip"), "page.html", "MARKER-MARKER", 13, 1);
	zc_patch(tmp("c_crc.zip"), "MARKER-MARKER", "MARKER-MARKEX", 13);
	agrees(tmp("c_crc.zip"), NULL, 1);
	struct zc_entry d[] = {{"imsmanifest.xml", cmp_manifest, sizeof cmp_manifest - 1, 0, 0, 0},
			       {"one.html", "1", 1, 1, 0, 0},
			       {"two.html", "2", 1, 1, 0, 0},
			       {"Two.html", "3", 1, 1, 0, 0},
			       {"caf\xe9.html", "4", 1, 1, 0, 0}};
	assert_int_equal(zc_write(tmp("c_dup.zip"), d, 5), 0);
	zc_patch(tmp("c_dup.zip"), "one.html", "two.html", 8);
	agrees(tmp("c_dup.zip"), NULL, 1);
	/* flagged UTF-8 with a control character in the name: libzip refuses the archive, so the
	 * shortcut must not list it (fuzz_zip's second finding of issue 17: shortcut open 0,
	 * libzip "inconsistent") */
	with_entry(tmp("c_utf8.zip"), "a\x0e.html", "x", 1, 1);
	assert_int_equal(zc_set_flags(tmp("c_utf8.zip"), "a\x0e.html", 0x800), 2);
	agrees(tmp("c_utf8.zip"), NULL, 0);
	with_entry(tmp("c_utf8.zip"), "a\tb.html", "x", 1, 1); /* a tab is ASCII to libzip */
	assert_int_equal(zc_set_flags(tmp("c_utf8.zip"), "a\tb.html", 0x800), 2);
	agrees(tmp("c_utf8.zip"), NULL, 1);
	/* only libzip may read these: bzip2, a second end record inside the comment, zip64 */
	zip_t *za = zip_open(tmp("c_bz.zip"), ZIP_CREATE | ZIP_TRUNCATE, NULL);
	assert_non_null(za);
	zip_source_t *src = zip_source_buffer(za, cmp_manifest, sizeof cmp_manifest - 1, 0);
	zip_int64_t idx = zip_file_add(za, "imsmanifest.xml", src, 0);
	assert_true(idx >= 0);
	if (zip_compression_method_supported(ZIP_CM_BZIP2, 1))
		zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_BZIP2, 0);
	assert_int_equal(zip_set_archive_comment(za, "PKxx not the end", 16), 0);
	assert_int_equal(zip_close(za), 0);
	assert_int_equal(zc_patch(tmp("c_bz.zip"), "PKxx", "PK\x05\x06", 4), 1);
	agrees(tmp("c_bz.zip"), NULL, 0);
	char cmd[600];
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && mkdir -p z64 && cp c_ok.zip z64/ && cd z64 && unzip -qo c_ok.zip && "
		 "rm c_ok.zip && zip -qr -fz ../c_z64.zip . && printf data | zip -q -fz- ../c_dd.zip -",
		 dir);
	if (system(cmd) == 0) {
		agrees(tmp("c_z64.zip"), NULL, 0);
		agrees(tmp("c_dd.zip"), NULL, 1); /* a data descriptor: still the shortcut */
	} else {
		fail_msg("could not run zip/unzip to make the zip64 case");
	}
}

/* Entries with no compressed data, which libzip reads as empty without checking anything.
 * The first is the fuzz_zip finding of issue 17: an entry whose directory record says 0 bytes
 * with CRC 0x00200000 (the CRC of no bytes is 0), in an archive with junk before its end
 * record, a local header that disagrees and a name with NULs, so libzip lists it. */
static const char zero_crc_repro[] =
	"\x50\x4b\x03\x04\x14\x00\x00\x00\x00\x00\xf1\x65\x7b\x5d\x10\x00"
	"\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00\x0f\x00\x00\x00\x69\x6d"
	"\x73\x6d\x61\x6e\x69\x66\x65\x73\x74\x2e\x78\x6d\x6c\x50\x4b\x01"
	"\x02\x3f\x03\x14\x00\x00\x00\x00\x00\xf1\x65\x7b\x5d\x00\x00\x20"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x0f\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\xb6\x81\x00\x00\x00\x00\x6d\x6d\x73\x6d\x61"
	"\x6e\xb0\xb0\xb0\xb0\xb0\xb0\xb0\x00\x00\x00\x63\x61\x66\xe9\x2e"
	"\x50\x4b\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00\x3d\x00\x00\x00"
	"\x2d\x00\x00\x00\x00\x00";

/* Opens `path` with one reader, checks every entry's data and returns the corrupt-entry count;
 * every entry that reports one must also fail to read. */
static size_t corrupt_entries(const char *path, int libzip_only)
{
	pkg *p = NULL;
	diag_sink *sink;
	assert_int_equal(diag_sink_new(&sink), 0);
	assert_int_equal(pkg_open_reader(&p, path, NULL, libzip_only, sink), 0);
	assert_int_equal(pkg_verify(p, sink), 0);
	size_t n = count_check(sink, "corrupt-entry", DIAG_ERROR);
	for (size_t i = 0; i < pkg_count(p); i++) {
		char *d = NULL;
		size_t len;
		int rc = pkg_read(p, pkg_name(p, i), &d, &len);
		free(d);
		assert_int_equal(rc, n ? PC_EFORMAT : 0);
	}
	pkg_free(p);
	diag_sink_free(sink);
	return n;
}

static void entries_without_data(void **state)
{
	assert_int_equal(zc_write_file(tmp("z_repro.zip"), zero_crc_repro, sizeof zero_crc_repro - 1), 0);
	struct zc_entry e[] = {{"empty.html", "", 0, 1, 0, 0}};
	/* honest: an empty stored entry */
	assert_int_equal(zc_write(tmp("z_ok.zip"), e, 1), 0);
	/* the CRC of no bytes, stored, is not 0 */
	assert_int_equal(zc_write(tmp("z_crc.zip"), e, 1), 0);
	assert_int_equal(zc_set_crc(tmp("z_crc.zip"), "empty.html", 0x1234), 2);
	/* deflated, with no deflate data at all (not even an empty final block) */
	assert_int_equal(zc_write(tmp("z_deflate.zip"), e, 1), 0);
	assert_int_equal(zc_set_method(tmp("z_deflate.zip"), "empty.html", 8), 2);
	const struct {
		const char *zip;
		size_t corrupt;
	} cases[] = {{"z_repro.zip", 1}, {"z_ok.zip", 0}, {"z_crc.zip", 1}, {"z_deflate.zip", 1}};
	for (size_t i = 0; i < PC_ARRAY_LEN(cases); i++) {
		agrees(tmp(cases[i].zip), NULL, -1);
		for (int libzip_only = 0; libzip_only < 2; libzip_only++)
			if (corrupt_entries(tmp(cases[i].zip), libzip_only) != cases[i].corrupt)
				fail_msg("%s (libzip only %d): expected %zu corrupt entries",
					 cases[i].zip, libzip_only, cases[i].corrupt);
	}
}

int test_pkg(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_an_honest_zip),
		cmocka_unit_test(refuses_unsafe_names),
		cmocka_unit_test(name_rules),
		cmocka_unit_test(refuses_symlinks_and_encryption),
		cmocka_unit_test(duplicates_case_and_encoding),
		cmocka_unit_test(not_a_zip_and_truncated),
		cmocka_unit_test(corrupt_and_lying_entries),
		cmocka_unit_test(limits),
		cmocka_unit_test(folders),
		cmocka_unit_test(memory_packages),
		cmocka_unit_test(shortcut_agrees_with_libzip),
		cmocka_unit_test(entries_without_data),
	};
	return cmocka_run_group_tests_name("pkg", tests, setup, teardown);
}
