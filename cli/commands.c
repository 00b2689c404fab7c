/* The subcommand table: one line per command, in the order `postcard --help` lists them. The
 * functions and their help texts live in cmd_<name>.c. */
#include "cli.h"
#include "commands.h"

const struct cli_command cli_commands[] = {
	{"new", cmd_new, "create a module folder that builds and explains itself", cmd_new_help},
	{"build", cmd_build, "compile modules and courses into SCORM packages", cmd_build_help},
	{"preview", cmd_preview, "build a module or course and try it as a learner", cmd_preview_help},
	{"validate", cmd_validate, "check SCORM packages (zip, folder or manifest)", cmd_validate_help},
	{"import", cmd_import, "validate and store SCORM packages for serve", cmd_import_help},
	{"serve", cmd_serve, "run packages for learners and keep their records", cmd_serve_help},
	{"records", cmd_records, "print who did what (status, score, time, answers)", cmd_records_help},
	{"user", cmd_user, "accounts for team mode: add, set a password, erase, list", cmd_user_help},
	{"journal", cmd_journal, "prune the commit journal by age", cmd_journal_help},
	{0, 0, 0, 0} /* end */
};
const size_t cli_command_count = PC_ARRAY_LEN(cli_commands) - 1;
