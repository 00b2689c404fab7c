/* The SCORM data model as data: every element of SCORM 1.2 (RTE 1.2 section 3.4) and SCORM 2004
 * 4th Edition (RTE 4.2; 3rd Edition is the same without adl.data and jump), with type, access,
 * smallest permitted maximum (in code points), vocabulary, range, default and rules; the
 * collections and their row limits; the interaction types; the error codes, their texts and the
 * diagnostics. The build writes all of it as JSON into the browser adapter, so rules live here
 * once (facts from the specifications, scorm-rte.md sections 1.4 and 2.4). */
#include "cmi_int.h"

/* ---- Vocabularies ---------------------------------------------------------------------------- */
static const char *const v12_status[] = {"passed", "completed", "failed", "incomplete", "browsed",
					 NULL}; /* "not attempted" is the LMS's, never the SCO's */
static const char *const v12_obj_status[] = {"passed", "completed", "failed", "incomplete",
					     "browsed", "not attempted", NULL};
static const char *const v_credit[] = {"credit", "no-credit", NULL};
static const char *const v_entry[] = {"ab-initio", "resume", "", NULL};
static const char *const v_mode[] = {"browse", "normal", "review", NULL};
static const char *const v12_exit[] = {"time-out", "suspend", "logout", "", NULL};
static const char *const v_tla[] = {"exit,message", "exit,no message", "continue,message",
				    "continue,no message", NULL};
static const char *const v12_itype[] = {"true-false", "choice", "fill-in", "matching",
					"performance", "sequencing", "likert", "numeric", NULL};
static const char *const v12_result[] = {"correct", "wrong", "unanticipated", "neutral", NULL};

static const char *const v_completion[] = {"completed", "incomplete", "not attempted", "unknown",
					   NULL};
static const char *const v_success[] = {"passed", "failed", "unknown", NULL};
static const char *const v04_exit[] = {"time-out", "suspend", "logout", "normal", "", NULL};
static const char *const v04_itype[] = {"true-false", "choice", "fill-in", "long-fill-in",
					"likert", "matching", "performance", "sequencing",
					"numeric", "other", NULL};
static const char *const v04_result[] = {"correct", "incorrect", "unanticipated", "neutral", NULL};
static const char *const v_captioning[] = {"-1", "0", "1", NULL};
static const char *const v_valid[] = {"true", "false", "unknown", NULL};
static const char *const v_bool[] = {"true", "false", NULL};

/* ---- Elements -------------------------------------------------------------------------------- */
#define M12 CMI_M12
#define M04 CMI_M2004
#define M4 CMI_M2004_4

/* Keywords. */
#define CHILDREN(name, models, list) {name, models, CMI_CHILDREN, CMI_RO, CMI_T_NONE, 0, NULL, NULL, NULL, 0, NULL, list, NULL, NULL}
#define COUNT(name, models) {name, models, CMI_COUNT, CMI_RO, CMI_T_NONE, 0, NULL, NULL, NULL, 0, "0", NULL, NULL, NULL}
#define VERSION(name, models, value) {name, models, CMI_VERSION, CMI_RO, CMI_T_NONE, 0, NULL, NULL, NULL, 0, NULL, value, NULL, NULL}
/* A leaf: name, models, access, type, spm, vocab, lo, hi, flags, default, desc, range text. */
#define LEAF(name, models, acc, type, spm, vocab, lo, hi, flags, dflt, desc, range) \
	{name, models, CMI_LEAF, acc, type, spm, vocab, lo, hi, flags, dflt, NULL, desc, range}

#define D12_STR255 "CMIString255 (up to 255 characters)"
#define D12_STR4096 "CMIString4096 (up to 4096 characters)"
#define D12_ID "CMIIdentifier (1 to 255 characters, no spaces)"
#define D12_DEC "CMIDecimal (a number such as 85 or 72.5)"
#define D12_DECB "CMIDecimal or CMIBlank (a number such as 85 or 72.5, or empty)"
#define D12_SINT "CMISInteger (a whole number)"
#define D12_TIME "CMITime (HH:MM:SS.SS)"
#define D12_SPAN "CMITimespan (HHHH:MM:SS.SS)"

#define D_REAL "real(10,7) (a number such as 0.85 or -3)"
#define D_TIME "time(second,10,0) (YYYY-MM-DDThh:mm:ss.ssTZD, 1970-2038)"
#define D_DUR "timeinterval(second,10,2) (ISO 8601 duration such as PT1H30M5.25S)"
#define D_LONGID "long_identifier_type (a URI, up to 4000 characters)"
#define D_SHORTID "short_identifier_type (a URI, up to 250 characters)"
#define D_CHAR250 "characterstring (up to 250 characters)"
#define D_LOC250 "localized_string_type ({lang=xx} optional, up to 250 characters)"
#define D_LOC4000 "localized_string_type ({lang=xx} optional, up to 4000 characters)"

