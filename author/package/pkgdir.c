/* The folder reader: an unpacked package. The walk never follows symbolic links (they are
 * reported and left out, as in zips), skips nothing silently, and stops at the entry-count
 * limit and a depth limit, so a folder with a link loop or millions of files cannot hang it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "pkg_int.h"

/* Deeper than any real package (Storyline's deepest paths are about 6 levels). */
#define MAX_DEPTH 64

struct walk {
	pkg *p;
	diag_sink *sink;
	uint64_t total;
	int stop; /* a limit was hit: PC_ELIMIT */
};

static int walk_dir(struct walk *w, int dfd, const char *rel, int depth)
{
	int rc = 0;
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return PC_EIO;
	}
	struct dirent *de;
	while (!rc && !w->stop && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		buf path = BUF_INIT;
		if (*rel) {
			buf_puts(&path, rel);
			buf_putc(&path, '/');
		}
		buf_puts(&path, de->d_name);
		if (buf_error(&path)) {
			buf_free(&path);
			rc = PC_ENOMEM;
			break;
		}
		char *clean = NULL;
		const char *why;
		int bad_utf8 = 0;
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			diag_line(w->sink, DIAG_ERROR, w->p->display, 0, 0, "open",
				  "cannot read '%s': %s", buf_cstr(&path), strerror(errno));
			goto next;
		}
		int crc = pkg_clean_name(path.data, path.len, &clean, &why, &bad_utf8);
		if (crc == PC_ENOMEM) {
			rc = crc;
			goto next;
		}
		if (crc) {
			diag_line(w->sink, DIAG_ERROR, w->p->display, 0, 0, "unsafe-path",
				  "'%s' is refused: %s", buf_cstr(&path), why);
			goto next;
		}
		if (bad_utf8)
			diag_line(w->sink, DIAG_WARNING, w->p->display, 0, 0, "name-encoding",
				  "file name '%s' is not UTF-8: LMSs will unpack it under different "
				  "names",
				  clean);
		if (S_ISLNK(st.st_mode)) {
			diag_line(w->sink, DIAG_ERROR, w->p->display, 0, 0, "symlink",
				  "'%s' is a symbolic link: refused (it could point outside the package)",
				  clean);
		} else if (S_ISDIR(st.st_mode)) {
			if (depth >= MAX_DEPTH) {
				diag_line(w->sink, DIAG_ERROR, w->p->display, 0, 0, "limit",
					  "'%s' is nested more than %d folders deep", clean, MAX_DEPTH);
				w->stop = 1;
				goto next;
			}
			int sub = openat(dirfd(d), de->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				diag_line(w->sink, DIAG_ERROR, w->p->display, 0, 0, "open",
					  "cannot read folder '%s': %s", clean, strerror(errno));
				goto next;
			}
			rc = walk_dir(w, sub, clean, depth + 1);
		} else if (!S_ISREG(st.st_mode)) {
			diag_line(w->sink, DIAG_ERROR, w->p->display, 0, 0, "unsafe-path",
				  "'%s' is not a regular file: refused", clean);
		} else if (w->p->n >= w->p->lim.max_entries) {
			diag_line(w->sink, DIAG_ERROR, w->p->display, 0, 0, "limit",
				  "the folder holds more than %zu files (--max-entries)",
				  w->p->lim.max_entries);
			w->stop = 1;
		} else {
			size_t at;
			rc = pkg_entry_add(w->p, clean, &at);
			if (!rc) {
				pkg_entry *e = &w->p->e[at];
				e->size = e->csize = (uint64_t)st.st_size;
				w->total += e->size;
				if (e->size > w->p->lim.max_entry) {
					diag_line(w->sink, DIAG_ERROR, w->p->display, 0, 0, "limit",
						  "'%s' is %llu bytes, over the per-file limit of %llu "
						  "(--max-entry)",
						  e->name, (unsigned long long)e->size,
						  (unsigned long long)w->p->lim.max_entry);
					e->refused = 1;
					e->refused_code = PC_ELIMIT;
				}
			}
		}
	next:
		free(clean);
		buf_free(&path);
	}
	closedir(d);
	return rc;
}

/* Sorted listing: readdir order differs between file systems, and findings must not. */
static int cmp_entries(const void *a, const void *b)
{
	return strcmp(((const pkg_entry *)a)->name, ((const pkg_entry *)b)->name);
}

int pkgdir_open(pkg *p, const char *path, diag_sink *sink)
{
	p->root = strdup(path);
	buf md = BUF_INIT;
	buf_puts(&md, path);
	if (md.len && md.data[md.len - 1] != '/')
		buf_putc(&md, '/');
	buf_puts(&md, "imsmanifest.xml");
	p->manifest_display = buf_detach(&md, NULL);
	if (!p->root || !p->manifest_display)
		return PC_ENOMEM;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "open", "cannot open folder: %s",
			  strerror(errno));
		return PC_EIO;
	}
	struct walk w = {p, sink, 0, 0};
	int rc = walk_dir(&w, fd, "", 0);
	if (rc)
		return rc;
	if (w.stop)
		return PC_ELIMIT;
	if (w.total > p->lim.max_total) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "limit",
			  "the folder holds %llu bytes, over the limit of %llu (--max-total)",
			  (unsigned long long)w.total, (unsigned long long)p->lim.max_total);
		return PC_ELIMIT;
	}
	qsort(p->e, p->n, sizeof *p->e, cmp_entries);
	p->sorted_ok = 0;
	pkg_check_names(p, sink);
	return 0;
}

int pkgdir_read(pkg *p, pkg_entry *e, char **data, size_t *len, diag_sink *sink)
{
	return pkgdir_read_prefix(p, e, SIZE_MAX, data, len, sink);
}

int pkgdir_read_prefix(pkg *p, pkg_entry *e, size_t max, char **data, size_t *len,
		       diag_sink *sink)
{
	int rc = 0;
	char *b = NULL;
	buf path = BUF_INIT;
	buf_puts(&path, p->root);
	buf_putc(&path, '/');
	buf_puts(&path, e->name);
	if (buf_error(&path))
		return PC_ENOMEM;
	int fd = open(buf_cstr(&path), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		diag_line(sink, DIAG_ERROR, p->display, 0, 0, "open", "cannot read '%s': %s",
			  e->name, strerror(errno));
		buf_free(&path);
		return PC_EIO;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = PC_EIO;
		goto cleanup;
	}
	if ((uint64_t)st.st_size > p->lim.max_entry) {
		rc = PC_ELIMIT;
		goto cleanup;
	}
	size_t cap = (uint64_t)st.st_size < max ? (size_t)st.st_size : max, n = 0;
	b = malloc(cap + 1);
	if (!b) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	while (n < cap) { /* a file that grew since stat is cut at its stat size */
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = PC_EIO;
			goto cleanup;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	b[n] = '\0';
	if (data) {
		*data = b;
		b = NULL;
	}
	*len = n;
cleanup:
	free(b);
	close(fd);
	buf_free(&path);
	return rc;
}
