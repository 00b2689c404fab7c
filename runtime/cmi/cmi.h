/* The SCORM run-time data model: SCORM 1.2 and SCORM 2004 4th Edition (which also serves 3rd
 * Edition packages). It is the one authority on what a SCO may read and write: the server keeps
 * one state per SCO attempt and replays every change the browser sends through it, and the
 * browser adapter (runtime/web/scorm-api.js) runs this same code compiled to WebAssembly
 * (cmi_wasm.h). Pure C on the C library alone, no I/O: a state and a request go in, the state
 * and a SCORM error code come out.
 *
 * Typical server use:
 *   launch   cmi_state_from_json(stored) or cmi_state_new + cmi_seed_launch (+ cmi_seed for
 *            manifest objectives, adl.data ids); cmi_session_begin; give the page
 *            cmi_state_initial_json, cmi_state_session and cmi_version_string(version) (the
 *            adapter's `initial`, `session` and `version` options).
 *   commit   cmi_commit_handle(st, body) -> response JSON; store cmi_state_to_json(st).
 *   records  cmi_state_get(st, "cmi.core.lesson_status") and friends.
 * A state is not thread-safe: one thread at a time per state. */
#ifndef POSTCARD_CMI_H
#define POSTCARD_CMI_H

#include <stddef.h>

#include "buf.h"
#include "common.h"

typedef struct cmi_state cmi_state;

/* ---- Error codes -------------------------------------------------------------------------
 * The two versions number their errors differently; a state answers in its own version's codes. */
enum cmi12_error {
	CMI12_NO_ERROR = 0,
	CMI12_GENERAL = 101,       /* also: LMSInitialize twice, calls after LMSFinish, LMS failures */
	CMI12_INVALID_ARG = 201,   /* unknown element in a known category, bad index, non-"" arg */
	CMI12_NO_CHILDREN = 202,
	CMI12_NO_COUNT = 203,
	CMI12_NOT_INITIALIZED = 301,
	CMI12_NOT_IMPLEMENTED = 401, /* unknown category (ADL CTS) */
	CMI12_KEYWORD = 402,
	CMI12_READ_ONLY = 403,
	CMI12_WRITE_ONLY = 404,
	CMI12_TYPE = 405, /* bad type, format, vocabulary, too long, and out of range */
};

enum cmi04_error {
	CMI04_NO_ERROR = 0,
	CMI04_GENERAL = 101,
	CMI04_INIT_FAILURE = 102,
	CMI04_ALREADY_INITIALIZED = 103,
	CMI04_INSTANCE_TERMINATED = 104,
	CMI04_TERMINATION_FAILURE = 111,
	CMI04_TERMINATE_BEFORE_INIT = 112,
	CMI04_TERMINATE_AFTER_TERMINATE = 113,
	CMI04_GET_BEFORE_INIT = 122,
	CMI04_GET_AFTER_TERMINATE = 123,
	CMI04_SET_BEFORE_INIT = 132,
	CMI04_SET_AFTER_TERMINATE = 133,
	CMI04_COMMIT_BEFORE_INIT = 142,
	CMI04_COMMIT_AFTER_TERMINATE = 143,
	CMI04_ARGUMENT = 201,
	CMI04_GET_FAILURE = 301,
	CMI04_SET_FAILURE = 351,
	CMI04_COMMIT_FAILURE = 391,
	CMI04_UNDEFINED = 401,
	CMI04_UNIMPLEMENTED = 402, /* never raised: every element is implemented */
	CMI04_NOT_INITIALIZED = 403,
	CMI04_READ_ONLY = 404,
	CMI04_WRITE_ONLY = 405,
	CMI04_TYPE_MISMATCH = 406,
	CMI04_OUT_OF_RANGE = 407,
	CMI04_DEPENDENCY = 408,
};

/* ---- Limits ------------------------------------------------------------------------------ */

/* No element name is longer than this many bytes (the longest is an
 * adl.nav.request_valid.choice.{target=ID} with a 250-character ID, about 1040 bytes): a caller
 * may refuse longer names early. The model itself answers them as unknown elements. */
#define CMI_ELEMENT_MAX 1100
/* Diagnostics are cut to 255 code points (the 2004 text's limit for GetDiagnostic). */
#define CMI_DIAG_MAX 255
/* Sum of the UTF-8 bytes of every stored value of one state. The SPMs alone would allow tens of
 * megabytes (250 interactions of 10 objective ids of 4000 characters each); real content uses a
 * few kilobytes. A SetValue that would pass this answers 351 (2004) / 101 (1.2). */
