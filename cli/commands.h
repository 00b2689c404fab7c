/* Each subcommand's entry point and help text, defined in cmd_<name>.c. */
#ifndef POSTCARD_COMMANDS_H
#define POSTCARD_COMMANDS_H

int cmd_validate(int argc, char **argv);
extern const char cmd_validate_help[];
int cmd_build(int argc, char **argv);
extern const char cmd_build_help[];
int cmd_new(int argc, char **argv);
extern const char cmd_new_help[];

#endif
