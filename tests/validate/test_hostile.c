/* Hostile input, end to end: each case builds an archive or manifest an attacker could send,
 * runs `postcard validate` on it as a child process, and asserts the exit status, the error in
 * the output, and that the run took under 2 s of wall time and under 64 MB of peak memory
 * (getrusage of the child). Under the sanitizer build the time and memory bounds are only
 * printed: ASan's shadow memory alone is larger than the bound.
 *
 * usage: test_hostile POSTCARD [--sanitized] */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zipcraft.h"

#define MAX_SECONDS 2.0
#define MAX_RSS_KB (64 * 1024)

static const char *bin;
static int sanitized;
static char dir[64];
static int failures, passes;

static const char *tmp(const char *name)
{
	static char paths[4][512];
	static int k;
	k = (k + 1) % 4;
	snprintf(paths[k], sizeof paths[k], "%s/%s", dir, name);
	return paths[k];
}

/* Runs postcard validate ARGS..., returns the exit status; output goes to dir/out. */
static int run(const char *const *args, double *secs, long *rss_kb)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(tmp("out"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		const char *argv[16] = {bin, "validate"};
		size_t n = 2;
		for (size_t i = 0; args[i] && n < 15; i++)
			argv[n++] = args[i];
		argv[n] = NULL;
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	int status;
	struct rusage ru;
	wait4(pid, &status, 0, &ru);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	*rss_kb = ru.ru_maxrss;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static char *output(void)
{
	static char buf[1 << 16];
	FILE *f = fopen(tmp("out"), "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

/* Checks one run. `want` must appear in the output, `never` (if set) must not. */
static void expect(const char *name, const char *const *args, int status, const char *want,
		   const char *never)
{
	double secs;
	long rss;
	int st = run(args, &secs, &rss);
	const char *out = output();
	int ok = st == status && strstr(out, want) && !(never && strstr(out, never));
	int bounded = secs < MAX_SECONDS && rss < MAX_RSS_KB;
	if (!sanitized)
		ok = ok && bounded;
	printf("%s %-34s exit %d, %.3f s, %ld KB%s\n", ok ? "ok  " : "FAIL", name, st, secs, rss,
	       bounded ? "" : sanitized ? " (over the bounds: sanitizer build, not asserted)"
				       : " (over the 2 s / 64 MB bounds)");
	if (!ok) {
		printf("  expected exit %d and '%s'%s%s; output:\n%s\n", status, want,
		       never ? ", never " : "", never ? never : "", out);
		failures++;
	} else {
		passes++;
	}
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static const char manifest[] =
	"<?xml version=\"1.0\"?>\n<manifest identifier=\"m\" "
	"xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\"><metadata><schema>ADL SCORM</schema>"
	"<schemaversion>1.2</schemaversion></metadata><organizations/><resources/></manifest>\n";

static void zip_with(const char *path, const char *name, const void *data, size_t len, int store)
{
	struct zc_entry e[] = {{"imsmanifest.xml", manifest, sizeof manifest - 1, 0, 0, 0},
			       {name, data, len, store, 0, 0}};
	if (zc_write(path, e, 2) != 0) {
		printf("FAIL could not write %s\n", path);
		failures++;
	}
}

static void zip_slip(void)
{
	static const struct {
		const char *label, *name;
	} names[] = {{"zip slip ../", "../../evil.html"},
		     {"zip slip absolute", "/tmp/evil.html"},
		     {"zip slip drive letter", "C:/Windows/evil.html"},
		     {"zip slip backslashes", "..\\..\\evil.html"}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		zip_with(tmp("slip.zip"), names[i].name, "x", 1, 0);
		expect(names[i].label, ARGS(tmp("slip.zip")), 1, "is refused", NULL);
	}
}

static void symlink_and_encryption(void)
{
	struct zc_entry e[] = {{"imsmanifest.xml", manifest, sizeof manifest - 1, 0, 0, 0},
			       {"passwd.html", "/etc/passwd", 11, 1, 1, 0}};
	zc_write(tmp("link.zip"), e, 2);
	expect("symlink entry", ARGS(tmp("link.zip")), 1, "is a symbolic link", NULL);
	if (zc_can_encrypt()) {
		struct zc_entry s[] = {{"imsmanifest.xml", manifest, sizeof manifest - 1, 0, 0, 0},
				       {"secret.html", "secret", 6, 0, 0, 1}};
		zc_write(tmp("enc.zip"), s, 2);
		expect("encrypted entry", ARGS(tmp("enc.zip")), 1, "is encrypted", NULL);
	} else {
		printf("skip encrypted entry: libzip here cannot write AES entries\n");
	}
}

/* Big inputs are written first and their buffers freed before any run: a forked child starts
 * with the parent's resident memory, which would count against its peak. */
static void bombs(void)
{
	size_t n = (size_t)64 << 20; /* 64 MiB of zeros: deflates about 1000:1 */
	char *zeros = calloc(1, n);
	zip_with(tmp("bomb.zip"), "bomb.bin", zeros, n, 0);
	zip_with(tmp("lie.zip"), "bomb.bin", zeros, n, 0);
	zip_with(tmp("big.zip"), "big.bin", zeros, (size_t)20 << 20, 0);
	struct zc_entry t[] = {{"imsmanifest.xml", manifest, sizeof manifest - 1, 0, 0, 0},
			       {"a.bin", zeros, 600000, 0, 0, 0},
			       {"b.bin", zeros, 600000, 0, 0, 0},
			       {"c.bin", zeros, 600000, 0, 0, 0}};
	zc_write(tmp("total.zip"), t, 4);
	free(zeros);
	expect("zip bomb (ratio)", ARGS(tmp("bomb.zip")), 1, "zip bomb?", NULL);
	/* the same bomb, its declared size rewritten to 1 KB: the inflater must stop there */
	zc_set_size(tmp("lie.zip"), "bomb.bin", 1024);
	expect("zip bomb (size that lies)", ARGS(tmp("lie.zip")), 1, "inflates past its declared size",
	       NULL);
	/* ratio allowed, per-file limit not */
	expect("per-file limit", ARGS("--max-ratio", "100000", "--max-entry", "10M", tmp("big.zip")), 1,
	       "over the per-file limit", NULL);
	/* total: three files that each fit, together over the limit */
	expect("total size limit", ARGS("--max-total", "1M", tmp("total.zip")), 2,
	       "over the limit of 1048576 (--max-total)", NULL);
}

static void counts(void)
{
	struct zc_entry e[40];
	char names[40][16];
	e[0] = (struct zc_entry){"imsmanifest.xml", manifest, sizeof manifest - 1, 0, 0, 0};
	for (int i = 1; i < 40; i++) {
		snprintf(names[i], sizeof names[i], "f%02d.txt", i);
		e[i] = (struct zc_entry){names[i], "x", 1, 0, 0, 0};
	}
	zc_write(tmp("many.zip"), e, 40);
	expect("entry count limit", ARGS("--max-entries", "20", tmp("many.zip")), 2,
	       "declares 40 entries", NULL);
	/* the end record claims 65535 entries: refused before libzip reads a directory */
	zc_set_count(tmp("many.zip"), 65535);
	expect("entry count that lies", ARGS("--max-entries", "1000", tmp("many.zip")), 2,
	       "declares 65535 entries", NULL);
}

static void broken_archives(void)
{
	char *data = malloc(100000);
	for (int i = 0; i < 100000; i++)
		data[i] = (char)(i * 7919 % 251);
	zip_with(tmp("trunc.zip"), "data.bin", data, 100000, 1);
	truncate(tmp("trunc.zip"), 50000);
	expect("truncated zip", ARGS(tmp("trunc.zip")), 2, "truncated", NULL);
	zc_write_file(tmp("text.zip"), "this is a text file, not a zip\n", 31);
	expect("not a zip", ARGS(tmp("text.zip")), 2, "not a zip archive", NULL);
	zip_with(tmp("crc.zip"), "page.html", "MARKER-MARKER", 13, 1);
	zc_patch(tmp("crc.zip"), "MARKER-MARKER", "MARKER-MARKEX", 13);
	expect("CRC mismatch", ARGS(tmp("crc.zip")), 1, "is corrupt", NULL);
	/* A fixed-Huffman block using a reserved length code (286 or 287): zlib refuses it,
	 * libdeflate decodes it to 300 'a's. Size and CRC are those 300 bytes', so only the
	 * inflater's refusal catches it: validate must refuse what zlib-based readers (libzip
	 * among them) refuse, which is why zipverify.c inflates with zlib. */
	static const unsigned char reserved[] = {0x4b, 0x4c, 0x1c, 0x07, 0xc4, 0x02, 0x00};
	zip_with(tmp("reserved.zip"), "page.html", reserved, sizeof reserved, 1);
	zc_set_method(tmp("reserved.zip"), "page.html", 8);
	zc_set_size(tmp("reserved.zip"), "page.html", 300);
	zc_set_crc(tmp("reserved.zip"), "page.html", 0x89971909u); /* CRC-32 of 300 'a's */
	expect("deflate stream zlib refuses", ARGS(tmp("reserved.zip")), 1,
	       "invalid literal/length code", NULL);
	struct zc_entry d[] = {{"imsmanifest.xml", manifest, sizeof manifest - 1, 0, 0, 0},
			       {"one.html", "1", 1, 1, 0, 0},
			       {"two.html", "2", 1, 1, 0, 0},
			       {"Two.html", "3", 1, 1, 0, 0},
			       {"caf\xe9.html", "4", 1, 1, 0, 0}};
	zc_write(tmp("dup.zip"), d, 5);
	zc_patch(tmp("dup.zip"), "one.html", "two.html", 8);
	expect("duplicate entries", ARGS(tmp("dup.zip")), 1, "more than once", NULL);
	expect("names differing by case", ARGS(tmp("dup.zip")), 1, "differ only by case", NULL);
	expect("non-UTF-8 name", ARGS(tmp("dup.zip")), 1, "is not UTF-8", NULL);
	free(data);
}

static void hostile_xml(void)
{
	static const char laughs[] =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE manifest [\n<!ENTITY a \"aaaaaaaaaa\">\n"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
		"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
		"<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
		"<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">\n"
		"]>\n<manifest identifier=\"&i;\" xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\">"
		"&i;&i;&i;&i;&i;&i;&i;&i;</manifest>\n";
	zc_write_file(tmp("laughs.xml"), laughs, sizeof laughs - 1);
	expect("billion laughs", ARGS(tmp("laughs.xml")), 1, "error:", NULL);

	char secret[600];
	snprintf(secret, sizeof secret, "%s", tmp("secret.txt"));
	zc_write_file(secret, "TOP-SECRET-VALUE", 16);
	char xxe[2048];
	snprintf(xxe, sizeof xxe,
		 "<?xml version=\"1.0\"?>\n<!DOCTYPE manifest [\n<!ENTITY s SYSTEM \"file://%s\">\n"
		 "<!ENTITY p SYSTEM \"file:///etc/passwd\">\n]>\n"
		 "<manifest identifier=\"m\" xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\">"
		 "<metadata><schema>&s;</schema><schemaversion>&p;</schemaversion></metadata>"
		 "<organizations/><resources/></manifest>\n",
		 secret);
	zc_write_file(tmp("xxe.xml"), xxe, strlen(xxe));
	expect("external entity (file)", ARGS("--format", "json", tmp("xxe.xml")), 1,
	       "external entities are never loaded", "TOP-SECRET-VALUE");
	expect("external entity (/etc/passwd)", ARGS(tmp("xxe.xml")), 1, "file:///etc/passwd", "root:");

	/* an http entity and an external DTD: with NONET nothing may be fetched. A listening
	 * socket would show a connection; instead the URL points at a port nothing serves, and
	 * the run must not wait for it. */
	static const char web[] =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE manifest SYSTEM \"http://127.0.0.1:9/evil.dtd\" [\n"
		"<!ENTITY w SYSTEM \"http://127.0.0.1:9/x\">\n]>\n"
		"<manifest identifier=\"m\" xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\">"
		"<metadata><schema>&w;</schema></metadata></manifest>\n";
	zc_write_file(tmp("web.xml"), web, sizeof web - 1);
	expect("external entity (http) and DTD", ARGS(tmp("web.xml")), 1, "http://127.0.0.1:9/x", NULL);

	zc_write_file(tmp("junk.xml"), "\x89PNG\r\n\x1a\n not xml at all", 24);
	expect("non-XML manifest", ARGS(tmp("junk.xml")), 1, "not well-formed XML", NULL);

	char deep[70000];
	size_t k = 0;
	for (int i = 0; i < 5000; i++)
		k += (size_t)snprintf(deep + k, sizeof deep - k, "<a>");
	zc_write_file(tmp("deep.xml"), deep, k);
	expect("deeply nested XML", ARGS(tmp("deep.xml")), 1, "not well-formed XML", NULL);
}

static void huge_manifests(void)
{
	/* a 100 MB bare manifest: refused by its size before a byte is parsed */
	int fd = open(tmp("huge.xml"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	const char head[] = "<?xml version=\"1.0\"?>\n<manifest><!--";
	write(fd, head, sizeof head - 1);
	ftruncate(fd, (off_t)100 << 20);
	close(fd);
	expect("100 MB manifest (file)", ARGS(tmp("huge.xml")), 1, "--max-manifest", NULL);
	/* 100 MB of real XML inside a zip (deflated to ~100 KB): refused by its declared size;
	 * the ratio limit is lifted so the manifest limit is what stops it */
	size_t n = (size_t)100 << 20;
	char *xml = malloc(n);
	memset(xml, ' ', n);
	memcpy(xml, head, sizeof head - 1);
	memcpy(xml + n - 16, "-->\n</manifest>\n", 16);
	struct zc_entry e[] = {{"imsmanifest.xml", xml, n, 0, 0, 0}};
	zc_write(tmp("huge.zip"), e, 1);
	free(xml);
	expect("100 MB manifest (zip)", ARGS("--max-ratio", "100000", tmp("huge.zip")), 1,
	       "--max-manifest", NULL);
	/* and the same manifest whose declared size lies small: the read stops at the lie */
	zc_set_size(tmp("huge.zip"), "imsmanifest.xml", 4096);
	expect("100 MB manifest (size that lies)", ARGS("--max-ratio", "100000", tmp("huge.zip")), 1,
	       "inflates past its declared size", NULL);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_hostile POSTCARD [--sanitized]\n");
		return 2;
	}
	bin = argv[1];
	sanitized = argc > 2 && strcmp(argv[2], "--sanitized") == 0;
	strcpy(dir, "/tmp/pc_hostile_XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	zip_slip();
	symlink_and_encryption();
	bombs();
	counts();
	broken_archives();
	hostile_xml();
	huge_manifests();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	printf("%d passed, %d failed\n", passes, failures);
	return failures ? 1 : 0;
}
