/* Private to runtime/sn: the sequencing definition model (what the manifest says about each
 * activity), the tracking model (what happened), and the process functions shared between the
 * files. Process names and numbers follow SN 4th Edition Appendix C (NB.2.1, TB.2.3, ...). */
#ifndef POSTCARD_SN_INT_H
#define POSTCARD_SN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sn.h"

/* Three-valued logic for rule conditions (SN 4th Ed: unknown never fires a rule). */
typedef enum { TV_FALSE = 0, TV_TRUE = 1, TV_UNKNOWN = 2 } tv;

/* ---- Definition model ---------------------------------------------------------------------- */

typedef enum {
	COND_SATISFIED,
	COND_OBJ_STATUS_KNOWN,
	COND_OBJ_MEASURE_KNOWN,
	COND_OBJ_MEASURE_GT,
	COND_OBJ_MEASURE_LT,
	COND_COMPLETED,
	COND_PROGRESS_KNOWN,
	COND_ATTEMPTED,
	COND_ATTEMPT_LIMIT_EXCEEDED,
	COND_TIME_LIMIT_EXCEEDED,
	COND_OUTSIDE_TIME_RANGE,
	COND_ALWAYS,
} cond_kind;

typedef enum {
	/* pre-condition */
	ACT_SKIP,
	ACT_DISABLED,
	ACT_HIDDEN_FROM_CHOICE,
	ACT_STOP_FORWARD,
	/* exit */
	ACT_EXIT,
	/* post-condition */
	ACT_EXIT_PARENT,
	ACT_EXIT_ALL,
	ACT_RETRY,
	ACT_RETRY_ALL,
	ACT_CONTINUE,
	ACT_PREVIOUS,
	/* rollup */
	ACT_SATISFIED,
	ACT_NOT_SATISFIED,
	ACT_COMPLETED,
	ACT_INCOMPLETE,
} rule_action;

typedef struct rule_cond {
	cond_kind kind;
	bool negate;
	int objective; /* index in the activity's objectives (the primary when not referenced) */
	double threshold;
} rule_cond;

typedef enum { SET_ALL, SET_ANY, SET_NONE, SET_AT_LEAST_COUNT, SET_AT_LEAST_PERCENT } child_set;

typedef struct rule {
	rule_action action;
	bool any; /* conditionCombination="any" */
	rule_cond *conds;
	size_t nconds;
	/* rollup rules only */
	child_set set;
	unsigned min_count;
	double min_percent;
} rule;

typedef struct rule_list {
	rule *v;
	size_t n;
	bool given; /* the element appeared (IDRef merge: a local list replaces the referenced one) */
} rule_list;

typedef struct obj_map {
	char *target;
	bool read_sat, read_meas, write_sat, write_meas;          /* imsss:mapInfo */
	bool read_raw, read_min, read_max, read_comp, read_pm;    /* adlseq:mapInfo */
	bool write_raw, write_min, write_max, write_comp, write_pm;
	int global; /* index in the state's global table (resolved at tree build) */
} obj_map;

typedef struct obj_def {
	char *id; /* NULL for an anonymous primary objective */
	bool primary;
	bool sat_by_measure;
	double min_measure;
	char *min_measure_text;
	obj_map *maps;
	size_t nmaps;
} obj_def;

typedef enum { REQ_ALWAYS, REQ_IF_ATTEMPTED, REQ_IF_NOT_SKIPPED, REQ_IF_NOT_SUSPENDED } required_for;
typedef enum { TIMING_NEVER, TIMING_ONCE, TIMING_EACH_NEW_ATTEMPT } sr_timing;

typedef struct seq_def {
	/* controlMode */
	bool choice, choice_exit, flow, forward_only, use_cur_obj, use_cur_prog;
	rule_list pre, exit, post, rollup;
	/* limitConditions */
	bool limit_on;
	unsigned attempt_limit;
	char *abs_duration; /* attemptAbsoluteDurationLimit as written */
	/* rollupRules attributes */
	bool rollup_sat, rollup_prog;
	double measure_weight;
	/* objectives (primary first after reading) */
	obj_def *obj;
	size_t nobj;
	bool obj_given;
	/* randomizationControls */
	sr_timing sel_timing, rnd_timing;
	bool select_count_on, reorder;
	unsigned select_count;
	/* deliveryControls */
	bool tracked, completion_by_content, objective_by_content;
	/* adlseq */
	bool prevent_activation, constrain_choice;
	required_for req_sat, req_notsat, req_comp, req_incomp;
	bool measure_sat_if_active;
} seq_def;

typedef struct activity {
	sn_item item;
	int *children;
	size_t nchildren;
	seq_def d;
	/* adlcp:completionThreshold */
	bool completed_by_measure;
	double min_progress;
	double progress_weight;
	int depth;
	/* owned strings behind item's borrowed pointers */
	char *s_id, *s_title, *s_ref, *s_params, *s_data, *s_tla, *s_ct;
} activity;

struct sn_tree {
	activity *a;
	size_t n;
	bool globals_to_system;
	bool sequenced; /* some item or the organization has imsss:sequencing */
	char **globals; /* every targetObjectiveID the tree maps to, in first-use order */
	size_t nglobals;
};

/* ---- Tracking model ------------------------------------------------------------------------ */

