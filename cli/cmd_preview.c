/* `postcard preview`: build a module or course, serve it from a throwaway store, rebuild on
 * every source change and make the learner's page reload. Builds run `postcard build` as a
 * child process (this same binary), so its findings reach the terminal unchanged; they are
 * also captured and shown in the page. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "fstree.h"
#include "runtime.h"

const char cmd_preview_help[] =
	"usage: postcard preview MODULE_DIR|COURSE.xml [--listen HOST:PORT] [--scorm VERSION]\n"
	"\n"
	"Builds the module (or course) with 'postcard build', serves it on this computer with a\n"
	"throwaway store (nothing is kept after you stop), and prints the address to open. Every\n"
	"time a source file changes it rebuilds; the open page reloads by itself. Build errors\n"
	"and warnings are printed here and shown in the page; while the sources have errors the\n"
	"page keeps showing the last build that worked.\n"
	"\n"
	"options:\n"
	"  --listen H:P    address (default 127.0.0.1:8080, or a free port if that one is busy);\n"
	"                  loopback only, as for 'postcard serve'\n"
	"  --scorm V       1.2 (default), 2004-3rd or 2004-4th, passed to 'postcard build'\n"
	"\n"
	"Stop with Ctrl-C. Exit status: 0 stopped, 2 usage error or the server could not start.\n";

/* Captured build output shown in the page: enough for many findings, bounded. */
#define PREVIEW_MAX_ERROR 16384

/* Newest modification time under a path (files and folders, recursively, depth-bounded). */
static void newest(const char *path, int depth, struct timespec *best, long *count)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return;
	(*count)++;
	if (sb.st_mtim.tv_sec > best->tv_sec ||
	    (sb.st_mtim.tv_sec == best->tv_sec && sb.st_mtim.tv_nsec > best->tv_nsec))
		*best = sb.st_mtim;
	if (!S_ISDIR(sb.st_mode) || depth > 8)
		return;
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4096];
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		newest(sub, depth + 1, best, count);
	}
	closedir(d);
}

/* Runs `postcard build -q SRC -o OUT [--scorm V]`, copying its stderr to ours and into `log`.
 * Returns the child's exit status (or 2 when it could not run). */
static int run_build(const char *src, const char *out, const char *scorm, buf *log)
{
	int fds[2];
	if (pipe(fds) != 0)
		return 2;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return 2;
	}
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		char self[4096];
		ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
		if (n <= 0)
			_exit(127);
		self[n] = '\0';
		/* -q: only findings on stderr, so what reaches the page is what to fix */
		if (scorm)
			execl(self, "postcard", "build", "-q", src, "-o", out, "--scorm", scorm,
			      (char *)NULL);
		else
			execl(self, "postcard", "build", "-q", src, "-o", out, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	char chunk[4096];
	ssize_t n;
	while ((n = read(fds[0], chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		fwrite(chunk, 1, (size_t)n, stderr);
		buf_put(log, chunk, (size_t)n);
	}
	close(fds[0]);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st))
		return 2;
	if (WEXITSTATUS(st) == 127)
		buf_puts(log, "postcard build could not be run\n");
	return WEXITSTATUS(st);
}

/* Preview's scratch folders are its own; one that cannot be removed is said, not hidden. */
static void remove_scratch(const char *path)
{
	char why[1024];
	if (fstree_remove(path, why, sizeof why) != 0)
		fprintf(stderr, "postcard preview: %s (left behind; remove it by hand)\n", why);
}

/* Builds and imports; returns the first package identifier imported into `first`. */
static void rebuild(rt_app *app, const char *src, const char *tmp, const char *scorm,
		    unsigned gen, char *first, size_t size)
{
	char out[4200];
	snprintf(out, sizeof out, "%s/build-%u", tmp, gen);
	mkdir(out, 0700);
	buf log;
	buf_init(&log, PREVIEW_MAX_ERROR);
	int st = run_build(src, out, scorm, &log);
	DIR *d = opendir(out);
	struct dirent *e;
	int imported = 0;
	while (d && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".zip") != 0)
			continue;
		char zip[4600];
		snprintf(zip, sizeof zip, "%s/%s", out, e->d_name);
		diag_sink *sink = NULL;
		rt_import_result res;
		if (diag_sink_new(&sink) != 0)
			continue;
		if (rt_import(app, zip, sink, &res) == 0) {
			imported++;
			if (!first[0])
				snprintf(first, size, "%s", res.package);
		} else {
			buf text = BUF_INIT;
			diag_render_text(sink, &text, 0);
			fputs(buf_cstr(&text), stderr);
			buf_put(&log, buf_cstr(&text), text.len);
			buf_free(&text);
			st = st ? st : 1;
		}
		diag_sink_free(sink);
	}
	if (d)
		closedir(d);
	remove_scratch(out);
	if (st != 0 || !imported) {
		if (!log.len && !buf_error(&log))
			buf_puts(&log, "the build produced no package\n");
		rt_preview_set(app,
			       buf_error(&log) ? "the build failed (output too long to show)"
					       : buf_cstr(&log),
			       NULL);
		fprintf(stderr, "postcard preview: build failed; waiting for changes\n");
	} else {
		/* a build that worked may still have warnings: shown in the page too */
		rt_preview_set(app, NULL, buf_error(&log) ? NULL : buf_cstr(&log));
		fprintf(stderr, "postcard preview: built (%d package%s)\n", imported,
			imported == 1 ? "" : "s");
	}
	buf_free(&log);
}

