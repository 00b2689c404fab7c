/* libFuzzer target: the zip reader, then validation of whatever opened, then every entry read.
 * The input is the bytes of a zip archive, handed to pkg_open through an anonymous in-memory
 * file (memfd), so the same path-based code the CLI uses is what gets fuzzed. It is opened
 * twice, with the shortcut reader and with libzip alone (readercmp.h), and any difference
 * between the two is a crash. Limits are lowered so no input can make one iteration slow. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "author.h"
#include "memfile.h"
#include "readercmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = fuzz_memfile(data, size, path, sizeof path);
	if (fd < 0)
		return 0;
	pkg_limits lim;
	pkg_limits_default(&lim);
	lim.max_entries = 1000;
	lim.max_total = 8 << 20;
	lim.max_entry = 4 << 20;
	lim.max_manifest = 1 << 20;
	/* both readers (the shortcut and libzip alone) must agree on everything */
	struct readercmp_result r;
	if (readercmp(path, &lim, &r) == 1) {
		fprintf(stderr, "the zip readers differ:\n%s\n", r.why);
		abort();
	}
	close(fd);
	return 0;
}