const struct cmi_elem cmi_elems[] = {
	/* ---------------- SCORM 1.2 ---------------- */
	VERSION("cmi._version", M12, "3.4"),
	CHILDREN("cmi.core._children", M12,
		 "student_id,student_name,lesson_location,credit,lesson_status,entry,score,"
		 "total_time,lesson_mode,exit,session_time"),
	LEAF("cmi.core.student_id", M12, CMI_RO, CMI_T12_IDENTIFIER, 255, NULL, NULL, NULL, 0, NULL, D12_ID, NULL),
	LEAF("cmi.core.student_name", M12, CMI_RO, CMI_T12_STRING, 255, NULL, NULL, NULL, 0, NULL, D12_STR255, NULL),
	LEAF("cmi.core.lesson_location", M12, CMI_RW, CMI_T12_STRING, 255, NULL, NULL, NULL, 0, NULL, D12_STR255, NULL),
	LEAF("cmi.core.credit", M12, CMI_RO, CMI_T12_VOCAB, 0, v_credit, NULL, NULL, 0, "credit",
	     "CMIVocabulary (credit, no-credit)", NULL),
	LEAF("cmi.core.lesson_status", M12, CMI_RW, CMI_T12_VOCAB, 0, v12_status, NULL, NULL, 0, "not attempted",
	     "CMIVocabulary (passed, completed, failed, incomplete, browsed)", NULL),
	LEAF("cmi.core.entry", M12, CMI_RO, CMI_T12_VOCAB, 0, v_entry, NULL, NULL, 0, "ab-initio",
	     "CMIVocabulary (ab-initio, resume, or empty)", NULL),
	CHILDREN("cmi.core.score._children", M12, "raw,min,max"),
	LEAF("cmi.core.score.raw", M12, CMI_RW, CMI_T12_DECIMAL, 0, NULL, "0", "100", CMI_F_BLANK, NULL, D12_DECB, "0..100"),
	LEAF("cmi.core.score.max", M12, CMI_RW, CMI_T12_DECIMAL, 0, NULL, "0", "100", CMI_F_BLANK, NULL, D12_DECB, "0..100"),
	LEAF("cmi.core.score.min", M12, CMI_RW, CMI_T12_DECIMAL, 0, NULL, "0", "100", CMI_F_BLANK, NULL, D12_DECB, "0..100"),
	LEAF("cmi.core.total_time", M12, CMI_RO, CMI_T12_TIMESPAN, 0, NULL, NULL, NULL, 0, "0000:00:00.00", D12_SPAN, NULL),
	LEAF("cmi.core.lesson_mode", M12, CMI_RO, CMI_T12_VOCAB, 0, v_mode, NULL, NULL, 0, "normal",
	     "CMIVocabulary (browse, normal, review)", NULL),
	LEAF("cmi.core.exit", M12, CMI_WO, CMI_T12_VOCAB, 0, v12_exit, NULL, NULL, 0, NULL,
	     "CMIVocabulary (time-out, suspend, logout, or empty)", NULL),
	LEAF("cmi.core.session_time", M12, CMI_WO, CMI_T12_TIMESPAN, 0, NULL, NULL, NULL, 0, NULL, D12_SPAN, NULL),
	LEAF("cmi.suspend_data", M12, CMI_RW, CMI_T12_STRING, 4096, NULL, NULL, NULL, 0, NULL, D12_STR4096, NULL),
	LEAF("cmi.launch_data", M12, CMI_RO, CMI_T12_STRING, 4096, NULL, NULL, NULL, 0, NULL, D12_STR4096, NULL),
	LEAF("cmi.comments", M12, CMI_RW, CMI_T12_STRING, 4096, NULL, NULL, NULL, 0, NULL, D12_STR4096, NULL),
	LEAF("cmi.comments_from_lms", M12, CMI_RO, CMI_T12_STRING, 4096, NULL, NULL, NULL, 0, NULL, D12_STR4096, NULL),
	CHILDREN("cmi.objectives._children", M12, "id,score,status"),
	COUNT("cmi.objectives._count", M12),
	LEAF("cmi.objectives.n.id", M12, CMI_RW, CMI_T12_IDENTIFIER, 255, NULL, NULL, NULL, 0, NULL, D12_ID, NULL),
	CHILDREN("cmi.objectives.n.score._children", M12, "raw,min,max"),
	LEAF("cmi.objectives.n.score.raw", M12, CMI_RW, CMI_T12_DECIMAL, 0, NULL, "0", "100", CMI_F_BLANK, NULL, D12_DECB, "0..100"),
	LEAF("cmi.objectives.n.score.max", M12, CMI_RW, CMI_T12_DECIMAL, 0, NULL, "0", "100", CMI_F_BLANK, NULL, D12_DECB, "0..100"),
	LEAF("cmi.objectives.n.score.min", M12, CMI_RW, CMI_T12_DECIMAL, 0, NULL, "0", "100", CMI_F_BLANK, NULL, D12_DECB, "0..100"),
	LEAF("cmi.objectives.n.status", M12, CMI_RW, CMI_T12_VOCAB, 0, v12_obj_status, NULL, NULL, 0, NULL,
	     "CMIVocabulary (passed, completed, failed, incomplete, browsed, not attempted)", NULL),
	CHILDREN("cmi.student_data._children", M12, "mastery_score,max_time_allowed,time_limit_action"),
	LEAF("cmi.student_data.mastery_score", M12, CMI_RO, CMI_T12_DECIMAL, 0, NULL, "0", "100", 0, NULL, D12_DEC, "0..100"),
	LEAF("cmi.student_data.max_time_allowed", M12, CMI_RO, CMI_T12_TIMESPAN, 0, NULL, NULL, NULL, 0, NULL, D12_SPAN, NULL),
	LEAF("cmi.student_data.time_limit_action", M12, CMI_RO, CMI_T12_VOCAB, 0, v_tla, NULL, NULL, 0, NULL,
	     "CMIVocabulary (exit,message; exit,no message; continue,message; continue,no message)", NULL),
	CHILDREN("cmi.student_preference._children", M12, "audio,language,speed,text"),
	LEAF("cmi.student_preference.audio", M12, CMI_RW, CMI_T12_SINTEGER, 0, NULL, "-1", "100", 0, "0", D12_SINT, "-1..100"),
	LEAF("cmi.student_preference.language", M12, CMI_RW, CMI_T12_STRING, 255, NULL, NULL, NULL, 0, "", D12_STR255, NULL),
	LEAF("cmi.student_preference.speed", M12, CMI_RW, CMI_T12_SINTEGER, 0, NULL, "-100", "100", 0, "0", D12_SINT, "-100..100"),
	LEAF("cmi.student_preference.text", M12, CMI_RW, CMI_T12_SINTEGER, 0, NULL, "-1", "1", 0, "0", D12_SINT, "-1..1"),
	CHILDREN("cmi.interactions._children", M12,
		 "id,objectives,time,type,correct_responses,weighting,student_response,result,latency"),
	COUNT("cmi.interactions._count", M12),
	LEAF("cmi.interactions.n.id", M12, CMI_WO, CMI_T12_IDENTIFIER, 255, NULL, NULL, NULL, 0, NULL, D12_ID, NULL),
	COUNT("cmi.interactions.n.objectives._count", M12),
	LEAF("cmi.interactions.n.objectives.m.id", M12, CMI_WO, CMI_T12_IDENTIFIER, 255, NULL, NULL, NULL, 0, NULL, D12_ID, NULL),
	LEAF("cmi.interactions.n.time", M12, CMI_WO, CMI_T12_TIME, 0, NULL, NULL, NULL, 0, NULL, D12_TIME, NULL),
	LEAF("cmi.interactions.n.type", M12, CMI_WO, CMI_T12_VOCAB, 0, v12_itype, NULL, NULL, CMI_F_ITYPE, NULL,
	     "CMIVocabulary (true-false, choice, fill-in, matching, performance, sequencing, likert, numeric)", NULL),
	COUNT("cmi.interactions.n.correct_responses._count", M12),
	LEAF("cmi.interactions.n.correct_responses.m.pattern", M12, CMI_WO, CMI_T12_FEEDBACK, 255, NULL, NULL, NULL, 0, NULL,
	     "CMIFeedback (up to 255 characters)", NULL),
	LEAF("cmi.interactions.n.weighting", M12, CMI_WO, CMI_T12_DECIMAL, 0, NULL, NULL, NULL, 0, NULL, D12_DEC, NULL),
	LEAF("cmi.interactions.n.student_response", M12, CMI_WO, CMI_T12_FEEDBACK, 255, NULL, NULL, NULL, 0, NULL,
	     "CMIFeedback (up to 255 characters)", NULL),
	LEAF("cmi.interactions.n.result", M12, CMI_WO, CMI_T12_RESULT, 0, v12_result, NULL, NULL, 0, NULL,
	     "result (correct, wrong, unanticipated, neutral, or a CMIDecimal)", NULL),
	LEAF("cmi.interactions.n.latency", M12, CMI_WO, CMI_T12_TIMESPAN, 0, NULL, NULL, NULL, 0, NULL, D12_SPAN, NULL),

	/* ---------------- SCORM 2004 ---------------- */
	VERSION("cmi._version", M04, "1.0"),
	CHILDREN("cmi.comments_from_learner._children", M04, "comment,location,timestamp"),
	COUNT("cmi.comments_from_learner._count", M04),
	LEAF("cmi.comments_from_learner.n.comment", M04, CMI_RW, CMI_T_LOCALIZED, 4000, NULL, NULL, NULL, CMI_F_CREATES, NULL, D_LOC4000, NULL),
	LEAF("cmi.comments_from_learner.n.location", M04, CMI_RW, CMI_T_CHARSTRING, 250, NULL, NULL, NULL, CMI_F_CREATES, NULL, D_CHAR250, NULL),
	LEAF("cmi.comments_from_learner.n.timestamp", M04, CMI_RW, CMI_T_TIME, 0, NULL, NULL, NULL, CMI_F_CREATES, NULL, D_TIME, NULL),
	CHILDREN("cmi.comments_from_lms._children", M04, "comment,location,timestamp"),
	COUNT("cmi.comments_from_lms._count", M04),
	LEAF("cmi.comments_from_lms.n.comment", M04, CMI_RO, CMI_T_LOCALIZED, 4000, NULL, NULL, NULL, 0, NULL, D_LOC4000, NULL),
	LEAF("cmi.comments_from_lms.n.location", M04, CMI_RO, CMI_T_CHARSTRING, 250, NULL, NULL, NULL, 0, NULL, D_CHAR250, NULL),
	LEAF("cmi.comments_from_lms.n.timestamp", M04, CMI_RO, CMI_T_TIME, 0, NULL, NULL, NULL, 0, NULL, D_TIME, NULL),
	LEAF("cmi.completion_status", M04, CMI_RW, CMI_T_STATE, 0, v_completion, NULL, NULL, CMI_F_EVAL_COMPLETION, "unknown",
	     "state (completed, incomplete, not attempted, unknown)", NULL),
	LEAF("cmi.completion_threshold", M04, CMI_RO, CMI_T_REAL, 0, NULL, "0", "1", 0, NULL, D_REAL, "0..1"),
	LEAF("cmi.credit", M04, CMI_RO, CMI_T_STATE, 0, v_credit, NULL, NULL, 0, "credit", "state (credit, no-credit)", NULL),
	LEAF("cmi.entry", M04, CMI_RO, CMI_T_STATE, 0, v_entry, NULL, NULL, 0, "ab-initio",
	     "state (ab-initio, resume, or empty)", NULL),
	LEAF("cmi.exit", M04, CMI_WO, CMI_T_STATE, 0, v04_exit, NULL, NULL, 0, NULL,
	     "state (time-out, suspend, logout, normal, or empty)", NULL),
	CHILDREN("cmi.interactions._children", M04,
		 "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description"),
	COUNT("cmi.interactions._count", M04),
	LEAF("cmi.interactions.n.id", M04, CMI_RW, CMI_T_LONG_ID, 4000, NULL, NULL, NULL, CMI_F_CREATES, NULL, D_LONGID, NULL),
	LEAF("cmi.interactions.n.type", M04, CMI_RW, CMI_T_STATE, 0, v04_itype, NULL, NULL, CMI_F_ITYPE, NULL,
	     "state (true-false, choice, fill-in, long-fill-in, likert, matching, performance, sequencing, numeric, other)", NULL),
	COUNT("cmi.interactions.n.objectives._count", M04),
	LEAF("cmi.interactions.n.objectives.m.id", M04, CMI_RW, CMI_T_LONG_ID, 4000, NULL, NULL, NULL,
	     CMI_F_CREATES | CMI_F_UNIQUE, NULL, D_LONGID, NULL),
	LEAF("cmi.interactions.n.timestamp", M04, CMI_RW, CMI_T_TIME, 0, NULL, NULL, NULL, 0, NULL, D_TIME, NULL),
	COUNT("cmi.interactions.n.correct_responses._count", M04),
	LEAF("cmi.interactions.n.correct_responses.m.pattern", M04, CMI_RW, CMI_T_PATTERN, 0, NULL, NULL, NULL,
	     CMI_F_CREATES | CMI_F_NEEDS_TYPE, NULL, "pattern", NULL),
	LEAF("cmi.interactions.n.weighting", M04, CMI_RW, CMI_T_REAL, 0, NULL, NULL, NULL, 0, NULL, D_REAL, NULL),
	LEAF("cmi.interactions.n.learner_response", M04, CMI_RW, CMI_T_RESPONSE, 0, NULL, NULL, NULL, CMI_F_NEEDS_TYPE, NULL,
	     "response", NULL),
	LEAF("cmi.interactions.n.result", M04, CMI_RW, CMI_T_RESULT, 0, v04_result, NULL, NULL, 0, NULL,
	     "result (correct, incorrect, unanticipated, neutral, or a real number)", NULL),
	LEAF("cmi.interactions.n.latency", M04, CMI_RW, CMI_T_DURATION, 0, NULL, NULL, NULL, 0, NULL, D_DUR, NULL),
	LEAF("cmi.interactions.n.description", M04, CMI_RW, CMI_T_LOCALIZED, 250, NULL, NULL, NULL, 0, NULL, D_LOC250, NULL),
	LEAF("cmi.launch_data", M04, CMI_RO, CMI_T_CHARSTRING, 4000, NULL, NULL, NULL, 0, NULL,
	     "characterstring (up to 4000 characters)", NULL),
	LEAF("cmi.learner_id", M04, CMI_RO, CMI_T_LONG_ID, 4000, NULL, NULL, NULL, 0, NULL, D_LONGID, NULL),
	LEAF("cmi.learner_name", M04, CMI_RO, CMI_T_LOCALIZED, 250, NULL, NULL, NULL, 0, NULL, D_LOC250, NULL),
	CHILDREN("cmi.learner_preference._children", M04, "audio_level,language,delivery_speed,audio_captioning"),
	LEAF("cmi.learner_preference.audio_level", M04, CMI_RW, CMI_T_REAL, 0, NULL, "0", NULL, 0, "1", D_REAL, ">= 0"),
	LEAF("cmi.learner_preference.language", M04, CMI_RW, CMI_T_LANGUAGE, 250, NULL, NULL, NULL, CMI_F_BLANK, "",
	     "language_type (RFC 3066 tag such as en-GB, or empty)", NULL),
	LEAF("cmi.learner_preference.delivery_speed", M04, CMI_RW, CMI_T_REAL, 0, NULL, "0", NULL, 0, "1", D_REAL, ">= 0"),
	LEAF("cmi.learner_preference.audio_captioning", M04, CMI_RW, CMI_T_STATE, 0, v_captioning, NULL, NULL, 0, "0",
	     "state (-1, 0, 1)", NULL),
	LEAF("cmi.location", M04, CMI_RW, CMI_T_CHARSTRING, 1000, NULL, NULL, NULL, 0, NULL,
	     "characterstring (up to 1000 characters)", NULL),
	LEAF("cmi.max_time_allowed", M04, CMI_RO, CMI_T_DURATION, 0, NULL, NULL, NULL, 0, NULL, D_DUR, NULL),
	LEAF("cmi.mode", M04, CMI_RO, CMI_T_STATE, 0, v_mode, NULL, NULL, 0, "normal", "state (browse, normal, review)", NULL),
	CHILDREN("cmi.objectives._children", M04,
		 "id,score,success_status,completion_status,progress_measure,description"),
	COUNT("cmi.objectives._count", M04),
	LEAF("cmi.objectives.n.id", M04, CMI_RW, CMI_T_LONG_ID, 4000, NULL, NULL, NULL,
	     CMI_F_CREATES | CMI_F_UNIQUE | CMI_F_ONCE, NULL, D_LONGID, NULL),
	CHILDREN("cmi.objectives.n.score._children", M04, "scaled,raw,min,max"),
	LEAF("cmi.objectives.n.score.scaled", M04, CMI_RW, CMI_T_REAL, 0, NULL, "-1", "1", 0, NULL, D_REAL, "-1..1"),
	LEAF("cmi.objectives.n.score.raw", M04, CMI_RW, CMI_T_REAL, 0, NULL, NULL, NULL, 0, NULL, D_REAL, NULL),
	LEAF("cmi.objectives.n.score.min", M04, CMI_RW, CMI_T_REAL, 0, NULL, NULL, NULL, 0, NULL, D_REAL, NULL),
	LEAF("cmi.objectives.n.score.max", M04, CMI_RW, CMI_T_REAL, 0, NULL, NULL, NULL, 0, NULL, D_REAL, NULL),
	LEAF("cmi.objectives.n.success_status", M04, CMI_RW, CMI_T_STATE, 0, v_success, NULL, NULL, 0, "unknown",
	     "state (passed, failed, unknown)", NULL),
	LEAF("cmi.objectives.n.completion_status", M04, CMI_RW, CMI_T_STATE, 0, v_completion, NULL, NULL, 0, "unknown",
	     "state (completed, incomplete, not attempted, unknown)", NULL),
	LEAF("cmi.objectives.n.progress_measure", M04, CMI_RW, CMI_T_REAL, 0, NULL, "0", "1", 0, NULL, D_REAL, "0..1"),
	LEAF("cmi.objectives.n.description", M04, CMI_RW, CMI_T_LOCALIZED, 250, NULL, NULL, NULL, 0, NULL, D_LOC250, NULL),
	LEAF("cmi.progress_measure", M04, CMI_RW, CMI_T_REAL, 0, NULL, "0", "1", 0, NULL, D_REAL, "0..1"),
	LEAF("cmi.scaled_passing_score", M04, CMI_RO, CMI_T_REAL, 0, NULL, "-1", "1", 0, NULL, D_REAL, "-1..1"),
	CHILDREN("cmi.score._children", M04, "scaled,raw,min,max"),
	LEAF("cmi.score.scaled", M04, CMI_RW, CMI_T_REAL, 0, NULL, "-1", "1", 0, NULL, D_REAL, "-1..1"),
	LEAF("cmi.score.raw", M04, CMI_RW, CMI_T_REAL, 0, NULL, NULL, NULL, 0, NULL, D_REAL, NULL),
	LEAF("cmi.score.min", M04, CMI_RW, CMI_T_REAL, 0, NULL, NULL, NULL, 0, NULL, D_REAL, NULL),
	LEAF("cmi.score.max", M04, CMI_RW, CMI_T_REAL, 0, NULL, NULL, NULL, 0, NULL, D_REAL, NULL),
	LEAF("cmi.session_time", M04, CMI_WO, CMI_T_DURATION, 0, NULL, NULL, NULL, 0, NULL, D_DUR, NULL),
	LEAF("cmi.success_status", M04, CMI_RW, CMI_T_STATE, 0, v_success, NULL, NULL, CMI_F_EVAL_SUCCESS, "unknown",
	     "state (passed, failed, unknown)", NULL),
	LEAF("cmi.suspend_data", M04, CMI_RW, CMI_T_CHARSTRING, 64000, NULL, NULL, NULL, 0, NULL,
	     "characterstring (up to 64000 characters)", NULL),
	LEAF("cmi.time_limit_action", M04, CMI_RO, CMI_T_STATE, 0, v_tla, NULL, NULL, 0, "continue,no message",
	     "state (exit,message; exit,no message; continue,message; continue,no message)", NULL),
	LEAF("cmi.total_time", M04, CMI_RO, CMI_T_DURATION, 0, NULL, NULL, NULL, 0, "PT0H0M0S", D_DUR, NULL),
	LEAF("adl.nav.request", M04, CMI_RW, CMI_T_NAVREQ, 0, NULL, NULL, NULL, 0, "_none_",
	     "navigation request (continue, previous, {target=ID}choice, {target=ID}jump, exit, exitAll, abandon, "
	     "abandonAll, suspendAll, _none_)", NULL),
	/* Always "unknown" (allowed by the vocabulary): the player runs only the choice and flow
	 * controls, not the rest of IMS Simple Sequencing (preconditions, limit conditions, rollup,
	 * forwardOnly, choiceExit, constrainChoice), any of which can make a request those controls
	 * allow invalid. "true" followed by a refusal would mislead content; "unknown" tells it to
	 * offer the request and let the LMS decide. */
	LEAF("adl.nav.request_valid.continue", M04, CMI_RO, CMI_T_STATE, 0, v_valid, NULL, NULL, 0, "unknown",
	     "state (true, false, unknown)", NULL),
	LEAF("adl.nav.request_valid.previous", M04, CMI_RO, CMI_T_STATE, 0, v_valid, NULL, NULL, 0, "unknown",
	     "state (true, false, unknown)", NULL),
	LEAF("adl.nav.request_valid.choice.{target}", M04, CMI_RO, CMI_T_STATE, 0, v_valid, NULL, NULL, CMI_F_TARGET,
	     "unknown", "state (true, false, unknown)", NULL),
	LEAF("adl.nav.request_valid.jump.{target}", M4, CMI_RO, CMI_T_STATE, 0, v_valid, NULL, NULL, CMI_F_TARGET,
	     "unknown", "state (true, false, unknown)", NULL),
	CHILDREN("adl.data._children", M4, "id,store"),
	COUNT("adl.data._count", M4),
	LEAF("adl.data.n.id", M4, CMI_RO, CMI_T_LONG_ID, 4000, NULL, NULL, NULL, 0, NULL, D_LONGID, NULL),
	LEAF("adl.data.n.store", M4, CMI_RW, CMI_T_CHARSTRING, 64000, NULL, NULL, NULL, CMI_F_GUARDED, NULL,
	     "characterstring (up to 64000 characters)", NULL),
	/* The LMS's own: the manifest's adlcp:map@readSharedData / @writeSharedData for the row
	 * (default true, CAM 4th Edition). Seeded with the row so that the model enforces them in the
	 * browser too, from the adapter's `initial`; never visible to the SCO. */
	LEAF("adl.data.n.readSharedData", M4, CMI_RO, CMI_T_STATE, 0, v_bool, NULL, NULL, CMI_F_LMS | CMI_F_READ_PERM,
	     "true", "state (true, false)", NULL),
	LEAF("adl.data.n.writeSharedData", M4, CMI_RO, CMI_T_STATE, 0, v_bool, NULL, NULL, CMI_F_LMS | CMI_F_WRITE_PERM,
	     "true", "state (true, false)", NULL),
};
const size_t cmi_elem_count = PC_ARRAY_LEN(cmi_elems);

