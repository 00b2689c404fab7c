/* Private to runtime/cmi/cmi_*.c: the element table's shape, the value store, the type checkers and
 * the state struct. The table (cmi_table.c) is the one place element rules are written; the
 * server and the browser adapter (through cmi.wasm) both run them. */
#ifndef POSTCARD_CMI_INT_H
#define POSTCARD_CMI_INT_H

#include <stddef.h>

#include "cmi.h"

/* Which data models an entry belongs to. */
enum {
	CMI_M12 = 1,
	CMI_M2004_3 = 2,
	CMI_M2004_4 = 4,
	CMI_M2004 = CMI_M2004_3 | CMI_M2004_4,
};

enum cmi_access { CMI_RO = 1, CMI_WO = 2, CMI_RW = 3 };

enum cmi_kind { CMI_LEAF, CMI_CHILDREN, CMI_COUNT, CMI_VERSION };

/* Value types. The checkers are in cmi_types.c. */
enum cmi_type {
	CMI_T_NONE,
	/* SCORM 1.2 (RTE 1.2 data types) */
	CMI_T12_STRING,     /* CMIString255 / CMIString4096: spm says which */
	CMI_T12_IDENTIFIER, /* CMIIdentifier */
	CMI_T12_DECIMAL,    /* CMIDecimal (CMIBlank too when CMI_F_BLANK) */
	CMI_T12_SINTEGER,   /* CMISInteger */
	CMI_T12_VOCAB,      /* CMIVocabulary */
	CMI_T12_TIME,       /* CMITime */
	CMI_T12_TIMESPAN,   /* CMITimespan */
	CMI_T12_FEEDBACK,   /* CMIFeedback, format by interaction type */
	CMI_T12_RESULT,     /* vocabulary or CMIDecimal */
	/* SCORM 2004 (RTE 4th Edition 4.1 data types) */
	CMI_T_CHARSTRING,
	CMI_T_LOCALIZED,
	CMI_T_LONG_ID,
	CMI_T_SHORT_ID,
	CMI_T_REAL,
	CMI_T_STATE,
	CMI_T_TIME,
	CMI_T_DURATION,
	CMI_T_LANGUAGE,
	CMI_T_RESULT,   /* state or real */
	CMI_T_PATTERN,  /* correct_responses.m.pattern, format by interaction type */
	CMI_T_RESPONSE, /* learner_response, format by interaction type */
	CMI_T_NAVREQ,   /* adl.nav.request */
	CMI_T_COUNT_
};

/* Entry flags. */
enum {
	CMI_F_BLANK = 1 << 0,      /* "" is accepted besides the type's values */
	CMI_F_CREATES = 1 << 1,    /* 2004: a SetValue at index == _count creates the row */
	CMI_F_NEEDS_TYPE = 1 << 2, /* 2004: 408 until cmi.interactions.n.type is set */
	CMI_F_UNIQUE = 1 << 3,     /* 2004: no two rows of the collection share the value */
	CMI_F_ONCE = 1 << 4,       /* 2004: cannot change once set (another value: 351) */
	CMI_F_EVAL_COMPLETION = 1 << 5, /* 2004 cmi.completion_status: evaluated on read */
	CMI_F_EVAL_SUCCESS = 1 << 6,    /* 2004 cmi.success_status: evaluated on read */
	CMI_F_TARGET = 1 << 7,     /* the last segment is {target=ID} (adl.nav.request_valid) */
	CMI_F_ITYPE = 1 << 8,      /* cmi.interactions.n.type: the stored responses must fit it */
	CMI_F_LMS = 1 << 9,        /* the LMS's own (seeded, stored, read by the LMS): the SCO's
	                              GetValue/SetValue answer as if the element did not exist */
	CMI_F_GUARDED = 1 << 10,   /* access further limited by the row's permission elements */
	CMI_F_READ_PERM = 1 << 11,  /* "false": GetValue of the row's guarded element is 405 */
	CMI_F_WRITE_PERM = 1 << 12, /* "false": SetValue of the row's guarded element is 404 */
};

/* Added to a model in cmi_resolve's `model` argument: CMI_F_LMS elements resolve too (seeding
 * and the LMS's reads). Without it they are unknown names, as for the SCO. */
#define CMI_M_LMS (1u << 8)

