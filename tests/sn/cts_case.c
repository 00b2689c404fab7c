/* The ADL test case format (../shared/reference/scorm-sn.md §5.2): Java .properties scripts,
 * their activity blocks, and the abbreviated API commands. Read by cts_replay and its fuzz
 * target. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "cts_case.h"
/* ---- the script ------------------------------------------------------------------------------ */

void props_free(props *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].k);
		free(p->v[i].v);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

static void put_utf8(char **o, unsigned cp)
{
	char *w = *o;
	if (cp < 0x80)
		*w++ = (char)cp;
	else if (cp < 0x800)
		*w++ = (char)(0xc0 | cp >> 6), *w++ = (char)(0x80 | (cp & 0x3f));
	else
		*w++ = (char)(0xe0 | cp >> 12), *w++ = (char)(0x80 | ((cp >> 6) & 0x3f)), *w++ = (char)(0x80 | (cp & 0x3f));
	*o = w;
}

/* Reads the next line (without its end) from data[*pos..len) into line; 0 at the end. A line
 * longer than the buffer is cut (its rest is dropped). */
static int next_line(const char *data, size_t len, size_t *pos, char *line, size_t cap)
{
	if (*pos >= len)
		return 0;
	size_t i = *pos, n = 0;
	while (i < len && data[i] != '\n' && data[i] != '\r') {
		if (n + 1 < cap)
			line[n++] = data[i] ? data[i] : ' ';
		i++;
	}
	line[n] = '\0';
	if (i < len && data[i] == '\r')
		i++;
	if (i < len && data[i] == '\n')
		i++;
	*pos = i;
	return 1;
}

int props_parse(const char *data, size_t len, props *p)
{
	memset(p, 0, sizeof *p);
	if (len > CTS_MAX_SCRIPT)
		return PC_ELIMIT;
	char line[16384], logical[65536];
	size_t ll = 0, pos = 0;
	int cont = 0;
	while (next_line(data, len, &pos, line, sizeof line)) {
		size_t l;
		char *s = line;
		if (cont)
			while (*s == ' ' || *s == '\t')
				s++;
		else {
			ll = 0;
			while (*s == ' ' || *s == '\t')
				s++;
			if (*s == '#' || *s == '!' || !*s)
				continue;
		}
		l = strlen(s);
		cont = l && s[l - 1] == '\\';
		if (cont)
			s[--l] = '\0';
		if (ll + l + 1 >= sizeof logical) {
			props_free(p);
			return PC_ELIMIT;
		}
		memcpy(logical + ll, s, l);
		ll += l;
		logical[ll] = '\0';
		if (cont)
			continue;
		char *eq = strchr(logical, '=');
		if (!eq)
			continue;
		*eq = '\0';
		char *k = logical, *v = eq + 1;
		size_t kl = strlen(k);
		while (kl && (k[kl - 1] == ' ' || k[kl - 1] == '\t'))
			k[--kl] = '\0';
		char *dec = malloc(strlen(v) * 3 + 1), *o = dec;
		if (!dec) {
			props_free(p);
			return PC_ENOMEM;
		}
		for (char *r = v; *r; r++) {
			if (r[0] == '\\' && r[1] == 'u' && isxdigit((unsigned char)r[2]) && isxdigit((unsigned char)r[3]) &&
			    isxdigit((unsigned char)r[4]) && isxdigit((unsigned char)r[5])) {
				char hex[5] = {r[2], r[3], r[4], r[5], 0};
				put_utf8(&o, (unsigned)strtoul(hex, NULL, 16));
				r += 5;
			} else if (r[0] == '\\' && r[1]) {
				*o++ = *++r;
			} else {
				*o++ = *r;
			}
		}
		*o = '\0';
		if (p->n == CTS_MAX_ENTRIES) {
			free(dec);
			props_free(p);
			return PC_ELIMIT;
		}
		if (p->n == p->cap) {
			size_t ncap = p->cap ? p->cap * 2 : 64;
			kv *nv = realloc(p->v, ncap * sizeof *nv);
			if (!nv) {
				free(dec);
				props_free(p);
				return PC_ENOMEM;
			}
			p->v = nv;
			p->cap = ncap;
		}
		char *kd = strdup(k);
		if (!kd) {
			free(dec);
			props_free(p);
			return PC_ENOMEM;
		}
		p->v[p->n].k = kd;
		p->v[p->n].v = dec;
		p->n++;
	}
	return 0;
}

const char *props_get(const props *p, const char *k)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].k, k))
			return p->v[i].v;
	return NULL;
}

size_t blocks_of(const props *p, block *b)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++) {
		int act, visit, used = 0;
		if (sscanf(p->v[i].k, "Act%dV%d.%n", &act, &visit, &used) != 2 || !used)
			continue;
		char name[32];
		snprintf(name, sizeof name, "Act%dV%d", act, visit);
		/* blocks in file order; a name met again after another block is a new visit (ADL's
		 * CM-09aa writes Act1V1 twice where the second is its second visit) */
		size_t j = n ? n - 1 : 0;
		if (!n || strcmp(b[j].name, name)) {
			j = n;
			if (n == MAX_BLOCKS)
				continue;
			memset(&b[n], 0, sizeof b[n]);
			snprintf(b[n].name, sizeof b[n].name, "%s", name);
			b[n].act = act;
			n++;
		}
		const char *field = p->v[i].k + used;
		unsigned idx;
		if (sscanf(field, "commands.%u", &idx) == 1 && idx < PC_ARRAY_LEN(b[j].cmd)) {
			b[j].cmd[idx] = p->v[i].v;
			if (idx + 1 > b[j].ncmd)
				b[j].ncmd = idx + 1;
		} else if (!strcmp(field, "CUI"))
			b[j].cui = p->v[i].v;
		else if (!strcmp(field, "UIQ"))
			b[j].uiq = p->v[i].v;
		else if (!strcmp(field, "UIA"))
			b[j].uia = p->v[i].v;
	}
	return n;
}

