/* Between the SCORM 2004 data model and sequencing (runtime/sn): what a SCO starts with when an
 * activity is delivered, and what its cmi.* values tell sequencing when it terminates (SN 4th Ed
 * RTE-to-tracking mapping). Used by the server and by tests/sn/cts_replay. */
#ifndef POSTCARD_CMI_SN_H
#define POSTCARD_CMI_SN_H

#include "cmi.h"
#include "sn.h"

/* Seeds a fresh 2004 state for `activity`'s new attempt: launch values from the manifest
 * (launch_data, max_time_allowed, time_limit_action, completion_threshold, scaled_passing_score),
 * `learner_id`/`learner_name` (may be NULL), and one cmi.objectives row per objective with an
 * identifier, holding the values sequencing has for it (read maps included). A value the model
 * refuses is left out (the validator reports manifests on import). Returns 0 or PC_ENOMEM. */
int cmi_sn_seed(cmi_state *st, const sn_state *sn, int activity, const char *learner_id,
		const char *learner_name);

/* A resumed attempt: the values of its cmi.objectives rows that sequencing reads from global
 * objectives are put in again (another activity may have written them meanwhile). */
int cmi_sn_refresh(cmi_state *st, const sn_state *sn, int activity);

/* What a terminated SCO left, as sequencing reads it. Owns its strings. */
typedef struct cmi_sn_report {
	sn_report r;
	sn_values *objs;
	char **ids;
	size_t n;
} cmi_sn_report;

/* Fills *out from the state's evaluated values (completion_status, success_status, score.*,
 * progress_measure, cmi.objectives.n, exit): what the SCO reports when it terminates, or so far
 * (the server reports every commit). The same before and after cmi_session_end. Returns 0 or
 * PC_ENOMEM (then *out is empty). */
int cmi_sn_report_make(const cmi_state *st, cmi_sn_report *out);
/* The same once the session has ended (cmi_session_end gave `ended`): whether the SCO set the
 * statuses itself comes from that report. */
int cmi_sn_report_ended(const cmi_state *st, const cmi_session_report *ended, cmi_sn_report *out);
void cmi_sn_report_free(cmi_sn_report *r);

#endif
