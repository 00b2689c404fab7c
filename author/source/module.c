/* module.xml: reads the module's metadata, cards, quiz, reflection and further reading, reads
 * and renders every card (render.c), and keeps each module read once per build (source_set).
 * Every finding goes to the sink as `path:line:col` with the source line quoted; all of a
 * run's errors are reported, not just the first. */
/* realpath() is XSI */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "common.h"
#include "reader.h"
#include "utf8.h"

/* Ids share one name space per module: cards, quiz, questions and reflection. */
typedef struct idseen {
	const char *id;
	size_t off;
} idseen;

static void check_id(reader *r, idseen *seen, size_t *n, size_t cap, const char *id, size_t off)
{
	if (!id)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp(seen[i].id, id) == 0) {
			unsigned line, col;
			diag_src_locate(r->src, seen[i].off, &line, &col);
			err_at(r, off, "duplicate-id", "id '%s' is already used on line %u; ids must be unique in a module",
			       id, line);
			return;
		}
	if (*n < cap)
		seen[(*n)++] = (idseen){id, off};
}

/* Words that say nothing about where a link goes (WCAG 2.4.4). Compared ignoring case. */
static const char *const vague_links[] = {
	"click here", "here", "click", "link", "this link", "read more", "more", "this", "go",
	"more info", "more information", "see here", "this page",
};

int link_text_vague(const char *text)
{
	for (size_t i = 0; i < PC_ARRAY_LEN(vague_links); i++)
		if (same_answer(text, vague_links[i]))
			return 1;
	return 0;
}

static void read_cards(reader *r, module *m)
{
	for (size_t i = 0; i < m->ncards; i++) {
		card *c = &m->cards[i];
		char *path = path_join(m->dir, c->src);
		char *text = NULL;
		size_t len = 0;
		if (!path) {
			r->oom = 1;
			return;
		}
		int rc = file_read_all(path, SRC_MAX_CARD, &text, &len);
		size_t soff = attr_offset(r->src->text, r->src->len, c->off, "src");
		if (rc == PC_ENOMEM) {
			r->oom = 1;
		} else if (rc == PC_ELIMIT) {
			err_at(r, soff, "card-file", "card file '%s' is larger than %zu KiB", c->src,
			       SRC_MAX_CARD >> 10);
		} else if (rc != 0) {
			err_at(r, soff, "card-file", "card file '%s' not found (looked for %s)", c->src,
			       path);
		} else if (!utf8_valid(text, len)) {
			err_at(r, soff, "card-file", "card file '%s' is not UTF-8 text", c->src);
		} else {
			diag_src cs;
			diag_src_init(&cs, path, text, len);
			rc = render_card(m, c, &cs, r->sink);
			if (rc == PC_ENOMEM)
				r->oom = 1;
			else if (rc != 0)
				r->errors++;
			diag_src_free(&cs);
		}
		free(text);
		free(path);
	}
}

