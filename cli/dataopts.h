/* The options every runtime command shares (--data, --db, --learner) and opening the runtime
 * with them. */
#ifndef POSTCARD_DATAOPTS_H
#define POSTCARD_DATAOPTS_H

#include "runtime.h"

typedef struct data_opts {
	const char *data; /* --data DIR */
	const char *db;   /* --db FILE */
	const char *learner;
	int with_learner; /* set by serve: --learner is one of its options (import, user... have none) */
	char default_data[4096];
} data_opts;

/* Consumes argv[*i] (and its value) when it is one of the shared options (--learner only with
 * with_learner). Returns 1 when
 * consumed, 0 when not one of them, -1 on a missing value (reported). */
int data_opts_parse(data_opts *o, const char *cmd, int argc, char **argv, int *i);
/* Fills cfg from the options: --data, else $POSTCARD_DATA, else $XDG_DATA_HOME/postcard, else
 * ~/.local/share/postcard. */
void data_opts_config(data_opts *o, rt_config *cfg);
/* 1 when the database the config names exists already (so opening it creates nothing); a
 * PostgreSQL URL counts as existing (the server says otherwise when asked). */
int data_opts_exists(const rt_config *cfg);

#define DATA_OPTS_HELP                                                                             \
	"  --data DIR      where packages and the database live (default: $POSTCARD_DATA, else\n"    \
	"                  $XDG_DATA_HOME/postcard, else ~/.local/share/postcard)\n"                 \
	"  --db FILE|URL   the SQLite database (default: DIR/postcard.db), or a PostgreSQL\n"        \
	"                  database shared by several servers (postgresql://USER@HOST/NAME)\n"
#define LEARNER_OPT_HELP                                                                           \
	"  --learner ID    the local learner's identifier (default: $USER, else 'local')\n"

#endif