struct cmi_elem {
	const char *name; /* index segments are "n" and "m"; "{target}" for a {target=ID} segment */
	unsigned models;
	unsigned char kind, access, type;
	unsigned spm;                /* code points; 0 = no limit of its own */
	const char *const *vocab;    /* NULL-terminated: CMI_T12_VOCAB, CMI_T_STATE, results */
	const char *lo, *hi;         /* inclusive decimal bounds, NULL when open */
	unsigned flags;
	const char *dflt;  /* value when never set; NULL: 1.2 answers "", 2004 answers 403 */
	const char *text;  /* CMI_CHILDREN: the list; CMI_VERSION: the value */
	const char *desc;  /* what the type is, for diagnostics ("CMITimespan (HHHH:MM:SS.SS)") */
	const char *range; /* the bounds as text, for diagnostics ("0..100") */
};

struct cmi_coll {
	const char *name; /* "cmi.interactions", "cmi.interactions.n.objectives" */
	unsigned models;
	unsigned max;     /* rows kept; 0: by interaction type (correct_responses) */
	int lms_only;     /* rows come only from the LMS (comments_from_lms, adl.data) */
};

/* Per interaction type: correct_responses kept, and how each response format reads. */
struct cmi_itype {
	const char *name;
	unsigned models;
	unsigned max_patterns;
	const char *desc; /* for diagnostics */
};

/* The diagnostics: id -> template. Placeholders: {e} element, {f} function, {i} the
 * version's Initialize, {t} its Terminate, {n} {c} numbers, {d} detail text. */
enum cmi_diag_id {
	CMI_D_NONE,
	CMI_D_INIT_TWICE,
	CMI_D_INIT_AFTER_TERMINATE,
	CMI_D_BEFORE_INIT,
	CMI_D_AFTER_TERMINATE,
	CMI_D_BAD_ARG,
	CMI_D_EMPTY_ELEMENT,
	CMI_D_UNKNOWN,
	CMI_D_UNKNOWN_CATEGORY,
	CMI_D_BAD_INDEX,
	CMI_D_NO_CHILDREN,
	CMI_D_NO_COUNT,
	CMI_D_BAD_VERSION,
	CMI_D_KEYWORD,
	CMI_D_READ_ONLY,
	CMI_D_WRITE_ONLY,
	CMI_D_NO_VALUE,
	CMI_D_NO_ROW,
	CMI_D_GAP,
	CMI_D_FULL,
	CMI_D_NEED_ID,
	CMI_D_NEED_TYPE,
	CMI_D_TYPE,
	CMI_D_RANGE,
	CMI_D_TOO_LONG,
	CMI_D_TOO_MANY,
	CMI_D_NOT_UNIQUE,
	CMI_D_DUPLICATE_PATTERN,
	CMI_D_ID_FIXED,
	CMI_D_TYPE_CONFLICT,
	CMI_D_STATE_FULL,
	CMI_D_INIT_FAILED,
	CMI_D_COMMIT_FAILED,
	CMI_D_TERMINATE_FAILED,
	CMI_D_NO_MEMORY,
	CMI_D_SHARED_NO_READ,
	CMI_D_SHARED_NO_WRITE,
	CMI_D_COUNT_
};

struct cmi_diag_template {
	const char *id; /* stable name, used in the JSON table */
	const char *text;
};

struct cmi_error_text {
	int code;
	const char *text;
};

