/* A power cut for tests (LD_PRELOAD=libpowercut.so; never linked into the product).
 *
 * What a power cut loses is what the disk never got: every write after the last fsync or
 * fdatasync of its file. SIGKILL does not lose it (the kernel's page cache survives), so a
 * durability test that only kills the process passes with synchronous=OFF. This shim keeps,
 * for every file under POWERCUT_DIR, a shadow copy of its contents as of its last sync
 * (POWERCUT_DIR/.powercut/<path>): a sync copies the ranges written since into the shadow.
 * After the process is gone, tests/durability/restore.js puts the shadows back (a file never
 * synced disappears; optionally each unsynced 4 KiB block survives or not at random, as a
 * disk's write-back order allows), and the server starts on what a power cut would have left.
 *
 *   POWERCUT_DIR  the data folder (absolute path; files outside it are not watched)
 *   POWERCUT_AT   cut the power at this sync (1 = the first): the process is SIGKILLed inside
 *                 that fsync, before the data reaches the shadow, so that sync never happened
 *   POWERCUT_LOG  file to append "sync N path" lines to (debugging)
 *   POWERCUT_IN   count only syncs of files below this path of POWERCUT_DIR (e.g. "pg_wal/")
 *   POWERCUT_GROUP=1  the cut kills the process that loaded the shim and every child of it, not
 *                 only the process syncing (PostgreSQL: the power goes for the postmaster and
 *                 every backend at once; they are not one process group, each backend calls
 *                 setsid)
 *
 * At start the files already in POWERCUT_DIR count as synced (the shadow is made from them).
 * Renames and unlinks of watched files move or drop their shadow (the model takes directory
 * changes as durable once made: SQLite's WAL does not depend on them). Writes through mmap are
 * not seen: SQLite's -shm index is rebuilt after a crash, and the database is not mapped.
 *
 * Several processes: a sync makes durable what any process wrote to the file, so what was
 * written since the last sync is kept in memory shared by the process that loaded the shim and
 * every process it forks (PostgreSQL's backends, WAL writer and checkpointer write and sync the
 * same files), under a process-shared lock, with the sync count. Processes that exec'd anew
 * have their own (none of PostgreSQL's do). */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_FDS 4096
#define MAX_RANGES 512

struct range {
	off_t off, len;
};

/* One watched file (by inode): where it lives and what was written since its last sync. */
struct watched {
	dev_t dev;
	ino_t ino;
	char rel[PATH_MAX]; /* path below POWERCUT_DIR */
	struct range ranges[MAX_RANGES];
	int nranges;
	int all_dirty; /* too many ranges: copy the whole file at the next sync */
	int used;
};

/* Files watched at once (PostgreSQL opens a few hundred of its data folder's files). */
#define MAX_WATCHED 2048

/* What the processes share (an anonymous shared mapping made before any fork). */
struct shared {
	pthread_mutex_t lock;
	long syncs;
	struct watched files[MAX_WATCHED];
};
static struct shared *sh;
static int fd_file[MAX_FDS]; /* index into files + 1, 0 = not watched (per process) */
static char dir[PATH_MAX];
static size_t dirlen;
static char shadow_dir[PATH_MAX];
static char count_in[PATH_MAX];
static long cut_at;
static int cut_group;
static pid_t root_pid; /* the process that loaded the shim (PostgreSQL's postmaster) */
static int log_fd = -1;

static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_close)(int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off_t);
static int (*real_unlink)(const char *);
static int (*real_rename)(const char *, const char *);
static int (*real_link)(const char *, const char *);
static int (*real_truncate)(const char *, off_t);

#define RESOLVE(name) (real_##name = dlsym(RTLD_NEXT, #name))
/* Another library's constructor may call in before ours ran (PostgreSQL's libcap-ng opens a
 * file): each wrapper finds the real function itself when it is not known yet. */
