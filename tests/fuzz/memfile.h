/* The fuzz input as a file: the zip targets hand the readers a path, as the CLI and the server
 * do, so the bytes go to an anonymous in-memory file (memfd) named by /proc/self/fd/N. The
 * including file defines _GNU_SOURCE (memfd_create) before its first include. */
#ifndef FUZZ_MEMFILE_H
#define FUZZ_MEMFILE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* Returns the descriptor (the caller closes it) with its path in `path`, or -1. */
static inline int fuzz_memfile(const uint8_t *data, size_t size, char *path, size_t path_size)
{
	int fd = memfd_create("fuzz.zip", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	snprintf(path, path_size, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