typedef struct obj_track {
	bool prog, sat;
	bool meas_known;
	double meas;
	/* 4th Edition extras (carried through adlseq maps) */
	bool raw_known, min_known, max_known;
	double raw, min, max;
	bool comp_known, comp;
	bool pm_known;
	double pm;
	bool sat_clear, comp_clear; /* the content set the status to unknown: write maps clear it */
	unsigned from; /* SN_FROM_* filled by sn_eff_obj */
	signed char dec[5]; /* SN_V_*: decimals as reported, -1 when computed */
} obj_track;

typedef struct act_track {
	obj_track *obj; /* parallel to the definition's objectives */
	bool active, suspended;
	bool act_prog;       /* Activity Progress Status */
	unsigned attempts;   /* Activity Attempt Count */
	bool att_prog, att_comp; /* Attempt Progress / Completion Status */
	bool amt_known;
	double amt;          /* Attempt Completion Amount */
	signed char amt_dec; /* its decimals as reported, -1 when rolled up */
	bool obj_stale, prog_stale; /* recorded before the parent's current attempt (useCurrentAttempt*) */
	bool comp_set, sat_set;     /* the content reported the status, even as unknown */
	int *avail;          /* Available Children (indices into the tree) */
	size_t navail;
	bool selected, randomized; /* "once" selection/randomization done */
} act_track;

typedef struct global_obj {
	char *id;
	obj_track t;
} global_obj;

struct sn_state {
	const sn_tree *tree;
	act_track *t;
	int current, suspended;
	uint64_t rng;
	global_obj *g; /* the tree's globals first (same index as tree->globals), then extra loaded ones */
	size_t ng;
	bool gdirty; /* a write map changed a global (transient: rollup of the activities reading it) */
};

/* ---- Shared helpers (sn_state.c, sn_rules.c, sn_rollup.c, sn_seq.c, sn_nav.c) -------------- */

static inline const activity *ACT(const sn_state *st, int i) { return &st->tree->a[i]; }
static inline bool is_leaf(const sn_state *st, int i) { return st->tree->a[i].nchildren == 0; }
static inline int parent_of(const sn_state *st, int i) { return st->tree->a[i].item.parent; }

/* The objective values of activity a's objective oi as seen through read maps (and as unknown
 * when recorded outside the parent's current attempt). For the primary objective the completion
 * and progress measure are the activity's attempt data. */
obj_track sn_eff_obj(const sn_state *st, int a, int oi);
/* A child's primary objective and attempt data as its parent's rollup sees them: values
 * recorded before the parent's current attempt are unknown when the parent's
 * useCurrentAttemptObjectiveInfo / ProgressInfo says so (only rollup: the child's own rules
 * still see them, CTS SX-07e). */
obj_track sn_rollup_obj(const sn_state *st, int c);
/* The activity's attempt completion as read (primary read maps). */
void sn_eff_progress(const sn_state *st, int a, bool *known, bool *completed, bool *amt_known, double *amt);
/* Copies known local values to every global the activity's objectives write. */
void sn_write_maps(sn_state *st, int a);
int sn_primary(const sn_state *st, int a);
int sn_common_ancestor(const sn_state *st, int a, int b);
bool sn_is_ancestor(const sn_state *st, int anc, int a); /* anc == a counts */
int sn_avail_index(const sn_state *st, int a); /* position in the parent's available children, -1 */
uint64_t sn_rand(sn_state *st);
void sn_select_randomize(sn_state *st, int a, bool new_attempt);

/* UP.1, UP.2, UP.5 and rule evaluation (sn_rules.c) */
bool sn_limit_violated(const sn_state *st, int a);
/* UP.2: the first rule in `list` whose action is in `actions` (bit mask of 1u << rule_action)
 * and whose conditions are True; returns its action or -1. */
int sn_rules_check(const sn_state *st, int a, const rule_list *list, unsigned actions);
bool sn_check_activity(const sn_state *st, int a); /* UP.5: true = cannot be delivered */
tv sn_cond_eval(const sn_state *st, int a, const rule_cond *c, bool rollup);

/* Rollup (sn_rollup.c) */
void sn_overall_rollup(sn_state *st, int a); /* RB.1.5 */
void sn_end_attempt(sn_state *st, int a);    /* UP.4 */
void sn_terminate_descendents(sn_state *st, int a); /* UP.3 */
void sn_rollup_readers(sn_state *st);

/* Sequencing request processes (sn_seq.c) */
typedef enum {
	SEQ_NONE = 0,
	SEQ_START,
	SEQ_RESUME_ALL,
	SEQ_EXIT,
	SEQ_RETRY,
	SEQ_CONTINUE,
	SEQ_PREVIOUS,
	SEQ_CHOICE,
	SEQ_JUMP,
} seq_req;

typedef struct seq_out {
	int deliver;       /* activity to deliver or -1 */
	bool end;         /* end the sequencing session */
	const char *exc;   /* NULL when valid */
} seq_out;

void sn_sequencing_request(sn_state *st, seq_req req, int target, seq_out *out); /* SB.2.12 */
/* DB.1.1: NULL when the activity may be delivered, else the exception. */
const char *sn_delivery_check(const sn_state *st, int a);
/* DB.2 */
const char *sn_deliver(sn_state *st, int a, int *resumed);

#endif