#define NEED(name)                                                                                 \
	do {                                                                                       \
		if (!real_##name)                                                                  \
			RESOLVE(name);                                                             \
	} while (0)

/* The path below `dir` that `path` names (absolute, or relative to the working folder), or NULL. */
static const char *relative(const char *path, char *buf)
{
	if (!dirlen || !path)
		return NULL;
	if (path[0] != '/') {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd) || snprintf(buf, PATH_MAX, "%s/%s", cwd, path) >= PATH_MAX)
			return NULL;
		path = buf;
	}
	if (strncmp(path, dir, dirlen) != 0 || path[dirlen] != '/')
		return NULL;
	const char *rel = path + dirlen + 1;
	while (*rel == '/')
		rel++;
	if (strncmp(rel, ".powercut", 9) == 0)
		return NULL;
	return *rel ? rel : NULL;
}

static int shadow_path(char *out, const char *rel)
{
	return snprintf(out, PATH_MAX, "%s/%s", shadow_dir, rel) < PATH_MAX ? 0 : -1;
}

/* mkdir -p of the folders above `path`. */
static void make_parents(const char *path)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
		return;
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
}

/* Copies [off, off+len) of fd into the shadow file (opened by the caller). */
static void copy_range(int from, int to, off_t off, off_t len)
{
	static char block[1 << 16];
	while (len > 0) {
		size_t want = len > (off_t)sizeof block ? sizeof block : (size_t)len;
		ssize_t n = pread(from, block, want, off);
		if (n <= 0)
			return;
		if (real_pwrite(to, block, (size_t)n, off) != n)
			return;
		off += n;
		len -= n;
	}
}

static struct watched *watch(int fd, const char *rel)
{
	struct stat st;
	if (fd < 0 || fd >= MAX_FDS || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return NULL;
	struct watched *w = NULL;
	for (int i = 0; i < MAX_WATCHED && !w; i++)
		if (sh->files[i].used && sh->files[i].dev == st.st_dev && sh->files[i].ino == st.st_ino)
			w = &sh->files[i];
	for (int i = 0; i < MAX_WATCHED && !w; i++)
		if (!sh->files[i].used) {
			w = &sh->files[i];
			memset(w, 0, sizeof *w);
			w->used = 1;
			w->dev = st.st_dev;
			w->ino = st.st_ino;
		}
	if (!w)
		return NULL;
	if (snprintf(w->rel, sizeof w->rel, "%s", rel) >= (int)sizeof w->rel)
		return NULL;
	fd_file[fd] = (int)(w - sh->files) + 1;
	return w;
}

static struct watched *watched_fd(int fd)
{
	return fd >= 0 && fd < MAX_FDS && fd_file[fd] ? &sh->files[fd_file[fd] - 1] : NULL;
}

static void dirty(int fd, off_t off, off_t len)
{
	if (len <= 0 || !sh)
		return;
	pthread_mutex_lock(&sh->lock);
	struct watched *w = watched_fd(fd);
	if (w && !w->all_dirty) {
		struct range *last = w->nranges ? &w->ranges[w->nranges - 1] : NULL;
		if (last && off >= last->off && off <= last->off + last->len) {
			if (off + len > last->off + last->len)
				last->len = off + len - last->off;
		} else if (w->nranges == MAX_RANGES) {
			w->all_dirty = 1;
		} else {
			w->ranges[w->nranges++] = (struct range){off, len};
		}
	}
	pthread_mutex_unlock(&sh->lock);
}

/* Kills this process, or with POWERCUT_GROUP the root process and all its children: the root
 * is stopped first, so that it neither forks nor reaps while its children are found (by their
 * parent, in /proc) and killed. */
static void power_off(void)
{
	if (cut_group && root_pid > 0) {
		kill(root_pid, SIGSTOP);
		DIR *d = opendir("/proc");
		struct dirent *de;
		while (d && (de = readdir(d))) {
			char path[64], stat[512];
			pid_t pid = (pid_t)strtol(de->d_name, NULL, 10);
			if (pid <= 0 || pid == getpid() ||
			    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid) >= (int)sizeof path)
				continue;
			int fd = real_open(path, O_RDONLY | O_CLOEXEC);
			ssize_t n = fd >= 0 ? read(fd, stat, sizeof stat - 1) : -1;
			if (fd >= 0)
				real_close(fd);
			if (n <= 0)
				continue;
			stat[n] = '\0';
			const char *after = strrchr(stat, ')'); /* "pid (comm) state ppid ..." */
			int ppid = 0;
			if (after && sscanf(after + 1, " %*c %d", &ppid) == 1 && ppid == root_pid)
				kill(pid, SIGKILL);
		}
		if (d)
			closedir(d);
		kill(root_pid, SIGKILL);
	}
	kill(getpid(), SIGKILL);
}

