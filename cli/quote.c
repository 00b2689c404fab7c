/* Shell quoting for commands the CLI prints for people to copy (cli.h). */
#include <string.h>

#include "cli.h"

void cli_shell_word(buf *out, const char *s)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				   "_-./,:@%+=";
	if (*s && strspn(s, safe) == strlen(s)) {
		buf_puts(out, s);
		return;
	}
	/* single quotes keep everything but a single quote, which is closed, escaped, reopened */
	buf_putc(out, '\'');
	for (; *s; s++)
		if (*s == '\'')
			buf_puts(out, "'\\''");
		else
			buf_putc(out, *s);
	buf_putc(out, '\'');
}
