/* SQLite's memory from free lists kept for the run (see sqlite_pool.c), for fuzz targets. */
#ifndef POSTCARD_SQLITE_POOL_H
#define POSTCARD_SQLITE_POOL_H

/* Call before SQLite starts (sqlite3_initialize, or the first connection). Returns SQLite's
 * code (SQLITE_OK). */
int sqlite_pool_use(void);

#endif
