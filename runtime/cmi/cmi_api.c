/* The API state machine of both versions: Not Initialized -> Running -> Terminated (one way),
 * with the error codes SCORM 1.2 (RTE 3.3) and SCORM 2004 (RTE 3.1, IEEE 1484.11.2) give for
 * every call in every state, plus states' life cycle and the call-by-name dispatcher the
 * conformance vectors and the fuzz target use.
 *
 * Readings chosen where the texts leave room:
 * - 1.2 after LMSFinish: every call but the three getters answers "false"/"" with 101 (the 1.2
 *   text only says the SCO should not call; 101 is "general exception"). LMSInitialize twice:
 *   101. LMSFinish twice: 101.
 * - The state check comes before the argument check: Initialize("x") while Running is 103.
 * - A failed Commit (LMS storage) leaves the state Running; so does a failed Terminate, so the
 *   SCO may retry (the IEEE state table keeps Running on a Terminate failure).
 * - GetDiagnostic("") and GetDiagnostic(<last error code>) explain the last error; any other
 *   known code, and the last one when it is 0, gets its error string ("No error" too: ADL's
 *   run-time tests want a non-empty text of at most 255 characters for every code, 0
 *   included); unknown codes "". */
#include <stdlib.h>
#include <string.h>

#include "cmi_int.h"

int cmi_state_new(cmi_state **out, scorm_version version)
{
	unsigned model;
	*out = NULL;
	switch (version) {
	case SCORM_12: model = CMI_M12; break;
	case SCORM_2004_3RD: model = CMI_M2004_3; break;
	case SCORM_2004_4TH: model = CMI_M2004_4; break;
	default: return PC_EINVAL;
	}
	cmi_state *st = calloc(1, sizeof *st);
	if (!st)
		return PC_ENOMEM;
	st->version = version;
	st->model = model;
	st->api = CMI_API_NOT_INITIALIZED;
	st->ended = 0;
	buf_init(&st->out, 0);
	*out = st;
	return 0;
}

void cmi_state_free(cmi_state *st)
{
	if (!st)
		return;
	cmi_store_free(&st->values);
	cmi_store_free(&st->seeds);
	buf_free(&st->out);
	free(st);
}

scorm_version cmi_state_version(const cmi_state *st) { return st->version; }

scorm_version cmi_version_parse(const char *s)
{
	if (!s)
		return SCORM_UNKNOWN;
	if (!strcmp(s, "1.2"))
		return SCORM_12;
	if (!strcmp(s, "2004") || !strcmp(s, "2004-4th"))
		return SCORM_2004_4TH;
	if (!strcmp(s, "2004-3rd"))
		return SCORM_2004_3RD;
	return SCORM_UNKNOWN;
}

const char *cmi_version_string(scorm_version v)
{
	switch (v) {
	case SCORM_12: return "1.2";
	case SCORM_2004_3RD: return "2004-3rd";
	case SCORM_2004_4TH: return "2004-4th";
	default: return "";
	}
}

void cmi_state_set_hook(cmi_state *st, cmi_lms_hook hook, void *ud)
{
	st->hook = hook;
	st->hook_ud = ud;
}

int cmi_seed(cmi_state *st, const char *element, const char *value)
{
	PC_ASSERT(st != NULL && element != NULL);
	if (!element)
		element = "";
	if (!value)
		value = "";
	return cmi_model_seed(st, element, value, strlen(value), 1);
}

/* ---- state checks --------------------------------------------------------------------------------
 * Per call kind: the codes for "not initialized" and "terminated" in each version. */
enum call { C_INIT, C_TERM, C_GET, C_SET, C_COMMIT };
static const int before_init[5][2] = {
	[C_TERM] = {301, 112}, [C_GET] = {301, 122}, [C_SET] = {301, 132}, [C_COMMIT] = {301, 142}};
static const int after_term[5][2] = {
	[C_TERM] = {101, 113}, [C_GET] = {101, 123}, [C_SET] = {101, 133}, [C_COMMIT] = {101, 143}};

static const char *fn_name(const cmi_state *st, enum call c)
{
	static const char *const names[5][2] = {
		{"LMSInitialize", "Initialize"}, {"LMSFinish", "Terminate"}, {"LMSGetValue", "GetValue"},
		{"LMSSetValue", "SetValue"},     {"LMSCommit", "Commit"},
	};
	return names[c][cmi_is12(st) ? 0 : 1];
}