/* Rows kept per collection. 2004 numbers are the SPMs of RTE 4.2; SCORM 1.2 sets none, so it
 * gets the same numbers (a SCO past them gets 101: the LMS cannot store more). */
const struct cmi_coll cmi_colls[] = {
	{"cmi.objectives", M12, 100, 0},
	{"cmi.interactions", M12, 250, 0},
	{"cmi.interactions.n.objectives", M12, 10, 0},
	{"cmi.interactions.n.correct_responses", M12, 10, 0},
	{"cmi.comments_from_learner", M04, 250, 0},
	{"cmi.comments_from_lms", M04, 100, 1},
	{"cmi.interactions", M04, 250, 0},
	{"cmi.interactions.n.objectives", M04, 10, 0},
	{"cmi.interactions.n.correct_responses", M04, 0, 0},
	{"cmi.objectives", M04, 100, 0},
	{"adl.data", M4, 256, 1},
};
const size_t cmi_coll_count = PC_ARRAY_LEN(cmi_colls);

const struct cmi_itype cmi_itypes[] = {
	{"true-false", M12, 10, "true-false response (0, 1, t, f, true or false)"},
	{"choice", M12, 10, "choice response (characters 0-9 a-z separated by commas, optionally in {})"},
	{"fill-in", M12, 10, "fill-in response (up to 255 characters)"},
	{"matching", M12, 10, "matching response (x.y pairs of characters 0-9 a-z separated by commas, optionally in {})"},
	{"performance", M12, 10, "performance response (up to 255 characters)"},
	{"sequencing", M12, 10, "sequencing response (characters 0-9 a-z separated by commas)"},
	{"likert", M12, 10, "likert response (one character 0-9 a-z, or empty)"},
	{"numeric", M12, 10, "numeric response (a CMIDecimal)"},
	{"true-false", M04, 1, "true-false response (true or false)"},
	{"choice", M04, 10, "choice response (distinct short identifiers separated by [,])"},
	{"fill-in", M04, 5, "fill-in response (up to 10 localized strings separated by [,])"},
	{"long-fill-in", M04, 5, "long-fill-in response (one localized string)"},
	{"likert", M04, 1, "likert response (one short identifier)"},
	{"matching", M04, 5, "matching response (source[.]target pairs of short identifiers separated by [,])"},
	{"performance", M04, 5, "performance response (step_name[.]step_answer records separated by [,])"},
	{"sequencing", M04, 5, "sequencing response (short identifiers separated by [,])"},
	{"numeric", M04, 1, "numeric response (a real number; a pattern may be min[:]max)"},
	{"other", M04, 1, "response (up to 4000 characters)"},
};
const size_t cmi_itype_count = PC_ARRAY_LEN(cmi_itypes);