#define CMI_STATE_MAX_BYTES ((size_t)4 << 20)
/* Changes in one commit request; the adapter sends the pending ones, never more than this. */
#define CMI_COMMIT_MAX_CHANGES 20000

/* ---- States ------------------------------------------------------------------------------ */

/* A fresh state (no values set, API not initialized) following `version`'s data model:
 * SCORM_12, SCORM_2004_3RD or SCORM_2004_4TH (the 3rd Edition model is the 4th without adl.data
 * and jump). Returns 0, PC_EINVAL for SCORM_UNKNOWN, PC_ENOMEM. */
int cmi_state_new(cmi_state **out, scorm_version version);
void cmi_state_free(cmi_state *st);
scorm_version cmi_state_version(const cmi_state *st);

/* Parses "1.2", "2004" (= 4th), "2004-3rd", "2004-4th" as used in the wire format and the
 * adapter's `version` option. Returns SCORM_UNKNOWN for anything else. */
scorm_version cmi_version_parse(const char *s);
/* The reverse, for JSON: "1.2", "2004-3rd", "2004-4th". */
const char *cmi_version_string(scorm_version v);

/* ---- What the LMS puts in -----------------------------------------------------------------
 * Seeding sets a value as the LMS: any element except keywords, read-only ones included, checked
 * against the element's type, format, range and limit (not against access, dependency or
 * uniqueness). A collection row is created when its index equals the current count. Seeded
 * values are remembered and restored by cmi_state_reset_attempt. Returns 0, a negative PC_E*
 * (PC_ENOMEM), or a positive SCORM error code of the state's version saying why the value was
 * refused (e.g. 406/405 bad value, 401/201 no such element). */
int cmi_seed(cmi_state *st, const char *element, const char *value);

/* Seeds every member of a JSON object {"element": "value", ...} (the shape of the adapter's
 * `initial`), creating rows in index order and checking interaction responses after types.
 * After loading, every collection must be packed (rows 0..count-1). Returns 0, PC_ENOMEM, or
 * PC_EFORMAT with a one-line reason in err (when err is not NULL). */
int cmi_seed_json(cmi_state *st, const char *json, size_t len, char *err, size_t errlen);

/* The values an LMS initialises at launch, from the learner record and the manifest. NULL
 * members are left unset (the element keeps its default, or answers 403 in 2004). */
typedef struct cmi_launch {
	const char *learner_id;           /* cmi.core.student_id / cmi.learner_id */
	const char *learner_name;         /* cmi.core.student_name / cmi.learner_name */
	const char *credit;               /* "credit" (default) | "no-credit" */
	const char *mode;                 /* "normal" (default) | "browse" | "review" */
	const char *launch_data;          /* adlcp:datafromlms / adlcp:dataFromLMS */
	const char *mastery_score;        /* 1.2 adlcp:masteryscore (0..100) */
	const char *max_time_allowed;     /* 1.2 adlcp:maxtimeallowed (CMITimespan) / 2004
	                                     imsss:attemptAbsoluteDurationLimit (ISO duration) */
	const char *time_limit_action;    /* adlcp:timelimitaction / adlcp:timeLimitAction */
	const char *completion_threshold; /* 2004 adlcp:completionThreshold (3rd: the text; 4th:
	                                     @minProgressMeasure when completedByMeasure) */
	const char *scaled_passing_score; /* 2004 primary objective's minNormalizedMeasure when
	                                     satisfiedByMeasure="true" */
} cmi_launch;

/* Seeds each non-NULL member of `l` under its element name for the state's version (members
 * that do not exist in that version, e.g. mastery_score in 2004, are ignored). A refused value
 * is left out and the others are still seeded (one bad manifest value must not cost the SCO its
 * passing score): returns the first refusal's SCORM code and sets *bad_element (when not NULL)
 * to its element's name (static string). Returns 0 or PC_ENOMEM otherwise. */
int cmi_seed_launch(cmi_state *st, const cmi_launch *l, const char **bad_element);

/* ---- Shared data (SCORM 2004 4th Edition adl.data) ------------------------------------------
 * The maps of the SCO's item (adlcp:data/adlcp:map) in manifest order, with the learner's current
 * value of each bucket. */
typedef struct cmi_shared_map {
	const char *target_id; /* adlcp:map@targetID */
	int read, write;       /* @readSharedData, @writeSharedData (the CAM's default: both 1) */
	const char *store;     /* the bucket's value, NULL when nothing was ever written to it */
} cmi_shared_map;

