/* libFuzzer target: the content scan (author/validate/content.c), the lexer that reads every
 * HTML, CSS and JavaScript file of a package for loads from the internet. The first byte picks
 * the kind (HTML, CSS, JavaScript); every load reported must lie inside the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "content.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct bounds {
	size_t size;
};

static void check(void *ud, const content_load *l)
{
	const struct bounds *b = ud;
	if (l->offset > b->size || l->len > b->size - l->offset || l->len == 0 || !l->what)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	static const content_kind kinds[] = {CONTENT_HTML, CONTENT_CSS, CONTENT_JS};
	struct bounds b = {size - 1};
	content_scan(kinds[data[0] % 3], (const char *)data + 1, size - 1, check, &b);
	return 0;
}
