/* SCORM 2004 4th Edition Sequencing and Navigation: the activity tree read from a manifest, the
 * tracking model of one learner's attempt on it, and the SN processes (navigation, termination,
 * sequencing, delivery, rollup, selection and randomization) that move it. Pure C, no I/O: no
 * files, sockets, clocks or randomness of its own (the seed is an input). The server talks to
 * sequencing only through this header (docs/seams.md §2).
 *
 * Typical use:
 *   package  sn_tree_parse(manifest bytes) -> tree (immutable, shareable between threads)
 *   attempt  sn_state_new(tree, seed) or sn_state_load(tree, saved, globals)
 *   launch   sn_navigate(st, SN_NAV_START or SN_NAV_RESUME_ALL) -> deliver activity i;
 *            seed the SCO's cmi.* from sn_tree_item(i) and sn_objective_get(st, i, ...)
 *   SCO ends sn_report_attempt(st, i, what the SCO left), then sn_navigate(st, its adl.nav.request
 *            or the learner's request)
 *   UI       sn_valid(st, request, target) for adl.nav.request_valid.* and the buttons/TOC
 *   store    sn_state_save (with the attempt) and sn_globals_save (per learner)
 * A state is not thread-safe: one thread at a time per state. */
#ifndef POSTCARD_SN_H
#define POSTCARD_SN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct sn_tree sn_tree;
typedef struct sn_state sn_state;

/* Limits on what a manifest may ask of the engine (checked while reading; PC_ELIMIT past them).
 * Real packages have tens of items and a handful of rules each; the largest ADL test course has
 * 42 items. */
#define SN_MAX_ACTIVITIES 4096
#define SN_MAX_RULES 64        /* per activity and kind (pre, exit, post, rollup) */
#define SN_MAX_CONDITIONS 32   /* per rule */
#define SN_MAX_OBJECTIVES 128  /* per activity, primary included */
#define SN_MAX_MAPS 32         /* per objective */
#define SN_MAX_MANIFEST ((size_t)16 << 20)
#define SN_MAX_ID 4000         /* identifiers and targetObjectiveIDs, bytes (SPM 4000 chars) */
/* The longest state or global objectives text that sn_*_save writes and sn_*_load reads: a
 * course saves about 120 bytes per activity and objective (a 500-activity course, 60 KB), and
 * a text the readers would refuse is never written: no record is unreadable for its size. */
#define SN_MAX_STATE_TEXT ((size_t)64 << 20)

/* ---- The activity tree --------------------------------------------------------------------- */

/* Reads the organization `org_id` (NULL: the default one, else the first) of an imsmanifest.xml
 * held in memory: items, their sequencing (sequencingCollection entries merged under IDRef),
 * XSD defaults and the adlseq/adlcp/adlnav extensions. Returns 0; PC_EFORMAT (not XML, no such
 * organization, a value of the wrong type, an IDRef with no collection entry) or PC_ELIMIT
 * with a one-line reason in err (when not NULL); PC_ENOMEM. *out is NULL on failure. */
int sn_tree_parse(sn_tree **out, const char *xml, size_t len, const char *org_id, char *err,
		  size_t errlen);
void sn_tree_free(sn_tree *t);

/* hideLMSUI bits (adlnav:presentation/navigationInterface). */
enum {
	SN_HIDE_PREVIOUS = 1 << 0,
	SN_HIDE_CONTINUE = 1 << 1,
	SN_HIDE_EXIT = 1 << 2,
	SN_HIDE_EXIT_ALL = 1 << 3,
	SN_HIDE_ABANDON = 1 << 4,
	SN_HIDE_ABANDON_ALL = 1 << 5,
	SN_HIDE_SUSPEND_ALL = 1 << 6,
};

/* What the server and the player need to know about one activity. Strings are borrowed from
 * the tree; NULL when the manifest has no such value. Index 0 is the root (the organization);
 * activities are numbered in document (preorder) order. */
