/* Build-time generator (not shipped): writes the C element table (runtime/cmi/cmi_table.c) as JSON
 * into the browser adapter, so the adapter and the C model follow one set of rules.
 *
 * usage: cmi_tablegen ADAPTER_SOURCE.js OUT.js [OUT.json]
 * Replaces the marker "/" "*@CMI_TABLE@*" "/ null" in the source with the table; the optional
 * third argument also gets the bare JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmi_int.h"

static const char *const kind_names[] = {"leaf", "children", "count", "version"};
static const char *const access_names[] = {"", "ro", "wo", "rw"};
static const struct {
	unsigned flag;
	const char *name;
} flag_names[] = {
	{CMI_F_BLANK, "blank"},         {CMI_F_CREATES, "creates"},
	{CMI_F_NEEDS_TYPE, "needsType"}, {CMI_F_UNIQUE, "unique"},
	{CMI_F_ONCE, "once"},           {CMI_F_EVAL_COMPLETION, "evalCompletion"},
	{CMI_F_EVAL_SUCCESS, "evalSuccess"}, {CMI_F_TARGET, "target"},
	{CMI_F_ITYPE, "interactionType"}, {CMI_F_LMS, "lms"},
	{CMI_F_GUARDED, "guarded"},     {CMI_F_READ_PERM, "readPerm"},
	{CMI_F_WRITE_PERM, "writePerm"},
};
static const char *const fail_names[CMI_X_COUNT_] = {
	[CMI_X_EMPTY_GET] = "empty_get",     [CMI_X_EMPTY_SET] = "empty_set",
	[CMI_X_UNKNOWN] = "unknown",         [CMI_X_UNKNOWN_CATEGORY] = "unknown_category",
	[CMI_X_BAD_INDEX] = "bad_index",     [CMI_X_NO_CHILDREN] = "no_children",
	[CMI_X_NO_COUNT] = "no_count",       [CMI_X_BAD_VERSION] = "bad_version",
	[CMI_X_KEYWORD_SET] = "keyword_set", [CMI_X_READ_ONLY] = "read_only",
	[CMI_X_WRITE_ONLY] = "write_only",   [CMI_X_NO_VALUE] = "no_value",
	[CMI_X_NO_ROW] = "no_row",           [CMI_X_GAP] = "gap",
	[CMI_X_FULL] = "full",               [CMI_X_DEPENDENCY] = "dependency",
	[CMI_X_TYPE] = "type",               [CMI_X_RANGE] = "range",
	[CMI_X_SPM] = "spm",                 [CMI_X_UNIQUE] = "unique",
	[CMI_X_STATE_FULL] = "state_full",   [CMI_X_CONFLICT] = "conflict",
	[CMI_X_GENERAL] = "general",
};

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *table(void)
{
	json_t *t = json_object(), *els = json_array(), *colls = json_array(), *itypes = json_array();
	for (size_t i = 0; i < cmi_elem_count; i++) {
		const struct cmi_elem *e = &cmi_elems[i];
		json_t *vocab = json_null(), *flags = json_array();
		if (e->vocab) {
			vocab = json_array();
			for (const char *const *v = e->vocab; *v; v++)
				json_array_append_new(vocab, json_string(*v));
		}
		for (size_t f = 0; f < sizeof flag_names / sizeof flag_names[0]; f++)
			if (e->flags & flag_names[f].flag)
				json_array_append_new(flags, json_string(flag_names[f].name));
		json_array_append_new(
			els, json_pack("{s:s, s:i, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
				       "name", e->name, "models", (int)e->models, "kind", kind_names[e->kind],
				       "access", access_names[e->access], "type", cmi_type_names[e->type],
				       "spm", (int)e->spm, "vocab", vocab, "lo", str_or_null(e->lo), "hi",
				       str_or_null(e->hi), "flags", flags, "dflt", str_or_null(e->dflt),
				       "text", str_or_null(e->text), "desc", str_or_null(e->desc), "range",
				       str_or_null(e->range)));
	}
	for (size_t i = 0; i < cmi_coll_count; i++)
		json_array_append_new(colls, json_pack("{s:s, s:i, s:i, s:b}", "name", cmi_colls[i].name,
						       "models", (int)cmi_colls[i].models, "max",
						       (int)cmi_colls[i].max, "lmsOnly", cmi_colls[i].lms_only));
	for (size_t i = 0; i < cmi_itype_count; i++)
		json_array_append_new(itypes, json_pack("{s:s, s:i, s:i, s:s}", "name", cmi_itypes[i].name,
							"models", (int)cmi_itypes[i].models, "max",
							(int)cmi_itypes[i].max_patterns, "desc",
							cmi_itypes[i].desc));
	json_t *e12 = json_object(), *e04 = json_object(), *fail = json_object(), *diags = json_object();
	char code[16];
	for (size_t i = 0; i < cmi_errors12_count; i++) {
		snprintf(code, sizeof code, "%d", cmi_errors12[i].code);
		json_object_set_new(e12, code, json_string(cmi_errors12[i].text));
	}
	for (size_t i = 0; i < cmi_errors04_count; i++) {
		snprintf(code, sizeof code, "%d", cmi_errors04[i].code);
		json_object_set_new(e04, code, json_string(cmi_errors04[i].text));
	}
	for (int i = 0; i < CMI_X_COUNT_; i++)
		json_object_set_new(fail, fail_names[i], json_pack("[i,i]", cmi_fail_codes[i][0], cmi_fail_codes[i][1]));
	for (int i = 0; i < CMI_D_COUNT_; i++)
		json_object_set_new(diags, cmi_diags[i].id, json_string(cmi_diags[i].text));
	json_object_set_new(t, "format", json_integer(1));
	json_object_set_new(t, "models", json_pack("{s:i, s:i, s:i}", "1.2", CMI_M12, "2004-3rd",
						   CMI_M2004_3, "2004-4th", CMI_M2004_4));
	json_object_set_new(t, "elements", els);
	json_object_set_new(t, "collections", colls);
	json_object_set_new(t, "itypes", itypes);
	json_object_set_new(t, "errors", json_pack("{s:o, s:o}", "1.2", e12, "2004", e04));
	json_object_set_new(t, "fail", fail);
	json_object_set_new(t, "diags", diags);
	json_object_set_new(t, "limits", json_pack("{s:I, s:i, s:I, s:I, s:i}", "stateMaxBytes",
						   (json_int_t)CMI_STATE_MAX_BYTES, "diagMax", CMI_DIAG_MAX,
						   "indexMax", (json_int_t)CMI_INDEX_MAX, "csCap",
						   (json_int_t)CMI_CS_CAP, "commitMaxChanges",
						   CMI_COMMIT_MAX_CHANGES));
	return t;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)n + 1)) != NULL) {
		*len = fread(data, 1, (size_t)n, f);
		data[*len] = '\0';
	}
	fclose(f);
	return data;
}

int main(int argc, char **argv)
{
	static const char marker[] = "/*@CMI_TABLE@*/ null";
	size_t len = 0;
	if (argc < 3) {
		fprintf(stderr, "usage: cmi_tablegen ADAPTER.js OUT.js [OUT.json]\n");
		return 2;
	}
	char *src = slurp(argv[1], &len);
	char *at = src ? strstr(src, marker) : NULL;
	json_t *t = table();
	char *json = json_dumps(t, JSON_SORT_KEYS | JSON_COMPACT);
	if (!src || !at || !json) {
		fprintf(stderr, "cmi_tablegen: %s: cannot read it or no table marker\n", argv[1]);
		return 1;
	}
	FILE *out = fopen(argv[2], "wb");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	fwrite(src, 1, (size_t)(at - src), out);
	fputs(json, out);
	fputs(at + strlen(marker), out);
	if (fclose(out) != 0) {
		perror(argv[2]);
		return 1;
	}
	if (argc > 3) {
		FILE *j = fopen(argv[3], "wb");
		if (!j || fputs(json, j) < 0 || fclose(j) != 0) {
			perror(argv[3]);
			return 1;
		}
	}
	free(json);
	free(src);
	json_decref(t);
	return 0;
}
