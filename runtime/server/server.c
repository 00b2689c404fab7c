/* The only file that talks to libmicrohttpd. It turns each connection's request into an
 * http_request, runs the router, and turns the http_response back into an MHD response.
 *
 * Per-request state is created by the URI log callback (which also gives us the raw, still
 * percent-encoded request target: MHD unescapes the URL it hands the access handler, and we
 * must see `%2f`/`%00` to refuse them) and freed in MHD_OPTION_NOTIFY_COMPLETED.
 * The response is queued on the *second* access-handler call, never the first: MHD 0.9.75
 * answers a response queued on the first call with `Connection: close`, which costs a TCP
 * handshake per request (DESIGN.md §6 measured ~21k vs ~128k requests/s). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <stdatomic.h>

#include "app.h"
#include "common.h"
#include "headwatch.h"

/* Connections idle this many seconds while a request is under way (a body, an answer being
 * read) are closed; between requests the head deadline (RT_HEADER_TIMEOUT) comes first. */
#define SERVER_IDLE_TIMEOUT 60
/* Connections served at once: far more than a classroom, and room for a thousand slow clients
 * (slowloris, dropped at the head deadline) besides; fewer when the process may not open that
 * many files (SERVER_RESERVED_FDS kept for the store, zips and logs). */
#define SERVER_MAX_CONNECTIONS 4096
#define SERVER_RESERVED_FDS 64
/* Request bodies held in memory at once, over all connections (read, or parked with their
 * commit). A commit is a few kilobytes; 64 MiB is thousands of them, and without the cap 1024
 * connections each sending a 2 MiB body would hold 2 GiB. Past it a new body is answered 503
 * with Retry-After (the adapter retries). */
#define SERVER_MAX_BODY_BYTES ((size_t)64 << 20)
/* Commits parked on their group commit at once. Past it a commit is answered on its server
 * thread (it waits there, a few milliseconds): the queue cannot grow without bound, and no
 * commit is refused for it, which matters for a page's last save that cannot be retried. */
#define SERVER_MAX_PARKED 256
/* Memory per connection for the request head (request line and headers) and the read buffer:
 * libmicrohttpd's default, stated so it is a documented limit. A larger head is refused (431). */
#define SERVER_CONNECTION_MEMORY ((size_t)32 << 10)

struct rt_server {
	struct MHD_Daemon *d;
	rt_app *app;
	unsigned port;
	atomic_int parked; /* requests parked on a deferred answer and not completed yet */
	headwatch *hw;     /* the request-head deadline */
};

struct req_state {
	rt_server *srv;
	struct MHD_Connection *c;
	http_deferred *deferred; /* parked: answered when the worker is done */
	int was_parked;          /* counted in srv->parked until the request completes */
	char *uri; /* raw request target */
	int started;
	int too_large; /* over the route's body limit: 413 */
	int busy;      /* over SERVER_MAX_BODY_BYTES: 503 */
	size_t max_body;
	size_t held; /* bytes of this body counted in app->body_bytes */
	buf body;
	struct timespec t0;
	int status;
	size_t sent;
};

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct req_state *rs = calloc(1, sizeof *rs);
	if (!rs)
		return NULL;
	rs->srv = cls;
	rs->c = c;
	/* One more than the limit is enough to tell the router the URL is too long. */
	rs->uri = strndup(uri ? uri : "", HTTP_MAX_URL + 1);
	buf_init(&rs->body, HTTP_MAX_BODY);
	clock_gettime(CLOCK_MONOTONIC, &rs->t0);
	return rs;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	rt_server *srv = cls;
	rt_app *app = srv->app;
	/* On a kept-alive connection the next request's head is due from now. */
	const union MHD_ConnectionInfo *sc =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (sc)
		headwatch_head_begin(srv->hw, sc->socket_context);
	struct req_state *rs = *con_cls;
	if (!rs)
		return;
	if (rs->deferred) {
		/* Answered by the worker but never sent (the client went away): free it. */
		http_response dummy;
		http_response_init(&dummy);
		rs->deferred->finish(rs->deferred, &dummy);
		http_response_free(&dummy);
	}
	if (app->log && rs->status) {
		struct timespec t1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double ms = (double)(t1.tv_sec - rs->t0.tv_sec) * 1e3 +
			    (double)(t1.tv_nsec - rs->t0.tv_nsec) / 1e6;
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		char addr[INET6_ADDRSTRLEN] = "-";
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;
			if (sa->sa_family == AF_INET)
				inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
					  addr, sizeof addr);
			else if (sa->sa_family == AF_INET6)
				inet_ntop(AF_INET6,
					  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, addr,
					  sizeof addr);
		}
		char when[32];
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		char line[HTTP_MAX_URL + 160];
		snprintf(line, sizeof line, "%s %s \"%.*s\" %d %zu %.3fms", addr, when, 2048, rs->uri,
			 rs->status, rs->sent, ms);
		app->log(app->log_ctx, line);
	}
	atomic_fetch_sub(&app->body_bytes, rs->held);
	int was_parked = rs->was_parked;
	buf_free(&rs->body);
	free(rs->uri);
	free(rs);
	*con_cls = NULL;
	if (was_parked)
		atomic_fetch_sub(&srv->parked, 1); /* last: rt_server_stop may go on now */
}

