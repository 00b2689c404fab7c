/* course.xml: the course's metadata and its modules in groups, each module read once through
 * the build's source_set, with the checks a schema cannot express (modules that exist, appear
 * once and share the course's language; group ids unique). */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "common.h"
#include "reader.h"

/* ---------- course.xml ---------- */

void course_free(course *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->text);
	diag_src_free(&c->src);
	free(c->id);
	free(c->version);
	free(c->lang);
	free(c->title);
	free(c->summary);
	for (size_t i = 0; i < c->nentries; i++) {
		free(c->entries[i].group_id);
		free(c->entries[i].group_title);
	}
	free(c->entries);
	free(c);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static void course_add(reader *r, course *c, source_set *set, const char *cdir, const xmlNode *n,
		       const char *gid, const char *gtitle)
{
	char *src = attr_of(r, n, "src");
	size_t off = attr_off(r, n, "src");
	char *dir = src ? path_join(cdir, src) : NULL;
	char *xml = dir ? path_join(dir, "module.xml") : NULL;
	struct stat st;
	if (!xml) {
		r->oom = 1;
		goto cleanup;
	}
	if (stat(xml, &st) != 0) {
		err_at(r, off, "course-module", "no module '%s': %s does not exist", src,
		       is_dir(dir) ? xml : dir);
		goto cleanup;
	}
	module *m = NULL;
	int rc = source_set_module(set, dir, r->sink, &m);
	if (rc == PC_ENOMEM) {
		r->oom = 1;
		goto cleanup;
	}
	if (rc != 0) {
		err_at(r, off, "course-module", "module '%s' has errors (reported above)", src);
		goto cleanup;
	}
	for (size_t i = 0; i < c->nentries; i++)
		if (c->entries[i].mod == m || strcmp(c->entries[i].mod->id, m->id) == 0) {
			err_at(r, off, "course-module",
			       "module '%s' is already in this course; a module can appear once", m->id);
			goto cleanup;
		}
	if (c->lang && strcmp(c->lang, m->lang) != 0)
		err_at(r, off, "course-lang",
		       "module '%s' is in lang '%s' but the course is '%s'", m->id, m->lang, c->lang);
	course_entry *e = push(r, (void **)&c->entries, &c->nentries, sizeof *e);
	if (!e)
		goto cleanup;
	e->mod = m;
	e->group_id = gid ? strdup(gid) : NULL;
	e->group_title = gtitle ? strdup(gtitle) : NULL;
	if ((gid && !e->group_id) || (gtitle && !e->group_title))
		r->oom = 1;
cleanup:
	free(src);
	free(dir);
	free(xml);
}

int course_read(course **out, const char *path, source_set *set, diag_sink *sink)
{
	*out = NULL;
	int rc = 0, valid = 0;
	xmlDoc *doc = NULL;
	char *cdir = NULL;
	course *c = calloc(1, sizeof *c);
	if (!c)
		return PC_ENOMEM;
	c->path = strdup(path);
	cdir = dir_of(path);
	if (!c->path || !cdir) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	rc = file_read_all(path, SRC_MAX_XML, &c->text, &c->len);
	if (rc != 0) {
		if (rc == PC_ENOMEM)
			goto cleanup;
		diag_line(sink, DIAG_ERROR, path, 0, 0, "course-file", "%s",
			  rc == PC_ELIMIT ? "the course file is larger than 1 MiB"
					  : "cannot read the course file");
		rc = PC_EINVALID;
		goto cleanup;
	}
	diag_src_init(&c->src, path, c->text, c->len);
	reader r = {sink, &c->src, 0, 0};
	doc = parse_and_validate(&r, 1, &valid);
	if (valid) {
		xmlNode *root = xmlDocGetRootElement(doc);
		c->id = attr_of(&r, root, "id");
		c->version = attr_of(&r, root, "version");
		c->lang = attr_of(&r, root, "lang");
		c->major = c->version ? (unsigned)strtoul(c->version, NULL, 10) : 0;
		char *gids[100];
		size_t ngids = 0;
		EACH_CHILD(n, root) {
			if (is(n, "title")) {
				c->title = text_of(&r, n);
			} else if (is(n, "summary")) {
				c->summary = text_of(&r, n);
			} else if (is(n, "module")) {
				course_add(&r, c, set, cdir, n, NULL, NULL);
			} else if (is(n, "group")) {
				char *gid = attr_of(&r, n, "id"), *gtitle = NULL;
				for (size_t i = 0; gid && i < ngids; i++)
					if (strcmp(gids[i], gid) == 0)
						err_at(&r, attr_off(&r, n, "id"), "duplicate-id",
						       "group id '%s' is already used; ids must be unique in a course",
						       gid);
				EACH_CHILD(g, n) {
					if (is(g, "title") && !gtitle)
						gtitle = text_of(&r, g);
					else if (is(g, "module"))
						course_add(&r, c, set, cdir, g, gid, gtitle);
				}
				if (gid && ngids < PC_ARRAY_LEN(gids))
					gids[ngids++] = gid;
				else
					free(gid);
				free(gtitle);
			}
			if (r.oom)
				break;
		}
		for (size_t i = 0; i < ngids; i++)
			free(gids[i]);
	}
	if (r.oom) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	if (r.errors) {
		rc = PC_EINVALID;
		goto cleanup;
	}
	*out = c;
	c = NULL; /* now owned by the caller */
cleanup:
	xmlFreeDoc(doc);
	free(cdir);
	course_free(c);
	return rc;
}
