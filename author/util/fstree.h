/* File-tree helpers shared by the commands and the tests (fstree.c). */
#ifndef POSTCARD_FSTREE_H
#define POSTCARD_FSTREE_H

#include <stddef.h>

/* Removes `path` and, when it is a folder, everything below it, however long the paths inside
 * get. Symbolic links are removed, never followed, including one swapped in for a folder while
 * the removal runs (every step works on an open folder, not on a path looked up again).
 * A path that does not exist counts as removed. Returns 0, PC_EIO when something could not be
 * removed (it goes on with the rest; `err` names the first such path and why), or PC_ELIMIT for
 * folders nested deeper than FSTREE_MAX_DEPTH. `err` may be NULL. */
int fstree_remove(const char *path, char *err, size_t errsize);

/* Each level below the top holds one open folder while its entries are removed. */
#define FSTREE_MAX_DEPTH 256

#endif
