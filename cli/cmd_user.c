/* `postcard user`: accounts from the command line (the first admin, password resets, erasing a
 * person), and `postcard journal`: pruning the commit journal by age. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "dataopts.h"
#include "runtime.h"

const char cmd_user_help[] =
	"usage: postcard user add EMAIL [--name NAME] [--admin|--manager] [--data DIR] [--db FILE]\n"
	"       postcard user password EMAIL [--data DIR] [--db FILE]\n"
	"       postcard user delete EMAIL [--data DIR] [--db FILE]\n"
	"       postcard user list [--data DIR] [--db FILE]\n"
	"\n"
	"Accounts for 'postcard serve' in team mode. The first account (make it an admin)\n"
	"turns team mode on at the next start of the server: then everyone signs in, and the\n"
	"admins add the others from the Admin page.\n"
	"\n"
	"  add       creates an account (a learner unless --admin or --manager); the password is\n"
	"            asked on the terminal, twice, or read from the first line of standard input\n"
	"            when it is not a terminal; at least 10 characters\n"
	"  password  sets a new password the same way, and signs the person out everywhere\n"
	"  delete    erases the person and everything kept about them: attempts, states, answers,\n"
	"            the commit journal's rows, sessions, group memberships (written to the audit\n"
	"            log, without their email)\n"
	"  list      one line per account: email, role, name\n"
	"\n"
	"options:\n"
	"  --name NAME     the person's name as learners and managers see it (default: the part\n"
	"                  of the email before '@')\n" DATA_OPTS_HELP
	"\n"
	"Exit status: 0 done, 2 usage error, no such account, the email is taken, or the\n"
	"database cannot be written.\n";

const char cmd_journal_help[] =
	"usage: postcard journal prune --days N [--data DIR] [--db FILE]\n"
	"\n"
	"The commit journal keeps every commit a package sent (what arrived, what was answered),\n"
	"append-only. 'prune' deletes the rows received more than N days ago; every SCO's current\n"
	"state, its interactions and the records stay. Written to the audit log.\n"
	"\n"
	"options:\n" DATA_OPTS_HELP
	"\n"
	"Exit status: 0 done, 2 usage error or the database cannot be written.\n";

/* Reads a password: from the terminal without echo (twice), or one line of standard input. */
static int read_password(char *out, size_t size)
{
	int tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	for (int round = 0; round < (tty ? 2 : 1); round++) {
		char line[1024];
		if (tty) {
			fprintf(stderr, round ? "The same password again: " : "Password (10 characters or more): ");
			tcgetattr(STDIN_FILENO, &old);
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
		}
		char *got = fgets(line, sizeof line, stdin);
		if (tty) {
			tcsetattr(STDIN_FILENO, TCSANOW, &old);
			fputc('\n', stderr);
		}
		if (!got)
			return -1;
		line[strcspn(line, "\r\n")] = '\0';
		size_t len = strlen(line);
		if (len >= size)
			return -1;
		if (round && strcmp(line, out) != 0) {
			fprintf(stderr, "postcard user: the two passwords are not the same\n");
			return -1;
		}
		memcpy(out, line, len + 1); /* fits: checked above */
		memset(line, 0, sizeof line);
	}
	return 0;
}

static int print_out(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	return fwrite(data, 1, len, stdout) == len ? 0 : -3;
}

