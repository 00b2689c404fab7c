/* libFuzzer target: the zip reader, then validation of whatever opened. The input is the bytes
 * of a zip archive, handed to pkg_open through an anonymous in-memory file (memfd), so the
 * same path-based code the CLI uses is what gets fuzzed. Limits are lowered so no input can
 * make one iteration slow. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "author.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz.zip", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	diag_sink *sink = NULL;
	pkg *p = NULL;
	pkg_limits lim;
	pkg_limits_default(&lim);
	lim.max_entries = 1000;
	lim.max_total = 8 << 20;
	lim.max_entry = 4 << 20;
	lim.max_manifest = 1 << 20;
	if (diag_sink_new(&sink) == 0 && pkg_open(&p, path, &lim, sink) == 0) {
		validate_result res;
		validate_package(p, sink, &res);
		for (size_t i = 0; i < pkg_count(p) && i < 8; i++) {
			char *d;
			size_t len;
			if (pkg_read(p, pkg_name(p, i), &d, &len) == 0)
				free(d);
		}
	}
	pkg_free(p);
	diag_sink_free(sink);
	close(fd);
	return 0;
}