static void read_module_tree(reader *r, module *m, xmlDoc *doc)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	idseen seen[200];
	size_t nseen = 0;
	m->id = attr_of(r, root, "id");
	m->version = attr_of(r, root, "version");
	m->lang = attr_of(r, root, "lang");
	m->id_off = attr_off(r, root, "id");
	m->lang_off = attr_off(r, root, "lang");
	m->major = m->version ? (unsigned)strtoul(m->version, NULL, 10) : 0;
	EACH_CHILD(c, root) {
		q_type qt;
		if (is(c, "title")) {
			m->title = text_of(r, c);
		} else if (is(c, "phase")) {
			m->phase = text_of(r, c);
		} else if (is(c, "summary")) {
			m->summary = text_of(r, c);
		} else if (is(c, "duration")) {
			m->duration = text_of(r, c);
		} else if (is(c, "outcomes")) {
			EACH_CHILD(o, c) {
				char **oc = push(r, (void **)&m->outcomes, &m->noutcomes, sizeof *oc);
				if (oc)
					*oc = text_of(r, o);
			}
		} else if (is(c, "keywords")) {
			EACH_CHILD(k, c) {
				char **kw = push(r, (void **)&m->keywords, &m->nkeywords, sizeof *kw);
				if (kw)
					*kw = text_of(r, k);
			}
		} else if (is(c, "card")) {
			card *cd = push(r, (void **)&m->cards, &m->ncards, sizeof *cd);
			if (!cd)
				return;
			cd->id = attr_of(r, c, "id");
			cd->src = attr_of(r, c, "src");
			cd->off = off_of(r, c);
			check_id(r, seen, &nseen, PC_ARRAY_LEN(seen), cd->id, attr_off(r, c, "id"));
			for (size_t i = 0; i + 1 < m->ncards; i++)
				if (cd->src && m->cards[i].src && strcmp(m->cards[i].src, cd->src) == 0)
					warn_at(r, attr_off(r, c, "src"), "card-file",
						"card file '%s' is already used by card '%s'", cd->src,
						m->cards[i].id);
		} else if (is(c, "quiz")) {
			m->has_quiz = 1;
			m->quiz_id = attr_of(r, c, "id");
			m->pass = attr_uint(c, "pass", 0);
			check_id(r, seen, &nseen, PC_ARRAY_LEN(seen), m->quiz_id, attr_off(r, c, "id"));
			size_t scored = 0;
			EACH_CHILD(qn, c) {
				if (!q_type_of(qn, &qt))
					continue;
				question *q = push(r, (void **)&m->questions, &m->nquestions, sizeof *q);
				if (!q)
					return;
				q->type = qt;
				read_question(r, m, q, qn);
				scored += qt != Q_LIKERT;
				check_id(r, seen, &nseen, PC_ARRAY_LEN(seen), q->id, attr_off(r, qn, "id"));
			}
			if (!scored && m->pass > 0)
				err_at(r, attr_off(r, c, "pass"), "pass-mark",
				       "quiz '%s' has a pass mark of %u%% but no scored question (likert questions are not scored)",
				       m->quiz_id, m->pass);
		} else if (is(c, "reflection")) {
			m->has_reflection = 1;
			m->refl_id = attr_of(r, c, "id");
			m->refl_max = attr_uint(c, "maxlength", 2000);
			check_id(r, seen, &nseen, PC_ARRAY_LEN(seen), m->refl_id, attr_off(r, c, "id"));
			EACH_CHILD(p, c) {
				if (is(p, "prompt"))
					m->refl_prompt = text_of(r, p);
			}
		} else if (is(c, "postcard")) {
			postcard_src *p = &m->postcard;
			p->present = 1;
			EACH_CHILD(k, c) {
				if (is(k, "when"))
					p->when = text_of(r, k);
				else if (is(k, "who"))
					p->who = text_of(r, k);
				else if (is(k, "time"))
					p->time = text_of(r, k);
				else if (is(k, "how") || is(k, "questions")) {
					int how = is(k, "how");
					EACH_CHILD(s, k) {
						char **t = how ? push(r, (void **)&p->steps, &p->nsteps, sizeof *t)
							       : push(r, (void **)&p->questions, &p->nquestions, sizeof *t);
						if (t)
							*t = text_of(r, s);
					}
				}
			}
		} else if (is(c, "reading")) {
			EACH_CHILD(l, c) {
				reading_link *lk = push(r, (void **)&m->reading, &m->nreading, sizeof *lk);
				if (!lk)
					return;
				lk->href = attr_of(r, l, "href");
				lk->text = text_of(r, l);
				if (lk->text && link_text_vague(lk->text))
					warn_at(r, off_of(r, l), "link-text",
						"link text '%s' does not say where the link goes; name the page instead",
						lk->text);
			}
		}
	}
}

