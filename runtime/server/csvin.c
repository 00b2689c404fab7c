/* Reading the CSV an admin uploads to add many people at once (RFC 4180: fields separated by
 * commas, quoted with '"' when they hold a comma, a quote or a line break, "" for a quote inside
 * quotes, lines ending in CRLF or LF). Untrusted input with limits on everything, and a fuzz
 * target (tests/fuzz/fuzz_csv.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "common.h"
#include "utf8.h"

void csv_rows_free(csv_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++)
		for (size_t k = 0; k < rows[i].n; k++)
			free(rows[i].fields[k]);
	free(rows);
}

int csv_parse(const char *text, size_t len, csv_row **out, size_t *nout, char *err, size_t errsize)
{
	*out = NULL;
	*nout = 0;
	csv_row *rows = NULL;
	size_t n = 0, cap = 0, line = 1, i = 0;
	char field[CSV_FIELD_MAX + 1];
	int rc = 0;
	if (len > CSV_TEXT_MAX) {
		snprintf(err, errsize, "the file is larger than %d KiB", CSV_TEXT_MAX >> 10);
		return PC_ELIMIT;
	}
	if (!utf8_valid(text, len)) {
		snprintf(err, errsize, "the file is not UTF-8 text");
		return PC_EFORMAT;
	}
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3; /* the byte order mark spreadsheets write */
	while (i < len) {
		csv_row row = {.line = line};
		int end_of_row = 0;
		while (!end_of_row) {
			size_t flen = 0;
			int quoted = i < len && text[i] == '"';
			if (quoted) {
				i++;
				for (;;) {
					if (i >= len) {
						snprintf(err, errsize, "line %zu: a quote is not closed", row.line);
						rc = PC_EFORMAT;
						goto fail;
					}
					char c = text[i++];
					if (c == '"') {
						if (i < len && text[i] == '"')
							i++;
						else
							break;
					} else if (c == '\n') {
						line++;
					}
					if (flen == CSV_FIELD_MAX)
						goto too_long;
					field[flen++] = c;
				}
				if (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
					snprintf(err, errsize, "line %zu: text after a closing quote", line);
					rc = PC_EFORMAT;
					goto fail;
				}
			} else {
				while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
					if (text[i] == '"') {
						snprintf(err, errsize, "line %zu: a quote inside a field that is not quoted",
							 line);
						rc = PC_EFORMAT;
						goto fail;
					}
					if (flen == CSV_FIELD_MAX)
						goto too_long;
					field[flen++] = text[i++];
				}
			}
			if (row.n == CSV_FIELDS_MAX) {
				snprintf(err, errsize, "line %zu: more than %d fields", row.line, CSV_FIELDS_MAX);
				rc = PC_ELIMIT;
				goto fail;
			}
			field[flen] = '\0';
			if (!(row.fields[row.n] = strdup(field))) {
				rc = PC_ENOMEM;
				goto fail;
			}
			row.n++;
			if (i < len && text[i] == ',') {
				i++;
				continue;
			}
			if (i < len && text[i] == '\r')
				i++;
			if (i < len && text[i] == '\n')
				i++;
			line++;
			end_of_row = 1;
		}
		/* A line with nothing on it is skipped. */
		if (row.n == 1 && !row.fields[0][0]) {
			free(row.fields[0]);
			continue;
		}
		if (n == CSV_ROWS_MAX) {
			for (size_t k = 0; k < row.n; k++)
				free(row.fields[k]);
			snprintf(err, errsize, "more than %d rows: split the file", CSV_ROWS_MAX);
			rc = PC_ELIMIT;
			goto fail_rows;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			csv_row *grown = realloc(rows, cap * sizeof *grown);
			if (!grown) {
				for (size_t k = 0; k < row.n; k++)
					free(row.fields[k]);
				rc = PC_ENOMEM;
				goto fail_rows;
			}
			rows = grown;
		}
		rows[n++] = row;
		continue;
	too_long:
		snprintf(err, errsize, "line %zu: a field longer than %d bytes", row.line, CSV_FIELD_MAX);
		rc = PC_ELIMIT;
	fail:
		for (size_t k = 0; k < row.n; k++)
			free(row.fields[k]);
		goto fail_rows;
	}
	*out = rows;
	*nout = n;
	return 0;
fail_rows:
	if (rc == PC_ENOMEM)
		snprintf(err, errsize, "out of memory");
	csv_rows_free(rows, n);
	return rc;
}
