/* An LMS-side double of Moodle 5.1's SCORM activity (mod_scorm), written from the facts observed in
 * ../shared/reference/lms-behaviours.md section 2 (packages uploaded through the activity's own
 * code path and played as a student; records read from the database and Moodle's reports). The
 * data model underneath is the strict test LMS (tests/package/lms.js); on top of it, each rule is
 * marked with its fact:
 *   [M1] activity completion "Require status" has two ticks, Passed and Completed; the add form's
 *        default is Completed alone. A SCO meets it when one of its status values (1.2
 *        cmi.core.lesson_status; 2004 cmi.completion_status and cmi.success_status) is ticked.
 *        SCORM 1.2 has one status, so a 1.2 SCO that ends "passed" never meets Completed.
 *   [M2] grading method, default "Highest grade" over the package's SCOs (so a 14-SCO course
 *        shows 100 after one module); also "Sum grade" and "Learning objects" (SCOs completed
 *        or passed). ("Average grade" exists too; how it counts SCOs never opened was not
 *        established, so it is not modelled.)
 *   [M3] the 2004 CMITime check accepts "...T18:01:58.00Z" and "...T18:01:58" and refuses
 *        "...T18:01:58Z" and "...T18:01:58+01:00"; a refused value is simply not stored.
 *   [M4] (not from lms-behaviours.md: read in Moodle's datamodels/scorm_12.js, not observed in a
 *        run) at LMSFinish, in normal mode with credit, a SCO with a mastery score and a raw score
 *        gets lesson_status passed or failed from comparing the two, whatever the SCO set.
 * Loaded in the host page (window.MoodleRules, after lms.js) and in node (module.exports). */
(function (root, factory) {
  var lib = factory(typeof module === 'object' && module.exports ? require('../package/lms.js') : root.PostcardTestLMS);
  if (typeof module === 'object' && module.exports) module.exports = lib;
  else root.MoodleRules = lib;
})(typeof window !== 'undefined' ? window : this, function (TestLMS) {
  'use strict';

  /* [M3]: YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]], fraction 1-2 digits, zone only after it. */
  var CMI_TIME = /^(19[7-9][0-9]|20[0-2][0-9]|203[0-8])(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3])(:[0-5][0-9](:[0-5][0-9](\.[0-9]{1,2}(Z|[+-]([01][0-9]|2[0-3])(:[0-5][0-9])?)?)?)?)?)?)?)?$/;

  /* The API for one launch: the strict test LMS with Moodle's rules. `record` and `persist` as in
   * lms.js; `sco` = {masteryScore} from the manifest (1.2). */
  function createAPI(version, record, log, persist, sco) {
    var v12 = version === '1.2';
    var quiet = false; /* Moodle's own reads are not the SCO's calls */
    var inner = TestLMS.createAPI(version, record, function (e) { if (!quiet) log(e); }, persist);
    var refused = null; /* the error of a call Moodle's own rules refused, until the next call */
    var api = {};
    Object.keys(inner).forEach(function (k) {
      api[k] = /GetLastError$/.test(k) ? function () { return refused || inner[k](); }
        : /GetErrorString$|GetDiagnostic$/.test(k) ? inner[k]
          : function () { refused = null; return inner[k].apply(null, arguments); };
    });
    if (!v12) {
      api.SetValue = function (name, value) {
        refused = null;
        if (/\.timestamp$/.test(name) && !CMI_TIME.test(String(value))) { /* [M3]: not stored */
          refused = '406';
          log({ fn: 'SetValue', args: [name, value], result: 'false', error: refused, session: record.sessions });
          return 'false';
        }
        return inner.SetValue(name, value);
      };
    } else {
      api.LMSFinish = function (a) {
        refused = null;
        var mastery = sco && sco.masteryScore;
        quiet = true;
        var raw = inner.LMSGetValue('cmi.core.score.raw');
        if (mastery !== undefined && mastery !== null && mastery !== '' && raw !== '' &&
            inner.LMSGetValue('cmi.core.lesson_mode') === 'normal' && inner.LMSGetValue('cmi.core.credit') === 'credit') {
          inner.LMSSetValue('cmi.core.lesson_status', Number(raw) >= Number(mastery) ? 'passed' : 'failed'); /* [M4] */
        }
        quiet = false;
        return inner.LMSFinish(a);
      };
    }
    return api;
  }

  function statuses(rec) {
    var v = rec.values;
    return rec.version === '1.2' ? [v['cmi.core.lesson_status']] : [v['cmi.completion_status'], v['cmi.success_status']];
  }

  /* [M1] Whether the activity is complete: `scos` are the SCOs' records (a SCO never launched is
   * null), `ticks` the "Require status" ticks (default ["completed"]), `all` the setting that every
   * SCO must return the status (default off: one SCO is enough). */
  function complete(scos, ticks, all) {
    ticks = ticks || ['completed'];
    var meets = scos.map(function (rec) {
      return !!rec && statuses(rec).some(function (s) { return ticks.indexOf(s) >= 0; });
    });
    return all ? meets.every(Boolean) : meets.some(Boolean);
  }

  /* [M2] The grade the gradebook shows for `method`. */
  function grade(scos, method) {
    var raws = scos.map(function (rec) {
      if (!rec) return null;
      var r = rec.values[rec.version === '1.2' ? 'cmi.core.score.raw' : 'cmi.score.raw'];
      return r === undefined || r === '' ? null : Number(r);
    });
    var got = raws.filter(function (r) { return r !== null; });
    switch (method || 'highest') {
    case 'highest': return got.length ? Math.max.apply(null, got) : null;
    case 'sum': return got.reduce(function (a, b) { return a + b; }, 0);
    case 'objects': return scos.filter(function (rec) {
      return !!rec && statuses(rec).some(function (s) { return s === 'completed' || s === 'passed'; });
    }).length;
    default: throw new Error('unknown grading method ' + method);
    }
  }

  return { createAPI: createAPI, complete: complete, grade: grade, CMI_TIME: CMI_TIME };
});