typedef struct sn_item {
	const char *id;            /* item@identifier (organization@identifier for the root) */
	const char *title;
	const char *identifierref; /* leaves that launch something */
	const char *parameters;    /* item@parameters */
	const char *data_from_lms; /* adlcp:dataFromLMS -> cmi.launch_data */
	const char *time_limit_action;     /* adlcp:timeLimitAction */
	const char *attempt_abs_duration;  /* imsss attemptAbsoluteDurationLimit -> cmi.max_time_allowed */
	const char *completion_threshold;  /* minProgressMeasure when completedByMeasure, as written */
	const char *scaled_passing_score;  /* minNormalizedMeasure when satisfiedByMeasure, as written */
	int parent;                /* -1 for the root */
	int leaf;
	int visible;               /* item@isvisible */
	unsigned hide_ui;          /* SN_HIDE_* */
	int tracked;               /* deliveryControls@tracked */
} sn_item;

size_t sn_tree_size(const sn_tree *t);
/* Borrowed; NULL when i is out of range. */
const sn_item *sn_tree_item(const sn_tree *t, size_t i);
/* The index of the activity with this identifier, or -1. */
int sn_tree_find(const sn_tree *t, const char *id);
/* organization adlseq:objectivesGlobalToSystem. */
int sn_tree_globals_to_system(const sn_tree *t);
/* How many global objectives (targetObjectiveIDs) the tree's maps name: 0 when it shares
 * nothing through globals. */
size_t sn_tree_globals(const sn_tree *t);
/* 1 when the organization or an item has imsss:sequencing (the manifest asks for sequencing
 * beyond the defaults); 0 for a SCORM 2004 manifest without any. */
int sn_tree_sequenced(const sn_tree *t);

/* ---- Navigation requests ------------------------------------------------------------------- */

typedef enum sn_nav {
	SN_NAV_NONE = 0, /* "_none_" */
	SN_NAV_START,
	SN_NAV_RESUME_ALL,
	SN_NAV_CONTINUE,
	SN_NAV_PREVIOUS,
	SN_NAV_FORWARD,
	SN_NAV_BACKWARD,
	SN_NAV_CHOICE,
	SN_NAV_JUMP,
	SN_NAV_EXIT,
	SN_NAV_EXIT_ALL,
	SN_NAV_ABANDON,
	SN_NAV_ABANDON_ALL,
	SN_NAV_SUSPEND_ALL,
} sn_nav;

/* Parses an adl.nav.request value ("continue", "{target=ID}choice", "_none_", ...) into the
 * request and its target (copied into target, at most tlen-1 bytes; "" when none). Also reads
 * "start" and "resumeAll" (LMS requests). Returns 0 or PC_EFORMAT. */
int sn_nav_parse(const char *value, sn_nav *req, char *target, size_t tlen);
/* The request's name as adl.nav.request writes it ("continue", "choice", ...). Static. */
const char *sn_nav_name(sn_nav req);

/* ---- Tracking state ------------------------------------------------------------------------ */

/* A fresh attempt on the tree (nothing attempted, no session): "once" selection and
 * randomization are done here from `seed`. Every later random choice comes from the state's own
 * generator, seeded from `seed` and saved with it, so a replay is reproducible. The tree must
 * outlive the state. Returns 0 or PC_ENOMEM; *out NULL on failure. */
int sn_state_new(sn_state **out, const sn_tree *tree, uint64_t seed);
void sn_state_free(sn_state *st);
/* A deep copy (used for tentative evaluation; also handy in tests). */
int sn_state_clone(sn_state **out, const sn_state *st);

/* The state as one opaque text (JSON) to store with the attempt, and back. Global objectives
 * scoped to the learner (objectivesGlobalToSystem true, the default) are not in it: they go
 * through sn_globals_save/sn_globals_load, kept per learner by the store. sn_state_load checks
 * the text against the tree (an activity count or identifier that differs is PC_EFORMAT: the
 * package changed) and every value's range. Returns 0, PC_ENOMEM, PC_EFORMAT (reason in err),
 * PC_ELIMIT (a text over SN_MAX_STATE_TEXT, which the save functions refuse to write). */
