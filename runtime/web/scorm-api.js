/* Postcard SCORM API adapter: window.API (SCORM 1.2) and window.API_1484_11 (SCORM 2004) for the
 * player page. It answers content synchronously from its own copy of the data model and sends the
 * changes to the server, which checks every one again with the C model (runtime/cmi*.c, the
 * authority). The element rules come from a table generated from the C table at build time
 * (inserted below at the CMI_TABLE marker); only the type checkers are written here a second
 * time. Works as a classic <script> (defines window.createScormAPI) and under node's require()
 * (module.exports = {createScormAPI, ...}).
 *
 * ---- createScormAPI(options) -> api ----------------------------------------------------------
 *   version    "1.2" | "2004" (= "2004-4th") | "2004-3rd"                       (required)
 *   initial    {element: value, ...}: what the LMS seeds at launch (learner id and name, credit,
 *              mode, entry, launch data, mastery score, max time allowed, time limit action,
 *              completion threshold, scaled passing score, manifest objective ids) and a resumed
 *              attempt's stored values, e.g. {"cmi.core.student_id": "u1",
 *              "cmi.core.entry": "resume", "cmi.suspend_data": "..."}. Rows of collections are
 *              given by their elements ("cmi.objectives.0.id"); counts follow. Every value is
 *              checked like a SetValue (type, format, range, length; not access): a bad one
 *              makes createScormAPI throw. The server's cmi_state_initial_json() gives exactly
 *              this object.
 *   transport  where commits go (see below). Omitted: changes stay in memory (api.$pending()).
 *   session    opaque value echoed in every commit (the server's cmi_state_session()).
 *   events     EventTarget to listen on for "pagehide" and "visibilitychange" (default: window
 *              when there is one). Pass null to not listen.
 *   retryDelays  array of ms between attempts of a failed send (default [1000, 2000, 4000, 8000,
 *              15000, 30000]; the last repeats until the page goes away).
 * Returns the API object: the eight functions of the version (LMSInitialize, LMSFinish,
 * LMSGetValue, LMSSetValue, LMSCommit, LMSGetLastError, LMSGetErrorString, LMSGetDiagnostic for
 * 1.2; Initialize, Terminate, GetValue, SetValue, Commit, GetLastError, GetErrorString,
 * GetDiagnostic for 2004), each answering strings as the specification says, plus helpers whose
 * names start with "$" (not part of SCORM):
 *   api.$values()   a copy of the current values, in `initial`'s shape
 *   api.$pending()  the changes not yet acknowledged by the server, [[element, value], ...]
 *   api.$flush(unloading)  send now (unloading: true uses keepalive / sendBeacon)
 *   api.$state()    "not-initialized" | "running" | "terminated"
 * Arguments are converted with String(), except undefined which counts as "" (C callers cannot
 * pass "no argument", and content that writes LMSInitialize() means LMSInitialize("")).
 *
 * ---- transport --------------------------------------------------------------------------------
 * An object with
 *   send(body, {keepalive})  body is the JSON text below. Returns a Promise of the server's parsed
 *                            answer (an object); rejects when the request failed (network, 5xx).
 *                            Throwing synchronously means "cannot send now" and fails the call
 *                            that sent it at once (Commit 391 / 101, Terminate 111 / 101).
 *   beacon(body)             optional, used on pagehide: returns true when the browser queued it.
 *   initialize()             optional, called by Initialize; throwing fails it (2004 102 / 1.2 101).
 * createScormAPI.fetchTransport(url, {headers, fetch, sendBeacon}) builds one over fetch():
 * POST with Content-Type application/json; on pagehide fetch(..., {keepalive: true}) with
 * Content-Type text/plain (CORS-safelisted: no preflight while the page is going away), falling
 * back to navigator.sendBeacon (also text/plain). The server must accept both content types.
 *
 * ---- Wire format (protocol 1) -----------------------------------------------------------------
 * Request body, one JSON object:
 *   {"protocol": 1,
 *    "version": "1.2" | "2004-3rd" | "2004-4th",
 *    "session": <the session option, or null>,
 *    "seq": 7,               request number, 1, 2, 3 ... per API instance; increases with every
 *                            new request; a retry of the same request repeats it unchanged
 *    "from": 40,             journal index of changes[0]
 *    "changes": [["cmi.core.lesson_location", "p3"], ...],
 *    "terminate": false}     true once the SCO called Terminate / LMSFinish successfully
 * The journal is every successful SetValue of this session, in call order, numbered from 0.
 * Before sending, unsent entries are compacted: a SetValue of an element outside any collection
 * replaces an unsent earlier one of the same element (such elements depend on nothing and
 * nothing depends on them). Entries of collections are kept in order, since ids, types and
 * row creation depend on it. A request carries every entry not yet acknowledged, so a retry or
 * a pagehide beacon may repeat entries the server already has: the server applies entry i only
 * when i >= the number it has applied ("applied"), which makes every request idempotent and
 * lets requests arrive in any order. A request whose "from" is past "applied" (a lost request in
 * between) applies nothing and answers result false with "applied" so the adapter resends.
 * Terminate sends terminate: true (with any pending changes); the server then computes what the
 * LMS computes at the end of a session (total time, entry, evaluated statuses, mastery).
 *
 * Answer, one JSON object (HTTP 200 whenever the body was a commit):
 *   {"result": true, "errorCode": 0, "seq": 7, "applied": 43}
 *   {"result": false, "errorCode": 391, "seq": 7, "applied": 43,         (1.2 uses 101)
 *    "rejected": [{"index": 41, "element": "cmi.score.raw", "errorCode": 406,
 *                  "diagnostic": "..."}]}      changes the server's model refused (not applied)
 *   {"result": false, "errorCode": 391, "error": "why the body is not a commit"}  (HTTP 400)
 * The adapter drops every entry below "applied". Rejected entries are never retried; the next
 * Commit/Terminate returns "false" with 391 / 101 and a diagnostic naming the element. A failed
 * request (transport rejected) is retried with backoff; while it keeps failing, Commit returns
 * "false" with 391 / 101 (the changes stay queued and are still sent later, and on pagehide).
 */
(function (root, factory) {
	'use strict';
	var CMI_TABLE = /*@CMI_TABLE@*/ null;
	var api = factory(CMI_TABLE);
	if (typeof module === 'object' && module.exports)
		module.exports = api;
	else
		root.createScormAPI = api.createScormAPI;
})(typeof self !== 'undefined' ? self : this, function (CMI_TABLE) {
	'use strict';
	function createScormAPI() {
		throw new Error('scorm-api.js: not implemented yet');
	}
	return {createScormAPI: createScormAPI, table: CMI_TABLE};
});