const char *const cmi_type_names[CMI_T_COUNT_] = {
	[CMI_T_NONE] = "keyword",
	[CMI_T12_STRING] = "CMIString",
	[CMI_T12_IDENTIFIER] = "CMIIdentifier",
	[CMI_T12_DECIMAL] = "CMIDecimal",
	[CMI_T12_SINTEGER] = "CMISInteger",
	[CMI_T12_VOCAB] = "CMIVocabulary",
	[CMI_T12_TIME] = "CMITime",
	[CMI_T12_TIMESPAN] = "CMITimespan",
	[CMI_T12_FEEDBACK] = "CMIFeedback",
	[CMI_T12_RESULT] = "CMIResult",
	[CMI_T_CHARSTRING] = "characterstring",
	[CMI_T_LOCALIZED] = "localized_string",
	[CMI_T_LONG_ID] = "long_identifier",
	[CMI_T_SHORT_ID] = "short_identifier",
	[CMI_T_REAL] = "real",
	[CMI_T_STATE] = "state",
	[CMI_T_TIME] = "time",
	[CMI_T_DURATION] = "timeinterval",
	[CMI_T_LANGUAGE] = "language",
	[CMI_T_RESULT] = "result",
	[CMI_T_PATTERN] = "pattern",
	[CMI_T_RESPONSE] = "response",
	[CMI_T_NAVREQ] = "nav_request",
};

