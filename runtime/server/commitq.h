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

/* Jobs written in one transaction at most: bounds the time one batch holds the writer. */
#define CQ_BATCH_MAX 512
/* CMI states kept in memory between commits (a state is a few kilobytes). */
#define CQ_CACHE_MAX 2048

typedef enum { JOB_LAUNCH, JOB_COMMIT } job_kind;

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
	/* Outputs. */
	int done;
	int status; /* HTTP status */
	buf out;    /* launch: the adapter's `initial` JSON; commit: the answer */
	unsigned long session;
	store_attempt attempt; /* launch */
	char detail[160];
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
	char item[128];
	double at; /* when it last saw a commit or a launch (monotonic seconds) */
	int open;  /* a session began and has not ended */
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
};

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
int maybe_close_attempt(commitq *q, int64_t attempt_id, const rt_pkg *pkg);

#endif
