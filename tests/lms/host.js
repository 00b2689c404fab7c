/* The LMS side of host.html: one of three implementations nobody on the project wrote the rules of
 * (?impl=scorm-again: scorm-again's Scorm12API / Scorm2004API; ?impl=moodle: the Moodle-rules
 * double; ?impl=hub: the Learning-Hub-rules double), with what an LMS does between launches:
 *   host.launch(version, key, url, seed)  a new API on this window for the SCO `key` (its record
 *                                         from earlier launches loaded as that LMS would), then the
 *                                         SCO page `url` in the frame
 *   host.leave()                          unloads the SCO (its pagehide is its final save); resolves
 *                                         once the frame is empty
 *   host.data(key)                        the LMS's record of the SCO now (JSON)
 *   host.calls                            every API call: {fn, args, result, error, session, key}
 * Between launches (scorm-again): exit "suspend" gives entry "resume" with every value back;
 * otherwise SCORM 1.2 keeps the record (entry "") and SCORM 2004 starts a new attempt. */
(function () {
  'use strict';
  var q = new URLSearchParams(location.search);
  var impl = q.get('impl');
  function frame() { return document.getElementById('sco'); } /* this script runs before the body */
  var host = window.host = { impl: impl, calls: [], records: {}, sessions: {}, current: null };
  var FNS = {
    '1.2': ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSGetLastError', 'LMSGetErrorString', 'LMSGetDiagnostic'],
    '2004': ['Initialize', 'Terminate', 'GetValue', 'SetValue', 'Commit', 'GetLastError', 'GetErrorString', 'GetDiagnostic']
  };

  function log(key) {
    return function (entry) { entry.key = key; entry.session = host.sessions[key]; host.calls.push(entry); };
  }

  /* scorm-again's data model as one JSON object, in its own shape (cmi.core.* nested for 1.2). */
  function againData(api) { return api.renderCMIToJSONObject(api.cmi, true).cmi; }

  var IMPLS = {
    'scorm-again': function (version, key, seed) {
      var v12 = version === '1.2';
      var api = v12 ? new window.Scorm12API({ logLevel: 5 }) : new window.Scorm2004API({ logLevel: 5 });
      var prev = host.records[key];
      var exit = prev ? (v12 ? prev.core.exit : prev.exit) : null;
      var json;
      if (prev && (v12 || exit === 'suspend')) {
        json = JSON.parse(JSON.stringify(prev));
        var core = v12 ? json.core : json;
        core.entry = exit === 'suspend' ? 'resume' : '';
        delete core.exit;
        delete core.session_time;
      } else {
        json = v12 ? { core: { student_id: seed.learner, student_name: seed.name, entry: 'ab-initio', credit: 'credit', lesson_mode: 'normal' },
          student_data: { mastery_score: seed.masteryScore || '' } }
          : { learner_id: seed.learner, learner_name: seed.name, entry: 'ab-initio', credit: 'credit', mode: 'normal' };
      }
      api.loadFromJSON(json);
      /* The SCO sees the eight SCORM functions; every call is logged with the error it left. */
      var out = {};
      var record = log(key);
      FNS[v12 ? '1.2' : '2004'].forEach(function (fn, i) {
        out[fn] = function () {
          var args = Array.prototype.slice.call(arguments);
          var result = api[fn].apply(api, args);
          if (i < 5) record({ fn: fn, args: args, result: result, error: String(api[FNS[v12 ? '1.2' : '2004'][5]]()) });
          if (i === 1 && result === 'true') host.records[key] = againData(api);
          return result;
        };
      });
      return { api: out, data: function () { return againData(api); } };
    },
    'moodle': function (version, key, seed) {
      var rec = host.records[key];
      if (!rec) {
        rec = host.records[key] = window.PostcardTestLMS.newRecord(version === '1.2' ? '1.2' : '2004');
        if (version === '1.2' && seed.masteryScore) rec.values['cmi.student_data.mastery_score'] = seed.masteryScore;
      }
      var api = window.MoodleRules.createAPI(version === '1.2' ? '1.2' : '2004', rec, log(key), function () {}, seed);
      return { api: api, data: function () { return host.records[key]; } };
    },
    'hub': function (version, key) {
      var store = host.records[key] = host.records[key] || {};
      var api = window.HubRules.createAPI(store, log(key));
      return { api: api, data: function () { return host.records[key].record; } };
    }
  };

  host.launch = function (version, key, url, seed) {
    host.sessions[key] = (host.sessions[key] || 0) + 1;
    var lms = IMPLS[impl](version, key, seed || {});
    host.current = { key: key, lms: lms };
    delete window.API;
    delete window.API_1484_11;
    window[version === '1.2' ? 'API' : 'API_1484_11'] = lms.api;
    frame().src = url;
  };

  host.leave = function () {
    return new Promise(function (resolve) {
      var f = frame();
      f.onload = function () { f.onload = null; resolve(); };
      f.src = 'about:blank';
    });
  };

  host.data = function (key) {
    if (host.current && host.current.key === key) return JSON.parse(JSON.stringify(host.current.lms.data()));
    var r = host.records[key];
    return r ? JSON.parse(JSON.stringify(impl === 'hub' ? r.record : r)) : null;
  };
})();