/* ---- Error codes --------------------------------------------------------------------------- */
const struct cmi_error_text cmi_errors12[] = {
	{0, "No error"},
	{101, "General exception"},
	{201, "Invalid argument error"},
	{202, "Element cannot have children"},
	{203, "Element not an array - cannot have count"},
	{301, "Not initialized"},
	{401, "Not implemented error"},
	{402, "Invalid set value, element is a keyword"},
	{403, "Element is read only"},
	{404, "Element is write only"},
	{405, "Incorrect data type"},
};
const size_t cmi_errors12_count = PC_ARRAY_LEN(cmi_errors12);

const struct cmi_error_text cmi_errors04[] = {
	{0, "No Error"},
	{101, "General Exception"},
	{102, "General Initialization Failure"},
	{103, "Already Initialized"},
	{104, "Content Instance Terminated"},
	{111, "General Termination Failure"},
	{112, "Termination Before Initialization"},
	{113, "Termination After Termination"},
	{122, "Retrieve Data Before Initialization"},
	{123, "Retrieve Data After Termination"},
	{132, "Store Data Before Initialization"},
	{133, "Store Data After Termination"},
	{142, "Commit Before Initialization"},
	{143, "Commit After Termination"},
	{201, "General Argument Error"},
	{301, "General Get Failure"},
	{351, "General Set Failure"},
	{391, "General Commit Failure"},
	{401, "Undefined Data Model Element"},
	{402, "Unimplemented Data Model Element"},
	{403, "Data Model Element Value Not Initialized"},
	{404, "Data Model Element Is Read Only"},
	{405, "Data Model Element Is Write Only"},
	{406, "Data Model Element Type Mismatch"},
	{407, "Data Model Element Value Out Of Range"},
	{408, "Data Model Dependency Not Established"},
};
const size_t cmi_errors04_count = PC_ARRAY_LEN(cmi_errors04);

