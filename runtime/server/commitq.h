/* Private to runtime/server/: the commit queue's job and state types, shared by the queue
 * (commitq.c), launching (launch.c), committing (commit.c) and the store write they both end
 * with (tracking.c). Everything here runs on the queue's one writer thread unless a comment
 * says otherwise: one thread means one owner per CMI state, which is not thread-safe. */
#ifndef POSTCARD_COMMITQ_H
#define POSTCARD_COMMITQ_H

#include <pthread.h>
#include <stdint.h>

#include "app.h"
#include "cmi.h"
#include "sn.h"

/* Jobs written in one transaction at most: bounds the time one batch holds the writer. */
#define CQ_BATCH_MAX 512
/* CMI states kept in memory between commits (a state is a few kilobytes). */
#define CQ_CACHE_MAX 2048

typedef enum { JOB_LAUNCH, JOB_COMMIT, JOB_NAV } job_kind;

/* What a navigation job (sequencing.c) ended with. */
typedef enum {
	NAV_DELIVER = 1, /* an activity is delivered: `item` */
	NAV_WAIT,        /* nothing to deliver now: the learner chooses (the view says what) */
	NAV_ENDED,       /* the course session ended (exit all, suspend all, past the end) */
	NAV_REFUSED,     /* the request was not allowed: `exception` */
} nav_outcome;

typedef struct cq_job {
	job_kind kind;
	struct cq_job *next;
	/* Inputs. */
	int64_t learner_id;
	const char *learner_ident;
	const char *learner_name;
	const rt_pkg *pkg; /* launch: the package version; commit: filled by the writer */
	const char *item;  /* manifest item identifier */
	int64_t attempt_id;
	const char *body;
	size_t body_len;
	cmi_commit_req *req; /* commit: the body, parsed by the request thread */
	const char *token_hash; /* launch: the launch token the session is bound to */
	/* Sequenced launches and content navigation: the learner's latest attempt on the package as
	 * the request thread read it (outside the batch), or NULL when there is none. */
	const store_attempt *open;
	/* nav: the request in adl.nav.request's syntax ("continue", "{target=ID}choice", also
	 * "start", "resumeAll"), or NULL for a plain launch (the current part, resume all or start;
	 * a choice of `item` when item is set); `from`: the item the asker shows ("" none), and a
	 * request is not run when the course has moved on since (NULL: no check). attempt_id set:
	 * the request comes from that attempt's content (a launch token), else the learner's latest
	 * attempt is used (a new one after a closed one). */
	const char *nav;
	const char *from;
	/* Outputs. */
	int done;
	int status; /* HTTP status */
	buf out;    /* launch: the adapter's `initial` JSON; commit: the answer */
	unsigned long session;
	store_attempt attempt; /* launch */
	char detail[160];
	/* launch of a sequenced SCO: a copy of the attempt's state as the SCO starts, from which
	 * the request thread works out the adapter's adl.nav.request_valid.* answers
	 * (seq_valid_json: one tentative run per request and target, far too slow for the one
	 * writer thread in a large course); nav: the state after the request, for the player's
	 * view (sn_ui_json, as costly). The submitter frees it. */
	sn_state *valid_from;
	/* nav */
	nav_outcome outcome;
	int moved;           /* `from` was not current: the request was not run */
	int closed;          /* the attempt ended (the next launch starts a new one) */
	char delivered[512]; /* NAV_DELIVER: the item */
	char exception[16];  /* NAV_REFUSED (or a refusal the plain launch reports): the SN code */
	/* Called (from the writer, outside its lock) once the job is done, or NULL when the
	 * submitter waits on the condition variable instead. */
	void (*notify)(void *ctx);
	void *notify_ctx;
	/* Writer-private. */
	int wrote;
} cq_job;

struct cache_entry {
	int64_t attempt_id;
	char *item;
	cmi_state *st;
	int64_t learner_id;
	const rt_pkg *pkg;
	int64_t seq; /* last stored commit sequence for this SCO state */
	/* The stored row's revision this state was read at or last wrote (0: no row yet). Writes
	 * are fenced on it (store_sco_write.expect_rev): when another process wrote the SCO since,
	 * the write fails with PC_ECONFLICT and the job reloads the state and runs again. */
	int64_t rev;
	int dirty_in_batch;
};

/* Sessions seen recently, shared with request threads (under the queue's lock). */
#define CQ_RECENT 256
struct recent_session {
	int64_t attempt_id;
	char *item; /* the whole identifier (up to 511 bytes, launch_grant.item); NULL: unused */
	double at; /* when it last saw a commit or a launch (monotonic seconds) */
	int open;  /* a session began and has not ended */
};

/* Sequencing states of open attempts (a state is a few kilobytes for a course of tens of
 * items), one per attempt, owned by the writer thread like the CMI states. */
