/* main(): dispatches to the subcommand table in commands.c. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *to)
{
	fprintf(to, "usage: postcard COMMAND [ARGS...]\n\n"
		    "Postcard builds SCORM packages from postcard modules, validates any SCORM\n"
		    "package, and runs them for learners.\n\ncommands:\n");
	for (size_t i = 0; i < cli_command_count; i++)
		fprintf(to, "  %-10s %s\n", cli_commands[i].name, cli_commands[i].summary);
	fprintf(to, "\n'postcard help COMMAND' or 'postcard COMMAND --help' explains a command.\n"
		    "Exit status: 0 success, 1 the input has errors, 2 usage error or could not run.\n");
}

const struct cli_command *cli_find(const char *name)
{
	for (size_t i = 0; i < cli_command_count; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}

void cli_print_help(const struct cli_command *cmd, FILE *to)
{
	fputs(cmd->help, to);
}

void cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "postcard %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void cli_print_diags(const diag_sink *sink, int with_source)
{
	buf out = BUF_INIT;
	diag_render_text(sink, &out, with_source);
	fputs(buf_cstr(&out), stderr);
	buf_free(&out);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
		printf("postcard %s\n", POSTCARD_VERSION);
		return EXIT_OK;
	}
	if (strcmp(name, "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			return EXIT_OK;
		}
		const struct cli_command *cmd = cli_find(argv[2]);
		if (!cmd) {
			fprintf(stderr, "postcard: no command '%s'\n", argv[2]);
			return EXIT_USAGE;
		}
		cli_print_help(cmd, stdout);
		return EXIT_OK;
	}
	const struct cli_command *cmd = cli_find(name);
	if (!cmd) {
		fprintf(stderr, "postcard: no command '%s'\n\n", name);
		usage(stderr);
		return EXIT_USAGE;
	}
	for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_help(cmd, stdout);
			return EXIT_OK;
		}
	return cmd->run(argc - 1, argv + 1);
}
