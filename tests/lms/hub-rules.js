/* An LMS-side double of the NHS Learning Hub's SCORM 1.2 API, written from the facts observed in
 * ../shared/reference/lms-behaviours.md section 3 (the Hub's scormApiModel.ts ported into a host
 * page and run against Postcard's packages, with its server answered as its ScormController does).
 * It is not a port: it implements only what those facts say, each rule marked with its fact:
 *   [H1] cmi.comments is null at launch: LMSGetValue("cmi.comments") throws a TypeError and the
 *        last error stays 0; the Hub has no column for cmi.comments and never stores it.
 *   [H2] cmi.interactions._count always answers 0, also on resume.
 *   [H3] stored interactions are matched by position: the session's interaction n replaces the
 *        stored interaction n.
 *   [H4] interactions reach the Hub only in the final save (LMSFinish); weighting is stored as 0.
 *   [H5] numeric responses must match ^\d+(?:[.,]\d+)?$ and fill-in responses must not contain
 *        U+2028 / U+2029: anything else is refused with 405.
 *   [H6] the API answers booleans and the number 0, not the strings "true" and "0".
 *   [H7] the final save stores status, score, location, suspend_data and session time.
 *   [H8] a learner who passed and comes back gets a fresh "not attempted" record (entry ab-initio).
 * Everything else answers as a plain SCORM 1.2 LMS would (entry "resume" after exit "suspend").
 * The server side is `store`, an object the host keeps across launches: {record, sessions}.
 *
 * Loaded in the host page (window.HubRules) and in node (module.exports). */
(function (root, factory) {
  var lib = factory();
  if (typeof module === 'object' && module.exports) module.exports = lib;
  else root.HubRules = lib;
})(typeof window !== 'undefined' ? window : this, function () {
  'use strict';

  var HUB_NUMBER = /^\d+(?:[.,]\d+)?$/; /* [H5] */
  var CORE = ['cmi.core.lesson_status', 'cmi.core.score.raw', 'cmi.core.score.min', 'cmi.core.score.max',
    'cmi.core.lesson_location', 'cmi.suspend_data'];

  function freshRecord() {
    return { values: { 'cmi.core.lesson_status': 'not attempted', 'cmi.core.score.raw': '', 'cmi.core.score.min': '',
      'cmi.core.score.max': '', 'cmi.core.lesson_location': '', 'cmi.suspend_data': '' },
    entry: 'ab-initio', sessionTimes: [], interactions: [] };
  }

  /* The API for one launch. `store` = {record: null | record, sessions: number}; `log(entry)` gets
   * every call as {fn, args, result, error, threw}. */
  function createAPI(store, log) {
    if (!store.record || /^(passed|completed)$/.test(store.record.values['cmi.core.lesson_status'])) {
      store.record = freshRecord(); /* [H8] (the Hub counts completed like passed) */
    }
    store.sessions = (store.sessions || 0) + 1;
    var rec = store.record;
    var values = JSON.parse(JSON.stringify(rec.values));
    var entry = rec.entry;
    var exit = '';
    var sessionTime = null;
    var session = []; /* this session's interactions, by position */
    var error = 0;
    var running = false;

    function done(fn, args, result, code) {
      error = code;
      log({ fn: fn, args: args, result: result, error: String(code), session: store.sessions });
      return result;
    }

    function save(final) {
      CORE.forEach(function (k) { rec.values[k] = values[k]; }); /* [H7] */
      if (!final) return;
      if (sessionTime !== null) rec.sessionTimes.push(sessionTime);
      rec.entry = exit === 'suspend' ? 'resume' : '';
      session.forEach(function (it, n) { /* [H3] [H4] */
        if (!it) return;
        var stored = JSON.parse(JSON.stringify(it));
        stored.weighting = '0';
        rec.interactions[n] = stored;
      });
    }

    var api = {
      LMSInitialize: function (a) {
        running = true;
        return done('LMSInitialize', [a], true, 0); /* [H6] */
      },
      LMSFinish: function (a) {
        if (!running) return done('LMSFinish', [a], false, 301);
        save(true);
        running = false;
        return done('LMSFinish', [a], true, 0);
      },
      LMSCommit: function (a) {
        if (!running) return done('LMSCommit', [a], false, 301);
        save(false);
        return done('LMSCommit', [a], true, 0);
      },
      LMSGetLastError: function () { return error; }, /* [H6]: a number */
      LMSGetErrorString: function (c) { return String(c) === '0' ? 'No error' : 'Error ' + c; },
      LMSGetDiagnostic: function (c) { return String(c) === '0' ? 'No error' : 'Error ' + c; },
      LMSGetValue: function (name) {
        if (!running) return done('LMSGetValue', [name], '', 301);
        if (name === 'cmi.comments') { /* [H1]: comments is null, reading it throws; the error stays 0 */
          log({ fn: 'LMSGetValue', args: [name], result: null, error: String(error), session: store.sessions, threw: true });
          var comments = null;
          return comments.toString();
        }
        if (name === 'cmi.interactions._count') return done('LMSGetValue', [name], 0, 0); /* [H2] [H6] */
        if (name === 'cmi.core.entry') return done('LMSGetValue', [name], entry, 0);
        if (name === 'cmi.core.lesson_mode') return done('LMSGetValue', [name], 'normal', 0);
        if (name === 'cmi.core.student_id') return done('LMSGetValue', [name], 'hub-learner', 0);
        if (name === 'cmi.core.student_name') return done('LMSGetValue', [name], 'Learner, Hub', 0);
        if (Object.prototype.hasOwnProperty.call(values, name)) return done('LMSGetValue', [name], values[name], 0);
        return done('LMSGetValue', [name], '', 401);
      },
      LMSSetValue: function (name, value) {
        var args = [name, value];
        if (!running) return done('LMSSetValue', args, false, 301);
        value = String(value);
        var m = /^cmi\.interactions\.(\d+)\.(.+)$/.exec(name);
        if (m) {
          var n = Number(m[1]);
          var it = session[n] = session[n] || { correct_responses: [] };
          var leaf = m[2];
          if (leaf === 'student_response') {
            if (it.type === 'numeric' && !HUB_NUMBER.test(value)) return done('LMSSetValue', args, false, 405); /* [H5] */
            if (it.type === 'fill-in' && /[\u2028\u2029]/.test(value)) return done('LMSSetValue', args, false, 405); /* [H5] */
          }
          var p = /^correct_responses\.(\d+)\.pattern$/.exec(leaf);
          if (p) it.correct_responses[Number(p[1])] = value;
          else it[leaf] = value;
          return done('LMSSetValue', args, true, 0);
        }
        if (name === 'cmi.comments') return done('LMSSetValue', args, true, 0); /* [H1]: accepted, never stored */
        if (name === 'cmi.core.exit') { exit = value; return done('LMSSetValue', args, true, 0); }
        if (name === 'cmi.core.session_time') { sessionTime = value; return done('LMSSetValue', args, true, 0); }
        if (CORE.indexOf(name) >= 0) { values[name] = value; return done('LMSSetValue', args, true, 0); }
        return done('LMSSetValue', args, false, 401);
      }
    };
    return api;
  }

  return { createAPI: createAPI, HUB_NUMBER: HUB_NUMBER };
});
