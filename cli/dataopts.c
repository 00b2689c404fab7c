/* The --data/--db/--learner options of serve, import, preview and records (see dataopts.h). */
#include "dataopts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

int data_opts_parse(data_opts *o, const char *cmd, int argc, char **argv, int *i)
{
	static const char *const names[] = {"--data", "--db", "--learner"};
	const char **slots[] = {&o->data, &o->db, &o->learner};
	for (size_t k = 0; k < PC_ARRAY_LEN(names); k++) {
		if (strcmp(argv[*i], names[k]) != 0 || (slots[k] == &o->learner && !o->with_learner))
			continue;
		if (*i + 1 >= argc) {
			cli_error(cmd, "%s needs a value", names[k]);
			return -1;
		}
		*slots[k] = argv[++*i];
		return 1;
	}
	return 0;
}

void data_opts_config(data_opts *o, rt_config *cfg)
{
	const char *env = getenv("POSTCARD_DATA"), *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	if (o->data)
		cfg->data_dir = o->data;
	else if (env && *env)
		cfg->data_dir = env;
	else {
		if (xdg && *xdg)
			snprintf(o->default_data, sizeof o->default_data, "%s/postcard", xdg);
		else
			snprintf(o->default_data, sizeof o->default_data, "%s/.local/share/postcard",
				 home && *home ? home : ".");
		cfg->data_dir = o->default_data;
	}
	cfg->db_path = o->db;
	const char *user = getenv("USER");
	cfg->learner = o->learner ? o->learner : (user && *user ? user : "local");
	cfg->learner_name = cfg->learner;
}

int data_opts_exists(const rt_config *cfg)
{
	char path[4200];
	if (cfg->db_path && strncmp(cfg->db_path, "postgres", 8) == 0)
		return 1;
	if (cfg->db_path)
		snprintf(path, sizeof path, "%s", cfg->db_path);
	else
		snprintf(path, sizeof path, "%s/postcard.db", cfg->data_dir);
	struct stat st;
	return stat(path, &st) == 0;
}