int sn_state_save(const sn_state *st, buf *out);
int sn_state_load(sn_state **out, const sn_tree *tree, const char *text, size_t len, char *err,
		  size_t errlen);
/* The learner's global objective records the tree uses, as one JSON object keyed by
 * targetObjectiveID. sn_globals_load replaces the state's copy of the records it names (other
 * records in the text are kept too, so saving after loading loses nothing). An empty text or
 * NULL is no records. Returns 0, PC_ENOMEM, PC_EFORMAT, PC_ELIMIT (as sn_state_load). */
int sn_globals_save(const sn_state *st, buf *out);
int sn_globals_load(sn_state *st, const char *text, size_t len, char *err, size_t errlen);

/* ---- Running requests ---------------------------------------------------------------------- */

typedef enum sn_outcome {
	SN_DELIVER = 1, /* launch `activity` */
	SN_ENDED,       /* the sequencing session ended: take the content away */
	SN_WAIT,        /* valid, nothing to deliver: wait for the learner's next request */
	SN_REFUSED,     /* not allowed: `exception` says why; see sn_navigate for what changed */
} sn_outcome;

typedef struct sn_result {
	sn_outcome outcome;
	int activity;       /* SN_DELIVER: the activity to launch */
	int resumed;        /* SN_DELIVER: the activity's attempt was suspended and goes on */
	char exception[16]; /* SN_REFUSED: the SN exception code, e.g. "NB.2.1-4" */
} sn_result;

/* The Overall Sequencing Process (OP.1) for one navigation request: NB.2.1, then termination,
 * sequencing and delivery. A request NB.2.1 refuses changes nothing; a later refusal leaves what
 * the pseudo-code did before it (an ended attempt stays ended), as the specification says.
 * SN_NAV_NONE does nothing (SN_WAIT). After SN_ENDED the state has no current activity, so the
 * next launch may start or resume all. Returns 0, or PC_ENOMEM / PC_EINVAL (unknown target
 * text is not an error: it is refused with NB.2.1-11). */
int sn_navigate(sn_state *st, sn_nav req, const char *target, sn_result *res);

/* Would this request be accepted now, and lead to a delivery or the end of the session? Runs
 * the request on a copy of the state (tentative evaluation). 1 yes, 0 no, PC_ENOMEM. */
int sn_valid(const sn_state *st, sn_nav req, const char *target);
/* Does the Navigation Request Process (NB.2.1) alone accept the request now (control modes,
 * session state; no rules, no delivery checks)? What an LMS shows as an enabled button: ADL's UI
 * questions expect Continue enabled wherever the parent has flow. 1 yes, 0 no. */
int sn_nav_allowed(const sn_state *st, sn_nav req, const char *target);

/* ---- What a SCO reports -------------------------------------------------------------------- */

/* Values of one objective (or of the activity itself) as the SCO left them in cmi.*; *_known 0
 * means the element had no value (unknown). */
typedef struct sn_values {
	const char *id;        /* cmi.objectives.n.id (NULL for the activity's own values) */
	int success_known, passed;
	int completion_known, completed;
	int scaled_known;
	double scaled;
	int raw_known, min_known, max_known;
	double raw, min, max;
	int progress_known;
	double progress;
	/* the SCO itself set success_status / completion_status during the attempt (even to
	 * "unknown"): End Attempt then leaves the status as the SCO said (CTS CM-06, CM-15) */
	int success_set, completion_set;
	/* sn_objective_get: which values come from a global objective (SN_FROM_*): a resumed SCO's
	 * cmi.objectives take these again, as other activities may have changed them */
	unsigned from_global;
	/* digits after the decimal point each number was written with (SN_V_*), -1 when computed
	 * by rollup: a value read back later is written as the SCO wrote it ("1.0" stays "1.0") */
	signed char decimals[5];
} sn_values;

enum { SN_V_SCALED, SN_V_RAW, SN_V_MIN, SN_V_MAX, SN_V_PROGRESS };

