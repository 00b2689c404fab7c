/* A small string-keyed hash map for the validator's lookups (identifiers, file names). Keys are
 * borrowed: they must outlive the map. Private to author/. */
#ifndef POSTCARD_STRMAP_H
#define POSTCARD_STRMAP_H

#include <stddef.h>

typedef struct strmap {
	const char **keys;
	void **vals;
	size_t n, cap; /* cap is a power of two, or 0 */
	int oom;
} strmap;

#define STRMAP_INIT {0, 0, 0, 0, 0}

void strmap_free(strmap *m);
/* Sets key -> val unless key is present. Returns 1 if added, 0 if it was there (*old, when
 * non-NULL, gets the value already stored), PC_ENOMEM on failure. */
int strmap_add(strmap *m, const char *key, void *val, void **old);
/* The value for key, or NULL (also NULL when the stored value is NULL: use strmap_has). */
void *strmap_get(const strmap *m, const char *key);
int strmap_has(const strmap *m, const char *key);

#endif
