/* The module's printable postcard (postcard_page.h): one self-contained HTML page, laid out to fit
 * one sheet of A4, with what the technique is (the summary), when to use it, who takes part, how
 * long it takes, how to run it and its question set. It carries its own styles (no request
 * leaves it), so it prints the same from a package, from `postcard build --print` or from disk. */
#include "postcard_page.h"

#include <string.h>

#include "common.h"

static const char *const phase_names[][2] = {
	{"overview", "Knowledge Mobilisation Framework"},
	{"before", "Learning Before"},
	{"during", "Learning During"},
	{"after", "Learning After"},
};

static const char *phase_name(const char *phase)
{
	for (size_t i = 0; phase && i < PC_ARRAY_LEN(phase_names); i++)
		if (strcmp(phase, phase_names[i][0]) == 0)
			return phase_names[i][1];
	return "";
}

static void text(buf *b, const char *s)
{
	if (s)
		buf_put_xml(b, s, strlen(s));
}

static void section(buf *b, const char *heading, const char *body)
{
	buf_puts(b, "<section><h2>");
	text(b, heading);
	buf_puts(b, "</h2><p>");
	text(b, body);
	buf_puts(b, "</p></section>\n");
}

static void list(buf *b, const char *heading, const char *tag, char *const *items, size_t n)
{
	if (!n)
		return;
	buf_printf(b, "<section><h2>");
	text(b, heading);
	buf_printf(b, "</h2><%s>", tag);
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, "<li>");
		text(b, items[i]);
		buf_puts(b, "</li>");
	}
	buf_printf(b, "</%s></section>\n", tag);
}

/* Sized for one A4 sheet at 11pt; a phone or a screen shows the same page in one column. */
static const char style[] =
	"@page{size:A4;margin:12mm}"
	"body{font-family:Arial,Helvetica,sans-serif;color:#212b32;margin:0 auto;max-width:46rem;"
	"padding:1rem;font-size:11pt;line-height:1.4}"
	"header{border-bottom:4px solid #005eb8;margin-bottom:.75rem}"
	".phase{color:#005eb8;font-weight:bold;margin:0}"
	"h1{font-size:20pt;margin:.2rem 0 .4rem}"
	".what{font-size:12pt;margin:0 0 .6rem}"
	"h2{font-size:12pt;color:#005eb8;margin:.6rem 0 .2rem}"
	"p,ul,ol{margin:0 0 .3rem}"
	".grid{display:grid;grid-template-columns:1fr 1fr;gap:0 1.5rem}"
	"footer{border-top:1px solid #768692;margin-top:.8rem;padding-top:.3rem;font-size:9pt;color:#4c6272}"
	"@media (max-width:40em){.grid{display:block}}"
	"@media print{body{padding:0;max-width:none}section{break-inside:avoid}}";

int postcard_html(const module *m, buf *b)
{
	const postcard_src *p = &m->postcard;
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"");
	text(b, m->lang);
	buf_puts(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	text(b, m->title);
	buf_puts(b, ": postcard</title>\n<style>");
	buf_puts(b, style);
	buf_puts(b, "</style>\n</head>\n<body>\n<header>\n<p class=\"phase\">");
	text(b, phase_name(m->phase));
	buf_puts(b, "</p>\n<h1>");
	text(b, m->title);
	buf_puts(b, "</h1>\n<p class=\"what\">");
	text(b, m->summary);
	buf_puts(b, "</p>\n</header>\n<main>\n<div class=\"grid\">\n<div>\n");
	section(b, "When", p->when);
	section(b, "Who", p->who);
	section(b, "Time", p->time);
	buf_puts(b, "</div>\n<div>\n");
	list(b, "How", "ol", p->steps, p->nsteps);
	buf_puts(b, "</div>\n</div>\n");
	list(b, "The questions to ask", "ul", p->questions, p->nquestions);
	buf_puts(b, "</main>\n<footer>");
	text(b, m->title);
	buf_puts(b, " \xc2\xb7 version ");
	text(b, m->version);
	buf_puts(b, "</footer>\n</body>\n</html>\n");
	return buf_error(b);
}
