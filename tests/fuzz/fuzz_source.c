/* Fuzz target for the compiler's readers of untrusted sources: module.xml (parse, schema,
 * semantic checks, and the cards it names, read from tests/fuzz/module/) and card Markdown
 * (render.c). The first byte chooses: even = module.xml text, odd = a card's Markdown. Findings
 * are rendered too, so the diagnostics path (offsets, quotes, carets) is exercised. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "author.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_card(diag_sink *sink, const char *text, size_t len)
{
	module m;
	card c;
	memset(&m, 0, sizeof m);
	memset(&c, 0, sizeof c);
	m.dir = FUZZ_MODULE_DIR;
	m.id = "fuzz";
	c.id = "card";
	diag_src src;
	diag_src_init(&src, "card.md", text, len);
	render_card(&m, &c, &src, sink);
	diag_src_free(&src);
	free(c.title);
	free(c.html);
	for (size_t i = 0; i < m.nmedia; i++) {
		free(m.media[i].path);
		free(m.media[i].data);
	}
	free(m.media);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	diag_sink *sink = NULL;
	if (diag_sink_new(&sink) != 0)
		return 0;
	/* cmark wants NUL-free text the way files give it; keep a terminated copy */
	char *text = malloc(size);
	if (!text) {
		diag_sink_free(sink);
		return 0;
	}
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (data[0] % 2 == 0) {
		module *m = NULL;
		module_read_memory(&m, FUZZ_MODULE_DIR, text, size - 1, sink);
		module_free(m);
	} else {
		fuzz_card(sink, text, size - 1);
	}
	buf out = BUF_INIT;
	diag_render_text(sink, &out, 1);
	buf_free(&out);
	free(text);
	diag_sink_free(sink);
	return 0;
}