void module_free(module *m)
{
	if (!m)
		return;
	free(m->dir);
	free(m->xml_path);
	free(m->xml_text);
	diag_src_free(&m->src);
	free(m->id);
	free(m->version);
	free(m->lang);
	free(m->title);
	free(m->phase);
	free(m->summary);
	free(m->duration);
	for (size_t i = 0; i < m->noutcomes; i++)
		free(m->outcomes[i]);
	free(m->outcomes);
	for (size_t i = 0; i < m->nkeywords; i++)
		free(m->keywords[i]);
	free(m->keywords);
	for (size_t i = 0; i < m->ncards; i++) {
		free(m->cards[i].id);
		free(m->cards[i].src);
		free(m->cards[i].title);
		free(m->cards[i].html);
	}
	free(m->cards);
	free(m->quiz_id);
	for (size_t i = 0; i < m->nquestions; i++) {
		question *q = &m->questions[i];
		free(q->id);
		free(q->prompt);
		free(q->fb_correct);
		free(q->fb_incorrect);
		for (size_t j = 0; j < q->noptions; j++) {
			free(q->options[j].text);
			free(q->options[j].feedback);
		}
		free(q->options);
		for (size_t j = 0; j < q->nanswers; j++)
			free(q->answers[j]);
		free(q->answers);
		free(q->answer_offs);
		free(q->min);
		free(q->max);
		for (size_t j = 0; j < q->npairs; j++) {
			free(q->sources[j]);
			free(q->targets[j]);
		}
		free(q->sources);
		free(q->targets);
		for (size_t j = 0; j < q->nsteps; j++)
			free(q->steps[j]);
		free(q->steps);
		free(q->shown);
		free(q->card);
	}
	free(m->questions);
	free(m->refl_id);
	free(m->refl_prompt);
	for (size_t i = 0; i < m->nreading; i++) {
		free(m->reading[i].href);
		free(m->reading[i].text);
	}
	free(m->reading);
	free(m->postcard.when);
	free(m->postcard.who);
	free(m->postcard.time);
	for (size_t i = 0; i < m->postcard.nsteps; i++)
		free(m->postcard.steps[i]);
	free(m->postcard.steps);
	for (size_t i = 0; i < m->postcard.nquestions; i++)
		free(m->postcard.questions[i]);
	free(m->postcard.questions);
	for (size_t i = 0; i < m->nmedia; i++) {
		free(m->media[i].path);
		free(m->media[i].data);
	}
	free(m->media);
	free(m);
}

int module_add_media(module *m, const char *rel, diag_src *src, size_t off, diag_sink *sink)
{
	for (size_t i = 0; i < m->nmedia; i++)
		if (strcmp(m->media[i].path, rel) == 0)
			return 0;
	if (m->nmedia >= SRC_MAX_MEDIA_FILES) {
		diag_at(sink, DIAG_ERROR, src, off, "media",
			"a module may use at most %d files besides its cards", SRC_MAX_MEDIA_FILES);
		return PC_EINVALID;
	}
	size_t total = 0;
	for (size_t i = 0; i < m->nmedia; i++)
		total += m->media[i].len;
	char *path = path_join(m->dir, rel), *data = NULL;
	size_t len = 0;
	if (!path)
		return PC_ENOMEM;
	int rc = file_read_all(path, SRC_MAX_MEDIA, &data, &len);
	if (rc == PC_ELIMIT || (rc == 0 && total + len > SRC_MAX_MEDIA_TOTAL)) {
		diag_at(sink, DIAG_ERROR, src, off, "media", "'%s' is too large (a file may be %zu MiB, all files together %zu MiB)",
			rel, SRC_MAX_MEDIA >> 20, SRC_MAX_MEDIA_TOTAL >> 20);
		rc = PC_EINVALID;
	} else if (rc == PC_EIO) {
		diag_at(sink, DIAG_ERROR, src, off, "media", "'%s' not found in the module folder (looked for %s)",
			rel, path);
		rc = PC_EINVALID;
	}
	free(path);
	if (rc != 0) {
		free(data);
		return rc;
	}
	media *nm = realloc(m->media, (m->nmedia + 1) * sizeof *nm);
	char *p = strdup(rel);
	if (!nm || !p) {
		if (nm)
			m->media = nm;
		free(p);
		free(data);
		return PC_ENOMEM;
	}
	m->media = nm;
	m->media[m->nmedia++] = (media){p, (unsigned char *)data, len};
	return 0;
}