/* 0 when the API may take the call; else sets the error and returns -1. */
static int running(cmi_state *st, enum call c)
{
	int v = cmi_is12(st) ? 0 : 1;
	if (st->api == CMI_API_NOT_INITIALIZED) {
		cmi_set_code(st, before_init[c][v], CMI_D_BEFORE_INIT, fn_name(st, c), NULL, 0, 0, NULL);
		return -1;
	}
	if (st->api == CMI_API_TERMINATED) {
		cmi_set_code(st, after_term[c][v], CMI_D_AFTER_TERMINATE, fn_name(st, c), NULL, 0, 0, NULL);
		return -1;
	}
	return 0;
}

static int empty_arg(cmi_state *st, const char *arg, enum call c)
{
	if (arg && *arg) {
		cmi_set_code(st, 201, CMI_D_BAD_ARG, fn_name(st, c), NULL, 0, 0, NULL);
		return 0;
	}
	return 1;
}

/* Runs the LMS's hook; on a failure, sets the call's error (code and diagnostic `diag`, with the
 * hook's reason) and returns 1. */
static int lms_fails(cmi_state *st, cmi_lms_event ev, int code, int diag, enum call c)
{
	if (!st->hook)
		return 0;
	buf why;
	buf_init(&why, 4096); /* the diagnostic keeps the first 255 characters of it */
	int failed = st->hook(st->hook_ud, ev, st, &why) != 0;
	if (failed)
		cmi_set_code(st, code, diag, fn_name(st, c), NULL, 0, 0,
			     why.len && !buf_error(&why) ? buf_cstr(&why) : "storage failure");
	buf_free(&why);
	return failed;
}

int cmi_api_initialize(cmi_state *st, const char *arg)
{
	PC_ASSERT(st != NULL);
	int v12 = cmi_is12(st);
	if (st->api == CMI_API_RUNNING) {
		cmi_set_code(st, v12 ? 101 : 103, CMI_D_INIT_TWICE, fn_name(st, C_INIT), NULL, 0, 0, NULL);
		return 0;
	}
	if (st->api == CMI_API_TERMINATED) {
		cmi_set_code(st, v12 ? 101 : 104, CMI_D_INIT_AFTER_TERMINATE, fn_name(st, C_INIT), NULL, 0, 0, NULL);
		return 0;
	}
	if (!empty_arg(st, arg, C_INIT))
		return 0;
	if (lms_fails(st, CMI_LMS_INITIALIZE, v12 ? 101 : 102, CMI_D_INIT_FAILED, C_INIT))
		return 0;
	st->api = CMI_API_RUNNING;
	st->active = 1;
	cmi_clear_error(st);
	return 1;
}

int cmi_api_terminate(cmi_state *st, const char *arg)
{
	PC_ASSERT(st != NULL);
	if (running(st, C_TERM) != 0 || !empty_arg(st, arg, C_TERM))
		return 0;
	if (lms_fails(st, CMI_LMS_TERMINATE, cmi_is12(st) ? 101 : 111, CMI_D_TERMINATE_FAILED, C_TERM))
		return 0;
	/* what the LMS computes at the end of a session (idempotent; the server runs it too) */
	if (cmi_session_end(st, NULL) != 0) {
		cmi_set_code(st, cmi_is12(st) ? 101 : 111, CMI_D_NO_MEMORY, fn_name(st, C_TERM), NULL, 0, 0, NULL);
		return 0;
	}
	st->api = CMI_API_TERMINATED;
	cmi_clear_error(st);
	return 1;
}

int cmi_api_commit(cmi_state *st, const char *arg)
{
	PC_ASSERT(st != NULL);
	if (running(st, C_COMMIT) != 0 || !empty_arg(st, arg, C_COMMIT))
		return 0;
	if (lms_fails(st, CMI_LMS_COMMIT, cmi_is12(st) ? 101 : 391, CMI_D_COMMIT_FAILED, C_COMMIT))
		return 0;
	cmi_clear_error(st);
	return 1;
}

const char *cmi_api_get_value(cmi_state *st, const char *element)
{
	PC_ASSERT(st != NULL);
	if (running(st, C_GET) != 0)
		return "";
	const char *v = cmi_model_get(st, element ? element : "", fn_name(st, C_GET));
	return v ? v : "";
}

