/* The password thread: argon2id hashing and checking (a tenth of a second of a core and 64 MiB
 * each, on purpose) happen here, one at a time, at a lower scheduling priority than the server's
 * threads, never on a server thread: a burst of sign-ins neither holds the threads that serve
 * content nor takes more than one core and 64 MiB. A request whose answer waits for it is parked
 * (http_deferred) and woken when its job is done. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <sodium.h>

#include "app.h"
#include "common.h"

struct pwq {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake, done;
	pw_job *head, *tail;
	size_t queued;
	int stop;
	unsigned cost;
	char dummy[ACCOUNTS_HASH_MAX]; /* checked against when there is no account: same time */
};

static void run(pwq *q, pw_job *j)
{
	if (j->kind == PW_HASH) {
		j->ok = accounts_hash(j->password, q->cost, j->hash) == 0;
	} else if (j->hash[0]) {
		j->ok = accounts_verify(j->hash, j->password);
	} else {
		/* No such account: spend the same time, so the answer's delay does not tell. */
		if (!q->dummy[0])
			accounts_hash("no account has this password", q->cost, q->dummy);
		accounts_verify(q->dummy, j->password);
		j->ok = 0;
	}
	/* The password is not kept a moment longer than needed. */
	sodium_memzero(j->password, sizeof j->password);
}

static void *worker(void *arg)
{
	pwq *q = arg;
	/* Below the server's threads: hashing yields the CPU to serving (Linux: per-thread nice). */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
	for (;;) {
		pthread_mutex_lock(&q->lock);
		while (!q->head && !q->stop)
			pthread_cond_wait(&q->wake, &q->lock);
		if (!q->head) {
			pthread_mutex_unlock(&q->lock);
			break;
		}
		pw_job *j = q->head;
		q->head = j->next;
		if (!q->head)
			q->tail = NULL;
		pthread_mutex_unlock(&q->lock);
		run(q, j);
		void (*notify)(void *) = j->notify;
		void *ctx = j->notify_ctx;
		pthread_mutex_lock(&q->lock);
		q->queued--;
		j->done = 1;
		pthread_cond_broadcast(&q->done);
		pthread_mutex_unlock(&q->lock);
		if (notify)
			notify(ctx); /* j may be gone once this returns */
	}
	return NULL;
}

int pwq_new(pwq **out, unsigned cost)
{
	*out = NULL;
	pwq *q = calloc(1, sizeof *q);
	if (!q)
		return PC_ENOMEM;
	q->cost = cost;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->wake, NULL);
	pthread_cond_init(&q->done, NULL);
	if (pthread_create(&q->thread, NULL, worker, q) != 0) {
		pthread_mutex_destroy(&q->lock);
		pthread_cond_destroy(&q->wake);
		pthread_cond_destroy(&q->done);
		free(q);
		return PC_ENOMEM;
	}
	*out = q;
	return 0;
}

void pwq_free(pwq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->stop = 1;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->wake);
	pthread_cond_destroy(&q->done);
	free(q);
}

int pwq_submit(pwq *q, pw_job *j)
{
	pthread_mutex_lock(&q->lock);
	if (q->queued >= PWQ_MAX) {
		pthread_mutex_unlock(&q->lock);
		return PC_ELIMIT;
	}
	q->queued++;
	j->next = NULL;
	j->done = 0;
	if (q->tail)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	pthread_cond_signal(&q->wake);
	while (!j->notify && !j->done)
		pthread_cond_wait(&q->done, &q->lock);
	pthread_mutex_unlock(&q->lock);
	return 0;
}
