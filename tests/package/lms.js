/* A strict SCORM LMS API for the tests: `API` (1.2) or `API_1484_11` (2004), written from
 * ../shared/reference/scorm-rte.md. It records every call and answers with the spec's error codes
 * for anything malformed: a value of the wrong type, format, vocabulary or length, a read-only or
 * write-only misuse, a collection set out of order, an interaction sub-element before its id or
 * type, any call before Initialize or after Finish/Terminate. Stricter than real LMSs on purpose:
 * a test that sees an error code fails. The record survives reloads (sessionStorage) the way an LMS
 * keeps it across launches: `entry` becomes `resume` only after `exit = suspend`.
 *
 * Loaded in the harness page (window.PostcardTestLMS) and in node (module.exports). */
(function (root, factory) {
  var lib = factory();
  if (typeof module === 'object' && module.exports) module.exports = lib;
  else root.PostcardTestLMS = lib;
})(typeof window !== 'undefined' ? window : this, function () {
  'use strict';

  var len = function (s) { return Array.from(s).length; }; /* SPMs count code points */

  /* --- value types ---------------------------------------------------------------------------- */

  var DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;
  var T = {
    any: function (n) { return function (v) { return len(v) <= n; }; },
    vocab: function (list) { return function (v) { return list.indexOf(v) >= 0; }; },
    decimal: function (v) { return DECIMAL.test(v); },
    score12: function (v) { return v === '' || (DECIMAL.test(v) && Number(v) >= 0 && Number(v) <= 100); },
    identifier12: function (v) { return /^[A-Za-z0-9_\-]{1,255}$/.test(v); },
    timespan12: function (v) {
      var m = /^([0-9]{2,4}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,2})?$/.exec(v);
      return !!m && Number(m[2]) < 60 && Number(m[3]) < 60;
    },
    time12: function (v) { return /^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,2})?$/.test(v); },
    real: function (v) { return DECIMAL.test(v); },
    realRange: function (lo, hi) { return function (v) { return DECIMAL.test(v) && Number(v) >= lo && Number(v) <= hi; }; },
    interval: function (v) {
      var m = /^P(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+(?:\.[0-9]{1,2})?)S)?)?$/.exec(v);
      if (!m || v === 'P') return false;
      if (v.indexOf('T') >= 0 && !(m[4] || m[5] || m[6])) return false;
      return true;
    },
    time2004: function (v) {
      /* YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]]: a time zone only after fractional seconds. */
      var m = /^([0-9]{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12][0-9]|3[01])(?:T([01][0-9]|2[0-3])(?::([0-5][0-9])(?::([0-5][0-9])(?:\.[0-9]{1,2}(Z|[+-](?:[01][0-9]|2[0-3])(?::[0-5][0-9])?)?)?)?)?)?)?)?$/.exec(v);
      return !!m && Number(m[1]) >= 1970 && Number(m[1]) <= 2038;
    },
    longId: function (n) {
      return function (v) {
        if (v === '' || len(v) > n || /[\s\[\]]/.test(v)) return false;
        if (/^urn:/i.test(v)) return /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,30}:\S+$/i.test(v);
        return /^[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]+$/.test(v);
      };
    },
    localized: function (n) {
      return function (v) {
        if (v.charAt(0) === '{') {
          var m = /^\{lang=([a-zA-Z]{2,3}|[iIxX])(-[a-zA-Z0-9]{1,8})*\}/.exec(v);
          if (!m) return false;
          v = v.slice(m[0].length);
        }
        return len(v) <= n;
      };
    }
  };
  var shortId = T.longId(250);

  /* --- interaction response formats ------------------------------------------------------------ */

  /* SCORM 1.2 CMIFeedback per interaction type (RTE 1.2, reference §1.6), strict reading. */
  var CHAR = '[0-9a-z]';
  var FORMAT_12 = {
    'true-false': function (v) { return /^[01tf]$/.test(v); },
    'choice': function (v) { return new RegExp('^' + CHAR + '(,' + CHAR + ')*$').test(v); },
    'fill-in': function (v) { return len(v) <= 255; },
    'numeric': function (v) { return DECIMAL.test(v); },
    'likert': function (v) { return new RegExp('^' + CHAR + '?$').test(v); },
    'matching': function (v) { return new RegExp('^' + CHAR + '\\.' + CHAR + '(,' + CHAR + '\\.' + CHAR + ')*$').test(v); },
    'sequencing': function (v) { return new RegExp('^' + CHAR + '(,' + CHAR + ')*$').test(v); },
    'performance': function (v) { return len(v) <= 255; }
  };

  function idList(v, max, unique) {
    if (v === '') return true;
    var items = v.split('[,]');
    if (items.length > max || !items.every(shortId)) return false;
    if (unique && new Set(items).size !== items.length) return false;
    return true;
  }

  /* SCORM 2004 patterns (reference §2.8); `pattern` is true for correct_responses. */
  var FORMAT_2004 = {
    'true-false': function (v) { return v === 'true' || v === 'false'; },
    'choice': function (v) { return idList(v, 36, true); },
    'fill-in': function (v, pattern) {
      if (pattern) v = v.replace(/^\{case_matters=(true|false)\}/, '').replace(/^\{order_matters=(true|false)\}/, '');
      var items = v.split('[,]');
      return items.length <= 10 && items.every(T.localized(250));
    },
    'long-fill-in': function (v) { return T.localized(4000)(v.replace(/^\{case_matters=(true|false)\}/, '')); },
    'likert': function (v) { return shortId(v); },
    'matching': function (v) {
      var items = v.split('[,]');
      return items.length <= 36 && items.every(function (r) {
        var p = r.split('[.]');
        return p.length === 2 && shortId(p[0]) && shortId(p[1]);
      });
    },
    'sequencing': function (v) { return v !== '' && idList(v, 36, false); },
    'numeric': function (v, pattern) {
      if (!pattern) return T.real(v);
      var p = v.split('[:]');
      if (p.length === 1) return T.real(v);
      if (p.length !== 2) return false;
      if ((p[0] !== '' && !T.real(p[0])) || (p[1] !== '' && !T.real(p[1]))) return false;
      return p[0] === '' || p[1] === '' || Number(p[0]) <= Number(p[1]);
    },
    'other': function (v) { return len(v) <= 4000; }
  };

  /* --- data models: [pattern, access, type check, 2004 "403 until set"] ------------------------ */

  var STATUS_12 = ['passed', 'completed', 'failed', 'incomplete', 'browsed'];
  var MODEL_12 = [
    ['cmi.core.student_id', 'r'], ['cmi.core.student_name', 'r'],
    ['cmi.core.lesson_location', 'rw', T.any(255)], ['cmi.core.credit', 'r'],
    ['cmi.core.lesson_status', 'rw', T.vocab(STATUS_12)], ['cmi.core.entry', 'r'],
    ['cmi.core.score.raw', 'rw', T.score12], ['cmi.core.score.min', 'rw', T.score12], ['cmi.core.score.max', 'rw', T.score12],
    ['cmi.core.total_time', 'r'], ['cmi.core.lesson_mode', 'r'],
    ['cmi.core.exit', 'w', T.vocab(['time-out', 'suspend', 'logout', ''])],
    ['cmi.core.session_time', 'w', T.timespan12],
    ['cmi.suspend_data', 'rw', T.any(4096)], ['cmi.launch_data', 'r'],
    ['cmi.comments', 'rw', T.any(4096)], ['cmi.comments_from_lms', 'r'],
    ['cmi.interactions._count', 'r'],
    ['cmi.interactions.n.id', 'w', T.identifier12],
    ['cmi.interactions.n.type', 'w', T.vocab(['true-false', 'choice', 'fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric'])],
    ['cmi.interactions.n.time', 'w', T.time12],
    ['cmi.interactions.n.correct_responses.m.pattern', 'w', 'response'],
    ['cmi.interactions.n.weighting', 'w', T.decimal],
    ['cmi.interactions.n.student_response', 'w', 'response'],
    ['cmi.interactions.n.result', 'w', function (v) { return ['correct', 'wrong', 'unanticipated', 'neutral'].indexOf(v) >= 0 || DECIMAL.test(v); }],
    ['cmi.interactions.n.latency', 'w', T.timespan12]
  ];

  var MODEL_2004 = [
    ['cmi.mode', 'r'], ['cmi.entry', 'r'], ['cmi.credit', 'r'], ['cmi.learner_id', 'r'], ['cmi.learner_name', 'r'],
    ['cmi.location', 'rw', T.any(1000), true],
    ['cmi.suspend_data', 'rw', T.any(64000), true],
    ['cmi.completion_status', 'rw', T.vocab(['completed', 'incomplete', 'not attempted', 'unknown'])],
    ['cmi.success_status', 'rw', T.vocab(['passed', 'failed', 'unknown'])],
    ['cmi.exit', 'w', T.vocab(['time-out', 'suspend', 'logout', 'normal', ''])],
    ['cmi.session_time', 'w', T.interval], ['cmi.total_time', 'r'],
    ['cmi.score.scaled', 'rw', T.realRange(-1, 1), true], ['cmi.score.raw', 'rw', T.real, true],
    ['cmi.score.min', 'rw', T.real, true], ['cmi.score.max', 'rw', T.real, true],
    ['cmi.progress_measure', 'rw', T.realRange(0, 1), true],
    ['cmi.comments_from_learner._count', 'r'],
    ['cmi.comments_from_learner.n.comment', 'rw', T.localized(4000), true],
    ['cmi.comments_from_learner.n.location', 'rw', T.any(250), true],
    ['cmi.comments_from_learner.n.timestamp', 'rw', T.time2004, true],
    ['cmi.interactions._count', 'r'],
    ['cmi.interactions.n.id', 'rw', T.longId(4000)],
    ['cmi.interactions.n.type', 'rw', T.vocab(['true-false', 'choice', 'fill-in', 'long-fill-in', 'likert', 'matching', 'performance', 'sequencing', 'numeric', 'other']), true],
    ['cmi.interactions.n.timestamp', 'rw', T.time2004, true],
    ['cmi.interactions.n.correct_responses.m.pattern', 'rw', 'response'],
    ['cmi.interactions.n.weighting', 'rw', T.real, true],
    ['cmi.interactions.n.learner_response', 'rw', 'response', true],
    ['cmi.interactions.n.result', 'rw', function (v) { return ['correct', 'incorrect', 'unanticipated', 'neutral'].indexOf(v) >= 0 || DECIMAL.test(v); }, true],
    ['cmi.interactions.n.latency', 'rw', T.interval, true],
    ['cmi.interactions.n.description', 'rw', T.localized(250), true]
  ];

  var CORRECT_SPM_2004 = { 'true-false': 1, 'choice': 10, 'fill-in': 5, 'long-fill-in': 5, 'likert': 1, 'matching': 5, 'performance': 5, 'sequencing': 5, 'numeric': 1, 'other': 1 };

  /* Split `cmi.interactions.3.correct_responses.0.pattern` into the pattern and its indexes. */
  function resolve(model, name) {
    var idx = [];
    var generic = name.replace(/\.(0|[1-9][0-9]*)(?=\.)/g, function (m, d) { idx.push(Number(d)); return idx.length === 1 ? '.n' : '.m'; });
    for (var i = 0; i < model.length; i++) if (model[i][0] === generic) return { def: model[i], idx: idx, generic: generic };
    return null;
  }

  var DEFAULTS_12 = {
    'cmi.core.student_id': 'learner-1', 'cmi.core.student_name': 'Learner, Test', 'cmi.core.lesson_location': '',
    'cmi.core.credit': 'credit', 'cmi.core.lesson_status': 'not attempted', 'cmi.core.entry': 'ab-initio',
    'cmi.core.score.raw': '', 'cmi.core.score.min': '', 'cmi.core.score.max': '', 'cmi.core.total_time': '0000:00:00.00',
    'cmi.core.lesson_mode': 'normal', 'cmi.suspend_data': '', 'cmi.launch_data': '', 'cmi.comments': '',
    'cmi.comments_from_lms': ''
  };
  var DEFAULTS_2004 = {
    'cmi.mode': 'normal', 'cmi.entry': 'ab-initio', 'cmi.credit': 'credit', 'cmi.learner_id': 'learner-1',
    'cmi.learner_name': 'Test Learner', 'cmi.completion_status': 'unknown', 'cmi.success_status': 'unknown',
    'cmi.total_time': 'PT0H0M0S'
  };

  /* A fresh learner record for `version` ('1.2' or '2004'). */
  function newRecord(version) {
    return { version: version, values: Object.assign({}, version === '1.2' ? DEFAULTS_12 : DEFAULTS_2004),
      interactions: [], comments: [], sessions: 0 };
  }

  /* The API object. `record` is the learner's stored data (changed in place on Commit/Finish);
   * `log(entry)` receives every call; `persist(record)` runs on each successful Commit/Finish. */
  function createAPI(version, record, log, persist) {
    var v12 = version === '1.2';
    var model = v12 ? MODEL_12 : MODEL_2004;
    var stateName = 'new'; /* new -> running -> done */
    var error = '0';
    var work = JSON.parse(JSON.stringify(record)); /* uncommitted changes live here */
    record.sessions++;
    work.sessions = record.sessions;

    function done(fn, args, result, code) {
      error = code;
      log({ fn: fn, args: args, result: result, error: code, session: record.sessions });
      return result;
    }

    function commitWork() {
      var keep = JSON.parse(JSON.stringify(work));
      Object.keys(record).forEach(function (k) { delete record[k]; });
      Object.assign(record, keep);
      persist(record);
    }

    function collection(generic) {
      if (generic.indexOf('cmi.interactions.') === 0) return work.interactions;
      if (generic.indexOf('cmi.comments_from_learner.') === 0) return work.comments;
      return null;
    }

    function getValue(name) {
      var fn = v12 ? 'LMSGetValue' : 'GetValue';
      if (stateName === 'new') return done(fn, [name], '', v12 ? '301' : '122');
      if (stateName === 'done') return done(fn, [name], '', v12 ? '101' : '123');
      if (name === '') return done(fn, [name], '', v12 ? '201' : '301');
      if (name === 'cmi.interactions._count') return done(fn, [name], String(work.interactions.length), '0');
      if (!v12 && name === 'cmi.comments_from_learner._count') return done(fn, [name], String(work.comments.length), '0');
      var r = resolve(model, name);
      if (!r) return done(fn, [name], '', v12 ? '201' : '401');
      if (r.def[1] === 'w') return done(fn, [name], '', v12 ? '404' : '405');
      var coll = collection(r.generic);
      if (coll) {
        var row = coll[r.idx[0]];
        if (!row) return done(fn, [name], '', v12 ? '201' : '301');
        var leaf = r.generic.replace(/^cmi\.[a-z_]+\.n\./, '');
        if (!(leaf in row)) return done(fn, [name], '', '403');
        return done(fn, [name], row[leaf], '0');
      }
      if (!(name in work.values)) return done(fn, [name], '', v12 ? '201' : '403');
      return done(fn, [name], work.values[name], '0');
    }

    function setValue(name, value) {
      var fn = v12 ? 'LMSSetValue' : 'SetValue';
      var args = [name, value];
      if (stateName === 'new') return done(fn, args, 'false', v12 ? '301' : '132');
      if (stateName === 'done') return done(fn, args, 'false', v12 ? '101' : '133');
      if (typeof value !== 'string') return done(fn, args, 'false', v12 ? '405' : '406');
      if (name === '') return done(fn, args, 'false', v12 ? '201' : '351');
      if (/\._(count|children|version)$/.test(name)) return done(fn, args, 'false', v12 ? '402' : '404');
      var r = resolve(model, name);
      if (!r) return done(fn, args, 'false', v12 ? '201' : '401');
      if (r.def[1] === 'r') return done(fn, args, 'false', v12 ? '403' : '404');
      var coll = collection(r.generic);
      var row = null, leaf = null;
      if (coll) {
        var n = r.idx[0];
        if (n > coll.length) return done(fn, args, 'false', v12 ? '201' : '351');
        leaf = r.generic.replace(/^cmi\.[a-z_]+\.n\./, '');
        row = coll[n];
        var isInteraction = r.generic.indexOf('cmi.interactions.') === 0;
        if (!row) {
          /* A new interaction row starts with its id (both editions here: strict). */
          if (isInteraction && leaf !== 'id') return done(fn, args, 'false', v12 ? '201' : '408');
          row = { correct: [] };
          coll.push(row);
        }
        if (isInteraction && leaf !== 'id' && !('id' in row)) return done(fn, args, 'false', v12 ? '201' : '408');
        if (isInteraction && (leaf === 'correct_responses.m.pattern' || leaf === 'student_response' || leaf === 'learner_response') && !('type' in row)) {
          return done(fn, args, 'false', v12 ? '201' : '408');
        }
        if (leaf === 'correct_responses.m.pattern') {
          var m = r.idx[1];
          if (m > row.correct.length) return done(fn, args, 'false', v12 ? '201' : '351');
          if (!v12 && m >= CORRECT_SPM_2004[row.type]) return done(fn, args, 'false', '351');
        }
      }
      var check = r.def[2];
      var ok;
      if (check === 'response') {
        var fmt = (v12 ? FORMAT_12 : FORMAT_2004)[row.type];
        ok = !!fmt && fmt(value, leaf === 'correct_responses.m.pattern');
      } else {
        ok = check(value);
      }
      if (!ok) {
        var range = !v12 && (name === 'cmi.score.scaled' || name === 'cmi.progress_measure') && DECIMAL.test(value);
        return done(fn, args, 'false', v12 ? '405' : range ? '407' : '406');
      }
      if (!v12 && row && leaf === 'correct_responses.m.pattern' && row.type === 'choice' &&
          row.correct.some(function (p, k) { return p === value && k !== r.idx[1]; })) {
        return done(fn, args, 'false', '351');
      }
      if (row) {
        if (leaf === 'correct_responses.m.pattern') row.correct[r.idx[1]] = value;
        else row[leaf] = value;
      } else {
        work.values[name] = value;
      }
      return done(fn, args, 'true', '0');
    }

    function lifecycle(kind) {
      var names = v12 ? { init: 'LMSInitialize', finish: 'LMSFinish', commit: 'LMSCommit' }
        : { init: 'Initialize', finish: 'Terminate', commit: 'Commit' };
      return function (arg) {
        var fn = names[kind];
        var args = Array.prototype.slice.call(arguments);
        if (arguments.length !== 1 || arg !== '') return done(fn, args, 'false', '201');
        if (kind === 'init') {
          if (stateName === 'running') return done(fn, args, 'false', v12 ? '101' : '103');
          if (stateName === 'done') return done(fn, args, 'false', v12 ? '101' : '104');
          stateName = 'running';
          return done(fn, args, 'true', '0');
        }
        if (stateName === 'new') return done(fn, args, 'false', v12 ? '301' : kind === 'finish' ? '112' : '142');
        if (stateName === 'done') return done(fn, args, 'false', v12 ? '101' : kind === 'finish' ? '113' : '143');
        if (kind === 'finish') {
          /* The next launch: resume only after a suspend; otherwise a new attempt (2004 resets). */
          var exit = work.values[v12 ? 'cmi.core.exit' : 'cmi.exit'];
          delete work.values[v12 ? 'cmi.core.exit' : 'cmi.exit'];
          delete work.values[v12 ? 'cmi.core.session_time' : 'cmi.session_time'];
          if (exit === 'suspend') {
            work.values[v12 ? 'cmi.core.entry' : 'cmi.entry'] = 'resume';
          } else if (v12) {
            work.values['cmi.core.entry'] = '';
          } else {
            var fresh = newRecord('2004');
            fresh.values['cmi.entry'] = '';
            fresh.sessions = work.sessions;
            fresh.endedAttempts = (work.endedAttempts || []).concat([work.values]);
            work = fresh;
          }
          stateName = 'done';
        }
        commitWork();
        return done(fn, args, 'true', '0');
      };
    }

    var api = {};
    var info = {
      lastError: function () { return error; },
      string: function (code) { return code === '0' ? 'No error' : 'Error ' + code; }
    };
    if (v12) {
      api.LMSInitialize = lifecycle('init');
      api.LMSFinish = lifecycle('finish');
      api.LMSCommit = lifecycle('commit');
      api.LMSGetValue = getValue;
      api.LMSSetValue = setValue;
      api.LMSGetLastError = info.lastError;
      api.LMSGetErrorString = info.string;
      api.LMSGetDiagnostic = info.string;
    } else {
      api.Initialize = lifecycle('init');
      api.Terminate = lifecycle('finish');
      api.Commit = lifecycle('commit');
      api.GetValue = getValue;
      api.SetValue = setValue;
      api.GetLastError = info.lastError;
      api.GetErrorString = info.string;
      api.GetDiagnostic = info.string;
    }
    return api;
  }

  return { createAPI: createAPI, newRecord: newRecord, FORMAT_12: FORMAT_12, FORMAT_2004: FORMAT_2004, types: T };
});
