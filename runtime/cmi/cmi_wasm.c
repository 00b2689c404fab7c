/* The WebAssembly build's exports (cmi_wasm.h): thin wrappers over cmi.h, each answering in
 * one NUL-terminated string or a number, since that is all that crosses to JavaScript cheaply. */
#include "cmi_wasm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmi_int.h"

#ifdef __wasm__
#define EXPORT(name) __attribute__((export_name(#name))) name
__attribute__((import_module("env"), import_name("lms"))) extern char *cmi_wasm_lms(cmi_state *st, int event);
#else
#define EXPORT(name) name
static cmi_wasm_lms_fn lms_fn;
void cmi_wasm_set_lms(cmi_wasm_lms_fn fn) { lms_fn = fn; }
static char *cmi_wasm_lms(cmi_state *st, int event) { return lms_fn ? lms_fn(st, event) : NULL; }
#endif

static char open_error[256];

void *EXPORT(cmi_wasm_alloc)(size_t n) { return malloc(n ? n : 1); }
void EXPORT(cmi_wasm_free)(void *p) { free(p); }
const char *EXPORT(cmi_wasm_error)(void) { return open_error; }
void EXPORT(cmi_wasm_close)(cmi_state *st) { cmi_state_free(st); }

static int lms_hook(void *ud, cmi_lms_event ev, cmi_state *st, buf *why)
{
	(void)ud;
	char *reason = cmi_wasm_lms(st, (int)ev);
	if (!reason)
		return 0;
	buf_puts(why, reason);
	free(reason);
	return 1;
}

cmi_state *EXPORT(cmi_wasm_open)(const char *version, const char *initial, size_t len)
{
	cmi_state *st = NULL;
	int rc = cmi_state_new(&st, cmi_version_parse(version));
	open_error[0] = '\0';
	if (rc == PC_EINVAL) {
		snprintf(open_error, sizeof open_error,
			 "version must be \"1.2\", \"2004\", \"2004-3rd\" or \"2004-4th\"");
		return NULL;
	}
	if (rc == 0 && initial && len)
		rc = cmi_seed_json(st, initial, len, open_error, sizeof open_error);
	if (rc != 0) {
		if (rc == PC_ENOMEM)
			snprintf(open_error, sizeof open_error, "out of memory");
		cmi_state_free(st);
		return NULL;
	}
	cmi_state_set_hook(st, lms_hook, NULL);
	return st;
}

const char *EXPORT(cmi_wasm_call)(cmi_state *st, int op, const char *arg)
{
	if (!arg)
		arg = "";
	switch (op) {
	case CMI_WASM_INITIALIZE: return cmi_api_initialize(st, arg) ? "true" : "false";
	case CMI_WASM_TERMINATE: return cmi_api_terminate(st, arg) ? "true" : "false";
	case CMI_WASM_GET_VALUE: return cmi_api_get_value(st, arg);
	case CMI_WASM_COMMIT: return cmi_api_commit(st, arg) ? "true" : "false";
	case CMI_WASM_LAST_ERROR:
		buf_reset(&st->out);
		buf_printf(&st->out, "%d", cmi_api_last_error(st));
		return buf_cstr(&st->out);
	case CMI_WASM_ERROR_STRING: return cmi_api_error_string(st, arg);
	case CMI_WASM_DIAGNOSTIC: return cmi_api_diagnostic(st, arg);
	default: return NULL;
	}
}

int EXPORT(cmi_wasm_set)(cmi_state *st, const char *element, const char *value, size_t vlen)
{
	if (!cmi_api_set_valuen(st, element, value, vlen))
		return 0;
	/* it was stored, so the name resolves; a row number means a collection */
	struct cmi_ref r;
	return cmi_resolve(st->model, element, &r) == CMI_R_OK && r.nidx ? 2 : 1;
}

const char *EXPORT(cmi_wasm_peek)(cmi_state *st, const char *element)
{
	return cmi_state_get(st, element);
}

const char *EXPORT(cmi_wasm_values)(cmi_state *st)
{
	buf_reset(&st->out);
	return cmi_state_initial_json(st, &st->out) == 0 ? buf_cstr(&st->out) : NULL;
}

int EXPORT(cmi_wasm_api_state)(const cmi_state *st) { return st->api; }

const char *EXPORT(cmi_wasm_version)(const cmi_state *st) { return cmi_version_string(st->version); }

int EXPORT(cmi_wasm_max_changes)(void) { return CMI_COMMIT_MAX_CHANGES; }

const char *EXPORT(cmi_wasm_end)(cmi_state *st)
{
	cmi_session_report r;
	if (cmi_session_end(st, &r) != 0)
		return NULL;
	buf_reset(&st->out);
	buf_puts(&st->out, "{\"exit\":");
	buf_put_json_string(&st->out, r.exit);
	buf_puts(&st->out, ",\"navRequest\":");
	buf_put_json_string(&st->out, r.nav_request);
	buf_printf(&st->out, ",\"suspended\":%s,\"attemptEnded\":%s}", r.suspended ? "true" : "false",
		   r.attempt_ended ? "true" : "false");
	return buf_error(&st->out) ? NULL : buf_cstr(&st->out);
}

cmi_state *EXPORT(cmi_wasm_relaunch)(cmi_state *st)
{
	cmi_state *next = NULL;
	open_error[0] = '\0';
	int rc = cmi_state_relaunch(&next, NULL, st, open_error, sizeof open_error);
	if (rc != 0) {
		if (rc == PC_ENOMEM)
			snprintf(open_error, sizeof open_error, "out of memory");
		return NULL;
	}
	cmi_state_set_hook(next, lms_hook, NULL);
	return next;
}
