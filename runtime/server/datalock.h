/* Private to runtime/server/: locks on a data folder and the clean-up of what killed imports
 * left in it (datalock.c). */
#ifndef POSTCARD_DATALOCK_H
#define POSTCARD_DATALOCK_H

#include <stddef.h>

/* Start-up: waits (up to a minute) until no other process is opening the store in `dir`, then
 * holds that until datalock_open_end, so two first starts never migrate at once. 0, or PC_EIO
 * with the reason in err (*fd -1). */
int datalock_open_begin(int *fd, const char *dir, char *err, size_t errsize);
void datalock_open_end(int fd);
/* The serve lock: at most one `postcard serve` per SQLite data folder (others refuse, naming
 * the pid holding it). Held until datalock_release or the process ends. 0 or PC_EIO + err. */
int datalock_serve(int *fd, const char *dir, char *err, size_t errsize);
void datalock_release(int fd);
/* Removes temporary files (.import-PID.tmp, .folder-PID.zip*, .fetch-PID-*) whose writing
 * process is gone. *removed gets how many. 0 or PC_EIO. */
int datalock_clean_temp(const char *packages_dir, int *removed);

#endif
