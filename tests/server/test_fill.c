/* Fills a store with a large amount of records for the tests of reports past the server's
 * response limit (test_routes.c and, through records_fill.c, the CLI test). Goes through the
 * store interface, so it follows whatever schema the back end has. No cmocka here: the CLI
 * helper links it too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "test_server.h"

int test_fill_interactions(store *st, int64_t attempt_id, size_t items, size_t per_item,
			   size_t response_len)
{
	int rc = PC_ENOMEM;
	char *response = malloc(response_len + 1);
	store_interaction *in = calloc(per_item, sizeof *in);
	char(*ids)[24] = calloc(per_item, sizeof *ids);
	if (!response || !in || !ids)
		goto cleanup;
	/* Printable, and different per position so a truncated or shuffled row would show. */
	for (size_t i = 0; i < response_len; i++)
		response[i] = (char)('a' + i % 26);
	response[response_len] = '\0';
	for (size_t i = 0; i < per_item; i++) {
		snprintf(ids[i], sizeof ids[i], "q%zu", i);
		in[i] = (store_interaction){.n = (int64_t)i, .id = ids[i], .type = "long-fill-in",
					    .learner_response = response, .result = "neutral"};
	}
	rc = 0;
	for (size_t it = 0; it < items && !rc; it++) {
		char item[32];
		snprintf(item, sizeof item, "bulk-%zu", it);
		store_sco_write w = {.attempt_id = attempt_id, .item = item, .seq = 1, .state = "{}",
				     .completion = "incomplete", .interactions = in,
				     .ninteractions = per_item, .request = "{}", .response = "{}"};
		rc = st->ops->sco_put(st, &w);
	}
cleanup:
	free(response);
	free(in);
	free(ids);
	return rc;
}