static const char *mhd_header(const void *ctx, const char *name)
{
	return MHD_lookup_connection_value((struct MHD_Connection *)(uintptr_t)ctx, MHD_HEADER_KIND,
					   name);
}

static void count_status(rt_app *app, int status)
{
	atomic_fetch_add(&app->requests, 1);
	if (status < 300)
		atomic_fetch_add(&app->responses_2xx, 1);
	else if (status < 400)
		atomic_fetch_add(&app->responses_3xx, 1);
	else if (status < 500)
		atomic_fetch_add(&app->responses_4xx, 1);
	else
		atomic_fetch_add(&app->responses_5xx, 1);
}

/* Block size of streamed bodies (large package files). */
#define STREAM_BLOCK (64 * 1024)

static ssize_t stream_reader(void *cls, uint64_t pos, char *out, size_t max)
{
	http_stream *st = cls;
	if (pos >= st->len)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (max > st->len - pos)
		max = (size_t)(st->len - pos);
	long n = st->read(st->ctx, pos, out, max);
	return n > 0 ? (ssize_t)n : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_done(void *cls)
{
	http_stream *st = cls;
	if (st->free)
		st->free(st->ctx);
	free(st);
}

static enum MHD_Result send_response(struct MHD_Connection *c, struct req_state *rs, rt_app *app,
				     http_response *r)
{
	struct MHD_Response *mr;
	size_t len;
	if (r->stream.read) {
		/* MHD owns the stream from here and frees it when the response is done. */
		http_stream *st = malloc(sizeof *st);
		if (!st)
			return MHD_NO;
		*st = r->stream;
		memset(&r->stream, 0, sizeof r->stream);
		len = (size_t)st->len;
		mr = MHD_create_response_from_callback(st->len, STREAM_BLOCK, stream_reader, st,
						       stream_done);
		if (!mr)
			stream_done(st);
	} else if (r->data) {
		len = r->data_len;
		mr = MHD_create_response_from_buffer(len, (void *)(uintptr_t)r->data,
						     MHD_RESPMEM_PERSISTENT);
	} else {
		char *bytes = buf_detach(&r->body, &len);
		mr = bytes ? MHD_create_response_from_buffer(len, bytes, MHD_RESPMEM_MUST_FREE)
			   : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		if (!mr)
			free(bytes);
	}
	if (!mr)
		return MHD_NO;
	if (r->content_type)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	for (size_t i = 0; i < r->nheaders; i++)
		MHD_add_response_header(mr, r->headers[i].name, r->headers[i].value);
	rs->status = r->status;
	rs->sent = len;
	count_status(app, r->status);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, mr);
	MHD_destroy_response(mr);
	return ret;
}

/* The worker finished a parked request: wake its connection (any thread). It stays counted as
 * parked until it completes (on_completed), so that stopping the server lets its answer go. */
