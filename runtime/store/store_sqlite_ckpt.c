/* The SQLite back end's WAL checkpointer: a thread with its own connection that copies the WAL
 * back into the database, so that the writer (the commit queue's one thread) does little of it.
 * SQLite's automatic checkpoint runs inside the COMMIT that crossed its threshold: every
 * thousand pages one group commit also copied 4 MB and synced the database file, and every
 * learner waiting on that batch waited for it too (a stall in the tail of commit latency). The
 * WAL hook wakes this thread, whose PASSIVE checkpoint runs beside later commits (WAL mode lets
 * it). It cannot finish the job alone: the WAL starts over from its beginning only when a
 * checkpoint has copied every frame before the next commit, and commits keep coming. So once
 * this thread has copied all but a few frames, the writer copies those itself (a short
 * checkpoint) and the WAL starts over. Should this thread fall far behind, the writer
 * checkpoints the whole WAL itself (SQ_CKPT_HARD), as SQLite would. */
#define _GNU_SOURCE /* pthread_setname_np */
#include <pthread.h>
#include <stdlib.h>

#include "common.h"
#include "store_sqlite_int.h"

/* WAL pages (4 KiB) that wake the checkpointer: SQLite's own default threshold. */
#define SQ_CKPT_PAGES 1000
/* Frames left for the writer to copy itself: a few group commits' worth (one writes tens). */
#define SQ_CKPT_TAIL 256
/* WAL pages past which the writer checkpoints itself, as SQLite would have, so that the WAL
 * stays bounded (about 80 MB) even if this thread never catches up with the commits. */
#define SQ_CKPT_HARD 20000

struct sq_ckpt {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	sqlite3 *db; /* the checkpointer's own connection */
	int pending, running, stop;
	int copied; /* frames of the current WAL copied into the database so far */
	int last_pages; /* the WAL's frames after the previous commit (writer's thread only) */
};

/* Runs after every commit of the writer, on the writer's thread (sqlite3_wal_hook), with the
 * number of frames in the WAL. A checkpoint's failure is not the commit's (which is durable
 * already): as with SQLite's automatic checkpoint, it is tried again after a later commit. */
static int on_commit(void *ctx, sqlite3 *db, const char *name, int pages)
{
	struct sq_ckpt *k = ctx;
	if (pages < k->last_pages) {
		pthread_mutex_lock(&k->lock);
		k->copied = 0; /* the WAL started over */
		pthread_mutex_unlock(&k->lock);
	}
	k->last_pages = pages;
	if (pages < SQ_CKPT_PAGES)
		return SQLITE_OK;
	pthread_mutex_lock(&k->lock);
	int mine = pages >= SQ_CKPT_HARD ||
		   (!k->running && !k->pending && pages - k->copied <= SQ_CKPT_TAIL);
	if (!mine && !k->running && !k->pending) {
		k->pending = 1;
		pthread_cond_signal(&k->wake);
	}
	pthread_mutex_unlock(&k->lock);
	if (mine) {
		int copied = 0;
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, &copied);
		pthread_mutex_lock(&k->lock);
		if (copied > k->copied)
			k->copied = copied; /* when that is all, the next commit starts the WAL over */
		pthread_mutex_unlock(&k->lock);
	}
	return SQLITE_OK;
}

static void *checkpointer(void *arg)
{
	struct sq_ckpt *k = arg;
	pthread_mutex_lock(&k->lock);
	for (;;) {
		while (!k->pending && !k->stop)
			pthread_cond_wait(&k->wake, &k->lock);
		if (k->stop)
			break;
		k->pending = 0;
		k->running = 1;
		pthread_mutex_unlock(&k->lock);
		/* PASSIVE never waits on the writer or readers: it copies what it can, and the
		 * writer's hook wakes this thread again while much is left. */
		int copied = 0;
		int rc = sqlite3_wal_checkpoint_v2(k->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, &copied);
		pthread_mutex_lock(&k->lock);
		k->running = 0;
		if (rc == SQLITE_OK && copied > k->copied)
			k->copied = copied;
	}
	pthread_mutex_unlock(&k->lock);
	return NULL;
}

int sq_ckpt_start(struct sq_ckpt **out, sqlite3 *writer, sqlite3 *own)
{
	*out = NULL;
	struct sq_ckpt *k = calloc(1, sizeof *k);
	if (!k) {
		sqlite3_close(own);
		return PC_ENOMEM;
	}
	k->db = own;
	pthread_mutex_init(&k->lock, NULL);
	pthread_cond_init(&k->wake, NULL);
	if (pthread_create(&k->thread, NULL, checkpointer, k) != 0) {
		pthread_mutex_destroy(&k->lock);
		pthread_cond_destroy(&k->wake);
		sqlite3_close(own);
		free(k);
		return PC_ENOMEM;
	}
	pthread_setname_np(k->thread, "pc-checkpoint"); /* for top -H and perf */
	/* Replaces the writer's automatic checkpoint (sqlite3_wal_autocheckpoint is this hook). */
	sqlite3_wal_hook(writer, on_commit, k);
	*out = k;
	return 0;
}

void sq_ckpt_stop(struct sq_ckpt *k, sqlite3 *writer)
{
	if (!k)
		return;
	sqlite3_wal_hook(writer, NULL, NULL);
	pthread_mutex_lock(&k->lock);
	k->stop = 1;
	pthread_cond_signal(&k->wake);
	pthread_mutex_unlock(&k->lock);
	pthread_join(k->thread, NULL);
	pthread_mutex_destroy(&k->lock);
	pthread_cond_destroy(&k->wake);
	sqlite3_close(k->db);
	free(k);
}