/* Which code each failure gets. 1.2 has no codes for "no value", "dependency" or "not unique"
 * (those rules do not exist there), so 0 marks them unused. Choices where the texts leave room:
 * 1.2 out-of-range and too-long values are 405 (1.2 has no range code; ADL's 1.2 test suite
 * answers 405); a 1.2 collection past its row limit is 101 (no specific code); 2004 values past
 * the SPM are refused with 351 (the LMS declines to store more than it promised). A new
 * interaction type that the stored patterns or response do not fit is refused (1.2: 405, the
 * nearest to "the data does not fit"; 2004: 351): otherwise the state would hold values its own
 * rules refuse, and could not be stored and reloaded. */
const int cmi_fail_codes[CMI_X_COUNT_][2] = {
	[CMI_X_EMPTY_GET] = {201, 301},
	[CMI_X_EMPTY_SET] = {201, 351},
	[CMI_X_UNKNOWN] = {201, 401},
	[CMI_X_UNKNOWN_CATEGORY] = {401, 401},
	[CMI_X_BAD_INDEX] = {201, 401},
	[CMI_X_NO_CHILDREN] = {202, 301},
	[CMI_X_NO_COUNT] = {203, 301},
	[CMI_X_BAD_VERSION] = {201, 301},
	[CMI_X_KEYWORD_SET] = {402, 404},
	[CMI_X_READ_ONLY] = {403, 404},
	[CMI_X_WRITE_ONLY] = {404, 405},
	[CMI_X_NO_VALUE] = {0, 403},
	[CMI_X_NO_ROW] = {201, 301},
	[CMI_X_GAP] = {201, 351},
	[CMI_X_FULL] = {101, 351},
	[CMI_X_DEPENDENCY] = {0, 408},
	[CMI_X_TYPE] = {405, 406},
	[CMI_X_RANGE] = {405, 407},
	[CMI_X_SPM] = {405, 351},
	[CMI_X_UNIQUE] = {0, 351},
	[CMI_X_STATE_FULL] = {101, 351},
	[CMI_X_CONFLICT] = {405, 351},
	[CMI_X_GENERAL] = {101, 101},
};