static void on_deferred_done(void *ctx)
{
	struct req_state *rs = ctx;
	MHD_resume_connection(rs->c);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	(void)url;
	rt_server *srv = cls;
	rt_app *app = srv->app;
	struct req_state *rs = *con_cls;
	if (!rs)
		return MHD_NO; /* out of memory in on_uri */
	if (rs->deferred) {
		/* Resumed: the deferred work is done; send its answer. */
		http_response resp;
		http_response_init(&resp);
		http_deferred *d = rs->deferred;
		rs->deferred = NULL;
		d->finish(d, &resp);
		enum MHD_Result ret = send_response(c, rs, app, &resp);
		http_response_free(&resp);
		return ret;
	}
	if (!rs->started) {
		rs->started = 1;
		/* The head is whole (the access handler is first called after the headers). */
		const union MHD_ConnectionInfo *sc =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
		if (sc)
			headwatch_head_done(srv->hw, sc->socket_context);
		/* Limits before reading anything: a declared body over the route's cap is refused
		 * now, and a body is read only into a buffer capped the same. */
		char *q = strchr(rs->uri, '?');
		if (q)
			*q = '\0';
		rs->max_body = routes_body_limit(method, rs->uri);
		if (q)
			*q = '?';
		buf_init(&rs->body, rs->max_body);
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > rs->max_body)
			rs->too_large = 1;
		else
			return MHD_YES;
	}
	if (*upload_data_size && !rs->too_large && !rs->busy) {
		/* Counted before it is kept, and never past the cap (so /metrics shows at most it). */
		size_t n = *upload_data_size;
		size_t held = atomic_load(&app->body_bytes);
		do {
			rs->busy = held + n > SERVER_MAX_BODY_BYTES;
		} while (!rs->busy && !atomic_compare_exchange_weak(&app->body_bytes, &held, held + n));
		if (!rs->busy) {
			rs->held += n;
			if (buf_put(&rs->body, upload_data, n) != 0)
				rs->too_large = 1;
		}
		*upload_data_size = 0;
		if (!rs->too_large && !rs->busy)
			return MHD_YES;
	}
	*upload_data_size = 0;
	http_response resp;
	http_response_init(&resp);
	if (rs->too_large) {
		http_errorf(&resp, 413, "request bodies here are limited to %zu bytes", rs->max_body);
	} else if (rs->busy) {
		http_error(&resp, 503, "the server is holding too many request bodies; try again");
		http_header_add(&resp, "Retry-After", "1");
	} else {
		char *q = strchr(rs->uri, '?');
		if (q)
			*q = '\0';
		http_request req = {
			.method = method,
			.path = rs->uri,
			.query = q ? q + 1 : "",
			.body = rs->body.len ? rs->body.data : NULL,
			.body_len = rs->body.len,
			.header = mhd_header,
			.header_ctx = c,
			.can_defer = atomic_load(&srv->parked) < SERVER_MAX_PARKED,
			.http11 = strcmp(version, MHD_HTTP_VERSION_1_1) == 0,
		};
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		req.peer = ci ? ci->client_addr : NULL;
		routes_dispatch(app, &req, &resp);
		if (q)
			*q = '?';
		if (resp.deferred) {
			/* Park the connection first, so the wake-up cannot come before it. */
			rs->deferred = resp.deferred;
			http_response_free(&resp);
			rs->was_parked = 1;
			atomic_fetch_add(&srv->parked, 1);
			MHD_suspend_connection(c);
			rs->deferred->start(rs->deferred, on_deferred_done, rs);
			return MHD_YES;
		}
	}
	enum MHD_Result ret = send_response(c, rs, app, &resp);
	http_response_free(&resp);
	return ret;
}

/* Connections open and close: watched for the head deadline from their first byte on. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	rt_server *srv = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fd =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = fd ? headwatch_add(srv->hw, fd->connect_fd) : NULL;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		/* Called before libmicrohttpd closes the socket. */
		headwatch_remove(srv->hw, *socket_context);
		*socket_context = NULL;
	}
}

/* How many connections this process can hold: SERVER_MAX_CONNECTIONS, or fewer when its file
 * limit is lower (`serve` raises its soft limit to the hard one first). */
