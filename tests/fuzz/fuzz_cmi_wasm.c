/* Fuzz target for the boundary between the browser adapter and the data model: the functions the
 * WebAssembly build exports (runtime/cmi/cmi_wasm.c), called natively with what the adapter can
 * pass them: any version text, any `initial` bytes, element names and values with any bytes
 * (the adapter writes a lone surrogate or a U+0000 as 0xFF; a SetValue value may hold NULs), an
 * LMS that fails calls with a reason, relaunches and reads. Checks, besides "no crash, no leak":
 * every answer is valid UTF-8; SetValue answers 0, 1 or 2, with 2 exactly for an element with a
 * row number and "true"/0 in the error; $values is a JSON object of strings; a relaunch of any
 * state the API reached succeeds (the server stores and reloads every state the same way).
 *
 * Input: byte 0 the version ("1.2", "2004-3rd", "2004-4th", "2004", or junk), byte 1 which LMS
 * events fail (bit 0 Initialize, 1 Commit, 2 Terminate), then the initial JSON up to the first
 * "\n\n", then lines "<op><element>\t<value>": I T G C L E D (API calls), S (SetValue, the value
 * up to the end of the line, NULs included), P (the LMS's read), V (values), N (end), R
 * (relaunch). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmi_json_read.h"
#include "cmi_wasm.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned failing;

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_text(const char *s)
{
	check(s != NULL);
	check(utf8_valid(s, strlen(s)));
}

/* The LMS: fails the events the input says, with a reason (which the model frees). */
static char *lms(cmi_state *st, int event)
{
	(void)st;
	if (!((failing >> event) & 1))
		return NULL;
	static const char reason[] = "the request failed: \xff offline"; /* invalid UTF-8 too */
	char *why = cmi_wasm_alloc(sizeof reason);
	if (why)
		memcpy(why, reason, sizeof reason);
	return why;
}

static int has_row_number(const char *el)
{
	for (const char *p = el; *p;) {
		size_t n = strcspn(p, ".");
		if (n && strspn(p, "0123456789") == n)
			return 1;
		p += n + (p[n] == '.');
	}
	return 0;
}

static void check_values(cmi_state *st)
{
	const char *v = cmi_wasm_values(st);
	struct cmi_json doc;
	check_text(v);
	check(cmi_json_parse(&doc, v, strlen(v), NULL, 0) == 0);
	const struct cmi_jval *o = cmi_json_root(&doc);
	check(o->type == CMI_J_OBJECT);
	for (const struct cmi_jval *c = cmi_json_first(o); c; c = cmi_json_next(o, c))
		check(c->type == CMI_J_STRING);
	cmi_json_free(&doc);
}

static cmi_state *step(cmi_state *st, char op, char *el, const char *val, size_t vlen)
{
	static const char ops[] = "ITGCLED";
	const char *r;
	const char *o = op ? strchr(ops, op) : NULL;
	if (o) {
		r = cmi_wasm_call(st, (int)(o - ops), val ? val : el);
		check_text(r);
		return st;
	}
	switch (op) {
	case 'S': {
		int b = cmi_wasm_set(st, el, val ? val : "", val ? vlen : 0);
		check(b >= 0 && b <= 2);
		const char *e = cmi_wasm_call(st, CMI_WASM_LAST_ERROR, "");
		check((b != 0) == !strcmp(e, "0"));
		check(b != 2 || has_row_number(el));
		check(b != 1 || !has_row_number(el));
		return st;
	}
	case 'P':
		r = cmi_wasm_peek(st, el);
		if (r)
			check_text(r);
		return st;
	case 'V': check_values(st); return st;
	case 'N': check_text(cmi_wasm_end(st)); return st;
	case 'R': {
		cmi_state *next = cmi_wasm_relaunch(st);
		check(next != NULL);
		check(cmi_wasm_api_state(next) == 0);
		cmi_wasm_close(st);
		return next;
	}
	default: return st;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const versions[] = {"1.2", "2004-3rd", "2004-4th", "2004", "1.3"};
	if (size < 2)
		return 0;
	failing = data[1];
	cmi_wasm_set_lms(lms);
	char *text = malloc(size - 2 + 1);
	if (!text)
		return 0;
	memcpy(text, data + 2, size - 2);
	size_t len = size - 2;
	text[len] = '\0';
	char *calls = NULL;
	for (size_t i = 0; i + 1 < len; i++)
		if (text[i] == '\n' && text[i + 1] == '\n') {
			calls = text + i + 2;
			break;
		}
	size_t ilen = calls ? (size_t)(calls - 2 - text) : len;
	cmi_state *st = cmi_wasm_open(versions[data[0] % 5], text, ilen);
	if (!st) {
		check_text(cmi_wasm_error());
		check(cmi_wasm_error()[0] != '\0');
		free(text);
		return 0;
	}
	check_values(st);
	for (char *line = calls; line && line < text + len;) {
		char *end = memchr(line, '\n', (size_t)(text + len - line));
		size_t n = end ? (size_t)(end - line) : (size_t)(text + len - line);
		line[n] = '\0';
		char op = line[0];
		char *el = n ? line + 1 : line;
		char *val = memchr(el, '\t', (size_t)(line + n - el));
		size_t vlen = 0;
		if (val) {
			*val++ = '\0';
			vlen = (size_t)(line + n - val);
		}
		st = step(st, op, el, val, vlen);
		line += n + 1;
	}
	check_values(st);
	cmi_wasm_close(st);
	cmi_wasm_set_lms(NULL);
	free(text);
	return 0;
}