int cmd_preview(int argc, char **argv)
{
	const char *src = NULL, *listen = NULL, *scorm = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--listen") == 0 || strcmp(argv[i], "--scorm") == 0) {
			if (i + 1 >= argc) {
				cli_error("preview", "%s needs a value", argv[i]);
				return EXIT_USAGE;
			}
			if (argv[i][2] == 'l')
				listen = argv[++i];
			else
				scorm = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			cli_error("preview", "unknown option '%s' (see 'postcard help preview')", argv[i]);
			return EXIT_USAGE;
		} else if (src) {
			cli_error("preview", "one module folder or course file at a time");
			return EXIT_USAGE;
		} else {
			src = argv[i];
		}
	}
	struct stat sb;
	if (!src) {
		cli_print_help(cli_find("preview"), stderr);
		return EXIT_USAGE;
	}
	if (stat(src, &sb) != 0) {
		cli_error("preview", "%s: %s", src, strerror(errno));
		return EXIT_USAGE;
	}
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	char tmp[] = "/tmp/postcard-preview-XXXXXX";
	if (!mkdtemp(tmp)) {
		cli_error("preview", "cannot make a temporary folder: %s", strerror(errno));
		return EXIT_USAGE;
	}
	char data[200];
	snprintf(data, sizeof data, "%s/data", tmp);
	rt_config cfg = {.data_dir = data, .db_path = ":memory:", .preview = 1,
			 .learner = "preview", .learner_name = "Preview learner"};
	char err[1024] = "";
	rt_app *app = NULL;
	rt_server *srv = NULL;
	int status = EXIT_OK;
	if (rt_app_new(&app, &cfg, err, sizeof err) != 0) {
		cli_error("preview", "%s", err);
		remove_scratch(tmp);
		return EXIT_USAGE;
	}
	/* Watch the module folder, or the folder holding the course file (its modules sit there). */
	char watch[4096];
	if (S_ISDIR(sb.st_mode)) {
		snprintf(watch, sizeof watch, "%s", src);
	} else {
		const char *slash = strrchr(src, '/');
		snprintf(watch, sizeof watch, "%.*s", slash ? (int)(slash - src) : 1, slash ? src : ".");
	}
	unsigned gen = 0;
	char first[256] = "";
	struct timespec seen = {0, 0};
	long seen_count = 0;
	newest(watch, 0, &seen, &seen_count);
	rebuild(app, src, tmp, scorm, gen++, first, sizeof first);
	int rc = rt_server_start(&srv, app, listen ? listen : "127.0.0.1:8080", err, sizeof err);
	if (rc == PC_EIO && !listen)
		rc = rt_server_start(&srv, app, "127.0.0.1:0", err, sizeof err);
	if (rc) {
		cli_error("preview", "%s", err);
		status = EXIT_USAGE;
		goto cleanup;
	}
	printf("Previewing %s on http://postcard.localhost:%u/%s%s\nEdit the sources: the page reloads "
	       "after each build. Stop with Ctrl-C.\n",
	       src, rt_server_port(srv), first[0] ? "play/" : "", first);
	fflush(stdout);
	for (;;) {
		struct timespec tick = {0, 400 * 1000 * 1000};
		int sig = sigtimedwait(&sigs, NULL, &tick);
		if (sig == SIGINT || sig == SIGTERM)
			break;
		struct timespec now = {0, 0};
		long count = 0;
		newest(watch, 0, &now, &count);
		if (now.tv_sec != seen.tv_sec || now.tv_nsec != seen.tv_nsec || count != seen_count) {
			seen = now;
			seen_count = count;
			fprintf(stderr, "postcard preview: sources changed, rebuilding\n");
			rebuild(app, src, tmp, scorm, gen++, first, sizeof first);
		}
	}
cleanup:
	rt_server_stop(srv);
	rt_app_free(app);
	remove_scratch(tmp);
	return status;
}
