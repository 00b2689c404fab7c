/* fstree_remove: whole trees whatever their paths' length, symbolic links removed and never
 * followed, and a failure reported with the path that could not be removed. */
#include "cmocka_all.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "fstree.h"
#include "test_common.h"

static char *scratch(void)
{
	char *dir = strdup("/tmp/pc_fstree_XXXXXX");
	assert_non_null(mkdtemp(dir));
	return dir;
}

static void put(int dfd, const char *name, const char *text)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* A tree whose deepest paths are far longer than PATH_MAX (4096): 40 levels of 200-byte names,
 * each level with a file, made with *at() calls since no path to the bottom fits PATH_MAX. */
static void long_paths(void **state)
{
	char *dir = scratch();
	char name[201];
	memset(name, 'd', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	for (int i = 0; i < 40; i++) {
		put(fd, "file.txt", "x");
		assert_int_equal(mkdirat(fd, name, 0700), 0);
		int sub = openat(fd, name, O_RDONLY | O_DIRECTORY);
		assert_true(sub >= 0);
		close(fd);
		fd = sub;
	}
	put(fd, "bottom.txt", "y");
	close(fd);
	char err[256] = "";
	assert_int_equal(fstree_remove(dir, err, sizeof err), 0);
	assert_string_equal(err, "");
	struct stat sb;
	assert_int_equal(lstat(dir, &sb), -1);
	free(dir);
}

/* Links are removed, not followed: what they point to stays. */
static void links_not_followed(void **state)
{
	char *keep = scratch(), *dir = scratch();
	int kfd = open(keep, O_RDONLY | O_DIRECTORY);
	put(kfd, "precious.txt", "keep me");
	close(kfd);
	char link[PATH_MAX], sub[PATH_MAX], kept[PATH_MAX];
	snprintf(link, sizeof link, "%s/to-keep", dir);
	assert_int_equal(symlink(keep, link), 0);
	snprintf(sub, sizeof sub, "%s/sub", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(link, sizeof link, "%s/sub/file-link", dir);
	snprintf(kept, sizeof kept, "%s/precious.txt", keep);
	assert_int_equal(symlink(kept, link), 0);
	assert_int_equal(fstree_remove(dir, NULL, 0), 0);
	struct stat sb;
	assert_int_equal(lstat(dir, &sb), -1);
	assert_int_equal(stat(kept, &sb), 0);
	/* a link given as the path itself is removed, not what it names */
	snprintf(link, sizeof link, "%s-link", keep);
	assert_int_equal(symlink(keep, link), 0);
	assert_int_equal(fstree_remove(link, NULL, 0), 0);
	assert_int_equal(lstat(link, &sb), -1);
	assert_int_equal(stat(kept, &sb), 0);
	assert_int_equal(fstree_remove(keep, NULL, 0), 0);
	free(keep);
	free(dir);
}

/* Nothing there is nothing to do; a plain file is removed. */
static void missing_and_files(void **state)
{
	char *dir = scratch();
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/none", dir);
	assert_int_equal(fstree_remove(path, NULL, 0), 0);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	put(fd, "f", "z");
	close(fd);
	snprintf(path, sizeof path, "%s/f", dir);
	assert_int_equal(fstree_remove(path, NULL, 0), 0);
	struct stat sb;
	assert_int_equal(lstat(path, &sb), -1);
	assert_int_equal(fstree_remove(dir, NULL, 0), 0);
	free(dir);
}

/* What cannot be removed is reported with its path and the reason, even to root: nothing in
 * /proc can be unlinked (and nothing there is harmed by trying). */
static void failure_reported(void **state)
{
	char err[512] = "";
	assert_int_equal(fstree_remove("/proc/self/fdinfo", err, sizeof err), PC_EIO);
	assert_non_null(strstr(err, "cannot remove '/proc/self/fdinfo"));
	assert_non_null(strstr(err, "': "));
	assert_null(strchr(err, '\n'));
}

int test_fstree(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(long_paths),
		cmocka_unit_test(links_not_followed),
		cmocka_unit_test(missing_and_files),
		cmocka_unit_test(failure_reported),
	};
	return cmocka_run_group_tests_name("fstree", tests, NULL, NULL);
}
