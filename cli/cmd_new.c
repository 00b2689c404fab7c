/* `postcard new DIR`: scaffolds a module (author/source/scaffold.c) and says what to do next. */
#include <stdio.h>
#include <string.h>

#include "build.h"
#include "cli.h"
#include "commands.h"

const char cmd_new_help[] =
	"usage: postcard new DIR\n"
	"\n"
	"Creates DIR (or fills it when it is empty) with a postcard module that builds as it is:\n"
	"  module.xml   the module: title, cards, a quiz with one question of every type, a\n"
	"               reflection and further reading, each part explained in a comment\n"
	"  what.md      two cards in Markdown (CommonMark), showing headings, lists and links\n"
	"  how.md\n"
	"The module id is made from the folder name (lower case, hyphens), so the name must start\n"
	"with a letter. Existing files are never overwritten.\n"
	"Then: edit the files, and run 'postcard build DIR'. docs/authoring.md has the full guide.\n"
	"\n"
	"exit status: 0 created, 2 usage error or the files could not be written.\n";

int cmd_new(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		cli_error("new", "usage: postcard new DIR");
		return EXIT_USAGE;
	}
	diag_sink *sink = NULL;
	if (diag_sink_new(&sink) != 0) {
		cli_error("new", "out of memory");
		return EXIT_USAGE;
	}
	int rc = scaffold_module(argv[1], sink);
	cli_print_diags(sink, 0);
	diag_sink_free(sink);
	if (rc != 0)
		return EXIT_USAGE;
	buf dir = BUF_INIT;
	cli_shell_word(&dir, argv[1]);
	printf("created module in %s: edit module.xml and the cards, then\n"
	       "  postcard preview %s    to see it as a learner, rebuilt on every save\n"
	       "  postcard build %s      to make the SCORM package to upload\n",
	       argv[1], buf_cstr(&dir), buf_cstr(&dir));
	buf_free(&dir);
	return EXIT_OK;
}
