/* Lookup in the tables cmake/embed.c generates. */
#include "embed.h"

#include <string.h>

const struct embed_file *embed_find(const struct embed_file *set, size_t count, const char *path)
{
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(path, set[mid].path);
		if (c == 0)
			return &set[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
