/* The request-head deadline (see headwatch.h). One thread looks over the open connections a few
 * times per deadline; a connection whose head is overdue gets shutdown(2), which the HTTP
 * layer sees as the client going away and cleans up in its own thread, as for any hang-up. */
#include "headwatch.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "common.h"

struct headwatch_conn {
	headwatch_conn *prev, *next;
	int fd;
	/* Atomics, not the lock: they change twice per request, on the serving threads. */
	atomic_int waiting;          /* a head is due */
	atomic_uint_least64_t due;   /* when, in monotonic milliseconds */
	/* Who the socket was connected to: checked again before a shutdown, so that a socket
	 * number the HTTP layer closed and reused meanwhile is never touched. */
	struct sockaddr_storage peer;
	socklen_t peer_len;
};

struct headwatch {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	int stopping;
	unsigned deadline_ms, period_ms;
	headwatch_conn *head;
	atomic_uint_least64_t dropped;
};

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

static int same_peer(const headwatch_conn *c)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	memset(&ss, 0, sizeof ss);
	if (getpeername(c->fd, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	return len == c->peer_len && memcmp(&ss, &c->peer, len) == 0;
}

static void *watch(void *arg)
{
	headwatch *w = arg;
	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += (long)(w->period_ms % 1000) * 1000000L;
		until.tv_sec += w->period_ms / 1000 + until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		int r = 0;
		while (!w->stopping && r != ETIMEDOUT)
			r = pthread_cond_timedwait(&w->wake, &w->lock, &until);
		if (w->stopping)
			break;
		uint64_t now = now_ms();
		for (headwatch_conn *c = w->head; c; c = c->next) {
			if (!atomic_load(&c->waiting) || now < atomic_load(&c->due))
				continue;
			/* Under the lock: the HTTP layer removes a connection (taking the lock) before
			 * it closes the socket, so the fd is still this connection's. */
			atomic_store(&c->waiting, 0);
			if (same_peer(c)) {
				/* Counted first: whoever sees the hang-up sees the count too. */
				atomic_fetch_add(&w->dropped, 1);
				shutdown(c->fd, SHUT_RDWR);
			}
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int headwatch_new(headwatch **out, unsigned deadline_ms)
{
	*out = NULL;
	headwatch *w = calloc(1, sizeof *w);
	if (!w)
		return PC_ENOMEM;
	w->deadline_ms = deadline_ms ? deadline_ms : 1;
	/* About four looks per deadline, so a head is cut at most a quarter late; never busier
	 * than ten a second nor lazier than one. */
	w->period_ms = w->deadline_ms / 4;
	if (w->period_ms < 100)
		w->period_ms = 100;
	if (w->period_ms > 1000)
		w->period_ms = 1000;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, watch, w) != 0) {
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return PC_EIO;
	}
	*out = w;
	return 0;
}

void headwatch_free(headwatch *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	/* Connections still listed belong to a server that did not say goodbye: forget them. */
	while (w->head) {
		headwatch_conn *c = w->head;
		w->head = c->next;
		free(c);
	}
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

headwatch_conn *headwatch_add(headwatch *w, int fd)
{
	headwatch_conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->fd = fd;
	c->peer_len = sizeof c->peer;
	if (getpeername(fd, (struct sockaddr *)&c->peer, &c->peer_len) != 0)
		c->peer_len = 0;
	atomic_init(&c->due, now_ms() + w->deadline_ms);
	atomic_init(&c->waiting, 1);
	pthread_mutex_lock(&w->lock);
	c->next = w->head;
	if (w->head)
		w->head->prev = c;
	w->head = c;
	pthread_mutex_unlock(&w->lock);
	return c;
}

void headwatch_remove(headwatch *w, headwatch_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&w->lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		w->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&w->lock);
	free(c);
}

void headwatch_head_done(headwatch *w, headwatch_conn *c)
{
	(void)w;
	if (c)
		atomic_store(&c->waiting, 0);
}

void headwatch_head_begin(headwatch *w, headwatch_conn *c)
{
	if (!c)
		return;
	atomic_store(&c->due, now_ms() + w->deadline_ms);
	atomic_store(&c->waiting, 1);
}

uint64_t headwatch_dropped(const headwatch *w)
{
	return atomic_load(&((headwatch *)(uintptr_t)w)->dropped);
}
