/* Locks on a data folder (datalock.h): the start-up lock that makes opening and migrating the
 * store one process at a time, the serve lock that keeps a second `serve` off an SQLite data
 * folder, and the clean-up of temporary files that killed imports left behind. Both locks are
 * flock(2) locks on files in the folder: the kernel drops them when the process dies, so a
 * crash never leaves a stale lock to remove by hand. */
#include "datalock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

/* How long a start waits for another process's start-up (migrations included) to finish. */
#define OPEN_WAIT_S 60

static int open_lockfile(const char *dir, const char *name, char *err, size_t errsize)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		snprintf(err, errsize, "cannot open %s: %s", path, strerror(errno));
	return fd;
}

int datalock_open_begin(int *fd, const char *dir, char *err, size_t errsize)
{
	*fd = open_lockfile(dir, ".open.lock", err, errsize);
	if (*fd < 0)
		return PC_EIO;
	for (int waited = 0;; waited++) {
		if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			break;
		if (waited >= OPEN_WAIT_S * 10) {
			snprintf(err, errsize,
				 "another postcard process has been starting on %s for %d s; is it stuck?",
				 dir, OPEN_WAIT_S);
			close(*fd);
			*fd = -1;
			return PC_EIO;
		}
		nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
	}
	snprintf(err, errsize, "cannot lock %s/.open.lock: %s", dir, strerror(errno));
	close(*fd);
	*fd = -1;
	return PC_EIO;
}

void datalock_open_end(int fd)
{
	if (fd >= 0)
		close(fd); /* closing drops the lock */
}

int datalock_serve(int *fd, const char *dir, char *err, size_t errsize)
{
	*fd = open_lockfile(dir, "serve.lock", err, errsize);
	if (*fd < 0)
		return PC_EIO;
	if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		char pid[32] = "";
		ssize_t n = pread(*fd, pid, sizeof pid - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		snprintf(err, errsize,
			 "another postcard serve%s%s%s is using %s: two servers on one SQLite data folder "
			 "would overwrite each other's records. Stop it first, or give this one another "
			 "--data (several servers share one PostgreSQL database instead: --db postgresql://...)",
			 pid[0] ? " (pid " : "", pid[0] ? pid : "", pid[0] ? ")" : "", dir);
		close(*fd);
		*fd = -1;
		return PC_EIO;
	}
	char pid[32];
	int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(*fd, 0) != 0 || pwrite(*fd, pid, (size_t)len, 0) != len) {
		/* The lock holds without the pid in it: only the message would lack it. */
	}
	return 0;
}

void datalock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* ".import-<pid>.tmp", ".folder-<pid>.zip..." or ".fetch-<pid>-...": the pid that wrote it, or 0. */
static long temp_owner(const char *name)
{
	static const char *const prefixes[] = {".import-", ".folder-", ".fetch-"};
	for (size_t i = 0; i < PC_ARRAY_LEN(prefixes); i++) {
		size_t n = strlen(prefixes[i]);
		if (strncmp(name, prefixes[i], n) != 0)
			continue;
		char *end;
		long pid = strtol(name + n, &end, 10);
		return pid > 0 && end != name + n ? pid : 0;
	}
	return 0;
}

int datalock_clean_temp(const char *packages_dir, int *removed)
{
	*removed = 0;
	DIR *d = opendir(packages_dir);
	if (!d)
		return errno == ENOENT ? 0 : PC_EIO;
	struct dirent *de;
	while ((de = readdir(d))) {
		long pid = temp_owner(de->d_name);
		if (!pid)
			continue;
		/* A live writer keeps its file; a dead one's is garbage (a reused pid only delays the
		 * clean-up to a later start). */
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", packages_dir, de->d_name);
		if (unlink(path) == 0)
			(*removed)++;
	}
	closedir(d);
	return 0;
}
