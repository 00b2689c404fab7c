/* The compiler's in-memory model of a module and a course, as read from module.xml / course.xml
 * and the card files (module.c, question.c, course.c), then rendered (render.c), measured
 * (budget.c) and packaged (manifest_write.c, build.c). Private to author/: the CLI sees only
 * build.h. Every place a diagnostic may later point to is kept as a byte offset into the source
 * text it came from. */
#ifndef POSTCARD_MODEL_H
#define POSTCARD_MODEL_H

#include <stddef.h>

#include "diag.h"

/* Limits on untrusted sources, checked before anything is parsed. Why these numbers: a postcard
 * is a few screens of text; 1 MiB of XML or 256 KiB of Markdown is far past any real one, and a
 * package must stay small enough to upload over an NHS connection (the Learning Hub takes 2 GB,
 * we stop well before). */
#define SRC_MAX_XML ((size_t)1 << 20)
#define SRC_MAX_CARD ((size_t)256 << 10)
#define SRC_MAX_MEDIA ((size_t)50 << 20)
#define SRC_MAX_MEDIA_TOTAL ((size_t)500 << 20)
#define SRC_MAX_MEDIA_FILES 500
/* A folder of modules holds at most this many modules and courses. */
#define SRC_MAX_TARGETS 1000

typedef enum q_type {
	Q_CHOICE,
	Q_MULTIPLE,
	Q_TRUE_FALSE,
	Q_FILL_IN,
	Q_NUMERIC,
	Q_MATCHING,
	Q_ORDERING,
	Q_LIKERT,
} q_type;

/* The source element name of each type ("choice", "true-false", ...), which is also the
 * "type" the data JSON uses. */
const char *q_type_name(q_type t);

typedef struct q_option {
	char *text;
	char *feedback; /* or NULL */
	int correct;
	int fixed; /* keeps its place when the player shuffles the options */
	size_t off;
} q_option;

typedef struct question {
	q_type type;
	char *id;
	char *prompt;
	char *fb_correct, *fb_incorrect; /* or NULL */
	q_option *options;               /* choice, multiple, likert */
	size_t noptions;
	int answer;                      /* true-false */
	char **answers;                  /* fill-in accepted answers */
	size_t *answer_offs;
	size_t nanswers;
	unsigned maxlength;              /* fill-in */
	char *min, *max;                 /* numeric; NULL when open; equal for an exact answer */
	char **sources, **targets;       /* matching pairs */
	size_t npairs;
	char **steps;                    /* ordering, in the right order */
	size_t nsteps;
	size_t *shown;                   /* matching targetOrder / ordering shownOrder */
	char *card;                      /* id of the card that teaches it, or NULL */
	size_t off;
} question;

typedef struct card {
	char *id;
	char *src;   /* relative to the module folder */
	char *title; /* plain text of the first heading */
	char *html;  /* rendered body */
	size_t off;  /* of the <card> element in module.xml */
} card;

typedef struct reading_link {
	char *href;
	char *text;
} reading_link;

/* The printable postcard (<postcard>; rendered by render/postcard_page.c). */
typedef struct postcard_src {
	int present;
	char *when, *who, *time;
	char **steps;
	size_t nsteps;
	char **questions;
	size_t nquestions;
} postcard_src;

/* A file of the module folder the package carries (images and linked documents). */
typedef struct media {
	char *path; /* relative to the module folder, '/' separated */
	unsigned char *data;
	size_t len;
} media;

typedef struct module {
	char *dir;      /* the folder as the user named it */
	char *xml_path; /* dir/module.xml, as shown in diagnostics */
	char *xml_text;
	size_t xml_len;
	diag_src src;   /* over xml_text */

	char *id, *version, *lang, *title, *phase, *summary, *duration; /* duration may be NULL */
	char **outcomes; /* what the learner will be able to do (start screen) */
	size_t noutcomes;
	unsigned major;
	char **keywords;
	size_t nkeywords;
	size_t id_off, lang_off;

	card *cards;
	size_t ncards;

	int has_quiz;
	char *quiz_id;
	unsigned pass;
	question *questions;
	size_t nquestions;

	int has_reflection;
	char *refl_id, *refl_prompt;
	unsigned refl_max;

	reading_link *reading;
	size_t nreading;

	postcard_src postcard;

	media *media;
	size_t nmedia;

	size_t budget;    /* worst-case suspend_data length (budget.c) */
	unsigned minutes; /* about how long the module takes (minutes.c) */
} module;

/* Reads and checks one module folder: module.xml against the schema, then every semantic check,
 * then the cards (rendered, see render.c) and the media they use. Every finding goes to `sink`.
 * Returns 0 with *out set when the module has no errors; PC_EINVALID when errors were reported
 * (*out is NULL); PC_ENOMEM. The caller frees *out with module_free. */
int module_read(module **out, const char *dir, diag_sink *sink);
/* The same with module.xml's text given (copied); card files are still read from `dir`. For the
 * fuzz target and tests. */
int module_read_memory(module **out, const char *dir, const char *text, size_t len,
		       diag_sink *sink);
void module_free(module *m);

typedef struct course_entry {
	char *group_id;    /* NULL when the module is not in a group */
	char *group_title;
	module *mod;
} course_entry;

typedef struct course {
	char *path; /* the course file as the user named it */
	char *text;
	size_t len;
	diag_src src;
	char *id, *version, *lang, *title, *summary;
	unsigned major;
	course_entry *entries;
	size_t nentries;
} course;

/* The modules read during one build, by real path, so a module named by a course and also built
 * on its own is read (and its findings reported) once. */
typedef struct source_set source_set;
int source_set_new(source_set **out);
void source_set_free(source_set *set);
/* Reads the module in `dir` or returns the one read before (borrowed: the set owns it). Returns
 * module_read's code; *out is NULL unless it returns 0. */
int source_set_module(source_set *set, const char *dir, diag_sink *sink, module **out);

/* Reads a course file and every module it names (through `set`, checking them all). Same
 * contract as module_read; the course's entries borrow modules from `set`. */
int course_read(course **out, const char *path, source_set *set, diag_sink *sink);
void course_free(course *c);

/* Renders one card file's Markdown into the card (title and html) and records the module files
 * it refers to (render.c). Findings are attributed to `card_src`. Returns 0, PC_EINVALID when
 * errors were reported, PC_ENOMEM. */
int render_card(module *m, card *c, diag_src *card_src, diag_sink *sink);

/* Adds a module file referred to by a card to m->media (once), reading it from the module
 * folder. `src`/`off` place a finding. Returns 0, PC_EINVALID (reported), PC_ENOMEM. */
int module_add_media(module *m, const char *rel, diag_src *src, size_t off, diag_sink *sink);

/* Reads a whole file (at most `max` bytes). Returns 0, PC_EIO (cannot read, or not a regular
 * file), PC_ELIMIT (larger than max), PC_ENOMEM. The data is NUL-terminated; caller frees. */
int file_read_all(const char *path, size_t max, char **data, size_t *len);

/* 1 when link text says nothing about where the link goes ("click here"). */
int link_text_vague(const char *text);

/* Fixed shuffles for matching and ordering questions, derived from the ids (render.c). */
int module_shuffle(module *m);
/* Sets m->budget: the worst-case suspend_data length (budget.c). */
void budget_compute(module *m);
/* Sets m->minutes: about how long a learner needs, from the words (minutes.c). */
void minutes_compute(module *m);

/* path_join returns "a/b" (or just b when a is "" or "."); caller frees; NULL on ENOMEM. */
char *path_join(const char *a, const char *b);

#endif