static unsigned connection_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= SERVER_MAX_CONNECTIONS + SERVER_RESERVED_FDS)
		return SERVER_MAX_CONNECTIONS;
	return rl.rlim_cur > 2 * SERVER_RESERVED_FDS ? (unsigned)(rl.rlim_cur - SERVER_RESERVED_FDS)
						     : SERVER_RESERVED_FDS;
}

/* Splits "HOST:PORT" / "[V6]:PORT" into a socket address. Without `any`, only loopback
 * addresses are accepted (no accounts: anyone who can reach the port is the learner). */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, int any, char *err,
			size_t errsize)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen || strlen(listen) >= sizeof host) {
		snprintf(err, errsize, "--listen wants HOST:PORT, e.g. 127.0.0.1:8080 (got '%s')",
			 listen);
		return PC_EINVAL;
	}
	size_t hl = (size_t)(colon - listen);
	memcpy(host, listen, hl);
	host[hl] = '\0';
	if (host[0] == '[' && hl >= 2 && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}
	char *end;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || port > 65535) {
		snprintf(err, errsize, "'%s' is not a port number", colon + 1);
		return PC_EINVAL;
	}
	memset(ss, 0, sizeof *ss);
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	if (strcasecmp(host, "localhost") == 0)
		strcpy(host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		if (any || (ntohl(v4->sin_addr.s_addr) >> 24) == 127)
			return 0;
	} else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		if (any || IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr))
			return 0;
	} else {
		snprintf(err, errsize, "'%s' is not an IP address (use 127.0.0.1 or ::1)", host);
		return PC_EINVAL;
	}
	snprintf(err, errsize,
		 "refusing to listen on %s: there are no learner accounts in this data folder, so "
		 "anyone who can reach the port could read and change every learner's records. "
		 "Listen on a loopback address (127.0.0.1 or ::1), or create the first account "
		 "('postcard user add --admin EMAIL') and serve behind a proxy with TLS (README: "
		 "\"Serving a team\")",
		 host);
	return PC_ELIMIT;
}

int rt_listen_check(const char *listen, int any, char *err, size_t errsize)
{
	struct sockaddr_storage ss;
	return parse_listen(listen, &ss, any, err, errsize);
}

int rt_server_start(rt_server **out, rt_app *app, const char *listen, char *err, size_t errsize)
{
	*out = NULL;
	struct sockaddr_storage ss;
	int rc = parse_listen(listen, &ss, app->accounts, err, errsize);
	if (rc)
		return rc;
	rt_server *s = calloc(1, sizeof *s);
	if (!s)
		return PC_ENOMEM;
	s->app = app;
	rc = headwatch_new(&s->hw, 1000u * (app->header_timeout ? app->header_timeout
								: RT_HEADER_TIMEOUT));
	if (rc) {
		snprintf(err, errsize, "cannot start the server's watcher thread");
		free(s);
		return rc;
	}
	unsigned threads = app->threads;
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n : 2;
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				MHD_OPTION_THREAD_POOL_SIZE, threads,
				MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVER_IDLE_TIMEOUT,
				MHD_OPTION_CONNECTION_LIMIT, connection_limit(),
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, SERVER_CONNECTION_MEMORY,
				MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errsize, "cannot listen on %s (is the port in use?)", listen);
		headwatch_free(s->hw);
		free(s);
		return PC_EIO;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : 0;
	app->port = s->port;
	*out = s;
	return 0;
}

unsigned rt_server_port(const rt_server *s)
{
	return s->port;
}

void rt_server_stop(rt_server *s)
{
	if (!s)
		return;
	/* A parked request's state (its job included) is freed when its connection closes, and
	 * stopping the daemon closes every connection: so the daemon stops only once every parked
	 * request has been answered and completed (its answer sent, or its client gone). Not
	 * bounded in time: each job is answered (stored, or failed with an error) by its worker,
	 * the app's shutdown waits for those workers anyway, and sending is bounded by the
	 * connection timeout. */
	while (atomic_load(&s->parked) > 0)
		nanosleep(&(struct timespec){0, 1000000}, NULL);
	MHD_stop_daemon(s->d);
	headwatch_free(s->hw);
	free(s);
}