#define CQ_SEQ_MAX 1024
struct seq_entry {
	int64_t attempt_id, learner_id;
	const rt_pkg *pkg; /* the version the attempt plays (its tree) */
	sn_state *sn;
	int64_t rev; /* the stored row's revision (0: none yet): writes are fenced on it */
	int dirty_in_batch;
	char said[16]; /* a content request was refused: the next launch says so */
};

struct commitq {
	struct recent_session recent[CQ_RECENT];
	size_t recent_next;
	rt_app *app;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake, done;
	cq_job *head, *tail;
	int stop;
	struct cache_entry *cache;
	size_t ncache;
	buf state; /* the writer's scratch for a state's JSON, kept to save reallocating it */
	struct seq_entry *seqs;
	size_t nseqs;
	buf seqtext; /* the writer's scratch for a sequencing state's text */
};

/* The recent session of this SCO, or NULL (call with q->lock held). */
struct recent_session *recent_find(commitq *q, int64_t attempt_id, const char *item);

/* The CMI state cache (writer thread). cache_put takes ownership of st; it returns the entry,
 * or NULL with st freed. */
struct cache_entry *cache_get(commitq *q, int64_t attempt_id, const char *item);
struct cache_entry *cache_put(commitq *q, int64_t attempt_id, const char *item, cmi_state *st,
			      int64_t learner_id, const rt_pkg *pkg, int64_t seq);
void cache_drop(commitq *q, struct cache_entry *e);
void cache_drop_at(commitq *q, size_t i);
/* Loads (or, for a launch, reports PC_ENOTFOUND so the caller creates) a SCO's CMI state. */
/* Times a job runs again after its fenced write lost (another node wrote the SCO meanwhile). */
#define CQ_CONFLICT_TRIES 3
int load_state(commitq *q, int64_t attempt_id, const char *item, int64_t learner_id,
	       const rt_pkg *pkg, struct cache_entry **out);

/* Monotonic seconds; and that a session of this SCO is open or ended (q->lock held). */
double mono_now(void);
void note_session(commitq *q, int64_t attempt_id, const char *item, int open);

/* Queues a job (any thread). Without a notify callback, waits until the writer has answered it
 * (and made it durable); with one, returns at once and the callback says when. */
void submit(commitq *q, cq_job *j);
/* Waits (request thread) while this SCO's previous session may still send its final commit. */
void settle(commitq *q, int64_t attempt_id, const char *item);

/* The writer's work for one job of each kind. */
void run_launch(commitq *q, cq_job *j);
void run_commit(commitq *q, cq_job *j);

/* tracking.c: stores a state after a commit or launch (summary columns, interactions, journal
 * row), in the writer's open batch; and closes the attempt once every launchable item is done. */
int store_state(commitq *q, struct cache_entry *e, int64_t seq, const char *request,
		const char *response, const cmi_commit_result *res, int all_interactions);
/* The same with the status columns given (NULL: from the state): what the LMS knows of a
 * part that reports nothing itself (an asset, a SCO that never ran). */
int store_state_status(commitq *q, struct cache_entry *e, const cmi_commit_result *res,
		       const char *completion, const char *success);
int maybe_close_attempt(commitq *q, int64_t attempt_id, const rt_pkg *pkg);

/* sequencing.c: SCORM 2004 packages with an activity tree (rt_pkg.tree). All on the writer.
 * run_nav runs a navigation job. seq_launch prepares a sequenced SCO's launch: checks that
 * the item is the attempt's current activity (else 409 in j), and loads or seeds its CMI
 * state (*e); after the session began, seq_launch_done refreshes what the SCO reads from
 * global objectives and leaves a copy of the state in j->valid_from. seq_commit
 * reports what a committed SCO set (the attempt's current activity only) and stores the
 * state (PC_ECONFLICT when another node moved the attempt on: the job runs again after
 * seq_forget); a lone SCO ending without a request ends the course attempt. seq_after_batch drops
 * what a failed batch left unwritten; seq_cache_free at the end. */
void run_nav(commitq *q, cq_job *j);
int seq_launch(commitq *q, cq_job *j, const sco_item *item, struct cache_entry **e);
int seq_launch_done(commitq *q, cq_job *j, struct cache_entry *e);
/* {"continue":b,"previous":b,"choice":{"ID":b,...},"jump":{"ID":b,...}} for a state (any thread:
 * the state is the caller's own copy). 0, or PC_ENOMEM / the buffer's limit. */
int seq_valid_json(const sn_state *sn, buf *out);
int seq_commit(commitq *q, struct cache_entry *e, const cmi_commit_result *res);
void seq_after_batch(commitq *q, int ok);
void seq_cache_free(commitq *q);
/* Drops the attempt's cached sequencing state (after a lost fence: the next job reads it again
 * from the store). */
void seq_forget(commitq *q, int64_t attempt_id);

#endif
