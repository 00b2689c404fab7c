/* What a Postcard-built package says about itself, for pages and reports: each SCO's launch page
 * carries its module as JSON (<script type="application/json" id="postcard-data">, see
 * author/render/web/README.md): title, phase, summary, about how many minutes, and the quiz's
 * questions with their options. Read once when a version is loaded; a package from elsewhere
 * simply has none (NULL), and pages show what its manifest says.
 *
 * With it, an interaction's response in letters ("a,c"; 2004 "a[,]c") reads as the options'
 * text, and an id (1.2 MODULE_QUESTION, 2004 urn:postcard:MODULE:QUESTION) as its prompt.
 *
 * What pages show is kept as plain strings; the quiz, which only reports need, is kept as its
 * compact JSON text and parsed the first time a report asks (then kept). Holding every module's
 * whole tree cost about 50 KB of heap per module (0.7 MB for the demo's packages, at idle). */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app.h"
#include "common.h"

/* The launch page is small; a page over this is not one of ours and is not read. */
#define PKGINFO_PAGE_MAX ((size_t)4 << 20)

/* One Postcard module's data (p->modules[item]). */
struct pkginfo_module {
	char *id, *title, *phase, *summary;
	unsigned minutes;
	char *quiz_text;      /* the "quiz" object as compact JSON, or NULL */
	_Atomic(json_t *) quiz; /* quiz_text parsed, on first use (quiz_lock); then never changes */
};

/* Taken only to parse a quiz the first time; reads after that need no lock. */
static pthread_mutex_t quiz_lock = PTHREAD_MUTEX_INITIALIZER;

static void module_free(struct pkginfo_module *m)
{
	if (!m)
		return;
	free(m->id);
	free(m->title);
	free(m->phase);
	free(m->summary);
	free(m->quiz_text);
	json_decref(atomic_load(&m->quiz));
	free(m);
}

static char *dup_string(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? strdup(s) : NULL;
}

/* The module a launch page carries, or NULL (not ours, unreadable, or out of memory: pages then
 * show what the manifest says). */
static struct pkginfo_module *module_of(rt_app *app, const char *hash, const char *href)
{
	char name[1024];
	size_t n = strcspn(href, "?#");
	if (n >= sizeof name)
		return NULL;
	memcpy(name, href, n);
	name[n] = '\0';
	char *page = NULL;
	size_t len = 0;
	json_t *j = NULL;
	struct pkginfo_module *m = NULL;
	if (zipserve_read(app->zs, hash, name, &page, &len) != 0 || len > PKGINFO_PAGE_MAX)
		goto done;
	static const char open[] = "<script type=\"application/json\" id=\"postcard-data\">";
	const char *start = strstr(page, open);
	if (!start)
		goto done;
	start += sizeof open - 1;
	const char *end = strstr(start, "</script>");
	if (!end)
		goto done;
	j = json_loadb(start, (size_t)(end - start), 0, NULL);
	json_t *mod = json_object_get(j, "module");
	if (!json_is_object(mod) || !(m = calloc(1, sizeof *m)))
		goto done;
	json_t *quiz = json_object_get(j, "quiz");
	json_int_t minutes = json_integer_value(json_object_get(mod, "minutes"));
	m->minutes = minutes > 0 && minutes < 100000 ? (unsigned)minutes : 0;
	m->id = dup_string(mod, "id");
	m->title = dup_string(mod, "title");
	m->phase = dup_string(mod, "phase");
	m->summary = dup_string(mod, "summary");
	m->quiz_text = json_is_object(quiz) ? json_dumps(quiz, JSON_COMPACT) : NULL;
	atomic_init(&m->quiz, NULL);
	if (!m->id || (json_is_object(quiz) && !m->quiz_text)) {
		module_free(m);
		m = NULL;
	}
done:
	json_decref(j);
	free(page);
	return m;
}

int pkginfo_load(rt_app *app, rt_pkg *p)
{
	p->modules = calloc(p->scos->count ? p->scos->count : 1, sizeof *p->modules);
	if (!p->modules)
		return PC_ENOMEM;
	for (size_t i = 0; i < p->scos->count; i++)
		if (p->scos->items[i].href)
			p->modules[i] = module_of(app, p->hash, p->scos->items[i].href);
	return 0;
}

void pkginfo_free(rt_pkg *p)
{
	for (size_t i = 0; p->modules && i < p->scos->count; i++)
		module_free(p->modules[i]);
	free(p->modules);
}

static const struct pkginfo_module *module_at(const rt_pkg *p, size_t item)
{
	return p->modules && item < p->scos->count ? p->modules[item] : NULL;
}

/* The strings pkginfo_field can name. */
static const struct {
	const char *name;
	size_t offset;
} fields[] = {
	{"id", offsetof(struct pkginfo_module, id)},
	{"title", offsetof(struct pkginfo_module, title)},
	{"phase", offsetof(struct pkginfo_module, phase)},
	{"summary", offsetof(struct pkginfo_module, summary)},
};