/* The sync: the power cut when its number comes, else the dirty ranges reach the shadow. */
static void synced(int fd)
{
	if (!sh)
		return;
	pthread_mutex_lock(&sh->lock);
	struct watched *w = watched_fd(fd);
	if (!w) {
		pthread_mutex_unlock(&sh->lock);
		return;
	}
	int counted = strncmp(w->rel, count_in, strlen(count_in)) == 0;
	long n_sync = counted ? ++sh->syncs : sh->syncs;
	if (log_fd >= 0) {
		char line[PATH_MAX + 40];
		int n = snprintf(line, sizeof line, "sync %ld%s %s\n", n_sync, counted ? "" : " (not counted)",
				 w->rel);
		real_write(log_fd, line, (size_t)n);
	}
	/* The power goes: this sync never completes, and (holding the lock) no other process's
	 * sync reaches its shadow either. */
	if (counted && cut_at && n_sync >= cut_at)
		power_off();
	char sp[PATH_MAX];
	int to = shadow_path(sp, w->rel) == 0 ? (make_parents(sp), real_open(sp, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) : -1;
	struct stat st;
	if (to >= 0 && fstat(fd, &st) == 0) {
		if (w->all_dirty)
			copy_range(fd, to, 0, st.st_size);
		else
			for (int i = 0; i < w->nranges; i++)
				copy_range(fd, to, w->ranges[i].off, w->ranges[i].len);
		real_ftruncate(to, st.st_size);
		w->nranges = 0;
		w->all_dirty = 0;
	}
	if (to >= 0)
		real_close(to);
	pthread_mutex_unlock(&sh->lock);
}

/* At start, what is on disk counts as synced: copy the folder into the shadow. */
static void snapshot(const char *rel_dir)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof path, "%s%s%s", dir, rel_dir[0] ? "/" : "", rel_dir) >= (int)sizeof path)
		return;
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    (!rel_dir[0] && !strcmp(de->d_name, ".powercut")))
			continue;
		char rel[PATH_MAX], full[PATH_MAX], sp[PATH_MAX];
		if (snprintf(rel, sizeof rel, "%s%s%s", rel_dir, rel_dir[0] ? "/" : "", de->d_name) >=
			    (int)sizeof rel ||
		    snprintf(full, sizeof full, "%s/%s", dir, rel) >= (int)sizeof full)
			continue;
		struct stat st;
		if (lstat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			snapshot(rel);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		if (shadow_path(sp, rel) != 0)
			continue;
		make_parents(sp);
		int from = real_open(full, O_RDONLY | O_CLOEXEC);
		int to = real_open(sp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (from >= 0 && to >= 0)
			copy_range(from, to, 0, st.st_size);
		if (from >= 0)
			real_close(from);
		if (to >= 0)
			real_close(to);
	}
	closedir(d);
}

