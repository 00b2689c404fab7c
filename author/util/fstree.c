/* File-tree helpers (fstree.h). Removal walks the tree through open folders (openat, unlinkat,
 * fdopendir), so path length does not matter and nothing is looked up twice by name: a folder
 * replaced by a link between listing and descending is not followed (O_NOFOLLOW). */
#define _DEFAULT_SOURCE /* d_type in struct dirent */
#include "fstree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

typedef struct removal {
	int rc;
	char *err;
	size_t errsize;
} removal;

/* Keeps the first failure: the path as "top/…/name" (the part below top is what we walked). */
static void failed(removal *r, const char *top, const char *below, const char *name, int rc,
		   const char *why)
{
	if (r->rc)
		return;
	r->rc = rc;
	if (r->err && r->errsize)
		snprintf(r->err, r->errsize, "cannot remove '%s%s%s%s%s': %s", top, below[0] ? "/" : "",
			 below, name[0] ? "/" : "", name, why);
}

static void empty_folder(removal *r, const char *top, const char *below, int dfd, int depth);

/* Removes one entry of the folder open as `dfd`, descending into it when it is a folder. */
static void remove_entry(removal *r, const char *top, const char *below, int dfd,
			 const struct dirent *e, int depth)
{
	const char *name = e->d_name;
	int unlink_err = 0;
	if (e->d_type != DT_DIR) {
		/* Not a folder (or the file system does not say): unlinking it is the whole job. */
		if (unlinkat(dfd, name, 0) == 0 || errno == ENOENT)
			return;
		unlink_err = errno;
		/* Linux refuses a folder with EISDIR, POSIX allows EPERM */
		if (unlink_err != EISDIR && (unlink_err != EPERM || e->d_type != DT_UNKNOWN)) {
			failed(r, top, below, name, PC_EIO, strerror(unlink_err));
			return;
		}
	}
	int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0) {
		int open_err = errno;
		if (open_err == ENOENT)
			return;
		if (open_err == ELOOP || open_err == ENOTDIR) {
			/* Not a folder after all: a link or a file put in its place since the listing. */
			if (unlink_err) {
				failed(r, top, below, name, PC_EIO, strerror(unlink_err));
				return;
			}
			if (unlinkat(dfd, name, 0) == 0 || errno == ENOENT)
				return;
			open_err = errno;
		}
		failed(r, top, below, name, PC_EIO, strerror(open_err));
		return;
	}
	char path[1024];
	int n = snprintf(path, sizeof path, "%s%s%s", below, below[0] ? "/" : "", name);
	if (n < 0 || (size_t)n >= sizeof path)
		snprintf(path, sizeof path, ".../%s", name); /* only shortens a message */
	if (depth + 1 > FSTREE_MAX_DEPTH) {
		failed(r, top, path, "", PC_ELIMIT, "folders nested too deep");
		close(sub);
		return;
	}
	empty_folder(r, top, path, sub, depth + 1);
	if (unlinkat(dfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
		failed(r, top, below, name, PC_EIO, strerror(errno));
}

/* Empties the folder open as `dfd` (closed here). `below` is its path under the top, for
 * messages only. */
static void empty_folder(removal *r, const char *top, const char *below, int dfd, int depth)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		failed(r, top, below, "", PC_EIO, strerror(errno));
		close(dfd);
		return;
	}
	for (;;) {
		errno = 0;
		const struct dirent *e = readdir(d);
		if (!e) {
			if (errno)
				failed(r, top, below, "", PC_EIO, strerror(errno));
			break;
		}
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			remove_entry(r, top, below, dirfd(d), e, depth);
	}
	closedir(d);
}

int fstree_remove(const char *path, char *err, size_t errsize)
{
	PC_ASSERT(path != NULL);
	removal r = {0, err, errsize};
	if (err && errsize)
		err[0] = '\0';
	if (unlink(path) == 0 || errno == ENOENT)
		return 0;
	int unlink_err = errno;
	if (unlink_err != EISDIR && unlink_err != EPERM) {
		failed(&r, path, "", "", PC_EIO, strerror(unlink_err));
		return r.rc;
	}
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int open_err = errno;
		failed(&r, path, "", "", PC_EIO,
		       strerror(open_err == ENOTDIR || open_err == ELOOP ? unlink_err : open_err));
		return r.rc;
	}
	empty_folder(&r, path, "", fd, 0);
	if (rmdir(path) != 0 && errno != ENOENT)
		failed(&r, path, "", "", PC_EIO, strerror(errno));
	return r.rc;
}