/* Replaces the state's adl.data rows (values and seeds) by these: adl.data.n.id, the map's
 * permissions (LMS-only elements adl.data.n.readSharedData / writeSharedData, seeded only when
 * "false" and enforced by the model: GetValue 405, SetValue 404) and adl.data.n.store (only when
 * the bucket has a value and the map lets the SCO read it; otherwise GetValue answers 403 or 405).
 * Call at every launch after cmi_session_begin: other SCOs may have written the buckets since.
 * Does nothing for states that are not 4th Edition. Stops at the first refusal like
 * cmi_seed_launch (a refused store value is left out: the row keeps 403). */
int cmi_seed_shared_data(cmi_state *st, const cmi_shared_map *maps, size_t n, const char **bad_element);

/* The adl.data rows whose store the SCO has set (SetValue or a commit's change) since the last
 * call: calls fn(ud, target_id, value) for each, in row order, with the row's current value.
 * Returns 0 (and forgets them), PC_ENOMEM, or the first non-zero return of fn (the rows not
 * reported stay marked). */
int cmi_shared_take_written(cmi_state *st, int (*fn)(void *ud, const char *target_id, const char *value),
			    void *ud);

/* ---- The API, as the SCO calls it ----------------------------------------------------------
 * One function per API call; the same functions serve both versions (1.2 LMSInitialize ->
 * cmi_api_initialize, LMSFinish -> cmi_api_terminate, ...). Each sets the state's last error
 * exactly as the version's specification says. The three getters never change it. */
int cmi_api_initialize(cmi_state *st, const char *arg); /* 1 = "true", 0 = "false" */
/* A successful Terminate also runs cmi_session_end. */
int cmi_api_terminate(cmi_state *st, const char *arg);
int cmi_api_commit(cmi_state *st, const char *arg);
/* The value, or "" on error. Borrowed: valid until the next call that changes `st`. */
const char *cmi_api_get_value(cmi_state *st, const char *element);
int cmi_api_set_value(cmi_state *st, const char *element, const char *value);
/* The same with a value of vlen bytes, which may hold anything: a U+0000 or invalid UTF-8 is a
 * type error (406 / 405), as a value from content that is not text. */
int cmi_api_set_valuen(cmi_state *st, const char *element, const char *value, size_t vlen);
int cmi_api_last_error(const cmi_state *st);
/* The version's fixed text for a code given as a string ("" for unknown codes). Static. */
const char *cmi_api_error_string(const cmi_state *st, const char *code);
/* "" or the last error's code: a one-line explanation of the last error ("" when there was
 * none); another known code: its error string; anything else: "". Borrowed like get_value. */
const char *cmi_api_diagnostic(const cmi_state *st, const char *code);

/* Calls an API function by its name as content calls it ("LMSSetValue" for 1.2, "SetValue"
 * for 2004; the other version's names are not found). a1/a2 are the arguments (NULL when the
 * function takes fewer). Puts the return value as content sees it ("true", "false", a value,
 * an error code as text) in *result (borrowed, like get_value). Returns 0, or PC_ENOTFOUND
 * for an unknown function name. Used by the conformance vectors and the fuzz target. */
int cmi_api_call(cmi_state *st, const char *function, const char *a1, const char *a2,
		 const char **result);

/* The LMS's own work and failures: the browser adapter sends the SCO's changes from here, and
 * an in-process LMS can make Initialize, Commit and Terminate fail as if storage were down
 * (2004: 102, 391, 111; 1.2: 101). The hook is called at the end of a call that would
 * otherwise succeed; a non-zero return fails it, leaving the API state as it was (a failed
 * Terminate stays Running so the SCO may try again), and the diagnostic gives the one-line
 * reason the hook wrote into `why` ("storage failure" when it wrote none). */
typedef enum cmi_lms_event { CMI_LMS_INITIALIZE, CMI_LMS_COMMIT, CMI_LMS_TERMINATE } cmi_lms_event;
typedef int (*cmi_lms_hook)(void *ud, cmi_lms_event ev, cmi_state *st, buf *why);
void cmi_state_set_hook(cmi_state *st, cmi_lms_hook hook, void *ud);

/* ---- Reading a state as the LMS ------------------------------------------------------------
 * The value content would read, ignoring access rules and API state: stored value, else the
 * default; 2004 completion_status and success_status are evaluated (threshold/progress,
 * passing/scaled). NULL when the element does not exist in this version or has no value.
 * Borrowed until the state changes. Write-only elements (exit, session_time, 1.2
 * interactions) are readable here. */
