/* File-tree helpers shared by the commands and the tests (fstree.c). */
#ifndef POSTCARD_FSTREE_H
#define POSTCARD_FSTREE_H

/* Removes `path` and, when it is a folder, everything below it; symbolic links are removed, not
 * followed. Best effort: what cannot be removed stays, and nothing is reported. */
void fstree_remove(const char *path);

#endif