/* Parses and checks module.xml text (owned by m from here) for the module folder m->dir. */
static int module_parse(module *m, diag_sink *sink)
{
	int valid = 0;
	diag_src_init(&m->src, m->xml_path, m->xml_text, m->xml_len);
	reader r = {sink, &m->src, 0, 0};
	xmlDoc *doc = parse_and_validate(&r, 0, &valid);
	if (valid) {
		read_module_tree(&r, m, doc);
		if (!r.oom)
			read_cards(&r, m);
	}
	xmlFreeDoc(doc);
	if (r.oom)
		return PC_ENOMEM;
	if (r.errors)
		return PC_EINVALID;
	int rc = module_shuffle(m);
	if (rc == 0) {
		budget_compute(m);
		minutes_compute(m);
	}
	return rc;
}

static int module_new(module **out, const char *dir)
{
	module *m = calloc(1, sizeof *m);
	*out = m;
	if (!m)
		return PC_ENOMEM;
	m->dir = strdup(dir);
	m->xml_path = path_join(dir, "module.xml");
	return m->dir && m->xml_path ? 0 : PC_ENOMEM;
}

int module_read(module **out, const char *dir, diag_sink *sink)
{
	*out = NULL;
	module *m = NULL;
	int rc = module_new(&m, dir);
	if (rc)
		goto cleanup;
	rc = file_read_all(m->xml_path, SRC_MAX_XML, &m->xml_text, &m->xml_len);
	if (rc != 0) {
		if (rc == PC_ENOMEM)
			goto cleanup;
		diag_line(sink, DIAG_ERROR, m->xml_path, 0, 0, "module-file", "%s",
			  rc == PC_ELIMIT ? "module.xml is larger than 1 MiB"
					  : "cannot read module.xml: a module folder holds a module.xml file");
		rc = PC_EINVALID;
		goto cleanup;
	}
	if ((rc = module_parse(m, sink)) != 0)
		goto cleanup;
	*out = m;
	m = NULL; /* now owned by the caller */
cleanup:
	module_free(m);
	return rc;
}

int module_read_memory(module **out, const char *dir, const char *text, size_t len,
		       diag_sink *sink)
{
	*out = NULL;
	module *m = NULL;
	int rc = module_new(&m, dir);
	if (rc)
		goto cleanup;
	if (len > SRC_MAX_XML) {
		diag_line(sink, DIAG_ERROR, m->xml_path, 0, 0, "module-file", "module.xml is larger than 1 MiB");
		rc = PC_EINVALID;
		goto cleanup;
	}
	m->xml_text = malloc(len + 1);
	if (!m->xml_text) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	memcpy(m->xml_text, text, len);
	m->xml_text[len] = '\0';
	m->xml_len = len;
	if ((rc = module_parse(m, sink)) != 0)
		goto cleanup;
	*out = m;
	m = NULL; /* now owned by the caller */
cleanup:
	module_free(m);
	return rc;
}

/* ---------- modules read once per build ---------- */

struct source_set {
	struct {
		char *key; /* realpath of the module folder */
		module *mod;
		int rc;
	} *items;
	size_t n;
};

int source_set_new(source_set **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? 0 : PC_ENOMEM;
}

void source_set_free(source_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++) {
		free(set->items[i].key);
		module_free(set->items[i].mod);
	}
	free(set->items);
	free(set);
}

int source_set_module(source_set *set, const char *dir, diag_sink *sink, module **out)
{
	*out = NULL;
	char *key = realpath(dir, NULL);
	if (!key)
		key = strdup(dir);
	if (!key)
		return PC_ENOMEM;
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->items[i].key, key) == 0) {
			free(key);
			*out = set->items[i].mod;
			return set->items[i].rc;
		}
	void *p = realloc(set->items, (set->n + 1) * sizeof *set->items);
	if (!p) {
		free(key);
		return PC_ENOMEM;
	}
	set->items = p;
	module *m = NULL;
	int rc = module_read(&m, dir, sink);
	set->items[set->n].key = key;
	set->items[set->n].mod = m;
	set->items[set->n].rc = rc;
	set->n++;
	*out = m;
	return rc;
}
