/* The data model as the browser adapter (runtime/web/scorm-api.js) calls it: the functions the
 * WebAssembly build (cmi.wasm) exports, under the same names. They are compiled into the native
 * library too, so that the tests and the fuzz target run the same boundary code the browser does.
 *
 * Strings cross the boundary as pointers into the module's memory. The adapter allocates with
 * cmi_wasm_alloc and writes UTF-8 with a NUL at the end; it writes a lone surrogate (which no
 * UTF-8 text can hold) as the byte 0xFF, so the model refuses it as it refuses any invalid text,
 * and likewise a U+0000 in anything but a SetValue value (which has its length given). Answers
 * are NUL-terminated UTF-8 owned by the state: valid until the next call on that state.
 *
 * Not thread-safe (the browser runs one thread; cmi_wasm_error is one buffer). */
#ifndef POSTCARD_CMI_WASM_H
#define POSTCARD_CMI_WASM_H

#include <stddef.h>

#include "cmi.h"

/* The API calls cmi_wasm_call makes, by number (the adapter's table mirrors this one). */
enum cmi_wasm_op {
	CMI_WASM_INITIALIZE,
	CMI_WASM_TERMINATE,
	CMI_WASM_GET_VALUE,
	CMI_WASM_COMMIT,
	CMI_WASM_LAST_ERROR,
	CMI_WASM_ERROR_STRING,
	CMI_WASM_DIAGNOSTIC,
	CMI_WASM_OP_COUNT_
};

void *cmi_wasm_alloc(size_t n);
void cmi_wasm_free(void *p);

/* A state for `version` ("1.2", "2004", "2004-3rd", "2004-4th") seeded with `initial` (len bytes
 * of JSON, the adapter's `initial` option; cmi_seed_json's rules), ready for a first launch.
 * NULL when refused: cmi_wasm_error() says why. */
cmi_state *cmi_wasm_open(const char *version, const char *initial, size_t len);
void cmi_wasm_close(cmi_state *st);
/* Why the last cmi_wasm_open or cmi_wasm_relaunch failed (one line). */
const char *cmi_wasm_error(void);

/* An API call (enum cmi_wasm_op) with its argument (NULL or "" when it takes none): the answer
 * as content sees it ("true", "false", a value, an error code, a text). NULL for an unknown op. */
const char *cmi_wasm_call(cmi_state *st, int op, const char *arg);
/* SetValue with a value of vlen bytes: 0 "false"; 1 "true", the element belongs to no
 * collection (a later change of it replaces an unsent earlier one: the adapter's journal
 * compacts those); 2 "true", an element of a collection row. */
int cmi_wasm_set(cmi_state *st, const char *element, const char *value, size_t vlen);

/* What the LMS reads (cmi_state_get): NULL when the element has no value. */
const char *cmi_wasm_peek(cmi_state *st, const char *element);
/* The current values as a flat JSON object (cmi_state_initial_json); NULL out of memory. */
const char *cmi_wasm_values(cmi_state *st);
/* 0 not initialized, 1 running, 2 terminated. */
int cmi_wasm_api_state(const cmi_state *st);
/* "1.2", "2004-3rd" or "2004-4th": the wire format's name of the state's version. */
const char *cmi_wasm_version(const cmi_state *st);
/* The most changes one commit request may carry (CMI_COMMIT_MAX_CHANGES). */
int cmi_wasm_max_changes(void);

/* Ends the session as the LMS does (cmi_session_end) and answers its report as JSON:
 * {"exit":"..","navRequest":"..","suspended":bool,"attemptEnded":bool}; NULL out of memory. */
const char *cmi_wasm_end(cmi_state *st);
/* The state for the next launch of the SCO, made as the server makes it: this one stored as JSON
 * (cmi_state_to_json), read back (cmi_state_from_json) and a new session begun
 * (cmi_session_begin: the old one ended if it never was, a new attempt after an ended 2004
 * one). `st` is left as it was. NULL on failure (cmi_wasm_error). */
cmi_state *cmi_wasm_relaunch(cmi_state *st);

/* The LMS's side of Initialize, Commit and Terminate (cmi_lms_hook): in the browser, the
 * module's import "env" "lms", which the adapter answers with its transport. It returns NULL
 * (go on) or a one-line reason allocated with cmi_wasm_alloc (the call fails with that
 * diagnostic; the model frees it). Natively, a function set with cmi_wasm_set_lms (none: every
 * call goes on). */
typedef char *(*cmi_wasm_lms_fn)(cmi_state *st, int event);
#ifndef __wasm__
void cmi_wasm_set_lms(cmi_wasm_lms_fn fn);
#endif

#endif
