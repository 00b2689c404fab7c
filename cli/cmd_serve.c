/* `postcard serve`: run imported packages for learners and keep their records. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "dataopts.h"
#include "runtime.h"

const char cmd_serve_help[] =
	"usage: postcard serve [PACKAGE.zip|FOLDER...] [--listen HOST:PORT] [--data DIR] [--db FILE]\n"
	"                      [--threads N] [--learner ID] [--quiet] [--simulate-learners]\n"
	"                      [--public-url URL] [--content-url URL] [--header-timeout S]\n"
	"                      [--commits-per-minute N] [--learner-quota MB]\n"
	"\n"
	"Serves every imported package to learners in the browser and keeps their records\n"
	"(see 'postcard records'). Packages named here are imported first, as by\n"
	"'postcard import'. Open the printed address (http://postcard.localhost:PORT/): the\n"
	"package list, then a package to play it. Each package runs on its own origin\n"
	"(p<hex>.postcard.localhost), where a launch token allows that one attempt's commits and\n"
	"that package's files only; content is served straight from the stored zips.\n"
	"\n"
	"Local mode (no accounts in the data folder): every visitor is the local learner\n"
	"(--learner), so only loopback addresses (127.0.0.1, ::1, localhost) are accepted for\n"
	"--listen. Team mode (once 'postcard user add --admin EMAIL' made the first account):\n"
	"everyone signs in; learners, managers and admins; --listen may name any address, and\n"
	"behind a proxy with TLS --public-url names the site (README, \"Serving a team\").\n"
	"SCORM 2004 packages navigate by the choice and flow controls their manifest declares;\n"
	"other sequencing rules (preconditions, rollup rules, limits) are not run yet, and the\n"
	"player says so when a package declares them.\n"
	"\n"
	"options:\n"
	"  --listen H:P    address to listen on (default 127.0.0.1:8080; port 0 picks a free one)\n"
	"  --threads N     HTTP worker threads (default: one per CPU core)\n"
	"  --quiet         no access log (otherwise one line per request on stderr)\n"
	"  --header-timeout S   seconds a request head (request line and headers) may take,\n"
	"                  however slowly it arrives, from the connection's start or the\n"
	"                  previous answer (default 30; 1..3600); then the connection is closed\n"
	"  --simulate-learners  for tests and benchmarks: a pc_learner cookie on the app's pages\n"
	"                  picks the learner (never in real use: anyone could be anyone;\n"
	"                  refused in team mode)\n"
	"  --public-url URL     team mode behind a proxy: the site's origin, e.g.\n"
	"                  https://lms.example.org (https: Secure, __Host- cookies)\n"
	"  --content-url URL    the packages' origins, '*' for each package's name (default:\n"
	"                  the public URL's scheme and *.<its host>; a wildcard DNS name and\n"
	"                  certificate)\n"
	"  --commits-per-minute N  team mode: commits a minute per learner, in bursts of as\n"
	"                  many (default 120; past it 429 + Retry-After, which the player retries)\n"
	"  --learner-quota MB  team mode: what one learner's records may take in the store\n"
	"                  (default 64; past it commits are refused with 507 saying so)\n"
	DATA_OPTS_HELP LEARNER_OPT_HELP
	"\n"
	"limits (the status answered past each in brackets):\n"
	"  request target 4 KiB (414); query parameters 32 (400); request head 32 KiB (431);\n"
	"  Host must be postcard.localhost, a package's p<hex>.postcard.localhost, 127.x.y.z,\n"
	"  [::1] or localhost (421); launch tokens last 7 days (404 after);\n"
	"  commit bodies 2 MiB, JSON nested at most 32 deep; other bodies 4 KiB (413, checked\n"
	"  from Content-Length before reading); request bodies held at once 64 MiB over all\n"
	"  connections (503 + Retry-After); commits waiting for a group commit 256 (further\n"
	"  ones wait on their own thread, none is refused);\n"
	"  pages and JSON answers 32 MiB (/api/records says so: use 'postcard records');\n"
	"  package files up to 8 MiB are served from memory (64 MiB cache), larger ones are\n"
	"  streamed from the zip, 32 at once (503 + Retry-After), up to 1 GiB each;\n"
	"  4096 connections (fewer if the file limit is lower); a request head must arrive\n"
	"  whole within the header timeout (slow clients are cut off: slowloris); idle\n"
	"  connections closed after 60 s during a request, after the header timeout between.\n"
	"\n"
	"Stop with Ctrl-C: every acknowledged commit is already on disk.\n"
	"Exit status: 0 stopped by a signal, 1 a named package was refused, 2 usage error or the\n"
	"server could not start.\n";

static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "%s\n", line);
}

int cmd_serve(int argc, char **argv)
{
	data_opts o;
	memset(&o, 0, sizeof o);
	o.with_learner = 1;
	const char *listen = "127.0.0.1:8080", *public_url = NULL, *content_url = NULL;
	const char *paths[256];
	int npaths = 0, quiet = 0, simulate = 0;
	unsigned threads = 0, header_timeout = 0, per_minute = 0, quota_mb = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--listen") == 0 || strcmp(a, "--threads") == 0 ||
		    strcmp(a, "--public-url") == 0 || strcmp(a, "--content-url") == 0 ||
		    strcmp(a, "--header-timeout") == 0 || strcmp(a, "--commits-per-minute") == 0 ||
		    strcmp(a, "--learner-quota") == 0) {
			if (i + 1 >= argc) {
				cli_error("serve", "%s needs a value", a);
				return EXIT_USAGE;
			}
			if (strcmp(a, "--listen") == 0) {
				listen = argv[++i];
			} else if (strcmp(a, "--public-url") == 0) {
				public_url = argv[++i];
			} else if (strcmp(a, "--content-url") == 0) {
				content_url = argv[++i];
			} else if (strcmp(a, "--header-timeout") == 0 ||
				   strcmp(a, "--commits-per-minute") == 0 ||
				   strcmp(a, "--learner-quota") == 0) {
				/* Numbers with their ranges: a table, not three copies. */
				static const struct {
					const char *name;
					long max;
					const char *unit;
				} nums[] = {{"--header-timeout", 3600, "seconds"},
					    {"--commits-per-minute", 100000, "commits"},
					    {"--learner-quota", 1 << 20, "MB"}};
				unsigned *slots[] = {&header_timeout, &per_minute, &quota_mb};
				size_t k = 0;
				while (strcmp(nums[k].name, a) != 0)
					k++;
				char *end;
				long n = strtol(argv[++i], &end, 10);
				if (*end || n < 1 || n > nums[k].max) {
					cli_error("serve", "%s wants 1..%ld %s", a, nums[k].max, nums[k].unit);
					return EXIT_USAGE;
				}
				*slots[k] = (unsigned)n;
			} else {
				char *end;
				long n = strtol(argv[++i], &end, 10);
				if (*end || n < 1 || n > 256) {
					cli_error("serve", "--threads wants 1..256");
					return EXIT_USAGE;
				}
				threads = (unsigned)n;
			}
			continue;
		}
		if (strcmp(a, "--quiet") == 0) {
			quiet = 1;
			continue;
		}
		if (strcmp(a, "--simulate-learners") == 0) {
			simulate = 1;
			continue;
		}
		int r = data_opts_parse(&o, "serve", argc, argv, &i);
		if (r < 0)
			return EXIT_USAGE;
		if (r)
			continue;
		if (a[0] == '-' && a[1]) {
			cli_error("serve", "unknown option '%s' (see 'postcard help serve')", a);
			return EXIT_USAGE;
		}
		if (npaths == (int)PC_ARRAY_LEN(paths)) {
			cli_error("serve", "at most %zu packages on the command line", PC_ARRAY_LEN(paths));
			return EXIT_USAGE;
		}
		paths[npaths++] = argv[i];
	}
	/* Signals are taken with sigwait below: block them before any thread starts. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Room for every connection the server allows (distributions start processes at 1024
	 * open files, below it): the soft limit goes up to the hard one. */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}

	rt_config cfg = {.threads = threads, .header_timeout = header_timeout,
			 .commits_per_minute = per_minute, .learner_bytes = (int64_t)quota_mb << 20, .log = quiet ? NULL : log_line,
			 .simulate_learners = simulate, .serve = 1, .warn = log_line,
			 .public_url = public_url, .content_url = content_url};
	data_opts_config(&o, &cfg);
	char err[1024] = "";
	/* Before anything is created: a refused --listen leaves no data folder behind. Any address
	 * but loopback needs accounts, so a data folder that exists already. */
	int rc_listen = rt_listen_check(listen, 0, err, sizeof err);
	if (rc_listen == PC_EINVAL || (rc_listen && !data_opts_exists(&cfg))) {
		cli_error("serve", "%s", err);
		return EXIT_USAGE;
	}
	rt_app *app = NULL;
	rt_server *srv = NULL;
	int status = EXIT_OK;
	if (rt_app_new(&app, &cfg, err, sizeof err) != 0) {
		cli_error("serve", "%s", err);
		return EXIT_USAGE;
	}
	if (rc_listen && !rt_app_accounts(app)) {
		cli_error("serve", "%s", err);
		rt_app_free(app);
		return EXIT_USAGE;
	}
	if (simulate && rt_app_accounts(app)) {
		cli_error("serve", "--simulate-learners cannot be used with accounts: people sign in");
		rt_app_free(app);
		return EXIT_USAGE;
	}
	for (int i = 0; i < npaths; i++) {
		diag_sink *sink = NULL;
		rt_import_result res;
		if (diag_sink_new(&sink) != 0) {
			status = EXIT_USAGE;
			goto cleanup;
		}
		int rc = rt_import(app, paths[i], sink, &res);
		cli_print_diags(sink, 1);
		diag_sink_free(sink);
		if (rc) {
			fprintf(stderr, "postcard serve: %s: %s\n", paths[i],
				rc == PC_EINVALID ? "refused: the package has errors" : pc_strerror(rc));
			status = rc == PC_EINVALID ? EXIT_INVALID : EXIT_USAGE;
			goto cleanup;
		}
		printf("%s: %s \"%s\"\n", paths[i], res.previous[0] ? "updated" : "ready", res.title);
	}
	if (rt_server_start(&srv, app, listen, err, sizeof err) != 0) {
		cli_error("serve", "%s", err);
		status = EXIT_USAGE;
		goto cleanup;
	}
	/* The name, not the address: packages play from its subdomains (the same site). */
	if (public_url)
		printf("Serving %s (on %s, port %u; data: %s). Stop with Ctrl-C.\n", public_url, listen,
		       rt_server_port(srv), cfg.data_dir);
	else
		printf("Serving on http://postcard.localhost:%u/ (data: %s). Stop with Ctrl-C.\n",
		       rt_server_port(srv), cfg.data_dir);
	printf("%s\n", rt_app_accounts(app) ? "Team mode: accounts, everyone signs in."
					     : "Local mode: one learner, no sign-in.");
	fflush(stdout);
	int sig = 0;
	sigwait(&sigs, &sig);
	fprintf(stderr, "postcard serve: stopping (%s)\n", sig == SIGINT ? "interrupt" : "terminate");
cleanup:
	rt_server_stop(srv);
	rt_app_free(app);
	return status;
}
