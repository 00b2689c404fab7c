/* Fuzz target for the server's own read of an imported manifest (runtime/server/scolist.c: items,
 * launch URLs, LMS-seeded values, 2004 controls). Checks, besides "no crash, no leak": a parsed
 * list has an identifier, a title, at least one launchable item, every item an id and a title,
 * depths from 0 to 64, and first/step/find agree with the items. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scolist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sco_list *l = NULL;
	int rc = sco_list_parse(&l, (const char *)data, size);
	if (rc != 0) {
		check(l == NULL);
		check(rc == PC_EFORMAT || rc == PC_ELIMIT || rc == PC_ENOMEM);
		return 0;
	}
	check(l->manifest_id && l->title && l->count > 0 && l->launchable > 0);
	check(l->launchable <= l->count);
	check(l->version == SCORM_12 || l->version == SCORM_2004_3RD || l->version == SCORM_2004_4TH);
	size_t launchable = 0;
	for (size_t i = 0; i < l->count; i++) {
		const sco_item *it = &l->items[i];
		check(it->id && it->title);
		check(it->depth >= 0 && it->depth <= 64);
		check(it->choice == 0 || it->choice == 1);
		check(it->flow == 0 || it->flow == 1);
		check(it->nobjectives == 0 || it->objectives);
		for (size_t k = 0; k < it->nobjectives; k++)
			check(it->objectives[k] != NULL);
		launchable += it->href != NULL;
		const sco_item *found = sco_list_find(l, it->id);
		check(found && strcmp(found->id, it->id) == 0);
	}
	check(launchable == l->launchable);
	long first = sco_list_first(l);
	check(first >= 0 && (size_t)first < l->count && l->items[first].href);
	size_t steps = 0;
	for (long i = first; i >= 0; i = sco_list_step(l, (size_t)i, +1)) {
		check((size_t)i < l->count && l->items[i].href);
		steps++;
	}
	check(steps == l->launchable);
	sco_list_free(l);
	return 0;
}