/* ADL's abbreviations (bundles/Commands.properties): element and value tokens. */
static const char *const abbrev[][2] = {
	{"a", "adl"}, {"c", "cmi"}, {"V", "_version"}, {"CFLRNR", "comments_from_learner"},
	{"CFLMS", "comments_from_lms"}, {"CHIL", "_children"}, {"CNT", "_count"}, {"COM", "comment"},
	{"LOC", "location"}, {"TS", "timestamp"}, {"CS", "completion_status"}, {"CT", "completion_threshold"},
	{"CDT", "credit"}, {"E", "entry"}, {"X", "exit"}, {"INTR", "interactions"}, {"ID", "id"}, {"TY", "type"},
	{"OB", "objectives"}, {"CR", "correct_responses"}, {"P", "pattern"}, {"W", "weighting"},
	{"LR", "learner_response"}, {"R", "result"}, {"LAT", "latency"}, {"D", "description"},
	{"LD", "launch_data"}, {"LI", "learner_id"}, {"LN", "learner_name"}, {"LP", "learner_preference"},
	{"AL", "audio_level"}, {"LANG", "language"}, {"DS", "delivery_speed"}, {"AC", "audio_captioning"},
	{"MAXTA", "max_time_allowed"}, {"M", "mode"}, {"S", "score"}, {"SCA", "scaled"}, {"RW", "raw"},
	{"MN", "min"}, {"MX", "max"}, {"SS", "success_status"}, {"PM", "progress_measure"},
	{"SPS", "scaled_passing_score"}, {"ST", "session_time"}, {"SD", "suspend_data"},
	{"TLA", "time_limit_action"}, {"TT", "total_time"}, {"n", "nav"}, {"r", "request"},
	{"rv", "request_valid"}, {"comp", "completed"}, {"incomp", "incomplete"}, {"notatt", "not attempted"},
	{"pass", "passed"}, {"fail", "failed"}, {"unk", "unknown"}, {"CDT.c", "credit"}, {"CDT.n", "no-credit"},
	{"E.a", "ab-initio"}, {"E.r", "resume"}, {"es", ""}, {"X.t", "time-out"}, {"X.s", "suspend"},
	{"X.l", "logout"}, {"TY.tf", "true-false"}, {"TY.c", "choice"}, {"TY.f", "fill-in"},
	{"TY.lf", "long-fill-in"}, {"TY.l", "likert"}, {"TY.m", "matching"}, {"TY.p", "performance"},
	{"TY.s", "sequencing"}, {"TY.n", "numeric"}, {"TY.o", "other"}, {"R.c", "correct"}, {"R.i", "incorrect"},
	{"R.u", "unanticipated"}, {"R.n", "neutral"}, {"M.b", "browse"}, {"M.n", "normal"}, {"M.r", "review"},
	{"TLA.em", "exit,message"}, {"TLA.cm", "continue,message"}, {"TLA.enm", "exit,no message"},
	{"TLA.cnm", "continue,no message"}, {"t", "true"}, {"f", "false"}, {"test", "test"}, {"ill", "illegal"},
	{"IlSt", "illegal_state"}, {"ivd", "invalid"}, {"WOV", "WriteOnceViolation"}, {"N.c", "continue"},
	{"N.p", "previous"}, {"N.ea", "exitAll"}, {"N.a", "abandon"}, {"N.aa", "abandonAll"},
	{"N.sa", "suspendAll"}, {"N.n", "_none_"}, {"DA", "data"}, {"STR", "store"}, {"N.j", "jump"},
};

const char *expand_token(const char *t)
{
	for (size_t i = 0; i < PC_ARRAY_LEN(abbrev); i++)
		if (!strcmp(abbrev[i][0], t))
			return abbrev[i][1];
	return t;
}

void expand(const char *in, const char *sep, cmi_state *st, char *out, size_t outlen)
{
	char tmp[2048];
	snprintf(tmp, sizeof tmp, "%s", in);
	size_t o = 0;
	out[0] = '\0';
	int first = 1;
	char *save = NULL;
	for (char *tok = strtok_r(tmp, "~", &save); tok; tok = strtok_r(NULL, "~", &save)) {
		char seg[1100];
		if (!strcmp(tok, "tar")) {
			char *id = strtok_r(NULL, "~", &save);
			snprintf(seg, sizeof seg, "{target=%s}", id ? id : "");
		} else if (tok[0] == '&' && tok[strlen(tok) - 1] == '&' && strlen(tok) > 2) {
			char id[1024];
			snprintf(id, sizeof id, "%.*s", (int)strlen(tok) - 2, tok + 1);
			size_t n = cmi_state_count(st, "cmi.objectives"), i;
			for (i = 0; i < n; i++) {
				char el[64];
				snprintf(el, sizeof el, "cmi.objectives.%zu.id", i);
				const char *v = cmi_state_get(st, el);
				if (v && !strcmp(v, id))
					break;
			}
			snprintf(seg, sizeof seg, "%zu", i);
		} else {
			snprintf(seg, sizeof seg, "%s", expand_token(tok));
		}
		int w = snprintf(out + o, outlen - o, "%s%s", first ? "" : sep, seg);
		if (w < 0 || (size_t)w >= outlen - o)
			break;
		o += (size_t)w;
		first = 0;
	}
}