const char *cmi_state_get(const cmi_state *st, const char *element);
/* What is stored for an element, exactly: NULL when nothing was ever set or seeded (no default,
 * no evaluation), e.g. to tell whether the SCO set cmi.completion_status itself. Borrowed. */
const char *cmi_state_stored(const cmi_state *st, const char *element);
/* Rows in a collection ("cmi.interactions", "cmi.interactions.3.objectives"); 0 when unknown. */
size_t cmi_state_count(const cmi_state *st, const char *collection);

/* A time interval as either edition writes it (1.2 CMITimespan HHHH:MM:SS.SS, 2004 ISO 8601
 * duration P[nY][nM][nD][T[nH][nM][n.nnS]], months and years counted as 30 and 365 days) in
 * hundredths of a second, for reports that show both editions alike. -1 when it is neither. */
long long cmi_interval_cs(const char *v);

/* ---- Sessions and attempts (what the LMS computes) -------------------------------------------
 * A session is one launch of the SCO: Initialize .. Terminate. cmi_session_end runs once per
 * session (later calls do nothing and report the same): total_time += session_time; the
 * next entry ("resume" after exit=suspend, else "" in 1.2; 2004 ends the attempt unless
 * suspended); 2004 completion/success are stored as evaluated; 1.2 mastery score (credit mode,
 * score.raw set: passed if raw >= mastery else failed) and, when the SCO never set
 * lesson_status, "completed" ("browsed" in browse mode). */
typedef struct cmi_session_report {
	int attempt_ended; /* 2004: exit was not "suspend"; 1.2: exit was not "suspend" (advisory:
	                      1.2 keeps the data, entry becomes "") */
	int suspended;     /* exit was "suspend" */
	char exit[16];     /* the exit value the SCO left ("" when none) */
	char nav_request[16]; /* 2004 adl.nav.request token without target, "" in 1.2 ("_none_"
	                         when unset); the full value is cmi_state_get("adl.nav.request") */
	/* 2004: the SCO itself set cmi.completion_status / cmi.success_status (before the end
	 * stored evaluated ones): what sequencing's End Attempt asks (cmi_sn.h) */
	int completion_set, success_set;
} cmi_session_report;
int cmi_session_end(cmi_state *st, cmi_session_report *report);

/* Prepares a state for the next launch: ends the previous session if it never ended (a page
 * closed without Terminate), starts a fresh attempt when the previous 2004 session ended the
 * attempt (*new_attempt = 1), clears exit and session_time, puts the API back to "not
 * initialized" and starts a new commit journal (cmi_state_session increases). Returns 0 or
 * PC_ENOMEM. */
int cmi_session_begin(cmi_state *st, int *new_attempt);
/* Where the state's current session is: begun and nothing arrived yet (NEW), changes arrived
 * and it has not ended (RUNNING), ended with the attempt going on (SUSPENDED: cmi.exit
 * "suspend", or a suspendAll request) or with the attempt over (DONE). */
typedef enum cmi_phase { CMI_PHASE_NEW, CMI_PHASE_RUNNING, CMI_PHASE_SUSPENDED, CMI_PHASE_DONE } cmi_phase;
cmi_phase cmi_state_phase(const cmi_state *st);
/* The LMS suspended the SCO's attempt after its session ended it (SCORM 2004: a Suspend All
 * the learner asked for, SN 4.6.2): the next session resumes it (cmi.entry "resume", values
 * kept) whatever cmi.exit said. Does nothing unless the phase is DONE. Returns 0 or PC_ENOMEM. */
int cmi_state_keep_attempt(cmi_state *st);
/* The current session number, echoed by the adapter in every commit so a late beacon from an
 * earlier launch cannot touch this one. */
unsigned long cmi_state_session(const cmi_state *st);
/* Drops everything but the seeded values (a new attempt: entry ab-initio, total_time zero). */
int cmi_state_reset_attempt(cmi_state *st);

/* ---- Storage ----------------------------------------------------------------------------
 * The whole state as one JSON object (version, seeds, values, session bookkeeping). Object
 * members are sorted, so equal states give equal text. */
int cmi_state_to_json(const cmi_state *st, buf *out);
/* Rebuilds a state from cmi_state_to_json's output, re-checking every value. Returns 0,
 * PC_ENOMEM, or PC_EFORMAT with a one-line reason in err (when not NULL). */
