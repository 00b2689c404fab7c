/* Each subcommand's entry point and help text, defined in cmd_<name>.c. */
#ifndef POSTCARD_COMMANDS_H
#define POSTCARD_COMMANDS_H

int cmd_validate(int argc, char **argv);
extern const char cmd_validate_help[];
int cmd_build(int argc, char **argv);
extern const char cmd_build_help[];
int cmd_new(int argc, char **argv);
extern const char cmd_new_help[];
int cmd_serve(int argc, char **argv);
extern const char cmd_serve_help[];
int cmd_import(int argc, char **argv);
extern const char cmd_import_help[];
int cmd_preview(int argc, char **argv);
extern const char cmd_preview_help[];
int cmd_records(int argc, char **argv);
extern const char cmd_records_help[];
int cmd_user(int argc, char **argv);
extern const char cmd_user_help[];
int cmd_journal(int argc, char **argv);
extern const char cmd_journal_help[];

#endif