/* ---- Diagnostics ------------------------------------------------------------------------------
 * One line each, same text in C and in the adapter. */
const struct cmi_diag_template cmi_diags[CMI_D_COUNT_] = {
	[CMI_D_NONE] = {"none", ""},
	[CMI_D_INIT_TWICE] = {"init_twice", "{f} was already called in this session"},
	[CMI_D_INIT_AFTER_TERMINATE] = {"init_after_terminate",
					"{f} after {t}: a finished session cannot start again"},
	[CMI_D_BEFORE_INIT] = {"before_init", "{f} called before {i}"},
	[CMI_D_AFTER_TERMINATE] = {"after_terminate", "{f} called after {t}"},
	[CMI_D_BAD_ARG] = {"bad_arg", "{f} takes the empty string \"\" as its argument"},
	[CMI_D_EMPTY_ELEMENT] = {"empty_element", "{f} needs the name of a data model element"},
	[CMI_D_UNKNOWN] = {"unknown", "{e} is not an element of this data model"},
	[CMI_D_UNKNOWN_CATEGORY] = {"unknown_category", "{e} is not in any category of this data model"},
	[CMI_D_BAD_INDEX] = {"bad_index", "{e}: collection indexes are written 0, 1, 2, ... (no sign, no leading zero)"},
	[CMI_D_NO_CHILDREN] = {"no_children", "{e}: this element has no _children"},
	[CMI_D_NO_COUNT] = {"no_count", "{e}: this element is not a collection and has no _count"},
	[CMI_D_BAD_VERSION] = {"bad_version", "{e}: only cmi._version exists"},
	[CMI_D_KEYWORD] = {"keyword", "{e} is a keyword and cannot be set"},
	[CMI_D_READ_ONLY] = {"read_only", "{e} is read-only"},
	[CMI_D_WRITE_ONLY] = {"write_only", "{e} is write-only"},
	[CMI_D_NO_VALUE] = {"no_value", "{e} has no value: it was never set and has no default"},
	[CMI_D_NO_ROW] = {"no_row", "{e}: row {n} does not exist (_count is {c})"},
	[CMI_D_GAP] = {"gap", "{e}: row {n} cannot be written while _count is {c} (rows are added in order)"},
	[CMI_D_FULL] = {"full", "{e}: the collection already holds {c} rows, the most this LMS keeps"},
	[CMI_D_NEED_ID] = {"need_id", "{e}: the row's identifier must be set first"},
	[CMI_D_NEED_TYPE] = {"need_type", "{e}: cmi.interactions.{n}.type must be set first"},
	[CMI_D_TYPE] = {"type", "{e}: not a valid {d}"},
	[CMI_D_RANGE] = {"range", "{e}: outside the range {d}"},
	[CMI_D_TOO_LONG] = {"too_long", "{e}: longer than {n} characters"},
	[CMI_D_TOO_MANY] = {"too_many", "{e}: more than {n} items"},
	[CMI_D_NOT_UNIQUE] = {"not_unique", "{e}: another row of the collection already has this identifier"},
	[CMI_D_DUPLICATE_PATTERN] = {"duplicate_pattern", "{e}: the same pattern is already a correct response"},
	[CMI_D_ID_FIXED] = {"id_fixed", "{e}: an objective's identifier cannot change once set"},
	[CMI_D_TYPE_CONFLICT] = {"type_conflict", "{e}: the interaction's stored responses do not fit this type"},
	[CMI_D_STATE_FULL] = {"state_full", "{e}: the learner's stored data would pass {n} bytes, the most this LMS keeps"},
	[CMI_D_INIT_FAILED] = {"init_failed", "{f}: the LMS could not start the session ({d})"},
	[CMI_D_COMMIT_FAILED] = {"commit_failed", "{f}: the LMS could not store the data ({d})"},
	[CMI_D_TERMINATE_FAILED] = {"terminate_failed", "{f}: the LMS could not end the session ({d})"},
	[CMI_D_NO_MEMORY] = {"no_memory", "{f}: the LMS ran out of memory"},
	[CMI_D_SHARED_NO_READ] = {"shared_no_read", "{e}: this SCO may write this shared data store but not read it (readSharedData=false)"},
	[CMI_D_SHARED_NO_WRITE] = {"shared_no_write", "{e}: this SCO may read this shared data store but not write it (writeSharedData=false)"},
};