int cmi_state_from_json(cmi_state **out, const char *json, size_t len, char *err, size_t errlen);
/* The state the next launch starts from, made the way the server makes it: `st` stored
 * (cmi_state_to_json), read back (cmi_state_from_json) and a session begun on it
 * (cmi_session_begin; *new_attempt, when not NULL, says a new attempt began). End the session
 * first (cmi_session_end) when the launch ended it. `st` is not changed and no hook is set on
 * the new state. The one relaunch of the shared vectors, against the C library
 * (tests/rte/test_vectors.c) and the adapter (cmi_wasm_relaunch). Returns 0 with *out the
 * caller's, PC_ENOMEM, or PC_EFORMAT with the reason in err (a stored state that does not read
 * back: a bug). */
int cmi_state_relaunch(cmi_state **out, int *new_attempt, const cmi_state *st, char *err,
		       size_t errlen);
/* The values content starts with, as a flat JSON object {"element": "value"} (the adapter's
 * `initial`): everything stored, including write-only values the adapter keeps but never
 * returns. Counts are implied by the rows. "<", ">", "&", U+2028 and U+2029 are escaped, so the
 * text may go straight into an inline <script>. */
int cmi_state_initial_json(const cmi_state *st, buf *out);

/* ---- Commits from the browser --------------------------------------------------------------
 * The wire format is documented at the top of runtime/web/scorm-api.js. */

/* One SetValue as the SCO made it. */
typedef struct cmi_change {
	const char *element;
	const char *value;
} cmi_change;

typedef struct cmi_rejection {
	size_t index; /* position in the changes given */
	int code;     /* SCORM error code the SetValue got */
} cmi_rejection;

/* Replays SetValue calls on the data model in order, as if the API were running (whatever the
 * API state is). Each change that fails is listed in rejected[] (room for n entries) and does
 * not change the state; the others are applied. Returns 0 or PC_ENOMEM. */
int cmi_apply_changes(cmi_state *st, const cmi_change *changes, size_t n, cmi_rejection *rejected,
		      size_t *nrejected);

/* Interactions rows a commit result tracks one by one (see cmi_commit_result.rows). */
#define CMI_COMMIT_ROWS 256

typedef struct cmi_commit_result {
	int error_code;       /* the SCORM code answered: 0, or 1.2 101 / 2004 391 */
	unsigned long seq;    /* the request's sequence number (0 when unreadable) */
	size_t applied;       /* journal entries of this session applied, after this request */
	size_t nrejected;     /* changes of this request the model refused */
	int terminated;       /* this request ended the session (cmi_session_end ran) */
	int duplicate;        /* nothing new: every change was already applied */
	cmi_session_report report; /* valid when terminated */
	/* The cmi.interactions rows this request's newly applied changes touched (bit n of
	 * rows[n / 8] for row n), and whether any row at or past CMI_COMMIT_ROWS was: a store
	 * rewrites only those rows. */
	unsigned char rows[CMI_COMMIT_ROWS / 8];
	int rows_beyond;
} cmi_commit_result;

/* Handles one commit request body (JSON, as application/json or text/plain from a beacon):
 * checks version and session, applies the changes not applied yet (exactly once, by journal
 * index), ends the session when the terminate flag is set, and writes the JSON answer for the
 * adapter into `response`. Returns 0 when the body was a commit (even if changes were refused:
 * see result), PC_EFORMAT when it was not one (response still holds a JSON answer with
 * "result": false and an "error" text; answer HTTP 400), PC_ENOMEM. The caller stores the state
 * afterwards whenever result->applied grew or result->terminated is set. */
int cmi_commit_handle(cmi_state *st, const char *body, size_t len, buf *response,
		      cmi_commit_result *result);

/* cmi_commit_handle in two steps, so the parsing can run on another thread than the one that
 * owns the state: cmi_commit_parse needs no state (any thread; returns 0 or PC_ENOMEM, and a
 * body that is not JSON still gives a request, answered by apply as a refusal), and
 * cmi_commit_apply does everything else, with cmi_commit_handle's results. */
typedef struct cmi_commit_req cmi_commit_req;
int cmi_commit_parse(cmi_commit_req **out, const char *body, size_t len);
int cmi_commit_apply(cmi_state *st, const cmi_commit_req *req, buf *response,
		     cmi_commit_result *result);
void cmi_commit_req_free(cmi_commit_req *req);

#endif
