/* The content scan: which URLs of HTML, CSS and JavaScript are loads from the internet (and
 * which are not), what the code names for the --lms profiles, and the scan reaching files
 * through every reading path of the package reader (memory, folder, a small zip entry read in
 * one call, a large one read in chunks, a stored one), with the count of what is not shown. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content.h"
#include "test_validate.h"
#include "zipcraft.h"

struct got {
	char urls[16][128];
	const char *what[16];
	size_t n;
	const char *data;
};

static void on_load(void *ud, const content_load *l)
{
	struct got *g = ud;
	if (g->n < 16) {
		snprintf(g->urls[g->n], sizeof g->urls[g->n], "%.*s", (int)l->len, g->data + l->offset);
		g->what[g->n] = l->what;
	}
	g->n++;
}

struct scan_case {
	const char *name;
	content_kind kind;
	const char *text;
	const char *loads[6]; /* "what url", in order; NULL-terminated */
	unsigned mentions;
};

static const struct scan_case scans[] = {
	{"script src, stylesheet link, image, frame", CONTENT_HTML,
	 "<script src=\"https://code.jquery.com/jquery.js\"></script>\n"
	 "<link rel=\"stylesheet\" href=\"https://fonts.googleapis.com/css?family=X\">\n"
	 "<img alt=x src='//cdn.example.org/a.png'><iframe src=https://player.vimeo.com/video/1></iframe>",
	 {"a script https://code.jquery.com/jquery.js", "a stylesheet https://fonts.googleapis.com/css?family=X",
	  "an image //cdn.example.org/a.png", "a frame https://player.vimeo.com/video/1"}},
	{"links, namespaces, comments and local files are not loads", CONTENT_HTML,
	 "<html xmlns=\"http://www.w3.org/1999/xhtml\"><a href=\"https://www.nhs.uk/\">NHS</a>"
	 "<link rel=\"canonical\" href=\"https://example.org/\"><!-- <script src=\"https://x.org/a.js\"></script> -->"
	 "<img src=\"images/a.png\"><form action=\"https://example.org/post\"></form><p>see http://example.org/x.js</p>",
	 {NULL}},
	{"upper case, srcset, poster, base, style attribute", CONTENT_HTML,
	 "<IMG SRCSET=\"a.png 1x, https://cdn.example.org/b.png 2x\"><VIDEO POSTER=\"https://cdn.example.org/p.jpg\" "
	 "SRC=\"https://cdn.example.org/v.mp4\"></VIDEO><base href=\"https://cdn.example.org/\">"
	 "<div style=\"background:url(https://cdn.example.org/bg.gif)\"></div>",
	 {"an image https://cdn.example.org/b.png", "an image https://cdn.example.org/p.jpg",
	  "media https://cdn.example.org/v.mp4", "the page's base address https://cdn.example.org/",
	  "an image https://cdn.example.org/bg.gif"}},
	{"<style> and <script> bodies", CONTENT_HTML,
	 "<style>@import \"https://cdn.example.org/theme.css\";</style>"
	 "<script>var s = 'https://unpkg.com/lib'; var p = \"https://www.nhs.uk/page\"; // 'https://x.org/y.js'\n</script>"
	 "<script>document.write('<script src=\"https://cdn.example.org/late.js\"></' + 'script>');</script>",
	 {"a stylesheet https://cdn.example.org/theme.css", "a script https://unpkg.com/lib"},
	 0},
	{"preload as font, modulepreload, icon", CONTENT_HTML,
	 "<link rel=preload as=font href=\"https://fonts.gstatic.com/s/x\"><link rel=\"modulepreload\" href=\"https://cdn.example.org/m\">"
	 "<link rel=\"shortcut icon\" href=\"https://cdn.example.org/favicon.ico\">",
	 {"a font https://fonts.gstatic.com/s/x", "a script https://cdn.example.org/m",
	  "an image https://cdn.example.org/favicon.ico"}},
	{"CSS url() forms and @import, comments skipped", CONTENT_CSS,
	 "/* url(https://x.org/commented.png) */ @import url('https://fonts.googleapis.com/css2?f=A');\n"
	 "@font-face { src: url(\"https://cdn.example.org/f.woff2\") format('woff2'), url(local.woff); }\n"
	 "a { background: URL( //cdn.example.org/x.svg ); }",
	 {"a stylesheet https://fonts.googleapis.com/css2?f=A", "a font https://cdn.example.org/f.woff2",
	  "an image //cdn.example.org/x.svg"}},
	{"JavaScript strings: asset files and known hosts only", CONTENT_JS,
	 "var a = \"https://cdn.example.org/lib.min.js?v=2\", b = 'https://www.england.nhs.uk/about',\n"
	 "  c = `https://www.youtube.com/embed/${id}`, d = \"http://www.w3.org/2000/svg\";\n"
	 "/* 'https://cdn.example.org/no.js' */ var e = 'it\\'s https://cdn.example.org/no.css';\n"
	 "var r = /\"/;\nvar f = \"https://cdn.example.org/audio.mp3\";",
	 {"a script https://cdn.example.org/lib.min.js?v=2", "a frame https://www.youtube.com/embed/",
	  "media https://cdn.example.org/audio.mp3"}},
	{"what the code names", CONTENT_JS,
	 "api.LMSSetValue('cmi.comments', x); api.LMSGetValue('cmi.interactions._count');",
	 {NULL}, CONTENT_MENTIONS_COMMENTS | CONTENT_MENTIONS_INTERACTIONS | CONTENT_MENTIONS_INTERACTIONS_COUNT},
	{"2004 comments are not 1.2's", CONTENT_HTML,
	 "<script>api.SetValue('cmi.comments_from_learner.0.comment', x); api.SetValue('cmi.interactions.0.id', 'q')</script>",
	 {NULL}, CONTENT_MENTIONS_INTERACTIONS},
	{"unterminated everything", CONTENT_HTML,
	 "<script src=\"https://cdn.example.org/a.js", {"a script https://cdn.example.org/a.js"}},
	{"stray brackets and an unterminated comment", CONTENT_HTML, "< <a <!-- <img src=\"https://x.org/a.png\">", {NULL}},
};

