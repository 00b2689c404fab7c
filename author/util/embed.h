/* Files compiled into the binary (cmake/Embed.cmake): the SCORM and postcard schemas, the
 * package's web assets and the runtime's player. A set is a table sorted by path, ended by a
 * zeroed entry. */
#ifndef POSTCARD_EMBED_H
#define POSTCARD_EMBED_H

#include <stddef.h>

struct embed_file {
	const char *path;          /* relative to the folder the set was made from, '/' separated */
	const unsigned char *data; /* followed by a NUL not counted in size */
	size_t size;
};

#define EMBED_DECLARE(sym)                                                                         \
	extern const struct embed_file sym[];                                                      \
	extern const size_t sym##_count

/* The entry for `path` in a set of `count` files, or NULL. Borrowed (static data). */
const struct embed_file *embed_find(const struct embed_file *set, size_t count, const char *path);

#endif
