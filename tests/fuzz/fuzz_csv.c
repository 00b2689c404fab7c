/* Fuzz target for the CSV an admin uploads to add people (runtime/server/csvin.c csv_parse) and
 * the email check each row's first field goes through (accounts_email). Besides "no crash, no
 * leak": parsed rows have 1..CSV_FIELDS_MAX fields, each within CSV_FIELD_MAX and valid UTF-8,
 * line numbers grow, and a refusal says why; an accepted email is lower case, one '@', no space. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	csv_row *rows = NULL;
	size_t n = 0;
	char err[200] = "";
	int rc = csv_parse((const char *)data, size, &rows, &n, err, sizeof err);
	if (rc == 0) {
		size_t line = 0;
		for (size_t i = 0; i < n; i++) {
			check(rows[i].n >= 1 && rows[i].n <= CSV_FIELDS_MAX);
			check(rows[i].line > line);
			line = rows[i].line;
			for (size_t k = 0; k < rows[i].n; k++) {
				size_t len = strlen(rows[i].fields[k]);
				check(len <= CSV_FIELD_MAX && utf8_valid(rows[i].fields[k], len));
			}
			char email[ACCOUNTS_EMAIL_MAX + 1];
			if (accounts_email(rows[i].fields[0], email, sizeof email) == 0) {
				const char *at = strchr(email, '@');
				check(at && !strchr(at + 1, '@') && !strchr(email, ' '));
				for (const char *c = email; *c; c++)
					check(!(*c >= 'A' && *c <= 'Z'));
			}
		}
		csv_rows_free(rows, n);
	} else {
		check(rows == NULL && n == 0 && err[0]);
	}
	return 0;
}