static void scanner_cases(void **state)
{
	(void)state;
	size_t failed = 0;
	for (size_t i = 0; i < PC_ARRAY_LEN(scans); i++) {
		const struct scan_case *sc = &scans[i];
		struct got g = {{{0}}, {0}, 0, sc->text};
		unsigned m = content_scan(sc->kind, sc->text, strlen(sc->text), on_load, &g);
		size_t want = 0;
		while (want < PC_ARRAY_LEN(sc->loads) && sc->loads[want])
			want++;
		int ok = g.n == want && m == sc->mentions;
		for (size_t k = 0; ok && k < want; k++) {
			char line[200];
			snprintf(line, sizeof line, "%s %s", g.what[k], g.urls[k]);
			ok = strcmp(line, sc->loads[k]) == 0;
		}
		if (!ok) {
			print_message("case '%s': %zu loads (want %zu), mentions %u (want %u):\n", sc->name,
				      g.n, want, m, sc->mentions);
			for (size_t k = 0; k < g.n && k < 16; k++)
				print_message("  %s %s\n", g.what[k], g.urls[k]);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void kinds_by_extension(void **state)
{
	(void)state;
	assert_int_equal(content_kind_of("a/index.HTML"), CONTENT_HTML);
	assert_int_equal(content_kind_of("page.htm"), CONTENT_HTML);
	assert_int_equal(content_kind_of("css/x.css"), CONTENT_CSS);
	assert_int_equal(content_kind_of("js/app.mjs"), CONTENT_JS);
	assert_int_equal(content_kind_of("img/a.png"), CONTENT_NONE);
	assert_int_equal(content_kind_of(".js"), CONTENT_NONE);
}

/* ---- through the validator ---- */

#define M12                                                                                        \
	"<?xml version=\"1.0\"?>\n<manifest identifier=\"M\" "                                     \
	"xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\" "                                \
	"xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\" "                                \
	"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "                                 \
	"xsi:schemaLocation=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd " \
	"http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd\">\n"                          \
	"<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>\n"      \
	"<organizations default=\"O\"><organization identifier=\"O\"><title>T</title>\n"           \
	"<item identifier=\"I\" identifierref=\"R\"><title>T</title></item></organization></organizations>\n" \
	"<resources><resource identifier=\"R\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"index.html\">" \
	"<file href=\"index.html\"/><file href=\"big.html\"/><file href=\"s.js\"/></resource></resources>\n</manifest>\n"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/pc_content_XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* index.html: a remote script on line 2 column 14; big.html: 1.5 MiB of text (read in chunks
 * from a zip), a remote stylesheet near its end; s.js: a remote font. */
struct files {
	char *big;
	size_t big_len;
};

static void make_files(struct files *f)
{
	f->big_len = (3u << 19) + 200;
	f->big = malloc(f->big_len + 1);
	assert_non_null(f->big);
	/* letters that do not compress 200:1 (the zip-bomb limit) */
	unsigned x = 12345;
	for (size_t i = 0; i < f->big_len; i++) {
		x = x * 1103515245u + 12345u;
		f->big[i] = i % 80 == 79 ? '\n' : (char)('a' + (x >> 16) % 26);
	}
	const char *tail = "\n<link rel=\"stylesheet\" href=\"https://cdn.example.org/late.css\">\n";
	memcpy(f->big + f->big_len - strlen(tail), tail, strlen(tail));
	f->big[f->big_len] = '\0';
}

static const char *const index_html =
	"<!DOCTYPE html>\n<script src=\"https://code.jquery.com/jquery.js\"></script>\n";
static const char *const s_js = "var font = 'https://fonts.gstatic.com/s/a.woff2';\n";

static void expect_three(const diag_sink *sink, const char *prefix)
{
	const char *want[][2] = {{"big.html", "https://cdn.example.org/late.css"},
				 {"index.html", "https://code.jquery.com/jquery.js"},
				 {"s.js", "https://fonts.gstatic.com/s/a.woff2"}};
	size_t found = 0;
	for (size_t i = 0; i < diag_count(sink); i++) {
		const diag *d = diag_get(sink, i);
		if (strcmp(d->check, "remote-asset") != 0)
			continue;
		assert_int_equal(d->level, DIAG_WARNING);
		for (size_t k = 0; k < 3; k++) {
			char file[256];
			snprintf(file, sizeof file, "%s%s", prefix, want[k][0]);
			if (strcmp(d->file, file) == 0 && strstr(d->message, want[k][1]))
				found++;
			if (strcmp(want[k][0], "index.html") == 0 && strcmp(d->file, file) == 0) {
				assert_int_equal(d->line, 2);
				assert_int_equal(d->col, 14);
			}
		}
	}
	if (found != 3) {
		buf out = BUF_INIT;
		diag_render_text(sink, &out, 0);
		print_message("%s", buf_cstr(&out));
		buf_free(&out);
	}
	assert_int_equal(found, 3);
}

static void validate_path(const char *path, int qualify, const char *prefix)
{
	diag_sink *sink;
	pkg *p;
	validate_result res;
	assert_int_equal(diag_sink_new(&sink), 0);
	assert_int_equal(pkg_open(&p, path, NULL, sink), 0);
	if (qualify)
		assert_int_equal(pkg_qualify_members(p), 0);
	assert_int_equal(validate_package(p, sink, &res), 0);
	expect_three(sink, prefix);
	assert_true(levels_follow_table(sink, res.version, 0));
	pkg_free(p);
	diag_sink_free(sink);
}

static void every_reading_path(void **state)
{
	(void)state;
	struct files f;
	make_files(&f);
	const char *const schemas[] = {"imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd"};
	/* memory */
	pkg *p;
	diag_sink *sink;
	validate_result res;
	assert_int_equal(pkg_new_memory(&p), 0);
	assert_int_equal(pkg_add(p, "imsmanifest.xml", M12, strlen(M12)), 0);
	assert_int_equal(pkg_add(p, "index.html", index_html, strlen(index_html)), 0);
	assert_int_equal(pkg_add(p, "big.html", f.big, f.big_len), 0);
	assert_int_equal(pkg_add(p, "s.js", s_js, strlen(s_js)), 0);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(pkg_add(p, schemas[i], "x", 1), 0);
	assert_int_equal(diag_sink_new(&sink), 0);
	assert_int_equal(validate_package(p, sink, &res), 0);
	expect_three(sink, "");
	pkg_free(p);
	diag_sink_free(sink);

	/* a zip: index.html deflated (one call), big.html deflated past 1 MiB (chunks), s.js stored */
	struct zc_entry e[] = {{"imsmanifest.xml", M12, strlen(M12), 0, 0, 0},
			       {"index.html", index_html, strlen(index_html), 0, 0, 0},
			       {"big.html", f.big, f.big_len, 0, 0, 0},
			       {"s.js", s_js, strlen(s_js), 1, 0, 0},
			       {"imscp_rootv1p1p2.xsd", "x", 1, 0, 0, 0},
			       {"adlcp_rootv1p2.xsd", "x", 1, 0, 0, 0}};
	char zip[128], folder[128], prefix[160];
	snprintf(zip, sizeof zip, "%s/pkg.zip", dir);
	assert_int_equal(zc_write(zip, e, PC_ARRAY_LEN(e)), 0);
	validate_path(zip, 0, "");
	snprintf(prefix, sizeof prefix, "%s(", zip);
	/* qualified: "DIR/pkg.zip(index.html)" */
	{
		diag_sink *s2;
		pkg *p2;
		validate_result r2;
		assert_int_equal(diag_sink_new(&s2), 0);
		assert_int_equal(pkg_open(&p2, zip, NULL, s2), 0);
		assert_int_equal(pkg_qualify_members(p2), 0);
		assert_int_equal(validate_package(p2, s2, &r2), 0);
		size_t named = 0;
		for (size_t i = 0; i < diag_count(s2); i++) {
			const diag *d = diag_get(s2, i);
			if (d->file && strncmp(d->file, prefix, strlen(prefix)) == 0 &&
			    d->file[strlen(d->file) - 1] == ')')
				named++;
		}
		assert_int_equal(named, diag_count(s2)); /* every finding names the package */
		pkg_free(p2);
		diag_sink_free(s2);
	}
	/* a folder */
	snprintf(folder, sizeof folder, "%s/pkg", dir);
	assert_int_equal(mkdir(folder, 0755), 0);
	for (size_t i = 0; i < PC_ARRAY_LEN(e); i++) {
		char path[256];
		snprintf(path, sizeof path, "%s/%s", folder, e[i].name);
		assert_int_equal(zc_write_file(path, e[i].data, e[i].len), 0);
	}
	snprintf(prefix, sizeof prefix, "%s/", folder);
	validate_path(folder, 0, prefix);
	free(f.big);
}

/* More than CONTENT_SHOWN remote loads: the first are shown, the rest counted in one warning. */
static void shows_twenty_then_counts(void **state)
{
	(void)state;
	buf html = BUF_INIT;
	for (int i = 0; i < 23; i++)
		buf_printf(&html, "<script src=\"https://cdn.example.org/lib%d.js\"></script>\n", i);
	buf_puts(&html, "<script src=\"https://cdn.example.org/lib0.js\"></script>\n"); /* a repeat */
	pkg *p;
	diag_sink *sink;
	validate_result res;
	assert_int_equal(pkg_new_memory(&p), 0);
	assert_int_equal(pkg_add(p, "imsmanifest.xml", M12, strlen(M12)), 0);
	assert_int_equal(pkg_add(p, "index.html", html.data, html.len), 0);
	assert_int_equal(pkg_add(p, "other.html", html.data, html.len), 0);
	assert_int_equal(diag_sink_new(&sink), 0);
	assert_int_equal(validate_package(p, sink, &res), 0);
	size_t shown = 0, summary = 0;
	for (size_t i = 0; i < diag_count(sink); i++) {
		const diag *d = diag_get(sink, i);
		if (strcmp(d->check, "remote-asset") != 0)
			continue;
		if (d->line)
			shown++;
		else if (strstr(d->message, "27 more loads from the internet in 2 files (the first 20 are shown)"))
			summary++;
		else
			print_message("unexpected: %s\n", d->message);
	}
	assert_int_equal(shown, 20);
	assert_int_equal(summary, 1);
	pkg_free(p);
	diag_sink_free(sink);
	buf_free(&html);
}

int test_content(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scanner_cases),
		cmocka_unit_test(kinds_by_extension),
		cmocka_unit_test(every_reading_path),
		cmocka_unit_test(shows_twenty_then_counts),
	};
	return cmocka_run_group_tests_name("content", tests, setup, teardown);
}
