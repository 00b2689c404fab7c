/* What a learner-facing player needs from sequencing: the SN exception codes in words, and one
 * JSON view of the tree (which entries to show, which may be chosen and why not, the statuses)
 * and of the buttons (continue/previous from tentative evaluation, hideLMSUI). */
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "sn_int.h"

/* The learner reads these after "This is not allowed: ". Keyed by the SN 4th Edition codes. */
static const struct {
	const char *code, *text;
} exception_text[] = {
	{"NB.2.1-1", "the course has already started"},
	{"NB.2.1-2", "the course has not started yet"},
	{"NB.2.1-3", "there is nothing to resume"},
	{"NB.2.1-4", "this course does not let you continue from here"},
	{"NB.2.1-5", "this course does not let you go back from here"},
	{"NB.2.1-6", "there is nothing before the start of the course"},
	{"NB.2.1-7", "this navigation request is not supported"},
	{"NB.2.1-8", "you cannot leave this part until you finish it"},
	{"NB.2.1-9", "there is nothing to choose here"},
	{"NB.2.1-10", "this part cannot be chosen from the list"},
	{"NB.2.1-11", "there is no such part in this course"},
	{"NB.2.1-12", "this part has already ended"},
	{"NB.2.1-13", "this navigation request is not known"},
	{"TB.2.3-1", "there is nothing to end"},
	{"TB.2.3-2", "this part has already ended"},
	{"TB.2.3-3", "there is nothing to suspend"},
	{"TB.2.3-4", "the course has no parent to exit to"},
	{"TB.2.3-5", "there is nothing to suspend"},
	{"TB.2.3-6", "there is nothing to abandon"},
	{"TB.2.3-7", "this way of ending is not known"},
	{"SB.2.1-1", "this is the end of the course"},
	{"SB.2.1-2", "this section has no parts to go to"},
	{"SB.2.1-3", "there is nothing before the start of the course"},
	{"SB.2.1-4", "this section only goes forward"},
	{"SB.2.2-1", "this section does not let you move by continue and previous"},
	{"SB.2.2-2", "the next part is not available yet"},
	{"SB.2.4-1", "a part before it must be done first"},
	{"SB.2.4-2", "this section only goes forward"},
	{"SB.2.4-3", "there is nothing before the start of the course"},
	{"SB.2.5-1", "the course has already started"},
	{"SB.2.6-1", "the course has already started"},
	{"SB.2.6-2", "there is nothing to resume"},
	{"SB.2.7-1", "the course has not started yet"},
	{"SB.2.7-2", "this course does not let you continue from here"},
	{"SB.2.8-1", "the course has not started yet"},
	{"SB.2.8-2", "this course does not let you go back from here"},
	{"SB.2.9-1", "there is no such part in this course"},
	{"SB.2.9-2", "this part is not part of your attempt"},
	{"SB.2.9-3", "this part is hidden"},
	{"SB.2.9-4", "this part cannot be chosen from the list"},
	{"SB.2.9-5", "there is nothing to choose here"},
	{"SB.2.9-6", "this part can only be started from its own section"},
	{"SB.2.9-7", "you cannot leave this part until you finish it"},
	{"SB.2.9-8", "only the next or previous part can be chosen from here"},
	{"SB.2.9-9", "this section has nothing to start by itself: choose one of its parts"},
	{"SB.2.10-1", "the course has not started yet"},
	{"SB.2.10-2", "this part is still open"},
	{"SB.2.10-3", "there is nothing to start again"},
	{"SB.2.11-1", "the course has not started yet"},
	{"SB.2.11-2", "this part is still open"},
	{"SB.2.12-1", "this sequencing request is not known"},
	{"SB.2.13-1", "the course has not started yet"},
	{"DB.1.1-1", "a section cannot be opened by itself: choose one of its parts"},
	{"DB.1.1-2", "there is nothing to open"},
	{"DB.1.1-3", "this part is not available: a rule or an attempt limit prevents it"},
	{"DB.2-1", "this part is already open"},
};

const char *sn_exception_text(const char *code)
{
	for (size_t i = 0; code && i < PC_ARRAY_LEN(exception_text); i++)
		if (!strcmp(exception_text[i].code, code))
			return exception_text[i].text;
	return "the course's rules do not allow it";
}