/* The table (cmi_table.c). */
extern const struct cmi_elem cmi_elems[];
extern const size_t cmi_elem_count;
extern const struct cmi_coll cmi_colls[];
extern const size_t cmi_coll_count;
extern const struct cmi_itype cmi_itypes[];
extern const size_t cmi_itype_count;
extern const struct cmi_diag_template cmi_diags[CMI_D_COUNT_];
extern const struct cmi_error_text cmi_errors12[];
extern const size_t cmi_errors12_count;
extern const struct cmi_error_text cmi_errors04[];
extern const size_t cmi_errors04_count;
extern const char *const cmi_type_names[CMI_T_COUNT_];
/* The error code each kind of failure gets in each version (see cmi_table.c). */
enum cmi_fail {
	CMI_X_EMPTY_GET,
	CMI_X_EMPTY_SET,
	CMI_X_UNKNOWN,         /* element not in the model (1.2: leaf of a known category) */
	CMI_X_UNKNOWN_CATEGORY,
	CMI_X_BAD_INDEX,
	CMI_X_NO_CHILDREN,
	CMI_X_NO_COUNT,
	CMI_X_BAD_VERSION,
	CMI_X_KEYWORD_SET,
	CMI_X_READ_ONLY,
	CMI_X_WRITE_ONLY,
	CMI_X_NO_VALUE,
	CMI_X_NO_ROW,   /* get past _count */
	CMI_X_GAP,      /* set past _count */
	CMI_X_FULL,
	CMI_X_DEPENDENCY,
	CMI_X_TYPE,
	CMI_X_RANGE,
	CMI_X_SPM,
	CMI_X_UNIQUE,
	CMI_X_STATE_FULL,
	CMI_X_CONFLICT, /* a new interaction type the stored responses do not fit */
	CMI_X_GENERAL,
	CMI_X_COUNT_
};
extern const int cmi_fail_codes[CMI_X_COUNT_][2]; /* [kind][0: 1.2, 1: 2004] */

/* ---- Value store: element name -> value (cmi_store.c) ---------------------------------------
 * An open-addressing hash map owning copies of keys and values. */
struct cmi_slot {
	char *key;
	char *val;
	size_t klen, vlen;
};
struct cmi_store {
	struct cmi_slot *slots;
	size_t cap, len;
};
void cmi_store_free(struct cmi_store *s);
struct cmi_slot *cmi_store_find(const struct cmi_store *s, const char *key, size_t klen);
/* Sets key to val (copies both). Returns 0 or PC_ENOMEM (store unchanged). */
int cmi_store_put(struct cmi_store *s, const char *key, size_t klen, const char *val, size_t vlen);
void cmi_store_del(struct cmi_store *s, const char *key, size_t klen);
int cmi_store_copy(struct cmi_store *dst, const struct cmi_store *src);

/* ---- State --------------------------------------------------------------------------------- */
enum cmi_api_state { CMI_API_NOT_INITIALIZED, CMI_API_RUNNING, CMI_API_TERMINATED };

struct cmi_state {
	scorm_version version;
	unsigned model;          /* CMI_M12, CMI_M2004_3 or CMI_M2004_4 */
	int api;                 /* enum cmi_api_state */
	int last_error;
	char diag[CMI_DIAG_MAX * 4 + 1];
	struct cmi_store values; /* stored values, plus "<collection>._count" entries */
	struct cmi_store seeds;  /* what the LMS seeded, restored by reset_attempt */
	size_t bytes;            /* UTF-8 bytes of the stored values (counts excluded) */
	unsigned long session;
	unsigned long seq;       /* highest commit request number seen this session */
	size_t applied;          /* journal entries applied this session */
	int active;              /* this session did something: Initialize, or changes applied */
	int ended;               /* cmi_session_end ran for this session */
	int attempt_ended;       /* ... and ended the attempt */
	cmi_session_report report;
	unsigned char shared_written[32]; /* adl.data rows whose store the SCO set (bitmap) */
	cmi_lms_hook hook;
	void *hook_ud;
	buf out; /* scratch for borrowed answers */
};

static inline int cmi_is12(const cmi_state *st) { return st->model == CMI_M12; }

/* A resolved element name. */
struct cmi_ref {
	const struct cmi_elem *e;
	int nidx;
	unsigned long idx[2]; /* saturated at CMI_INDEX_MAX */
};
#define CMI_INDEX_MAX 1000000000UL

/* Store keys the model builds from a table name and row numbers ("cmi.interactions.3.
 * objectives.0.id", "adl.data.2.store", "<collection>._count"): a table name of at most
 * CMI_NAME_MAX bytes (test_cmi checks every entry) with at most two row numbers of at most 10
 * digits each (CMI_INDEX_MAX), so they fit CMI_KEY_MAX bytes by construction. */
#define CMI_NAME_MAX 64
#define CMI_KEY_MAX 128
/* snprintf into a CMI_KEY_MAX buffer; a key that does not fit is a programming error (asserted).
 * Returns the key's length. */