__attribute__((constructor)) static void init(void)
{
	RESOLVE(open);
	RESOLVE(open64);
	RESOLVE(openat);
	RESOLVE(close);
	RESOLVE(write);
	RESOLVE(pwrite);
	RESOLVE(pwrite64);
	RESOLVE(writev);
	RESOLVE(pwritev);
	RESOLVE(fsync);
	RESOLVE(fdatasync);
	RESOLVE(ftruncate);
	RESOLVE(ftruncate64);
	RESOLVE(unlink);
	RESOLVE(rename);
	RESOLVE(link);
	RESOLVE(truncate);
	const char *d = getenv("POWERCUT_DIR");
	if (!d || !*d || !realpath(d, dir))
		return;
	sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		sh = NULL;
		return;
	}
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&sh->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	const char *in = getenv("POWERCUT_IN");
	snprintf(count_in, sizeof count_in, "%s", in ? in : "");
	const char *group = getenv("POWERCUT_GROUP");
	cut_group = group && !strcmp(group, "1");
	root_pid = getpid();
	dirlen = strlen(dir);
	if (snprintf(shadow_dir, sizeof shadow_dir, "%s/.powercut", dir) >= (int)sizeof shadow_dir)
		return;
	const char *at = getenv("POWERCUT_AT");
	cut_at = at ? strtol(at, NULL, 10) : 0;
	const char *logp = getenv("POWERCUT_LOG");
	if (logp && *logp)
		log_fd = real_open(logp, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	mkdir(shadow_dir, 0755);
	snapshot("");
}

static int after_open(int fd, const char *path, int flags)
{
	char buf[PATH_MAX];
	const char *rel = fd >= 0 ? relative(path, buf) : NULL;
	if (!rel)
		return fd;
	pthread_mutex_lock(&sh->lock);
	struct watched *w = watch(fd, rel);
	if (w && (flags & O_TRUNC))
		w->all_dirty = 1; /* the shadow shrinks at the next sync */
	pthread_mutex_unlock(&sh->lock);
	return fd;
}

#define MODE_ARG(flags, mode)                                                                      \
	do {                                                                                       \
		if ((flags) & (O_CREAT | O_TMPFILE)) {                                             \
			va_list ap;                                                                \
			va_start(ap, flags);                                                       \
			mode = va_arg(ap, mode_t);                                                 \
			va_end(ap);                                                                \
		}                                                                                  \
	} while (0)

int open(const char *path, int flags, ...)
{
	NEED(open);
	mode_t mode = 0;
	MODE_ARG(flags, mode);
	return after_open(real_open(path, flags, mode), path, flags);
}

int open64(const char *path, int flags, ...)
{
	NEED(open64);
	mode_t mode = 0;
	MODE_ARG(flags, mode);
	return after_open(real_open64(path, flags, mode), path, flags);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	NEED(openat);
	mode_t mode = 0;
	MODE_ARG(flags, mode);
	int fd = real_openat(dirfd, path, flags, mode);
	return dirfd == AT_FDCWD || path[0] == '/' ? after_open(fd, path, flags) : fd;
}

int close(int fd)
{
	NEED(close);
	if (sh && fd >= 0 && fd < MAX_FDS) {
		pthread_mutex_lock(&sh->lock);
		fd_file[fd] = 0;
		pthread_mutex_unlock(&sh->lock);
	}
	return real_close(fd);
}

ssize_t write(int fd, const void *b, size_t n)
{
	NEED(write);
	off_t at = watched_fd(fd) ? lseek(fd, 0, SEEK_CUR) : -1;
	ssize_t r = real_write(fd, b, n);
	if (r > 0 && at >= 0)
		dirty(fd, at, r);
	return r;
}

ssize_t pwrite(int fd, const void *b, size_t n, off_t off)
{
	NEED(pwrite);
	ssize_t r = real_pwrite(fd, b, n, off);
	if (r > 0)
		dirty(fd, off, r);
	return r;
}

ssize_t pwrite64(int fd, const void *b, size_t n, off_t off)
{
	NEED(pwrite64);
	ssize_t r = real_pwrite64(fd, b, n, off);
	if (r > 0)
		dirty(fd, off, r);
	return r;
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	NEED(writev);
	off_t at = watched_fd(fd) ? lseek(fd, 0, SEEK_CUR) : -1;
	ssize_t r = real_writev(fd, iov, cnt);
	if (r > 0 && at >= 0)
		dirty(fd, at, r);
	return r;
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	NEED(pwritev);
	ssize_t r = real_pwritev(fd, iov, cnt, off);
	if (r > 0)
		dirty(fd, off, r);
	return r;
}