const char *pkginfo_field(const rt_pkg *p, size_t item, const char *field)
{
	const struct pkginfo_module *m = module_at(p, item);
	for (size_t i = 0; m && i < PC_ARRAY_LEN(fields); i++)
		if (strcmp(fields[i].name, field) == 0)
			return *(char *const *)(const void *)((const char *)m + fields[i].offset);
	return NULL;
}

unsigned pkginfo_minutes(const rt_pkg *p, size_t item)
{
	const struct pkginfo_module *m = module_at(p, item);
	return m ? m->minutes : 0;
}

long pkginfo_first_module(const rt_pkg *p)
{
	for (size_t i = 0; p->modules && i < p->scos->count; i++)
		if (p->modules[i])
			return (long)i;
	return -1;
}

/* The module's quiz, parsed on first use; NULL when it has none (or out of memory). */
static json_t *quiz_of(struct pkginfo_module *m)
{
	json_t *q = atomic_load_explicit(&m->quiz, memory_order_acquire);
	if (q || !m->quiz_text)
		return q;
	pthread_mutex_lock(&quiz_lock);
	q = atomic_load_explicit(&m->quiz, memory_order_relaxed);
	if (!q) {
		q = json_loads(m->quiz_text, 0, NULL);
		atomic_store_explicit(&m->quiz, q, memory_order_release);
	}
	pthread_mutex_unlock(&quiz_lock);
	return q;
}

/* The question an interaction id names, in the module of `item`. */
static json_t *question(const rt_pkg *p, const char *item, const char *id)
{
	const sco_item *it = sco_list_find(p->scos, item);
	if (!it || !id || !p->modules)
		return NULL;
	struct pkginfo_module *m = p->modules[it - p->scos->items];
	if (!m)
		return NULL;
	size_t ml = strlen(m->id);
	const char *qid = NULL;
	if (strncmp(id, "urn:postcard:", 13) == 0 && strncmp(id + 13, m->id, ml) == 0 &&
	    id[13 + ml] == ':')
		qid = id + 14 + ml;
	else if (strncmp(id, m->id, ml) == 0 && id[ml] == '_')
		qid = id + ml + 1;
	if (!qid)
		return NULL;
	json_t *qs = json_object_get(quiz_of(m), "questions");
	size_t i;
	json_t *q;
	json_array_foreach(qs, i, q) {
		const char *x = json_string_value(json_object_get(q, "id"));
		if (x && strcmp(x, qid) == 0)
			return q;
	}
	return NULL;
}

const char *pkginfo_prompt(const rt_pkg *p, const char *item, const char *interaction_id)
{
	return json_string_value(json_object_get(question(p, item, interaction_id), "prompt"));
}

/* The text of option/pair/step `letter` ('a' is the first) of an array of objects or strings. */
static const char *nth(json_t *arr, const char *key, char letter)
{
	if (letter < 'a' || letter > 'z')
		return NULL;
	json_t *e = json_array_get(arr, (size_t)(letter - 'a'));
	return json_is_string(e) ? json_string_value(e) : json_string_value(json_object_get(e, key));
}

int pkginfo_answer(const rt_pkg *p, const char *item, const char *interaction_id,
		   const char *response, buf *out)
{
	json_t *q = question(p, item, interaction_id);
	const char *type = json_string_value(json_object_get(q, "type"));
	if (!q || !type || !response)
		return 0;
	if (strcmp(type, "fill-in") == 0 || strcmp(type, "numeric") == 0)
		return 0; /* the response is the learner's own text already */
	if (strcmp(type, "true-false") == 0) {
		buf_puts(out, response[0] == 't' ? "True" : "False");
		return 1;
	}
	/* Letters separated by "," (1.2) or "[,]" (2004); matching pairs "a.b" or "a[.]b". */
	json_t *opts = json_object_get(q, "options"), *pairs = json_object_get(q, "pairs"),
	       *steps = json_object_get(q, "steps");
	int first = 1;
	for (const char *s = response; *s;) {
		char a = s[0], b = 0;
		size_t used = 1;
		if (strncmp(s + 1, "[.]", 3) == 0 && s[4]) {
			b = s[4];
			used = 5;
		} else if (s[1] == '.' && s[2]) {
			b = s[2];
			used = 3;
		}
		const char *text, *target = NULL;
		if (pairs && b) {
			text = nth(pairs, "source", a);
			target = nth(pairs, "target", b);
		} else {
			text = nth(steps ? steps : opts, "text", a);
		}
		if (!text || (b && !target))
			return 0; /* not a response of this question: leave it as it is */
		buf_puts(out, first ? "" : steps ? " → " : "; ");
		buf_puts(out, text);
		if (target) {
			buf_puts(out, ": ");
			buf_puts(out, target);
		}
		first = 0;
		s += used;
		if (strncmp(s, "[,]", 3) == 0)
			s += 3;
		else if (*s == ',')
			s++;
		else if (*s)
			return 0;
	}
	return !first;
}