size_t cmi_keyf(char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Outcome of name resolution (cmi_model.c). */
enum cmi_resolve {
	CMI_R_OK,
	CMI_R_UNKNOWN,
	CMI_R_UNKNOWN_CATEGORY,
	CMI_R_BAD_INDEX,
	CMI_R_NO_CHILDREN,
	CMI_R_NO_COUNT,
	CMI_R_BAD_VERSION,
};
int cmi_resolve(unsigned model, const char *name, struct cmi_ref *ref);

/* ---- Type checkers (cmi_types.c) -------------------------------------------------------------
 * Each returns CMI_CK_OK or why the value fails; *limit gets the SPM for CMI_CK_TOO_LONG /
 * CMI_CK_TOO_MANY. `itype` is the interaction's type for response formats (NULL if unset). */
enum cmi_check {
	CMI_CK_OK,
	CMI_CK_FORMAT,
	CMI_CK_RANGE,
	CMI_CK_TOO_LONG,
	CMI_CK_TOO_MANY,
};
int cmi_check_value(const struct cmi_elem *e, unsigned model, const char *itype, const char *v,
		    size_t len, unsigned *limit);
/* Decimal strings (already checked) compared exactly: <0, 0, >0. */
int cmi_decimal_cmp(const char *a, size_t alen, const char *b, size_t blen);
/* 1 when v is -?[0-9]+(\.[0-9]+)? */
int cmi_is_decimal(const char *v, size_t len);
/* Choice patterns compared as sets of identifiers: 1 when equal. */
int cmi_choice_same(const char *a, const char *b);
/* Durations in hundredths of a second, saturated at CMI_CS_CAP. -1 when malformed. */
#define CMI_CS_CAP 1000000000000000LL
long long cmi_timespan12_cs(const char *v);
long long cmi_duration_cs(const char *v);
/* Writes a sum back: 1.2 "HHHH:MM:SS.SS" (hours capped at 9999), 2004 "PT#H#M#S". */
int cmi_timespan12_format(long long cs, buf *out);
int cmi_duration_format(long long cs, buf *out);

/* ---- Model (cmi_model.c) --------------------------------------------------------------------- */
/* GetValue/SetValue on the data model, without the API state checks. Set the state's last error
 * and diagnostic. get returns the value (borrowed) or NULL on error; set returns 1 (stored),
 * 0 (refused) or PC_ENOMEM. */
const char *cmi_model_get(cmi_state *st, const char *name, const char *fn);
int cmi_model_set(cmi_state *st, const char *name, const char *value, size_t vlen, const char *fn);
/* Effective value for the LMS (no access rules): NULL when none. */
const char *cmi_model_peek(const cmi_state *st, const char *name);
/* Seeds one value (cmi_seed's rules); record != 0 also keeps it in st->seeds. */
int cmi_model_seed(cmi_state *st, const char *name, const char *value, size_t vlen, int record);
/* Seeds values given in any order (cmi_seed_json's rules): sorts kv so that rows come in index
 * order and types before responses, then seeds each (record: keep them as seeds too). Returns
 * 0, PC_ENOMEM, or PC_EFORMAT with "element: refused with error N" in err. */
struct cmi_kv {
	const char *key; /* NUL-terminated */
	const char *val;
	size_t vlen;
};
int cmi_model_load(cmi_state *st, struct cmi_kv *kv, size_t n, int record, char *err, size_t errlen);
void cmi_set_error(cmi_state *st, int kind, int diag, const char *fn, const char *element,
		   long long n, long long c, const char *detail);
void cmi_set_code(cmi_state *st, int code, int diag, const char *fn, const char *element,
		  long long n, long long c, const char *detail);
void cmi_clear_error(cmi_state *st);
const char *cmi_init_name(const cmi_state *st);
const char *cmi_terminate_name(const cmi_state *st);
/* Stored value or NULL (counts are stored too, as "<collection>._count"). */
const char *cmi_stored(const cmi_state *st, const char *key);
int cmi_store_value(cmi_state *st, const char *key, const char *val, size_t vlen);
void cmi_drop_value(cmi_state *st, const char *key);
unsigned long cmi_count_of(const cmi_state *st, const char *coll_instance);
/* The end-of-session report from the stored exit and navigation request (cmi_lms.c). */
void cmi_report_fill(const cmi_state *st, cmi_session_report *r);

#endif
