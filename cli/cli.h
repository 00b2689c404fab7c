/* The postcard command line: a table of subcommands, each in cmd_<name>.c. Commands return the
 * process exit status: 0 success, 1 diagnostics were reported (invalid input), 2 usage error or
 * the command could not run (I/O, not a zip, ...). */
#ifndef POSTCARD_CLI_H
#define POSTCARD_CLI_H

#include <stdio.h>

#include "author.h"

enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2 };

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
	const char *summary;               /* one line for `postcard --help` */
	const char *help;                  /* the full text for `postcard help NAME` */
};

extern const struct cli_command cli_commands[];
extern const size_t cli_command_count;

/* Prints "postcard NAME: message" to stderr. */
void cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints a command's help to the given stream (stdout for --help, stderr after a usage error). */
void cli_print_help(const struct cli_command *cmd, FILE *to);
const struct cli_command *cli_find(const char *name);
/* Writes every finding in the sink to stderr, with source quotes when `with_source`. */
void cli_print_diags(const diag_sink *sink, int with_source);
/* For short batch commands that build large trees (validate): a heap that grows in big steps,
 * keeps what is freed, and asks for transparent huge pages (heap.c says why). Process-wide:
 * call once, first thing, before any thread starts. Never fails (it is advice). */
void cli_heap_tune(void);
/* Appends `s` as one shell word a person can copy into a command (quoted when it has spaces,
 * quotes or other special characters). */
void cli_shell_word(buf *out, const char *s);

#endif
