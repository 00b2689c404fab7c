/* The ADL sequencing test case format: .properties scripts (key=value lines, '\' continuation,
 * \uXXXX escapes), the activity blocks Act<N>V<M> in file order, and the abbreviated element
 * and value tokens of bundles/Commands.properties. */
#ifndef POSTCARD_CTS_CASE_H
#define POSTCARD_CTS_CASE_H

#include <stddef.h>

#include "cmi.h"

/* A script is a few kilobytes; ADL's largest (T-01b) is under 40 KB. */
#define CTS_MAX_SCRIPT ((size_t)4 << 20)
#define CTS_MAX_ENTRIES 100000

typedef struct kv {
	char *k, *v;
} kv;

typedef struct props {
	kv *v;
	size_t n, cap;
} props;

/* Parses a script held in memory. Returns 0, PC_ELIMIT (script or one logical line too long, too
 * many entries) or PC_ENOMEM; on failure *p is empty. Free with props_free. */
int props_parse(const char *data, size_t len, props *p);
void props_free(props *p);
/* The first value of key k (borrowed), or NULL. */
const char *props_get(const props *p, const char *k);

/* One activity block: Act<N>V<M>, its commands by index, the tester's action (CUI) and the UI
 * questions and answers. Strings are borrowed from the props. */
typedef struct block {
	char name[32];
	int act;
	const char *cmd[128];
	size_t ncmd;
	const char *cui;
	const char *uiq, *uia;
} block;

#define MAX_BLOCKS 256

/* The blocks in file order (a block name met again after another block is a new block) into
 * b[0..MAX_BLOCKS); returns how many. */
size_t blocks_of(const props *p, block *b);

/* A token's expansion, or the token itself. Static or borrowed. */
const char *expand_token(const char *t);
/* Expands "c~OB~&obj1&~SS" (sep ".") or a value "tar~act_3~TY.c" (sep "") into out (cut at
 * outlen). &id& becomes the index of the objective row with that id in `st` (or the row count
 * when none has it). */
void expand(const char *in, const char *sep, cmi_state *st, char *out, size_t outlen);

#endif