int cmi_api_set_value(cmi_state *st, const char *element, const char *value)
{
	return cmi_api_set_valuen(st, element, value ? value : "", value ? strlen(value) : 0);
}

int cmi_api_set_valuen(cmi_state *st, const char *element, const char *value, size_t vlen)
{
	PC_ASSERT(st != NULL && (value != NULL || vlen == 0));
	if (running(st, C_SET) != 0)
		return 0;
	return cmi_model_set(st, element ? element : "", value, vlen, fn_name(st, C_SET)) == 1;
}

int cmi_api_last_error(const cmi_state *st) { return st->last_error; }

/* The code written as a canonical decimal number, or -1. */
static int parse_code(const char *s)
{
	int v = 0;
	if (!s || !*s || (s[0] == '0' && s[1]) || strlen(s) > 4)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static const char *error_text(const cmi_state *st, int code)
{
	const struct cmi_error_text *t = cmi_is12(st) ? cmi_errors12 : cmi_errors04;
	size_t n = cmi_is12(st) ? cmi_errors12_count : cmi_errors04_count;
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].text;
	return NULL;
}

const char *cmi_api_error_string(const cmi_state *st, const char *code)
{
	PC_ASSERT(st != NULL);
	const char *t = error_text(st, parse_code(code));
	return t ? t : "";
}

const char *cmi_api_diagnostic(const cmi_state *st, const char *code)
{
	PC_ASSERT(st != NULL);
	int c = !code || !*code ? st->last_error : parse_code(code);
	if (c != 0 && c == st->last_error && st->diag[0])
		return st->diag;
	const char *t = error_text(st, c);
	return t ? t : "";
}

/* ---- calls by name ------------------------------------------------------------------------------- */

enum op { OP_INIT, OP_TERM, OP_GET, OP_SET, OP_COMMIT, OP_LAST, OP_STRING, OP_DIAG };

static const struct {
	const char *name;
	int v12; /* 1: SCORM 1.2 name, 0: SCORM 2004 name */
	enum op op;
} calls[] = {
	{"LMSInitialize", 1, OP_INIT},      {"LMSFinish", 1, OP_TERM},
	{"LMSGetValue", 1, OP_GET},         {"LMSSetValue", 1, OP_SET},
	{"LMSCommit", 1, OP_COMMIT},        {"LMSGetLastError", 1, OP_LAST},
	{"LMSGetErrorString", 1, OP_STRING}, {"LMSGetDiagnostic", 1, OP_DIAG},
	{"Initialize", 0, OP_INIT},         {"Terminate", 0, OP_TERM},
	{"GetValue", 0, OP_GET},            {"SetValue", 0, OP_SET},
	{"Commit", 0, OP_COMMIT},           {"GetLastError", 0, OP_LAST},
	{"GetErrorString", 0, OP_STRING},   {"GetDiagnostic", 0, OP_DIAG},
};

int cmi_api_call(cmi_state *st, const char *function, const char *a1, const char *a2,
		 const char **result)
{
	PC_ASSERT(st != NULL && function != NULL && result != NULL);
	for (size_t i = 0; i < PC_ARRAY_LEN(calls); i++) {
		if (strcmp(calls[i].name, function) != 0 || calls[i].v12 != cmi_is12(st))
			continue;
		switch (calls[i].op) {
		case OP_INIT: *result = cmi_api_initialize(st, a1) ? "true" : "false"; break;
		case OP_TERM: *result = cmi_api_terminate(st, a1) ? "true" : "false"; break;
		case OP_COMMIT: *result = cmi_api_commit(st, a1) ? "true" : "false"; break;
		case OP_SET: *result = cmi_api_set_value(st, a1, a2) ? "true" : "false"; break;
		case OP_GET: *result = cmi_api_get_value(st, a1); break;
		case OP_STRING: *result = cmi_api_error_string(st, a1); break;
		case OP_DIAG: *result = cmi_api_diagnostic(st, a1); break;
		case OP_LAST:
			buf_reset(&st->out);
			buf_printf(&st->out, "%d", st->last_error);
			*result = buf_cstr(&st->out);
			break;
		}
		return 0;
	}
	*result = "";
	return PC_ENOTFOUND;
}
