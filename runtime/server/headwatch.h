/* The request-head deadline (slowloris): every connection must deliver each request head whole
 * within a deadline, however slowly it trickles the bytes; past it the connection is shut down.
 * libmicrohttpd 0.9.75 only has an idle timeout, which one byte every few seconds resets, so
 * 1,100 such clients held every connection slot. Knows nothing of libmicrohttpd: server.c
 * registers each connection's socket and says when a head is complete and when the next begins. */
#ifndef POSTCARD_HEADWATCH_H
#define POSTCARD_HEADWATCH_H

#include <stdint.h>

typedef struct headwatch headwatch;
typedef struct headwatch_conn headwatch_conn;

/* Starts the watcher thread, which checks every connection about four times per deadline.
 * deadline_ms > 0. Returns 0 or PC_ENOMEM/PC_EIO; *out is NULL on failure. */
int headwatch_new(headwatch **out, unsigned deadline_ms);
/* Stops the thread; every connection must have been removed. Accepts NULL. */
void headwatch_free(headwatch *w);

/* A new connection on socket fd: its first head is due within the deadline from now. Returns
 * NULL when out of memory (the connection is then simply not watched). */
headwatch_conn *headwatch_add(headwatch *w, int fd);
/* The connection's socket is about to be closed: forget it (before the fd can be reused).
 * Accepts NULL. */
void headwatch_remove(headwatch *w, headwatch_conn *c);
/* The head of the current request is complete: no deadline until the next one begins. */
void headwatch_head_done(headwatch *w, headwatch_conn *c);
/* A request is over; on a kept-alive connection the next head is due within the deadline. */
void headwatch_head_begin(headwatch *w, headwatch_conn *c);
/* Connections shut down for missing their deadline since the start. */
uint64_t headwatch_dropped(const headwatch *w);

#endif