int ftruncate(int fd, off_t len)
{
	NEED(ftruncate);
	int r = real_ftruncate(fd, len);
	if (!sh || r != 0)
		return r;
	pthread_mutex_lock(&sh->lock);
	struct watched *w = watched_fd(fd);
	if (w)
		w->all_dirty = 1; /* rare (SQLite: WAL reset, file growth): copy it whole */
	pthread_mutex_unlock(&sh->lock);
	return r;
}

int ftruncate64(int fd, off_t len)
{
	return ftruncate(fd, len);
}

int fsync(int fd)
{
	NEED(fsync);
	int r = real_fsync(fd);
	if (r == 0)
		synced(fd);
	return r;
}

int fdatasync(int fd)
{
	NEED(fdatasync);
	int r = real_fdatasync(fd);
	if (r == 0)
		synced(fd);
	return r;
}

int unlink(const char *path)
{
	NEED(unlink);
	char buf[PATH_MAX], sp[PATH_MAX];
	const char *rel = relative(path, buf);
	int r = real_unlink(path);
	if (r == 0 && rel && shadow_path(sp, rel) == 0)
		real_unlink(sp);
	return r;
}

int rename(const char *from, const char *to)
{
	NEED(rename);
	char b1[PATH_MAX], b2[PATH_MAX], s1[PATH_MAX], s2[PATH_MAX];
	const char *r1 = relative(from, b1), *r2 = relative(to, b2);
	int r = real_rename(from, to);
	if (r == 0 && r1 && r2 && shadow_path(s1, r1) == 0 && shadow_path(s2, r2) == 0) {
		/* A file never synced has no shadow: after the cut, neither name holds it. */
		make_parents(s2);
		if (real_rename(s1, s2) != 0)
			real_unlink(s2);
	}
	return r;
}

int link(const char *from, const char *to)
{
	NEED(link);
	char b1[PATH_MAX], b2[PATH_MAX], s1[PATH_MAX], s2[PATH_MAX];
	const char *r1 = relative(from, b1), *r2 = relative(to, b2);
	int r = real_link(from, to);
	if (r == 0 && r1 && r2 && shadow_path(s1, r1) == 0 && shadow_path(s2, r2) == 0) {
		/* The new name holds what the old one held as of its last sync (a copy: the two
		 * names of one file are restored as two files, which a program that links to
		 * rename, as PostgreSQL may, does not notice). */
		make_parents(s2);
		pthread_mutex_lock(&sh->lock); /* copy_range's buffer, and no sync meanwhile */
		int in = real_open(s1, O_RDONLY | O_CLOEXEC), out = -1;
		struct stat st;
		if (in >= 0 && fstat(in, &st) == 0 &&
		    (out = real_open(s2, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) >= 0)
			copy_range(in, out, 0, st.st_size);
		if (in >= 0)
			real_close(in);
		if (out >= 0)
			real_close(out);
		pthread_mutex_unlock(&sh->lock);
	}
	return r;
}

int truncate(const char *path, off_t len)
{
	NEED(truncate);
	char buf[PATH_MAX];
	const char *rel = relative(path, buf);
	int r = real_truncate(path, len);
	struct stat st;
	if (r == 0 && rel && stat(path, &st) == 0) {
		pthread_mutex_lock(&sh->lock);
		for (int i = 0; i < MAX_WATCHED; i++)
			if (sh->files[i].used && sh->files[i].dev == st.st_dev && sh->files[i].ino == st.st_ino)
				sh->files[i].all_dirty = 1; /* copied whole at its next sync */
		pthread_mutex_unlock(&sh->lock);
	}
	return r;
}
