/* Back-end-independent parts of the store interface: opening by name, closing, freeing result
 * structs. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

void store_close(store *s)
{
	if (s)
		s->ops->close(s);
}

void store_version_clear(store_version *v)
{
	if (!v)
		return;
	free(v->package);
	free(v->hash);
	free(v->title);
	free(v->scorm);
	free(v->version_attr);
	free(v->imported_at);
	memset(v, 0, sizeof *v);
}

void store_versions_free(store_version *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		store_version_clear(&v[i]);
	free(v);
}

void store_attempt_clear(store_attempt *a)
{
	if (!a)
		return;
	free(a->version_hash);
	free(a->started_at);
	free(a->updated_at);
	memset(a, 0, sizeof *a);
}

int store_attempt_copy(store_attempt *dst, const store_attempt *src)
{
	*dst = *src;
	dst->version_hash = src->version_hash ? strdup(src->version_hash) : NULL;
	dst->started_at = src->started_at ? strdup(src->started_at) : NULL;
	dst->updated_at = src->updated_at ? strdup(src->updated_at) : NULL;
	if ((src->version_hash && !dst->version_hash) || (src->started_at && !dst->started_at) ||
	    (src->updated_at && !dst->updated_at)) {
		store_attempt_clear(dst);
		return PC_ENOMEM;
	}
	return 0;
}

void store_records_free(store_record *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++) {
		store_record *e = &r[i];
		free(e->learner);
		free(e->learner_name);
		free(e->package);
		free(e->package_title);
		free(e->item);
		free(e->completion);
		free(e->success);
		free(e->score_raw);
		free(e->score_scaled);
		free(e->total_time);
		free(e->location);
		free(e->updated_at);
		free(e->exit);
		free(e->learner_email);
	}
	free(r);
}

void store_interaction_rows_free(store_interaction_row *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++) {
		store_interaction_row *e = &r[i];
		free(e->learner);
		free(e->package);
		free(e->item);
		free(e->id);
		free(e->type);
		free(e->description);
		free(e->learner_response);
		free(e->correct_responses);
		free(e->result);
		free(e->weighting);
		free(e->latency);
		free(e->timestamp);
	}
	free(r);
}

void store_launch_clear(store_launch *l)
{
	if (!l)
		return;
	free(l->token_hash);
	free(l->package);
	free(l->item);
	free(l->version_hash);
	memset(l, 0, sizeof *l);
}

int store_is_pg(const char *where)
{
	return where && (strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0);
}

int store_open(store **out, const char *where, char *err, size_t errsize)
{
	PC_ASSERT(out != NULL && where != NULL);
	*out = NULL;
	if (!store_is_pg(where))
		return store_sqlite_open(out, where, err, errsize);
#ifdef POSTCARD_WITH_PG
	return store_pg_open(out, where, err, errsize);
#else
	if (err)
		snprintf(err, errsize, "this postcard was built without PostgreSQL (libpq was not found)");
	return PC_EINVAL;
#endif
}

void store_user_clear(store_user *u)
{
	if (!u)
		return;
	free(u->ident);
	free(u->email);
	free(u->name);
	free(u->role);
	free(u->password_hash);
	free(u->created_at);
	memset(u, 0, sizeof *u);
}

void store_users_free(store_user *u, size_t n)
{
	for (size_t i = 0; u && i < n; i++)
		store_user_clear(&u[i]);
	free(u);
}

void store_groups_free(store_group *g, size_t n)
{
	for (size_t i = 0; g && i < n; i++)
		free(g[i].name);
	free(g);
}

void store_members_free(store_member *m, size_t n)
{
	for (size_t i = 0; m && i < n; i++) {
		free(m[i].group_name);
		free(m[i].email);
		free(m[i].name);
		free(m[i].ident);
	}
	free(m);
}

void store_assignments_free(store_assignment *a, size_t n)
{
	for (size_t i = 0; a && i < n; i++) {
		free(a[i].group_name);
		free(a[i].package);
		free(a[i].assigned_at);
	}
	free(a);
}

void store_audit_free(store_audit *a, size_t n)
{
	for (size_t i = 0; a && i < n; i++) {
		free(a[i].at);
		free(a[i].actor);
		free(a[i].action);
		free(a[i].target);
		free(a[i].detail);
	}
	free(a);
}

void store_seq_records_free(store_seq_record *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++) {
		store_seq_record *e = &r[i];
		free(e->learner);
		free(e->learner_name);
		free(e->package);
		free(e->package_title);
		free(e->completion);
		free(e->success);
		free(e->score_scaled);
		free(e->updated_at);
		free(e->learner_email);
	}
	free(r);
}
