/* Load generator and baseline for bench/commit.sh (not part of the product).
 *
 *   commitload http PORT PACKAGE LEARNERS SECONDS
 *       LEARNERS threads, each a simulated learner with its own keep-alive connection: launch
 *       PACKAGE (POST /api/launch on the app, then POST launch on the package's content origin,
 *       as the player frame does), then commit realistic SCORM 2004 changes one after another,
 *       each waiting for the server's durable acknowledgement. Prints commits/s and latencies.
 *       The server runs with --simulate-learners (a pc_learner cookie per learner).
 *   commitload sqlite DB COMMITS
 *       The baseline: the same rows (SCO state upsert, journal insert, interaction upsert), one
 *       transaction per commit, straight into SQLite with the server's settings (WAL,
 *       synchronous=FULL), in one loop.
 *   commitload pg CONNINFO COMMITS
 *       The PostgreSQL baseline (built with -DWITH_PG): the same rows, one transaction per
 *       commit, prepared statements, synchronous_commit=on, over one libpq connection.
 * Output: one line of JSON. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#ifdef WITH_PG
#include <libpq-fe.h>
#endif

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The suspend data a real module keeps: ~1.2 KB. */
static char suspend[1201];

/* The n-th commit's changes: location, progress, suspend data, session time, and one quiz
 * answer (interaction n % 10), as a postcard module sends after each card or answer. */
static int changes_json(char *out, size_t size, unsigned n)
{
	unsigned q = n % 10;
	int len = snprintf(out, size,
			   "[[\"cmi.location\",\"card-%u\"],[\"cmi.progress_measure\",\"0.%u\"],"
			   "[\"cmi.suspend_data\",\"%s\"],[\"cmi.session_time\",\"PT%uS\"],",
			   n, n % 10, suspend, n);
	if (n < 10)
		len += snprintf(out + len, size - (size_t)len,
				"[\"cmi.interactions.%u.id\",\"q%u\"],[\"cmi.interactions.%u.type\",\"choice\"],",
				q, q, q);
	len += snprintf(out + len, size - (size_t)len,
			"[\"cmi.interactions.%u.learner_response\",\"option-%u\"],"
			"[\"cmi.interactions.%u.result\",\"%s\"],"
			"[\"cmi.interactions.%u.timestamp\",\"2026-01-01T10:00:%02u\"]]",
			q, n % 4, q, n % 3 ? "correct" : "incorrect", q, n % 60);
	return len;
}

/* Changes per commit (the journal index advances by this). */
static unsigned nchanges(unsigned n)
{
	return 4 + (n < 10 ? 2 : 0) + 3;
}

struct learner {
	int id;
	int port;
	const char *package;
	double seconds;
	double *lat;
	size_t nlat, cap;
	int errors;
	char first_error[300];
};

