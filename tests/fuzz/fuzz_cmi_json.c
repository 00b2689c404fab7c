/* Fuzz target for the data model's JSON reader (runtime/cmi/cmi_json_read.c), which reads commit
 * bodies from the browser: compared with jansson, the reader the rest of Postcard uses, on the
 * same bytes. Both must accept or both refuse, and what they accept must read the same (types,
 * integers, strings byte for byte, members by name, array order). The documented differences
 * are left out: nesting past CMI_JSON_MAX_DEPTH (ours refuses, jansson reads 2048 levels),
 * reals beyond double's range (jansson refuses them; the model never reads a real's value) and
 * NUL bytes (never JSON: ours refuses them, jansson stops reading at one). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmi_json_read.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static void same(const struct cmi_jval *a, json_t *b)
{
	switch (a->type) {
	case CMI_J_NULL: check(json_is_null(b)); break;
	case CMI_J_TRUE: check(json_is_true(b)); break;
	case CMI_J_FALSE: check(json_is_false(b)); break;
	case CMI_J_INT: check(json_is_integer(b) && json_integer_value(b) == a->num); break;
	case CMI_J_REAL: check(json_is_real(b)); break;
	case CMI_J_STRING:
		check(json_is_string(b) && json_string_length(b) == a->len &&
		      memcmp(json_string_value(b), a->str, a->len) == 0 && a->str[a->len] == '\0');
		break;
	case CMI_J_ARRAY: {
		check(json_is_array(b) && json_array_size(b) == a->count);
		size_t i = 0;
		for (const struct cmi_jval *c = cmi_json_first(a); c; c = cmi_json_next(a, c), i++) {
			check(c->key == NULL);
			same(c, json_array_get(b, i));
		}
		check(i == a->count);
		break;
	}
	case CMI_J_OBJECT: {
		check(json_is_object(b) && json_object_size(b) == a->count);
		size_t i = 0;
		for (const struct cmi_jval *c = cmi_json_first(a); c; c = cmi_json_next(a, c), i++) {
			check(c->key != NULL && strlen(c->key) == c->klen);
			json_t *m = json_object_get(b, c->key);
			check(m != NULL);
			same(c, m);
			check(cmi_json_get(a, c->key) == c); /* names are unique */
		}
		check(i == a->count);
		break;
	}
	default: check(0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cmi_json doc;
	char why[160] = "";
	json_error_t je;
	int rc = cmi_json_parse(&doc, (const char *)data, size, why, sizeof why);
	check(rc == 0 || rc == PC_EFORMAT);
	if (memchr(data, '\0', size)) {
		/* never JSON; jansson reads a NUL byte as the end of the text, so it is not asked */
		check(rc == PC_EFORMAT);
		cmi_json_free(&doc);
		return 0;
	}
	json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
	if (rc == 0) {
		if (j)
			same(cmi_json_root(&doc), j);
		else
			check(strstr(je.text, "real number overflow") != NULL);
		check(cmi_json_root(&doc)->size == doc.n);
	} else {
		check(why[0] != '\0');
		check(!j || strncmp(why, "nested too deeply", 17) == 0);
	}
	json_decref(j);
	cmi_json_free(&doc);
	return 0;
}