int cmd_user(int argc, char **argv)
{
	data_opts o;
	memset(&o, 0, sizeof o);
	const char *action = NULL, *email = NULL, *name = NULL, *role = "learner";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--admin") == 0 || strcmp(a, "--manager") == 0) {
			role = a + 2;
			continue;
		}
		if (strcmp(a, "--name") == 0) {
			if (i + 1 >= argc) {
				cli_error("user", "--name needs a value");
				return EXIT_USAGE;
			}
			name = argv[++i];
			continue;
		}
		int r = data_opts_parse(&o, "user", argc, argv, &i);
		if (r < 0)
			return EXIT_USAGE;
		if (r)
			continue;
		if (a[0] == '-') {
			cli_error("user", "unknown option '%s' (see 'postcard help user')", a);
			return EXIT_USAGE;
		}
		if (!action)
			action = a;
		else if (!email)
			email = a;
		else {
			cli_error("user", "unexpected argument '%s'", a);
			return EXIT_USAGE;
		}
	}
	static const char *const actions[] = {"add", "password", "delete", "list"};
	size_t k = 0;
	while (action && k < PC_ARRAY_LEN(actions) && strcmp(actions[k], action) != 0)
		k++;
	if (!action || k == PC_ARRAY_LEN(actions) || (k != 3 && !email)) {
		cli_print_help(cli_find("user"), stderr);
		return EXIT_USAGE;
	}
	char password[300] = "", default_name[256];
	if ((k == 0 || k == 1) && read_password(password, sizeof password) != 0) {
		cli_error("user", "no password read");
		return EXIT_USAGE;
	}
	if (k == 0 && !name) {
		snprintf(default_name, sizeof default_name, "%.*s", (int)strcspn(email, "@"), email);
		name = default_name;
	}
	rt_config cfg = {0};
	data_opts_config(&o, &cfg);
	char err[512] = "";
	rt_app *app = NULL;
	if (rt_app_new(&app, &cfg, err, sizeof err) != 0) {
		cli_error("user", "%s", err);
		return EXIT_USAGE;
	}
	int rc = 0;
	switch (k) {
	case 0:
		rc = rt_user_add(app, email, name, role, password, err, sizeof err);
		if (!rc)
			printf("%s: %s account created%s\n", email, role,
			       rt_app_accounts(app) ? "" : " (team mode from the next start of 'postcard serve')");
		break;
	case 1:
		rc = rt_user_password(app, email, password, err, sizeof err);
		if (!rc)
			printf("%s: password set; signed out everywhere\n", email);
		break;
	case 2:
		rc = rt_user_erase(app, email, err, sizeof err);
		if (!rc)
			printf("%s: erased, with everything kept about them\n", email);
		break;
	default:
		rc = rt_user_list(app, print_out, NULL);
		if (rc)
			snprintf(err, sizeof err, "cannot list the accounts");
		break;
	}
	memset(password, 0, sizeof password);
	if (rc)
		cli_error("user", "%s", err);
	rt_app_free(app);
	return rc ? EXIT_USAGE : EXIT_OK;
}

int cmd_journal(int argc, char **argv)
{
	data_opts o;
	memset(&o, 0, sizeof o);
	long days = -1;
	int prune = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "prune") == 0 && !prune) {
			prune = 1;
			continue;
		}
		if (strcmp(argv[i], "--days") == 0 && i + 1 < argc) {
			char *end;
			days = strtol(argv[++i], &end, 10);
			if (*end || days < 0 || days > 36500) {
				cli_error("journal", "--days wants 0..36500");
				return EXIT_USAGE;
			}
			continue;
		}
		int r = data_opts_parse(&o, "journal", argc, argv, &i);
		if (r < 0)
			return EXIT_USAGE;
		if (r)
			continue;
		cli_error("journal", "unexpected argument '%s' (see 'postcard help journal')", argv[i]);
		return EXIT_USAGE;
	}
	if (!prune || days < 0) {
		cli_print_help(cli_find("journal"), stderr);
		return EXIT_USAGE;
	}
	rt_config cfg = {0};
	data_opts_config(&o, &cfg);
	char err[512] = "";
	rt_app *app = NULL;
	if (!data_opts_exists(&cfg)) {
		cli_error("journal", "no database at %s%s", cfg.db_path ? cfg.db_path : cfg.data_dir,
			  cfg.db_path ? "" : "/postcard.db");
		return EXIT_USAGE;
	}
	if (rt_app_new(&app, &cfg, err, sizeof err) != 0) {
		cli_error("journal", "%s", err);
		return EXIT_USAGE;
	}
	int64_t deleted = 0;
	int rc = rt_journal_prune(app, (unsigned)days, &deleted);
	if (rc)
		cli_error("journal", "cannot prune the journal: %s", pc_strerror(rc));
	else
		printf("%lld journal rows older than %ld days deleted\n", (long long)deleted, days);
	rt_app_free(app);
	return rc ? EXIT_USAGE : EXIT_OK;
}