static const char *const hide_names[] = {"previous", "continue", "exit", "exitAll", "abandon", "abandonAll",
					 "suspendAll"};

static void put_status(buf *b, const sn_values *v)
{
	buf_printf(b, ",\"completion\":\"%s\",\"success\":\"%s\"",
		   v->completion_known ? (v->completed ? "completed" : "incomplete") : "unknown",
		   v->success_known ? (v->passed ? "passed" : "failed") : "unknown");
	if (v->scaled_known)
		buf_printf(b, ",\"scaled\":%.7g", v->scaled);
}

int sn_ui_json(const sn_state *st, buf *out)
{
	const sn_tree *t = st->tree;
	int cur = st->current;
	int rc;
	buf_puts(out, "{\"current\":");
	if (cur >= 0)
		buf_put_json_string(out, t->a[cur].item.id);
	else
		buf_puts(out, "null");
	/* Continue as ADL's UI questions expect it (enabled wherever the navigation request process
	 * accepts it: the parent has flow), Previous from a tentative run (CTS CM-01, CM-07d, OB-04) */
	int cont = sn_nav_allowed(st, SN_NAV_CONTINUE, NULL), prev = sn_valid(st, SN_NAV_PREVIOUS, NULL);
	if (cont < 0 || prev < 0)
		return PC_ENOMEM;
	buf_printf(out, ",\"continue\":%s,\"previous\":%s,\"suspended\":%s,\"hide\":[", cont ? "true" : "false",
		   prev ? "true" : "false", st->suspended >= 0 ? "true" : "false");
	unsigned hide = cur >= 0 ? t->a[cur].item.hide_ui : 0;
	int first = 1;
	for (size_t k = 0; k < PC_ARRAY_LEN(hide_names); k++)
		if (hide & (1u << k)) {
			buf_printf(out, "%s\"%s\"", first ? "" : ",", hide_names[k]);
			first = 0;
		}
	buf_puts(out, "],\"items\":[");
	for (size_t i = 0; i < t->n; i++) {
		const activity *a = &t->a[i];
		sn_status s;
		sn_activity_status(st, (int)i, &s);
		buf_printf(out, "%s{\"id\":", i ? "," : "");
		buf_put_json_string(out, a->item.id);
		buf_puts(out, ",\"title\":");
		buf_put_json_string(out, a->item.title ? a->item.title : a->item.id);
		buf_printf(out, ",\"depth\":%d,\"leaf\":%s,\"visible\":%s", a->depth, a->item.leaf ? "true" : "false",
			   a->item.visible ? "true" : "false");
		/* hidden: not in this attempt's selection, or hidden from choice by a rule */
		int hidden = !sn_available(st, (int)i) || sn_hidden_from_choice(st, (int)i);
		buf_printf(out, ",\"hidden\":%s,\"disabled\":%s,\"current\":%s,\"attempts\":%u",
			   hidden ? "true" : "false", sn_disabled(st, (int)i) ? "true" : "false",
			   (int)i == cur ? "true" : "false", s.attempts);
		put_status(out, &s.v);
		if (i > 0 && !hidden) {
			sn_state *copy = NULL;
			sn_result r;
			if ((rc = sn_state_clone(&copy, st)) != 0)
				return rc;
			rc = sn_navigate(copy, SN_NAV_CHOICE, a->item.id, &r);
			sn_state_free(copy);
			if (rc)
				return rc;
			int ok = r.outcome == SN_DELIVER || (r.outcome == SN_REFUSED && !strcmp(r.exception, "SB.2.9-9") &&
							     !a->item.leaf);
			buf_printf(out, ",\"choice\":%s", ok ? "true" : "false");
			if (!ok) {
				buf_puts(out, ",\"reason\":");
				buf_put_json_string(out, r.outcome == SN_REFUSED ? sn_exception_text(r.exception)
										 : "nothing to open here");
			}
		} else {
			buf_puts(out, ",\"choice\":false");
		}
		buf_putc(out, '}');
	}
	buf_puts(out, "]}");
	return buf_error(out);
}
