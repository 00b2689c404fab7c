/* SCORM 2004 4th Edition shared data (adl.data) on the server: at launch, the SCO's maps
 * (adlcp:data/adlcp:map of its item) become adl.data rows carrying the learner's current value
 * of each bucket; after a commit, the buckets the SCO wrote are stored. A bucket is named by the
 * map's targetID and belongs to one learner and one package, so every SCO of the package that
 * maps the same targetID shares it. It outlives attempts unless the organization says
 * sharedDataGlobalToSystem="false", when it lasts one attempt. Values reach the store only
 * through the C model (cmi_shared_take_written hands out what SetValue accepted), and are
 * checked again when seeded. */
#include <stdlib.h>

#include "app.h"
#include "cmi.h"

/* The attempt a package's buckets belong to: 0 for all of the learner's attempts. */
static int64_t scope(const rt_pkg *pkg, int64_t attempt_id)
{
	return pkg->scos->shared_data_global ? 0 : attempt_id;
}

int shared_data_seed(store *s, int64_t learner_id, const rt_pkg *pkg, int64_t attempt_id,
		     const sco_item *item, cmi_state *st)
{
	if (cmi_state_version(st) != SCORM_2004_4TH)
		return 0;
	cmi_shared_map *maps = item->nmaps ? calloc(item->nmaps, sizeof *maps) : NULL;
	char **values = item->nmaps ? calloc(item->nmaps, sizeof *values) : NULL;
	int rc = item->nmaps && (!maps || !values) ? PC_ENOMEM : 0;
	for (size_t i = 0; !rc && i < item->nmaps; i++) {
		const sco_shared_map *m = &item->maps[i];
		rc = s->ops->shared_get(s, learner_id, pkg->id, scope(pkg, attempt_id), m->target_id,
					&values[i]);
		maps[i] = (cmi_shared_map){m->target_id, m->read, m->write, values[i]};
	}
	if (!rc) {
		/* Also with no maps: a re-imported manifest may have dropped them. */
		rc = cmi_seed_shared_data(st, maps, item->nmaps, NULL);
		if (rc > 0)
			rc = 0; /* a targetID the model refuses was reported by the validator on import */
	}
	for (size_t i = 0; values && i < item->nmaps; i++)
		free(values[i]);
	free(values);
	free(maps);
	return rc;
}

struct put_ctx {
	store *s;
	int64_t learner_id, attempt;
	const char *package;
};

static int put_one(void *ud, const char *target_id, const char *value)
{
	struct put_ctx *c = ud;
	return c->s->ops->shared_put(c->s, c->learner_id, c->package, c->attempt, target_id, value);
}

int shared_data_write(store *s, int64_t learner_id, const rt_pkg *pkg, int64_t attempt_id,
		      cmi_state *st)
{
	if (cmi_state_version(st) != SCORM_2004_4TH)
		return 0;
	struct put_ctx c = {s, learner_id, scope(pkg, attempt_id), pkg->id};
	return cmi_shared_take_written(st, put_one, &c);
}