static int connect_to(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Sends a request and reads one response into body (NUL-terminated). Returns the status. */
static int roundtrip(int fd, const char *req, size_t reqlen, char *body, size_t bodysize)
{
	for (size_t off = 0; off < reqlen;) {
		ssize_t w = write(fd, req + off, reqlen - off);
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	static __thread char in[1 << 18];
	size_t got = 0;
	char *hdr_end = NULL;
	while (!hdr_end) {
		ssize_t r = read(fd, in + got, sizeof in - 1 - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
		in[got] = '\0';
		hdr_end = strstr(in, "\r\n\r\n");
	}
	int status = atoi(in + 9);
	char *cl = strcasestr(in, "Content-Length:");
	size_t clen = cl && cl < hdr_end ? strtoul(cl + 15, NULL, 10) : 0;
	size_t have = got - (size_t)(hdr_end + 4 - in);
	while (have < clen) {
		ssize_t r = read(fd, in + got, sizeof in - 1 - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
		have += (size_t)r;
	}
	size_t n = clen < bodysize - 1 ? clen : bodysize - 1;
	memcpy(body, hdr_end + 4, n);
	body[n] = '\0';
	return status;
}

static void *learner_run(void *arg)
{
	struct learner *l = arg;
	int fd = connect_to(l->port);
	static __thread char req[1 << 16], body[1 << 17], changes[1 << 15];
	if (fd < 0) {
		snprintf(l->first_error, sizeof l->first_error, "cannot connect");
		l->errors++;
		return NULL;
	}
	int n = snprintf(req, sizeof req,
			 "POST /api/launch/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: pc_learner=bench%d\r\n"
			 "Content-Length: 0\r\n\r\n",
			 l->package, l->id);
	if (roundtrip(fd, req, (size_t)n, body, sizeof body) != 200) {
		snprintf(l->first_error, sizeof l->first_error, "launch failed");
		l->errors++;
		close(fd);
		return NULL;
	}
	/* {"frameUrl":"http://HOST/l/TOKEN/",...}: start the session there, as the frame does. */
	char host[160], frame[128];
	char *fu = strstr(body, "\"frameUrl\":\"http://");
	if (!fu || sscanf(fu + 19, "%159[^/]%127[^\"]", host, frame) != 2) {
		snprintf(l->first_error, sizeof l->first_error, "no frame address");
		l->errors++;
		close(fd);
		return NULL;
	}
	n = snprintf(req, sizeof req,
		     "POST %slaunch HTTP/1.1\r\nHost: %s\r\nContent-Length: 0\r\n\r\n", frame, host);
	if (roundtrip(fd, req, (size_t)n, body, sizeof body) != 200) {
		snprintf(l->first_error, sizeof l->first_error, "start failed: %.200s", body);
		l->errors++;
		close(fd);
		return NULL;
	}
	char *s = strstr(body, "\"session\":");
	char *u = strstr(body, "\"commitUrl\":\"");
	char *v = strstr(body, "\"version\":\"");
	if (!s || !u || !v) {
		snprintf(l->first_error, sizeof l->first_error, "no launch data");
		l->errors++;
		close(fd);
		return NULL;
	}
	unsigned long session = strtoul(s + 10, NULL, 10);
	char url[256], version[16];
	sscanf(u + 13, "%255[^\"]", url);
	sscanf(v + 11, "%15[^\"]", version);
	double end = now_s() + l->seconds;
	unsigned from = 0;
	for (unsigned seq = 1; now_s() < end; seq++) {
		changes_json(changes, sizeof changes, seq - 1);
		char payload[1 << 16];
		int plen = snprintf(payload, sizeof payload,
				    "{\"protocol\":1,\"version\":\"%s\",\"session\":%lu,\"seq\":%u,\"from\":%u,"
				    "\"changes\":%s,\"terminate\":false}",
				    version, session, seq, from, changes);
		n = snprintf(req, sizeof req,
			     "POST %s HTTP/1.1\r\nHost: %s\r\n"
			     "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			     url, host, plen, payload);
		double t0 = now_s();
		int st = roundtrip(fd, req, (size_t)n, body, sizeof body);
		double dt = now_s() - t0;
		if (st != 200 || !strstr(body, "\"result\":true")) {
			if (!l->errors)
				snprintf(l->first_error, sizeof l->first_error, "HTTP %d: %.200s", st, body);
			l->errors++;
			if (st < 0)
				break;
			continue;
		}
		from += nchanges(seq - 1);
		if (l->nlat == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 1024;
			l->lat = realloc(l->lat, l->cap * sizeof *l->lat);
		}
		l->lat[l->nlat++] = dt;
	}
	close(fd);
	return NULL;
}

static int run_http(int port, const char *package, int learners, double seconds)
{
	struct learner *ls = calloc((size_t)learners, sizeof *ls);
	pthread_t *th = calloc((size_t)learners, sizeof *th);
	double t0 = now_s();
	for (int i = 0; i < learners; i++) {
		ls[i] = (struct learner){.id = i, .port = port, .package = package, .seconds = seconds};
		pthread_create(&th[i], NULL, learner_run, &ls[i]);
	}
	size_t total = 0;
	int errors = 0;
	const char *err = "";
	for (int i = 0; i < learners; i++) {
		pthread_join(th[i], NULL);
		total += ls[i].nlat;
		errors += ls[i].errors;
		if (ls[i].errors && !*err)
			err = ls[i].first_error;
	}
	double elapsed = now_s() - t0;
	double *all = malloc((total ? total : 1) * sizeof *all);
	size_t k = 0;
	for (int i = 0; i < learners; i++)
		for (size_t j = 0; j < ls[i].nlat; j++)
			all[k++] = ls[i].lat[j];
	qsort(all, total, sizeof *all, cmp_double);
	double p50 = total ? all[total / 2] : 0, p99 = total ? all[(size_t)((double)total * 0.99)] : 0;
	/* The load generator's own CPU, to show it is not what limits the server. */
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	printf("{\"commits\":%zu,\"seconds\":%.2f,\"commits_per_s\":%.0f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,"
	       "\"client_cpu_us_per_commit\":%.0f,\"errors\":%d,\"first_error\":\"%s\"}\n",
	       total, elapsed, (double)total / elapsed, p50 * 1e3, p99 * 1e3,
	       total ? cpu / (double)total * 1e6 : 0, errors, err);
	return errors ? 1 : 0;
}

static int run_sqlite(const char *path, int commits)
{
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return 1;
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "CREATE TABLE IF NOT EXISTS sco_states(attempt_id INTEGER, item TEXT, seq INTEGER,"
			 " state TEXT, completion TEXT, location TEXT, PRIMARY KEY(attempt_id, item)) WITHOUT ROWID;"
			 "CREATE TABLE IF NOT EXISTS interactions(attempt_id INTEGER, item TEXT, n INTEGER,"
			 " ident TEXT, learner_response TEXT, result TEXT, PRIMARY KEY(attempt_id, item, n)) WITHOUT ROWID;"
			 "CREATE TABLE IF NOT EXISTS commits(id INTEGER PRIMARY KEY, attempt_id INTEGER, item TEXT,"
			 " seq INTEGER, received_at TEXT, request TEXT, response TEXT);",
		     NULL, NULL, NULL);
	sqlite3_stmt *st, *it, *jr;
	sqlite3_prepare_v2(db, "INSERT INTO sco_states VALUES(?1,'item1',?2,?3,'incomplete',?4)"
			       " ON CONFLICT(attempt_id,item) DO UPDATE SET seq=excluded.seq,"
			       " state=excluded.state, location=excluded.location", -1, &st, NULL);
	sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO interactions VALUES(?1,'item1',?2,?3,?4,?5)", -1,
			   &it, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO commits(attempt_id,item,seq,received_at,request,response)"
			       " VALUES(?1,'item1',?2,strftime('%Y-%m-%dT%H:%M:%fZ','now'),?3,'{}')",
			   -1, &jr, NULL);
	/* A state of the size the server stores (the changes so far, twice over for the JSON). */
	static char state[1 << 17], changes[1 << 15];
	double *lat = malloc((size_t)commits * sizeof *lat);
	double t0 = now_s();
	for (int n = 0; n < commits; n++) {
		int attempt = n % 50;
		changes_json(changes, sizeof changes, (unsigned)n);
		snprintf(state, sizeof state, "{\"values\":%s,\"more\":%s}", changes, changes);
		double t1 = now_s();
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_bind_int(st, 1, attempt);
		sqlite3_bind_int(st, 2, n);
		sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, "card", -1, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_reset(st);
		sqlite3_bind_int(it, 1, attempt);
		sqlite3_bind_int(it, 2, n % 10);
		sqlite3_bind_text(it, 3, "q", -1, SQLITE_STATIC);
		sqlite3_bind_text(it, 4, "option-1", -1, SQLITE_STATIC);
		sqlite3_bind_text(it, 5, "correct", -1, SQLITE_STATIC);
		sqlite3_step(it);
		sqlite3_reset(it);
		sqlite3_bind_int(jr, 1, attempt);
		sqlite3_bind_int(jr, 2, n);
		sqlite3_bind_text(jr, 3, changes, -1, SQLITE_STATIC);
		sqlite3_step(jr);
		sqlite3_reset(jr);
		if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			return 1;
		lat[n] = now_s() - t1;
	}
	double elapsed = now_s() - t0;
	qsort(lat, (size_t)commits, sizeof *lat, cmp_double);
	printf("{\"commits\":%d,\"seconds\":%.2f,\"commits_per_s\":%.0f,\"p50_ms\":%.2f,\"p99_ms\":%.2f}\n",
	       commits, elapsed, commits / elapsed, lat[commits / 2] * 1e3,
	       lat[(size_t)(commits * 0.99)] * 1e3);
	sqlite3_finalize(st);
	sqlite3_finalize(it);
	sqlite3_finalize(jr);
	sqlite3_close(db);
	return 0;
}

#ifdef WITH_PG
static int pg_ok(PGresult *r)
{
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "commitload: %s", PQresultErrorMessage(r));
	PQclear(r);
	return ok;
}

static int run_pg(const char *conninfo, int commits)
{
	PGconn *c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "commitload: %s", PQerrorMessage(c));
		return 1;
	}
	if (!pg_ok(PQexec(c, "SET synchronous_commit = on;"
			     "DROP TABLE IF EXISTS bench_sco_states, bench_interactions, bench_commits;"
			     "CREATE TABLE bench_sco_states(attempt_id BIGINT, item TEXT, seq BIGINT, state TEXT,"
			     " completion TEXT, location TEXT, PRIMARY KEY(attempt_id, item));"
			     "CREATE TABLE bench_interactions(attempt_id BIGINT, item TEXT, n BIGINT, ident TEXT,"
			     " learner_response TEXT, result TEXT, PRIMARY KEY(attempt_id, item, n));"
			     "CREATE TABLE bench_commits(id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
			     " attempt_id BIGINT, item TEXT, seq BIGINT, received_at TEXT, request TEXT, response TEXT)")) ||
	    !pg_ok(PQprepare(c, "st", "INSERT INTO bench_sco_states VALUES($1,'item1',$2,$3,'incomplete',$4)"
				     " ON CONFLICT(attempt_id,item) DO UPDATE SET seq=excluded.seq,"
				     " state=excluded.state, location=excluded.location", 0, NULL)) ||
	    !pg_ok(PQprepare(c, "it", "INSERT INTO bench_interactions VALUES($1,'item1',$2,$3,$4,$5)"
				     " ON CONFLICT(attempt_id,item,n) DO UPDATE SET ident=excluded.ident,"
				     " learner_response=excluded.learner_response, result=excluded.result", 0, NULL)) ||
	    !pg_ok(PQprepare(c, "jr", "INSERT INTO bench_commits(attempt_id,item,seq,received_at,request,response)"
				     " VALUES($1,'item1',$2,now()::text,$3,'{}')", 0, NULL)))
		return 1;
	static char state[1 << 17], changes[1 << 15];
	double *lat = malloc((size_t)commits * sizeof *lat);
	double t0 = now_s();
	for (int n = 0; n < commits; n++) {
		char a[16], seq[16], q[16];
		snprintf(a, sizeof a, "%d", n % 50);
		snprintf(seq, sizeof seq, "%d", n);
		snprintf(q, sizeof q, "%d", n % 10);
		changes_json(changes, sizeof changes, (unsigned)n);
		snprintf(state, sizeof state, "{\"values\":%s,\"more\":%s}", changes, changes);
		double t1 = now_s();
		const char *p1[] = {a, seq, state, "card"};
		const char *p2[] = {a, q, "q", "option-1", "correct"};
		const char *p3[] = {a, seq, changes};
		if (!pg_ok(PQexec(c, "BEGIN")) || !pg_ok(PQexecPrepared(c, "st", 4, p1, NULL, NULL, 0)) ||
		    !pg_ok(PQexecPrepared(c, "it", 5, p2, NULL, NULL, 0)) ||
		    !pg_ok(PQexecPrepared(c, "jr", 3, p3, NULL, NULL, 0)) || !pg_ok(PQexec(c, "COMMIT")))
			return 1;
		lat[n] = now_s() - t1;
	}
	double elapsed = now_s() - t0;
	qsort(lat, (size_t)commits, sizeof *lat, cmp_double);
	printf("{\"commits\":%d,\"seconds\":%.2f,\"commits_per_s\":%.0f,\"p50_ms\":%.2f,\"p99_ms\":%.2f}\n",
	       commits, elapsed, commits / elapsed, lat[commits / 2] * 1e3,
	       lat[(size_t)(commits * 0.99)] * 1e3);
	pg_ok(PQexec(c, "DROP TABLE bench_sco_states, bench_interactions, bench_commits"));
	PQfinish(c);
	free(lat);
	return 0;
}
#endif

int main(int argc, char **argv)
{
	memset(suspend, 'x', sizeof suspend - 1);
	for (size_t i = 0; i < sizeof suspend - 1; i += 7)
		suspend[i] = (char)('a' + i % 26);
	if (argc == 6 && strcmp(argv[1], "http") == 0)
		return run_http(atoi(argv[2]), argv[3], atoi(argv[4]), atof(argv[5]));
	if (argc == 4 && strcmp(argv[1], "sqlite") == 0)
		return run_sqlite(argv[2], atoi(argv[3]));
#ifdef WITH_PG
	if (argc == 4 && strcmp(argv[1], "pg") == 0)
		return run_pg(argv[2], atoi(argv[3]));
#endif
	fprintf(stderr, "usage: commitload http PORT PACKAGE LEARNERS SECONDS\n"
			"       commitload sqlite DB COMMITS\n"
			"       commitload pg CONNINFO COMMITS\n");
	return 2;
}