enum {
	SN_FROM_SUCCESS = 1 << 0,
	SN_FROM_SCALED = 1 << 1,
	SN_FROM_RAW = 1 << 2,
	SN_FROM_MIN = 1 << 3,
	SN_FROM_MAX = 1 << 4,
	SN_FROM_COMPLETION = 1 << 5,
	SN_FROM_PROGRESS = 1 << 6,
};

typedef struct sn_report {
	sn_values self;             /* cmi.success_status, completion_status, score.*, progress_measure */
	const sn_values *objectives; /* cmi.objectives.n */
	size_t nobjectives;
	int suspend;                /* cmi.exit was "suspend" */
} sn_report;

/* The RTE-to-sequencing transfer when `activity`'s SCO terminates (before its navigation
 * request runs): the activity's attempt and objective tracking take the reported values
 * (objectives matched by id; others ignored), exit=suspend marks it suspended. Does nothing for
 * an untracked activity. Returns 0 or PC_EINVAL (activity out of range). */
int sn_report_attempt(sn_state *st, int activity, const sn_report *r);

/* ---- What the SCO starts with, and what records show ---------------------------------------- */

/* The Overall Rollup Process (RB.1.5) from `activity` up to the root, as End Attempt runs it:
 * what the course would show now for the values SCOs reported so far. Clusters' write maps
 * write global objectives as they do in any rollup, so to look without changing the learner's
 * record run it on a copy (sn_state_clone). Returns 0 or PC_EINVAL (activity out of range). */
int sn_rollup(sn_state *st, int activity);

/* The activity's objectives that have an identifier (primary first when it has one), for
 * cmi.objectives at launch: id and the values seen through read maps. */
size_t sn_objective_count(const sn_state *st, int activity);
int sn_objective_get(const sn_state *st, int activity, size_t i, sn_values *out);

/* The activity's tracking as rollup sees it (for records: the root is the whole attempt). */
typedef struct sn_status {
	int attempted;      /* Activity Progress Status */
	unsigned attempts;  /* Activity Attempt Count */
	int active, suspended;
	sn_values v;        /* completion, success, scaled measure, progress through read maps */
} sn_status;
int sn_activity_status(const sn_state *st, int activity, sn_status *out);

/* The tree the state was made for (borrowed). */
const sn_tree *sn_state_tree(const sn_state *st);
/* The current and suspended activities, -1 when none. */
int sn_current(const sn_state *st);
int sn_suspended(const sn_state *st);
/* A hiddenFromChoice pre-condition rule currently fires for the activity (or an ancestor):
 * the table of contents leaves it out. 1/0. */
int sn_hidden_from_choice(const sn_state *st, int activity);
/* A disabled pre-condition rule fires or a limit condition is exceeded. 1/0. */
int sn_disabled(const sn_state *st, int activity);
/* The activity is in its parent's available children (selection may leave it out). 1/0. */
int sn_available(const sn_state *st, int activity);

/* ---- For the learner ------------------------------------------------------------------------ */

/* An SN exception code in plain words for the learner ("this part is not available: ..."), or a
 * general sentence for an unknown code. Static. */
const char *sn_exception_text(const char *code);

/* The player's view as one JSON object: {"current": id|null, "continue": bool (the navigation
 * request process accepts it: the parent has flow), "previous": bool (a tentative run would
 * deliver), "suspended": bool, "hide": [hideLMSUI names of the current activity: buttons not to
 * offer], "items": [{"id", "title", "depth", "leaf", "visible" (isvisible), "hidden" (not
 * selected, or hidden from choice), "disabled", "current", "attempts", "completion", "success",
 * ["scaled"], "choice" (a tentative choice of it is accepted), ["reason" in words when not]},
 * ...] in tree order}. The button rules are what ADL's UI questions expect (CTS CM-01, CM-07d,
 * OB-04). Appends to out; returns 0 or the buffer's error / PC_ENOMEM. */
int sn_ui_json(const sn_state *st, buf *out);

#endif
