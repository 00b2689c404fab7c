/* postcard.js: the content side of a Postcard SCORM package.
 *
 * Finds the LMS API (SCORM 1.2 `API` or 2004 `API_1484_11`; with none it runs standalone and keeps
 * progress in localStorage), shows the cards one at a time, runs the quiz, the reflection and the
 * reading list, and reports to the LMS: bookmark, resume state, completion, success, score, one
 * interaction per answer, session time and exit. No dependencies and no network: everything it
 * needs is in the page (the data JSON written by `postcard build`, see README.md in this folder).
 *
 * The pure parts (resume-state encoding, scoring, SCORM value formats, interaction patterns) are
 * exported for node tests when this file is loaded as a CommonJS module; in a browser it starts. */
(function (root, factory) {
  'use strict';
  var core = factory();
  if (typeof module === 'object' && module && module.exports) {
    module.exports = core;
  } else if (root && root.document) {
    var go = function () { core.start(root); };
    if (root.document.readyState === 'loading') root.document.addEventListener('DOMContentLoaded', go);
    else go();
  }
})(typeof window !== 'undefined' ? window : this, function () {
  'use strict';

  /* ------------------------------------------------------------------------------------------ */
  /* Resume state (cmi.suspend_data). The grammar and the worst-case length are documented in    */
  /* README.md ("Encoding"); the compiler computes the same worst case in C.                      */

  var FORMAT = '1';
  var LETTERS = 'abcdefghij'; /* option, pair and step positions 0..9 (the schema allows 10) */
  var NUMBER_RE = /^-?[0-9]{1,10}(\.[0-9]{1,7})?$/; /* what a numeric answer may be (CMIDecimal, real(10,7)) */
  var NUMBER_MAX = 19; /* "-" + 10 digits + "." + 7 digits */
  var ESCAPED_RE = /[%;\u0000-\u001f\u007f]/g;

  function hex2(n) { return (n < 16 ? '0' : '') + n.toString(16).toUpperCase(); }

  /* Free text (fill-in answers) inside suspend data: the separator `;`, the escape `%` and control
   * characters become %XX (3 characters); everything else is stored as typed. */
  function escapeText(s) {
    return s.replace(ESCAPED_RE, function (c) { return '%' + hex2(c.charCodeAt(0)); });
  }

  /* Inverse of escapeText; null unless `s` is exactly what escapeText produces. */
  function unescapeText(s) {
    var out = s.replace(/%([0-9A-F]{2})/g, function (m, h) { return String.fromCharCode(parseInt(h, 16)); });
    return escapeText(out) === s ? out : null;
  }

  function isDigits(s, n) {
    for (var i = 0; i < s.length; i++) {
      var d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9 || d >= n) return false;
    }
    return true;
  }

  function optionCount(q) {
    if (q.options) return q.options.length;
    if (q.pairs) return q.pairs.length;
    if (q.steps) return q.steps.length;
    return 0;
  }

  /* One checked answer as stored. Answers in memory: choice/likert an index; multiple ascending
   * indexes; true-false a boolean; fill-in the text typed; numeric the normalised number string;
   * matching the chosen pair index for each source; ordering the step indexes in the learner's order. */
  function encodeAnswer(q, a) {
    switch (q.type) {
    case 'choice': case 'likert': return String(a);
    case 'true-false': return a ? 't' : 'f';
    case 'fill-in': return escapeText(a);
    case 'numeric': return a;
    default: return a.join(''); /* multiple, matching, ordering */
    }
  }

  /* A stored answer back into memory form; null when it does not fit the question (a changed
   * module, a hand-edited value): that question is simply unanswered again. */
  function decodeAnswer(q, s) {
    var n = optionCount(q), i, list;
    switch (q.type) {
    case 'choice': case 'likert':
      return s.length === 1 && isDigits(s, n) ? Number(s) : null;
    case 'true-false':
      return s === 't' ? true : s === 'f' ? false : null;
    case 'fill-in':
      list = unescapeText(s);
      return list !== null && list.length > 0 && list.length <= q.maxlength ? list : null;
    case 'numeric':
      return NUMBER_RE.test(s) ? s : null;
    case 'multiple':
      if (s.length < 1 || s.length > n || !isDigits(s, n)) return null;
      for (i = 1; i < s.length; i++) if (s.charAt(i) <= s.charAt(i - 1)) return null;
      return s.split('').map(Number);
    case 'matching':
      return s.length === n && isDigits(s, n) ? s.split('').map(Number) : null;
    case 'ordering':
      if (s.length !== n || !isDigits(s, n)) return null;
      list = s.split('').map(Number);
      for (i = 0; i < n; i++) if (list.indexOf(i) < 0) return null;
      return list;
    default:
      return null;
    }
  }

  function questions(data) { return data.quiz ? data.quiz.questions : []; }

  function emptyState(data) {
    return {
      seen: data.cards.map(function () { return false; }),
      answers: questions(data).map(function () { return null; }),
      recorded: 0
    };
  }

  /* The interactions written in this attempt, kept only by the profiles that number interactions
   * themselves (the Learning Hub): two digits at most, so at most "." and 99. */
  var RECORDED_MAX = 99;

  function encodeState(data, state) {
    var s = FORMAT + '.', k, b;
    for (k = 0; k * 4 < data.cards.length; k++) {
      var v = 0;
      for (b = 0; b < 4; b++) if (state.seen[k * 4 + b]) v |= 1 << b;
      s += v.toString(16);
    }
    if (state.recorded > 0) s += '.' + Math.min(state.recorded, RECORDED_MAX);
    questions(data).forEach(function (q, i) {
      var a = state.answers[i];
      s += ';' + (a === null || a === undefined ? '' : encodeAnswer(q, a));
    });
    return s;
  }

  function decodeState(data, str) {
    var state = emptyState(data);
    if (typeof str !== 'string' || str.slice(0, 2) !== FORMAT + '.') return state;
    var parts = str.slice(2).split(';');
    var head = /^([0-9a-f]*)(?:\.([1-9][0-9]?))?$/.exec(parts[0]);
    var cards = head ? head[1] : '';
    if (head) {
      state.recorded = head[2] ? Number(head[2]) : 0;
      for (var i = 0; i < data.cards.length; i++) {
        var d = parseInt(cards.charAt(i >> 2) || '0', 16);
        state.seen[i] = ((d >> (i & 3)) & 1) === 1;
      }
    }
    var qs = questions(data);
    if (parts.length - 1 === qs.length) {
      qs.forEach(function (q, j) {
        state.answers[j] = parts[j + 1] === '' ? null : decodeAnswer(q, parts[j + 1]);
      });
    }
    return state;
  }

  /* The longest suspend data this module can produce: the number the compiler proves at build
   * time (`suspendBudget`). Lengths are in UTF-16 units, which is never less than code points. */
  function answerWorstCase(q) {
    switch (q.type) {
    case 'choice': case 'likert': case 'true-false': return 1;
    case 'fill-in': return 3 * q.maxlength;
    case 'numeric': return NUMBER_MAX;
    default: return optionCount(q); /* multiple (every option), matching, ordering */
    }
  }

  function worstCaseLength(data) {
    var n = 2 + Math.ceil(data.cards.length / 4);
    if (data.quiz && profileOf(data).ownCount) n += 1 + String(RECORDED_MAX).length;
    questions(data).forEach(function (q) { n += 1 + answerWorstCase(q); });
    return n;
  }

  /* ------------------------------------------------------------------------------------------ */
  /* Answers and scoring                                                                          */

  /* A decimal string as an exact integer count of 10^-7, so ranges compare without rounding. */
  function decimalUnits(s) {
    var neg = s.charAt(0) === '-';
    var body = neg ? s.slice(1) : s;
    var dot = body.indexOf('.');
    var whole = dot < 0 ? body : body.slice(0, dot);
    var frac = dot < 0 ? '' : body.slice(dot + 1);
    while (frac.length < 7) frac += '0';
    var v = BigInt(whole + frac);
    return neg ? -v : v;
  }

  /* What the learner typed as a number: spaces and a leading "+" are ignored; null if it is not a
   * plain decimal (no exponent, at most 10 digits before and 7 after the point). */
  function normaliseNumber(input) {
    var s = String(input).trim().replace(/^\+/, '').replace(/^(-?)\./, '$10.');
    return NUMBER_RE.test(s) ? s : null;
  }

  /* Fill-in answers match when they read the same to a person (README.md, "Fill-in matching"):
   * Unicode compatibility forms (NFKC: full-width letters, ligatures, no-break spaces), curly
   * quotes and apostrophes, case, hyphens and dashes against spaces, runs of spaces, and trailing
   * punctuation (. , ; : ! ?) are all ignored. Upper then lower case folds what lower case alone
   * misses ("STRASSE" and "straße", final sigma). When the loose form of a text would be empty (an
   * accepted answer that is only punctuation, say "?") the text keeps its punctuation, so "!" never
   * matches it. Only the comparison folds: the answer stored and sent is what the learner typed. */
  var SINGLE_QUOTES_RE = /[\u2018\u2019\u201A\u201B\u02BC]/g;
  var DOUBLE_QUOTES_RE = /[\u201C\u201D\u201E\u201F]/g;
  var DASHES_RE = /[-\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
  var TRAILING_RE = /[\s.,;:!?]+$/;

  function foldText(s) {
    var base = String(s).normalize('NFKC').replace(SINGLE_QUOTES_RE, "'").replace(DOUBLE_QUOTES_RE, '"')
      .toUpperCase().toLowerCase().normalize('NFKC').replace(/\s+/g, ' ').trim();
    var loose = base.replace(DASHES_RE, ' ').replace(TRAILING_RE, '').replace(/\s+/g, ' ').trim();
    return loose || base;
  }

  /* true, false, or null for questions that are not scored (likert). */
  function isCorrect(q, a) {
    var i;
    switch (q.type) {
    case 'choice': return a === q.correct[0];
    case 'multiple':
      if (a.length !== q.correct.length) return false;
      for (i = 0; i < a.length; i++) if (a[i] !== q.correct[i]) return false;
      return true;
    case 'true-false': return a === q.answer;
    case 'fill-in':
      return q.answers.some(function (x) { return foldText(x) === foldText(a); });
    case 'numeric':
      var v = decimalUnits(a);
      if (q.min !== undefined && q.min !== null && v < decimalUnits(q.min)) return false;
      if (q.max !== undefined && q.max !== null && v > decimalUnits(q.max)) return false;
      return true;
    case 'matching': case 'ordering':
      for (i = 0; i < a.length; i++) if (a[i] !== i) return false;
      return true;
    default: return null;
    }
  }

  /* ------------------------------------------------------------------------------------------ */
  /* Feedback after a checked answer                                                              */

  function hasBound(x) { return x !== undefined && x !== null; }

  /* The right answer of a numeric question, in words. */
  function numericWanted(q) {
    if (hasBound(q.min) && hasBound(q.max)) {
      return decimalUnits(q.min) === decimalUnits(q.max) ? q.min : 'any number from ' + q.min + ' to ' + q.max;
    }
    if (hasBound(q.min)) return q.min + ' or more';
    if (hasBound(q.max)) return q.max + ' or less';
    return 'any number';
  }

  /* What the feedback panel says once an answer is checked, as data: the page renders it, node
   * tests read it for every question type. It is never empty, whatever feedback the author wrote
   * or left out: it says in words whether the answer is right (`heading`), what the learner
   * answered with the feedback of the options they chose, and, when the answer is wrong, the
   * right answer with its feedback; the author's general feedback comes last.
   *   { verdict: true | false | null (not marked), heading, blocks: [BLOCK, ...] }
   *   BLOCK = { label?, text?, note?, items?: [{ text, mark?: 'right' | 'wrong', note? }], ordered? }
   * `note` is the author's feedback for that answer; `mark` says whether a chosen option is right. */
  function feedbackModel(q, a) {
    var r = isCorrect(q, a);
    var blocks = [];
    var fb = function (k) { return (q.options[k] && q.options[k].feedback) || null; };
    var right, general, count, n;
    switch (q.type) {
    case 'choice':
      blocks.push({ label: 'Your answer', text: q.options[a].text, note: fb(a) });
      right = q.correct[0];
      if (!r) blocks.push({ label: 'The right answer', text: q.options[right].text, note: fb(right) });
      break;
    case 'multiple':
      blocks.push({
        label: a.length === 1 ? 'Your answer' : 'Your answers',
        items: a.map(function (k) {
          return { text: q.options[k].text, mark: q.correct.indexOf(k) >= 0 ? 'right' : 'wrong', note: fb(k) };
        })
      });
      /* The feedback of a right option the learner chose is already under "Your answers". */
      if (!r) {
        blocks.push({
          label: q.correct.length === 1 ? 'The right answer' : 'The right answers',
          items: q.correct.map(function (k) { return { text: q.options[k].text, note: a.indexOf(k) >= 0 ? null : fb(k) }; })
        });
      }
      break;
    case 'true-false':
      blocks.push({ label: 'Your answer', text: a ? 'True' : 'False' });
      if (!r) blocks.push({ label: 'The right answer', text: q.answer ? 'True' : 'False' });
      break;
    case 'fill-in':
      blocks.push({ label: 'Your answer', text: a });
      if (!r) {
        blocks.push({ label: 'The right answer', text: q.answers[0] });
        if (q.answers.length > 1) blocks.push({ label: 'Also accepted', text: q.answers.slice(1).join('; ') });
      }
      break;
    case 'numeric':
      blocks.push({ label: 'Your answer', text: a });
      if (!r) blocks.push({ label: 'The right answer', text: numericWanted(q) });
      break;
    case 'matching':
      n = q.pairs.length;
      count = a.filter(function (t, s) { return t === s; }).length;
      blocks.push({ text: r ? 'You matched all ' + n + ' correctly.'
        : count === 0 ? 'None of your ' + n + ' matches is right.' : 'You matched ' + count + ' of ' + n + ' correctly.' });
      if (!r) blocks.push({ label: 'The right matches', items: q.pairs.map(function (p) { return { text: p.source + ': ' + p.target }; }) });
      break;
    case 'ordering':
      n = q.steps.length;
      count = a.filter(function (step, pos) { return step === pos; }).length;
      blocks.push({ text: r ? 'All ' + n + ' steps are in the right order.'
        : count === 0 ? 'None of the ' + n + ' steps is in the right place.' : 'You put ' + count + ' of ' + n + ' steps in the right place.' });
      if (!r) blocks.push({ label: 'The right order', ordered: true, items: q.steps.map(function (st) { return { text: st }; }) });
      break;
    case 'likert':
      blocks.push({ label: 'Your answer', text: q.options[a].text, note: fb(a) });
      break;
    default:
      break;
    }
    general = q.feedback && (r === true ? q.feedback.correct : r === false ? q.feedback.incorrect : null);
    if (general) blocks.push({ text: general });
    return { verdict: r, heading: r === null ? 'Thank you' : r ? 'Correct' : 'Not correct', blocks: blocks };
  }

  /* The quiz result from the answers: `done` when every question is answered. The pass decision is
   * exact integer arithmetic (correct * 100 >= pass * scored); raw is the percentage, 2 decimals. */
  function scoreQuiz(data, answers) {
    var qs = questions(data), scored = 0, correct = 0, done = qs.length > 0;
    qs.forEach(function (q, i) {
      if (answers[i] === null || answers[i] === undefined) { done = false; return; }
      var r = isCorrect(q, answers[i]);
      if (r === null) return;
      scored++;
      if (r) correct++;
    });
    var res = { done: done, scored: scored, correct: correct, raw: null, scaled: null, passed: null };
    if (done && scored > 0) {
      res.raw = String(Math.round(correct * 10000 / scored) / 100);
      res.scaled = String(Math.round(correct * 10000 / scored) / 10000);
      res.passed = correct * 100 >= data.quiz.pass * scored;
    }
    return res;
  }

  /* ------------------------------------------------------------------------------------------ */
  /* SCORM value formats                                                                          */

  function pad(n, w) { var s = String(n); while (s.length < w) s = '0' + s; return s; }

  /* CMITimespan (1.2): HH[HH]:MM:SS.SS, at most 9999 hours. */
  function timespan12(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000);
    if (h > 9999) return '9999:59:59.99';
    return pad(h, 2) + ':' + pad(Math.floor(cs / 6000) % 60, 2) + ':' + pad(Math.floor(cs / 100) % 60, 2) +
      '.' + pad(cs % 100, 2);
  }

  /* timeinterval (2004): PT#H#M#[.##]S. */
  function duration2004(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var s = String(Math.floor(cs / 100) % 60);
    var frac = cs % 100;
    if (frac) s += '.' + pad(frac, 2).replace(/0$/, '');
    return 'PT' + Math.floor(cs / 360000) + 'H' + (Math.floor(cs / 6000) % 60) + 'M' + s + 'S';
  }

  /* CMITime (1.2): the local time of day. */
  function time12(d) {
    return pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2);
  }

  /* time(second,10,0) (2004): the UTC date and time, always in the full form with hundredths of a
   * second, `2026-12-07T18:00:41.37Z`. The format allows a time zone only after a fraction:
   * `…:41Z` is refused (406) by scorm-again, Moodle and ADL's tests. */
  function timestamp2004(d) {
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1, 2) + '-' + pad(d.getUTCDate(), 2) + 'T' +
      pad(d.getUTCHours(), 2) + ':' + pad(d.getUTCMinutes(), 2) + ':' + pad(d.getUTCSeconds(), 2) + '.' +
      pad(Math.floor(d.getUTCMilliseconds() / 10), 2) + 'Z';
  }

  /* 2004 localized_string: a text starting with "{" would read as a delimiter, so it gets an explicit
   * {lang=} first. `limit` caps the text in code points (the SPM). */
  function localized(text, lang, limit) {
    var t = Array.from(text);
    if (limit && t.length > limit) t = t.slice(0, limit);
    text = t.join('');
    if (text.charAt(0) !== '{') return text;
    var tag = /^([a-zA-Z]{2,3}|[iIxX])(-[a-zA-Z0-9]{1,8})*$/.test(lang || '') ? lang : 'en';
    return '{lang=' + tag + '}' + text;
  }

  /* Text a learner typed, made safe to send: a lone surrogate (invalid UTF-8 for the LMS) becomes
   * U+FFFD and U+0000 (which JSON back ends refuse) is dropped. */
  function cleanText(s) {
    return s.replace(/\u0000/g, '')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '$1\uFFFD');
  }

  /* Learner text inside a 2004 response list: "[,]" would split it into two items. */
  function unbracket(text) { return text.split('[,]').join('[ ,]'); }

  /* ------------------------------------------------------------------------------------------ */
  /* Interactions: one record per checked answer (README.md, "Interaction patterns").            */

  var INTERACTION_TYPE = {
    'choice': 'choice', 'multiple': 'choice', 'true-false': 'true-false', 'fill-in': 'fill-in',
    'numeric': 'numeric', 'matching': 'matching', 'ordering': 'sequencing', 'likert': 'likert'
  };

  function interactionId(edition, data, q) {
    return edition === '1.2' ? data.module.id + '_' + q.id : 'urn:postcard:' + data.module.id + ':' + q.id;
  }

  /* The correct-response patterns of a question (zero or more). */
  function correctPatterns(edition, data, q) {
    var v12 = edition === '1.2';
    var list = v12 ? ',' : '[,]', pair = v12 ? '.' : '[.]';
    var idx = function (n) { var r = []; for (var i = 0; i < n; i++) r.push(i); return r; };
    switch (q.type) {
    case 'choice': case 'multiple': return [q.correct.map(function (i) { return LETTERS[i]; }).join(list)];
    case 'true-false': return [v12 ? (q.answer ? 't' : 'f') : String(q.answer)];
    case 'fill-in':
      /* 1.2: one pattern per accepted answer; 2004 allows 5 patterns (SPM), so the first five. */
      return v12 ? q.answers.slice(0, 10)
        : q.answers.slice(0, 5).map(function (x) { return localized(unbracket(x), data.module.lang, 250); });
    case 'numeric':
      var has = function (x) { return x !== undefined && x !== null; };
      if (v12) return has(q.min) && has(q.max) && decimalUnits(q.min) === decimalUnits(q.max) ? [q.min] : [];
      return [(has(q.min) ? q.min : '') + '[:]' + (has(q.max) ? q.max : '')];
    case 'matching':
      return [idx(q.pairs.length).map(function (i) { return LETTERS[i] + pair + LETTERS[i]; }).join(list)];
    case 'ordering':
      return [idx(q.steps.length).map(function (i) { return LETTERS[i]; }).join(list)];
    default: return []; /* likert: no right answer */
    }
  }

  function learnerResponse(edition, data, q, a) {
    var v12 = edition === '1.2';
    var list = v12 ? ',' : '[,]', pair = v12 ? '.' : '[.]';
    switch (q.type) {
    case 'choice': case 'likert': return LETTERS[a];
    case 'true-false': return v12 ? (a ? 't' : 'f') : String(a);
    case 'fill-in': return v12 ? a : localized(unbracket(a), data.module.lang, 250);
    case 'numeric': return a;
    case 'matching': return a.map(function (t, i) { return LETTERS[i] + pair + LETTERS[t]; }).join(list);
    default: return a.map(function (i) { return LETTERS[i]; }).join(list); /* multiple, ordering */
    }
  }

  /* The SetValue calls (element suffix after `cmi.interactions.n.`, value) for one answer, in the
   * order the data model needs: id first, type before patterns and response. */
  function interactionValues(edition, data, q, a, latencyMs, when) {
    var v12 = edition === '1.2';
    var r = isCorrect(q, a);
    var out = [['id', interactionId(edition, data, q)], ['type', INTERACTION_TYPE[q.type]]];
    if (!v12) out.push(['description', localized(q.prompt.replace(/\s+/g, ' ').trim(), data.module.lang, 250)]);
    correctPatterns(edition, data, q).forEach(function (p, m) { out.push(['correct_responses.' + m + '.pattern', p]); });
    out.push([v12 ? 'student_response' : 'learner_response', learnerResponse(edition, data, q, a)]);
    out.push(['result', r === null ? 'neutral' : r ? 'correct' : v12 ? 'wrong' : 'incorrect']);
    out.push(['weighting', r === null ? '0' : '1']);
    out.push(['latency', v12 ? timespan12(latencyMs) : duration2004(latencyMs)]);
    out.push(v12 ? ['time', time12(when)] : ['timestamp', timestamp2004(when)]);
    return out;
  }

  /* ------------------------------------------------------------------------------------------ */
  /* LMS profiles: what `postcard build --lms` switches in the player (README.md, "LMS profiles";  */
  /* the facts behind each switch are in docs/lms/). A name not here plays as generic.             */

  /* The Learning Hub refuses (405) numeric responses other than digits with an optional decimal
   * point or comma. */
  var HUB_NUMBER_RE = /^[0-9]+(?:[.,][0-9]+)?$/;

  var PROFILES = {
    /* status12: how SCORM 1.2's one status field reports the end of the quiz ('success': passed /
     *   failed; 'completion': completed when the module's goal is met, incomplete otherwise).
     * comments: the reflection goes to cmi.comments / comments_from_learner.
     * ownCount: number interactions from the count kept in suspend_data when the LMS's _count is
     *   lower (an LMS that answers 0 on resume and stores interactions by position).
     * response(type, value): false for a learner response the LMS refuses: it is not sent (the
     *   rest of the interaction is). */
    'generic': { status12: 'success', comments: true, ownCount: false, response: null },
    /* Moodle's default completion rule ticks "Completed" only, which a 1.2 "passed" never meets. */
    'moodle': { status12: 'completion', comments: true, ownCount: false, response: null },
    /* The Hub never stores cmi.comments (reading it throws), answers interactions._count = 0 on
     * every launch, matches interactions by position, and refuses negative or exponent numbers. */
    'learning-hub': {
      status12: 'success', comments: false, ownCount: true,
      response: function (type, v) { return type !== 'numeric' || HUB_NUMBER_RE.test(v); }
    }
  };

  function profileOf(data) { return PROFILES[data.lms] || PROFILES.generic; }

  /* The element names and API functions of each edition. */
  var EDITIONS = {
    '1.2': {
      api: 'API', init: 'LMSInitialize', finish: 'LMSFinish', get: 'LMSGetValue', set: 'LMSSetValue',
      commit: 'LMSCommit', error: 'LMSGetLastError',
      mode: 'cmi.core.lesson_mode', entry: 'cmi.core.entry', location: 'cmi.core.lesson_location',
      suspend: 'cmi.suspend_data', exit: 'cmi.core.exit', session: 'cmi.core.session_time',
      raw: 'cmi.core.score.raw', min: 'cmi.core.score.min', max: 'cmi.core.score.max', scaled: null,
      count: 'cmi.interactions._count', exitDone: '', timespan: timespan12,
      learnerId: 'cmi.core.student_id', learnerName: 'cmi.core.student_name'
    },
    '2004': {
      api: 'API_1484_11', init: 'Initialize', finish: 'Terminate', get: 'GetValue', set: 'SetValue',
      commit: 'Commit', error: 'GetLastError',
      mode: 'cmi.mode', entry: 'cmi.entry', location: 'cmi.location',
      suspend: 'cmi.suspend_data', exit: 'cmi.exit', session: 'cmi.session_time',
      raw: 'cmi.score.raw', min: 'cmi.score.min', max: 'cmi.score.max', scaled: 'cmi.score.scaled',
      count: 'cmi.interactions._count', exitDone: 'normal', timespan: duration2004,
      learnerId: 'cmi.learner_id', learnerName: 'cmi.learner_name'
    }
  };

  function editionOf(scorm) { return scorm === '1.2' ? '1.2' : '2004'; }

  /* The standard search: this window and its parents, then the opener and its parents. Bounded,
   * and tolerant of cross-origin frames (reading them throws). */
  function findAPI(win, name, maxDepth) {
    maxDepth = maxDepth || 10;
    function scan(w) {
      for (var depth = 0; w && depth <= maxDepth; depth++) {
        try { if (w[name]) return w[name]; } catch (e) { /* another origin: keep climbing */ }
        var p = null;
        try { p = w.parent; } catch (e) { p = null; }
        if (!p || p === w) break;
        w = p;
      }
      return null;
    }
    var api = scan(win);
    var openers = [];
    try { if (win.top && win.top.opener) openers.push(win.top.opener); } catch (e) { /* cross-origin top */ }
    try { if (win.opener) openers.push(win.opener); } catch (e) { /* none */ }
    for (var i = 0; !api && i < openers.length; i++) api = scan(openers[i]);
    return api;
  }

  /* 1.2 lesson_status and 2004 success/completion never move down within what the LMS already holds:
   * a learner who passed and looks again does not become failed or incomplete. */
  var RANK_12 = { '': 0, 'not attempted': 0, 'browsed': 0, 'incomplete': 1, 'failed': 2, 'completed': 3, 'passed': 4 };
  var RANK_COMPLETION = { '': 0, 'unknown': 0, 'not attempted': 0, 'incomplete': 1, 'completed': 2 };
  var RANK_SUCCESS = { '': 0, 'unknown': 0, 'failed': 1, 'passed': 2 };

  /* Tracking through a SCORM API. Only changed values are sent; every error is kept in `errors`. */
  function ScormTracker(api, edition, data) {
    this.api = api;
    this.ed = EDITIONS[edition];
    this.edition = edition;
    this.data = data;
    this.profile = profileOf(data);
    this.sent = {};
    this.errors = [];
    this.finished = false;
    this.readOnly = false;
    this.interactionCount = null;
    this.commentIndex = null;
    this.reflectionStored = false;
    this.kind = 'lms';
  }

  /* One API call; its answer as a string (some LMSs answer true or the number 0), or null when the
   * call threw or answered nothing: a failed call is never a value (the Learning Hub's
   * LMSGetValue("cmi.comments") throws, and "false" once showed in the reflection box). */
  ScormTracker.prototype.call = function (fn) {
    var args = Array.prototype.slice.call(arguments, 1);
    var r;
    try { r = this.api[fn].apply(this.api, args); } catch (e) { return null; }
    return r === null || r === undefined ? null : String(r);
  };

  ScormTracker.prototype.lastError = function () {
    var code;
    try { code = String(this.api[this.ed.error]()); } catch (e) { code = '101'; }
    return code;
  };

  /* GetValue; null when the call fails or the LMS answers with an error (unset, unimplemented). */
  ScormTracker.prototype.get = function (el) {
    var v = this.call(this.ed.get, el);
    if (v === null) return null;
    return this.lastError() === '0' ? v : null;
  };

  ScormTracker.prototype.set = function (el, value) {
    if (this.readOnly || this.finished) return false;
    if (Object.prototype.hasOwnProperty.call(this.sent, el) && this.sent[el] === value) return true;
    var ok = this.call(this.ed.set, el, value) === 'true';
    if (ok) this.sent[el] = value;
    else this.errors.push(el + ': ' + this.lastError());
    return ok;
  };

  ScormTracker.prototype.commit = function () {
    if (this.readOnly || this.finished) return;
    if (this.call(this.ed.commit, '') !== 'true') this.errors.push('commit: ' + this.lastError());
  };

  /* Initialize and read what a resume needs. Returns null when the LMS refuses to start. */
  ScormTracker.prototype.open = function () {
    var ed = this.ed, data = this.data;
    if (this.call(ed.init, '') !== 'true') return null;
    var mode = this.get(ed.mode);
    /* Review and browse launches show the module without changing the learner's record. */
    this.readOnly = mode === 'review' || mode === 'browse';
    var saved = { entry: this.get(ed.entry) || '', suspend: null, location: null, reflection: '' };
    if (this.edition === '1.2') {
      this.sent['cmi.core.lesson_status'] = this.get('cmi.core.lesson_status') || '';
    } else {
      this.sent['cmi.completion_status'] = this.get('cmi.completion_status') || '';
      this.sent['cmi.success_status'] = this.get('cmi.success_status') || '';
    }
    /* 2004 answers "not initialized" (403) for both on a fresh attempt: read them only to resume.
     * 1.2 has no such error, and LMSs differ on `entry`, so 1.2 always reads them. */
    if (this.edition === '1.2' || saved.entry === 'resume') {
      saved.suspend = this.get(ed.suspend);
      saved.location = this.get(ed.location);
    }
    if (saved.suspend !== null) this.sent[ed.suspend] = saved.suspend;
    if (saved.location !== null) this.sent[ed.location] = saved.location;
    if (data.quiz) {
      var count = this.get(ed.count);
      this.interactionCount = count !== null && /^[0-9]+$/.test(count) ? Number(count) : null;
    }
    if (data.reflection) saved.reflection = this.readReflection();
    /* Who the learner is: the id seeds the order options are shown in, the name goes on the
     * certificate. Only read when the module has a quiz (neither is used otherwise). */
    saved.learner = { id: '', name: '' };
    if (data.quiz) saved.learner = { id: this.get(ed.learnerId) || '', name: this.get(ed.learnerName) || '' };
    return saved;
  };

  ScormTracker.prototype.readReflection = function () {
    if (!this.profile.comments) {
      this.reflectionStored = false;
      return '';
    }
    if (this.edition === '1.2') {
      var c = this.get('cmi.comments');
      this.reflectionStored = c !== null;
      return c || '';
    }
    var n = this.get('cmi.comments_from_learner._count');
    this.reflectionStored = n !== null;
    if (n === null) return '';
    for (var i = Number(n) - 1; i >= 0; i--) {
      if (this.get('cmi.comments_from_learner.' + i + '.location') === this.data.reflection.id) {
        this.commentIndex = i;
        return (this.get('cmi.comments_from_learner.' + i + '.comment') || '').replace(/^\{lang=[^}]*\}/, '');
      }
    }
    return '';
  };

  /* Bookmark, resume state, status, score and exit, as far as they changed; then one commit. */
  ScormTracker.prototype.save = function (p) {
    if (this.readOnly || this.finished) return;
    var ed = this.ed, self = this, q = p.quiz;
    this.set(ed.location, p.location);
    this.set(ed.suspend, p.suspend);
    var scoreSets = function () {
      self.set(ed.min, '0');
      self.set(ed.max, '100');
      self.set(ed.raw, q.raw);
      if (ed.scaled) self.set(ed.scaled, q.scaled);
    };
    if (this.edition === '1.2') {
      var st;
      if (this.profile.status12 === 'completion') st = p.done ? 'completed' : 'incomplete';
      else if (q && q.done && q.scored > 0) st = q.passed ? 'passed' : 'failed';
      else st = p.allSeen && (!q || q.done) ? 'completed' : 'incomplete';
      var cur = this.sent['cmi.core.lesson_status'];
      if (RANK_12[st] >= (RANK_12[cur] || 0)) {
        if (q && q.done && q.scored > 0) scoreSets();
        this.set('cmi.core.lesson_status', st);
      }
    } else {
      var comp = p.allSeen && (!q || q.done) ? 'completed' : 'incomplete';
      if (RANK_COMPLETION[comp] >= (RANK_COMPLETION[this.sent['cmi.completion_status']] || 0)) {
        this.set('cmi.completion_status', comp);
      }
      if (q && q.done && q.scored > 0) {
        var suc = q.passed ? 'passed' : 'failed';
        if (RANK_SUCCESS[suc] >= (RANK_SUCCESS[this.sent['cmi.success_status']] || 0)) {
          scoreSets();
          this.set('cmi.success_status', suc);
        }
      }
    }
    this.set(ed.exit, p.done ? ed.exitDone : 'suspend');
    this.commit();
  };

  /* The count of interactions the resume state kept (profiles with ownCount): numbering goes on
   * from it when the LMS's _count is lower, so a resumed session does not overwrite the first. */
  ScormTracker.prototype.resumeCount = function (recorded) {
    if (this.profile.ownCount && this.interactionCount !== null && recorded > this.interactionCount) {
      this.interactionCount = recorded;
    }
  };

  /* Interactions written in this attempt so far, for the resume state (profiles with ownCount). */
  ScormTracker.prototype.recorded = function () {
    return this.profile.ownCount && this.interactionCount !== null ? this.interactionCount : 0;
  };

  ScormTracker.prototype.recordInteraction = function (q, a, latencyMs, when) {
    if (this.readOnly || this.finished || this.interactionCount === null) return;
    var n = this.interactionCount++;
    var prefix = 'cmi.interactions.' + n + '.';
    var self = this, type = INTERACTION_TYPE[q.type], accepts = this.profile.response;
    interactionValues(this.edition, this.data, q, a, latencyMs, when).forEach(function (kv) {
      if (accepts && /_response$/.test(kv[0]) && !accepts(type, kv[1])) return;
      self.set(prefix + kv[0], kv[1]);
    });
  };

  ScormTracker.prototype.saveReflection = function (text) {
    if (!this.reflectionStored || this.readOnly || this.finished) return false;
    var ok;
    if (this.edition === '1.2') {
      ok = this.set('cmi.comments', text);
    } else {
      var first = this.commentIndex === null;
      if (first) this.commentIndex = Number(this.get('cmi.comments_from_learner._count') || 0);
      var pre = 'cmi.comments_from_learner.' + this.commentIndex + '.';
      ok = this.set(pre + 'comment', localized(text, this.data.module.lang));
      if (ok && first) this.set(pre + 'location', this.data.reflection.id);
      if (ok) this.set(pre + 'timestamp', timestamp2004(new Date()));
    }
    this.commit();
    return ok;
  };

  /* When the page is hidden: session time so far, and a commit (the page may never come back). */
  ScormTracker.prototype.checkpoint = function (sessionMs) {
    if (this.readOnly || this.finished) return;
    this.set(this.ed.session, this.ed.timespan(sessionMs));
    this.commit();
  };

  /* The last call of the session (pagehide). A commit refused right before finishing is harmless:
   * every LMS persists on finish (field lessons: an LMS answering 391 there). */
  ScormTracker.prototype.finish = function (sessionMs, done) {
    if (this.finished) return;
    if (!this.readOnly) {
      this.set(this.ed.session, this.ed.timespan(sessionMs));
      this.set(this.ed.exit, done ? this.ed.exitDone : 'suspend');
      this.commit();
    }
    this.call(this.ed.finish, '');
    this.finished = true;
  };

  /* No LMS: the same state in localStorage (or only in memory where storage is blocked). */
  function LocalTracker(win, data) {
    this.kind = 'local';
    this.key = 'postcard:' + data.module.id + ':' + String(data.module.version).split('.')[0];
    this.storage = null;
    try { this.storage = win.localStorage; this.storage.getItem(this.key); } catch (e) { this.storage = null; }
    this.record = {};
    this.errors = [];
    this.finished = false;
    this.reflectionStored = this.storage !== null;
  }

  LocalTracker.prototype.open = function () {
    try { this.record = JSON.parse(this.storage && this.storage.getItem(this.key) || '{}') || {}; } catch (e) { this.record = {}; }
    return {
      entry: this.record.suspend ? 'resume' : 'ab-initio',
      suspend: this.record.suspend || '',
      location: this.record.location || '',
      reflection: this.record.reflection || '',
      learner: { id: localLearnerId(this.storage), name: '' }
    };
  };

  /* Standalone, this browser is the learner: a random id kept in localStorage (apart from the
   * module's record), so the option order stays the same on every visit. */
  function localLearnerId(storage) {
    var key = 'postcard:learner', id = '';
    try {
      id = storage ? storage.getItem(key) || '' : '';
      if (!id && storage) {
        id = Math.random().toString(36).slice(2, 12);
        storage.setItem(key, id);
      }
    } catch (e) { id = ''; }
    return id;
  }

  LocalTracker.prototype.write = function () {
    if (!this.storage) return;
    try { this.storage.setItem(this.key, JSON.stringify(this.record)); } catch (e) { this.errors.push('storage: ' + e.name); }
  };

  LocalTracker.prototype.save = function (p) {
    this.record.location = p.location;
    this.record.suspend = p.suspend;
    this.record.completed = p.allSeen && (!p.quiz || p.quiz.done);
    if (p.quiz && p.quiz.done && p.quiz.scored > 0) {
      this.record.score = p.quiz.raw;
      this.record.passed = p.quiz.passed;
    }
    this.write();
  };

  LocalTracker.prototype.recordInteraction = function () {};
  LocalTracker.prototype.resumeCount = function () {};
  LocalTracker.prototype.recorded = function () { return 0; };
  LocalTracker.prototype.saveReflection = function (text) { this.record.reflection = text; this.write(); return this.storage !== null; };
  LocalTracker.prototype.checkpoint = function () { this.write(); };
  LocalTracker.prototype.finish = function () { this.write(); this.finished = true; };

  function openTracker(win, data) {
    var edition = editionOf(data.scorm);
    var api = findAPI(win, EDITIONS[edition].api);
    if (api) {
      var t = new ScormTracker(api, edition, data);
      var saved = t.open();
      if (saved) return { tracker: t, saved: saved };
    }
    var local = new LocalTracker(win, data);
    return { tracker: local, saved: local.open() };
  }

  /* ------------------------------------------------------------------------------------------ */
  /* Option order, start screen and certificate (README.md: "Shuffled options", "Start screen",  */
  /* "Certificate").                                                                              */

  /* FNV-1a, 32 bits: a stable number from a text. */
  function hash32(s) {
    var h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  /* The order a choice or multiple question's options are shown in: display position -> option
   * index. The same key (learner, module, major version) always gives the same order, so a resumed
   * session looks the same; options marked `fixed` keep their own position; other question types
   * keep the source order. Only the display moves: answers, suspend data and interaction patterns
   * use option indexes, so they do not change. */
  function shuffledOrder(q, key) {
    var n = q.options ? q.options.length : 0, order = [], free = [], i;
    for (i = 0; i < n; i++) order.push(i);
    if (q.type !== 'choice' && q.type !== 'multiple') return order;
    for (i = 0; i < n; i++) if (!q.options[i].fixed) free.push(i);
    var picked = free.slice();
    var st = hash32(key + '\u0000' + q.id) || 1;
    for (i = picked.length - 1; i > 0; i--) { /* Fisher-Yates driven by xorshift32 */
      st ^= st << 13; st >>>= 0;
      st ^= st >>> 17;
      st ^= st << 5; st >>>= 0;
      var j = st % (i + 1), t = picked[i];
      picked[i] = picked[j];
      picked[j] = t;
    }
    free.forEach(function (pos, k) { order[pos] = picked[k]; });
    return order;
  }

  function shuffleKey(data, learnerId) {
    return (learnerId || '') + '/' + data.module.id + '/' + String(data.module.version).split('.')[0];
  }

  var PHASES = {
    overview: 'An overview of the Knowledge Mobilisation Framework',
    before: 'Learning Before: use it at the start of a piece of work',
    during: 'Learning During: use it while the work is under way',
    after: 'Learning After: use it when the work has ended'
  };

  /* What the start screen says, as data. */
  function startModel(data) {
    var m = data.module;
    return {
      summary: m.summary || '',
      outcomes: m.outcomes || [],
      minutes: m.minutes ? 'About ' + m.minutes + (m.minutes === 1 ? ' minute' : ' minutes') : '',
      phase: PHASES[m.phase] || ''
    };
  }

  /* SCORM names are "Family, Given" (1.2 CMIString255 by convention; 2004 likewise): shown as
   * "Given Family". Anything else is shown as it is. */
  function personName(name) {
    var s = String(name || '').replace(/\s+/g, ' ').trim();
    var parts = s.split(',');
    if (parts.length === 2 && parts[0].trim() && parts[1].trim()) return parts[1].trim() + ' ' + parts[0].trim();
    return s;
  }

  /* What the certificate says, as data; `when` a Date. */
  function certificateModel(data, learnerName, result, when) {
    var date;
    try {
      date = when.toLocaleDateString(data.module.lang || 'en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
    } catch (e) { date = when.toISOString().slice(0, 10); }
    return {
      name: personName(learnerName),
      module: data.module.title,
      score: result && result.scored > 0 ? Math.round(result.correct * 100 / result.scored) + '%' : '',
      pass: data.quiz ? data.quiz.pass + '%' : '',
      date: date
    };
  }

  /* ------------------------------------------------------------------------------------------ */
  /* The action plan: the reflection and the learner's next step (what, by when, with whom), to    */
  /* save as a file or print on one page, in every LMS (the Learning Hub never stores what content */
  /* writes to cmi.comments). Everything is made here, as data; the page only saves or prints it.  */

  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'];

  /* The three boxes of the next step. `label` is how the answer is written in the learner comment
   * and on the plan; `max` is the box's maxlength (short: a step, a date, a few names). */
  var NEXT_STEP = [
    { key: 'what', ask: 'What will you do?', label: 'What I will do', max: 200 },
    { key: 'when', ask: 'By when?', label: 'By when', max: 60,
      hint: 'A date, or a moment such as \u201cbefore the project board meets\u201d.' },
    { key: 'who', ask: 'With whom?', label: 'With whom', max: 200 }
  ];

  /* The comment's room: cmi.comments holds 4096 characters (1.2), a 2004 comment 4000 including
   * the "{lang=...}" that localized() may put in front; 100 are left for that. The reflection box
   * gets what the next step cannot use (README.md, "The action plan"). */
  var COMMENT_ROOM = 3900;
  var NEXT_ROOM = NEXT_STEP.reduce(function (n, f) { return n + f.label.length + 3 + f.max; }, 1);

  /* The most the reflection box takes: the module's maxlength, within the comment's room. */
  function reflectionMax(data) {
    return Math.min(data.reflection ? data.reflection.maxlength : 0, COMMENT_ROOM - NEXT_ROOM);
  }

  function emptyNext() { return { what: '', when: '', who: '' }; }

  /* One line of the next step as kept: no line breaks (the comment is split on them), cut to the
   * box's length. */
  function nextLine(value, f) {
    return cleanText(String(value || '')).replace(/[\r\n\u2028\u2029]+/g, ' ').slice(0, f.max);
  }

  /* The learner comment: the reflection, then (when any box is filled) a blank line and one
   * "Label: answer" line per box, so people reading the LMS's record see the plan as written. */
  function reflectionComment(text, next) {
    if (!NEXT_STEP.some(function (f) { return nextLine(next[f.key], f) !== ''; })) return text;
    var block = NEXT_STEP.map(function (f) { return f.label + ': ' + nextLine(next[f.key], f); }).join('\n');
    return text ? text + '\n\n' + block : block;
  }

  var NEXT_RE = new RegExp('(?:^|\r?\n\r?\n)' + NEXT_STEP.map(function (f) {
    return f.label + ': ?([^\r\n]*)'; /* ": " or ":", for an LMS that trims an empty last answer */
  }).join('\r?\n') + '$');

  /* The reverse: { text, next } from a comment. A comment without the three lines at its end (an
   * older reflection, or one the learner wrote elsewhere) is all reflection. */
  function splitComment(comment) {
    var c = String(comment || '');
    var m = NEXT_RE.exec(c);
    var next = emptyNext();
    if (!m) return { text: c, next: next };
    NEXT_STEP.forEach(function (f, i) { next[f.key] = m[i + 1]; });
    return { text: c.slice(0, m.index), next: next };
  }

  function longDate(when) {
    return when.getDate() + ' ' + MONTHS[when.getMonth()] + ' ' + when.getFullYear();
  }

  /* The action plan for `data`'s module, made on date `when`:
   *   { filename: "peer-assist-action-plan.txt", title, date, technique: { name, phase, summary },
   *     steps: [the postcard's how steps], prompt, text, next: [{ label, value }], file }
   * `file` is the whole plan as a text file (CRLF line ends, for Notepad): an empty answer is a
   * line to write on, so the printed or saved plan can be finished by hand. */
  function actionPlan(data, text, next, when) {
    var m = data.module;
    var plan = {
      filename: m.id + '-action-plan.txt', title: m.title + ': my action plan', date: longDate(when),
      technique: { name: m.title, phase: PHASES[m.phase] || '', summary: m.summary || '' },
      steps: data.postcardSteps || [],
      prompt: data.reflection ? data.reflection.prompt : '', text: text || '',
      next: NEXT_STEP.map(function (f) { return { label: f.label, value: nextLine((next || {})[f.key], f) }; })
    };
    var BLANK = '______________________________';
    var lines = [plan.title, plan.date, '', 'The technique: ' + plan.technique.name];
    if (plan.technique.phase) lines.push(plan.technique.phase);
    if (plan.technique.summary) lines.push(plan.technique.summary);
    if (plan.steps.length) {
      lines.push('', 'How to run it:');
      plan.steps.forEach(function (s, i) { lines.push('[ ] ' + (i + 1) + '. ' + s); });
    }
    lines.push('', 'My reflection', plan.prompt, '', plan.text || BLANK, '', 'My next step');
    plan.next.forEach(function (n) { lines.push(n.label + ': ' + (n.value || BLANK)); });
    plan.file = lines.join('\n').replace(/\r?\n/g, '\r\n') + '\r\n';
    return plan;
  }

  /* ------------------------------------------------------------------------------------------ */
  /* The page                                                                                     */

  function el(doc, tag, attrs, children) {
    var e = doc.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') e.textContent = v;
        else if (k === 'class') e.className = v;
        else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : v);
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c);
    });
    return e;
  }

  var RIGHT = '\u2713'; /* ✓ */
  var WRONG = '\u2717'; /* ✗ */

  function start(win) {
    var doc = win.document;
    var dataNode = doc.getElementById('postcard-data');
    var status = doc.getElementById('pc-status');
    var data;
    try {
      data = JSON.parse(dataNode.textContent);
    } catch (e) {
      status.textContent = 'This module could not start: its data is damaged. Please tell the person who published it.';
      return;
    }
    var started = Date.now();
    var opened = openTracker(win, data);
    var tracker = opened.tracker;
    var state = decodeState(data, opened.saved.suspend);
    tracker.resumeCount(state.recorded);
    /* The reflection box and the next step, as one learner comment (reflectionComment). */
    var kept = splitComment(opened.saved.reflection || '');
    var reflection = { text: kept.text, next: kept.next, saved: opened.saved.reflection || '' };
    var learner = opened.saved.learner || { id: '', name: '' };
    var learnerKey = shuffleKey(data, learner.id);
    var qs = questions(data);
    var drafts = qs.map(function () { return null; });
    var shownAt = null; /* when the current question was shown, for latency */
    var errorFor = null; /* the question whose last check was refused, and why */

    var main = doc.getElementById('pc-main');
    var cardsBox = doc.getElementById('pc-cards');
    var screenBox = doc.getElementById('pc-screen');
    var progress = doc.getElementById('pc-progress');
    var nav = doc.getElementById('pc-nav');
    var prev = doc.getElementById('pc-prev');
    var next = doc.getElementById('pc-next');
    doc.documentElement.className += ' pc-js';

    var sections = data.cards.map(function (c) {
      var s = doc.getElementById('card-' + c.id);
      var h = s && s.querySelector('h2');
      if (h) {
        h.setAttribute('tabindex', '-1');
        h.setAttribute('aria-describedby', 'pc-progress');
      }
      return s;
    });

    /* The screens in order: cards, questions, result, reflection, end (with the reading list). */
    var screens = [];
    if (data.module.outcomes && data.module.outcomes.length) screens.push({ kind: 'start', id: 'start' });
    data.cards.forEach(function (c, i) { screens.push({ kind: 'card', id: 'card:' + c.id, index: i }); });
    qs.forEach(function (q, i) { screens.push({ kind: 'question', id: 'q:' + q.id, index: i }); });
    if (data.quiz) screens.push({ kind: 'results', id: 'results' });
    if (data.reflection) screens.push({ kind: 'reflection', id: 'reflection' });
    screens.push({ kind: 'end', id: 'end' });
    var current = 0;

    function quizResult() { return data.quiz ? scoreQuiz(data, state.answers) : null; }
    function allSeen() { return state.seen.every(Boolean); }
    function isDone() {
      var q = quizResult();
      return allSeen() && (!q || (q.done && (q.scored === 0 || q.passed)));
    }

    /* A screen can be shown once every question before it has been answered. */
    function reachable(i) {
      for (var j = 0; j < i; j++) {
        if (screens[j].kind === 'question' && state.answers[screens[j].index] === null) return false;
      }
      return true;
    }

    function persist() {
      tracker.save({
        location: screens[current].id,
        suspend: encodeState(data, state),
        allSeen: allSeen(),
        quiz: quizResult(),
        done: isDone()
      });
    }

    function say(text) { status.textContent = text; }

    /* --- questions --------------------------------------------------------------------------- */

    function qid(q, part) { return 'pc-' + q.id + '-' + part; }

    function optionList(q, i, answer, multiple) {
      var draft = drafts[i];
      var locked = answer !== null;
      var chosen = function (k) {
        var a = locked ? answer : draft;
        if (a === null || a === undefined) return false;
        return multiple ? a.indexOf(k) >= 0 : a === k;
      };
      var labels = q.type === 'true-false' ? ['True', 'False'] : q.options.map(function (o) { return o.text; });
      var order = q.type === 'true-false' ? [0, 1] : shuffledOrder(q, learnerKey);
      return order.map(function (k) {
        var text = labels[k];
        var value = q.type === 'true-false' ? k === 0 : k;
        var isChosen = q.type === 'true-false'
          ? (locked ? answer === value : draft === value)
          : chosen(k);
        var marks = [];
        if (locked && q.type !== 'likert') {
          var right = q.type === 'true-false' ? q.answer === value : q.correct.indexOf(k) >= 0;
          if (isChosen) {
            marks.push(markNode(right, right ? 'Your answer: correct' : 'Your answer: not correct'));
          } else if (right) {
            marks.push(markNode(true, 'Correct answer'));
          }
        } else if (locked && isChosen) {
          marks.push(el(doc, 'span', { class: 'pc-mark', text: 'Your answer' }));
        }
        var id = qid(q, 'o' + k);
        return el(doc, 'div', { class: 'pc-option' }, [
          el(doc, 'input', {
            type: multiple ? 'checkbox' : 'radio', name: qid(q, 'answer'), id: id, value: String(k),
            checked: isChosen, disabled: locked,
            onchange: function () {
              if (multiple) {
                var set = (drafts[i] || []).filter(function (x) { return x !== k; });
                if (this.checked) set.push(k);
                drafts[i] = set.sort(function (x, y) { return x - y; });
              } else {
                drafts[i] = value;
              }
            }
          }),
          el(doc, 'div', { class: 'pc-option-body' }, [el(doc, 'label', { for: id, text: text })].concat(marks))
        ]);
      });
    }

    function errorNode(q, i) {
      if (!errorFor || errorFor.index !== i) return null;
      return el(doc, 'p', { class: 'pc-error', id: qid(q, 'error') }, [
        el(doc, 'span', { class: 'pc-visually-hidden', text: 'Error: ' }), errorFor.message]);
    }

    function describedBy(q, i, hint) {
      var ids = [];
      if (hint) ids.push(qid(q, 'hint'));
      if (errorFor && errorFor.index === i) ids.push(qid(q, 'error'));
      return ids.length ? ids.join(' ') : null;
    }

    function questionBody(q, i) {
      var answer = state.answers[i];
      var locked = answer !== null;
      var draft = drafts[i];
      var hintText, input;
      switch (q.type) {
      case 'choice': case 'multiple': case 'true-false': case 'likert':
        var multiple = q.type === 'multiple';
        return el(doc, 'fieldset', { 'aria-describedby': describedBy(q, i, multiple) }, [
          el(doc, 'legend', { text: q.prompt })
        ].concat(multiple ? [el(doc, 'span', { class: 'pc-hint', id: qid(q, 'hint'), text: 'Choose every answer that applies.' })] : [])
          .concat([errorNode(q, i)]).concat(optionList(q, i, answer, multiple)));
      case 'fill-in': case 'numeric':
        hintText = q.type === 'numeric' ? 'Type a number, for example 12 or 4.5.' : 'Up to ' + q.maxlength + ' characters.';
        input = el(doc, 'input', {
          type: 'text', id: qid(q, 'input'), name: qid(q, 'input'), spellcheck: 'false', autocomplete: 'off',
          maxlength: q.type === 'numeric' ? String(NUMBER_MAX + 4) : String(q.maxlength),
          inputmode: q.type === 'numeric' ? 'decimal' : null,
          'aria-describedby': describedBy(q, i, true), 'aria-invalid': errorFor && errorFor.index === i ? 'true' : null,
          disabled: locked,
          oninput: function () { drafts[i] = this.value; }
        });
        input.value = locked ? answer : (draft || '');
        var mark = null;
        if (locked) {
          var right = isCorrect(q, answer);
          mark = markNode(right, right ? 'Your answer: correct' : 'Your answer: not correct');
        }
        return el(doc, 'div', { class: 'pc-row' }, [
          el(doc, 'label', { class: 'pc-field-label', for: qid(q, 'input'), text: q.prompt }),
          el(doc, 'span', { class: 'pc-hint', id: qid(q, 'hint'), text: hintText }),
          errorNode(q, i), input, mark]);
      case 'matching':
        var chosen = locked ? answer : (draft || q.pairs.map(function () { return null; }));
        return el(doc, 'fieldset', { 'aria-describedby': describedBy(q, i, false) }, [
          el(doc, 'legend', { text: q.prompt }), errorNode(q, i)
        ].concat(q.pairs.map(function (p, s) {
          var sel = el(doc, 'select', {
            id: qid(q, 's' + s), disabled: locked,
            onchange: function () {
              var d = (drafts[i] || q.pairs.map(function () { return null; })).slice();
              d[s] = this.value === '' ? null : Number(this.value);
              drafts[i] = d;
            }
          }, [el(doc, 'option', { value: '', text: 'Choose a match' })].concat(q.targetOrder.map(function (t) {
            return el(doc, 'option', { value: String(t), text: q.pairs[t].target, selected: chosen[s] === t });
          })));
          var row = [el(doc, 'label', { class: 'pc-field-label', for: qid(q, 's' + s), text: p.source }), sel];
          if (locked) {
            var ok = answer[s] === s;
            row.push(markNode(ok, ok ? 'Correct' : 'Not correct. The right match is: ' + p.target));
          }
          return el(doc, 'div', { class: 'pc-row' }, row);
        })));
      case 'ordering':
        var order = locked ? answer : (draft || q.shownOrder.slice());
        drafts[i] = locked ? drafts[i] : order;
        var n = order.length;
        var items = order.map(function (step, pos) {
          var text = q.steps[step];
          var move = function (delta, dir) {
            return el(doc, 'button', {
              type: 'button', class: 'pc-move', 'data-step': String(step), 'data-dir': dir,
              'aria-label': 'Move "' + text + '" ' + dir, disabled: locked || pos + delta < 0 || pos + delta >= n,
              onclick: function () { moveStep(q, i, pos, delta, dir); }
            }, [el(doc, 'span', { 'aria-hidden': 'true', text: dir === 'up' ? '\u2191 Up' : '\u2193 Down' })]);
          };
          var li = [el(doc, 'span', { class: 'pc-step-text', text: text })];
          if (!locked) li.push(el(doc, 'span', { class: 'pc-moves' }, [move(-1, 'up'), move(1, 'down')]));
          else {
            var ok = step === pos;
            li.push(markNode(ok, ok ? 'In the right place' : 'Not in the right place'));
          }
          return el(doc, 'li', null, li);
        });
        return el(doc, 'fieldset', { 'aria-describedby': describedBy(q, i, !locked) }, [
          el(doc, 'legend', { text: q.prompt }),
          locked ? null : el(doc, 'span', { class: 'pc-hint', id: qid(q, 'hint'), text: 'Put the steps in order with the Up and Down buttons.' }),
          errorNode(q, i),
          el(doc, 'ol', { class: 'pc-order' }, items)]);
      default:
        return el(doc, 'p', { text: q.prompt });
      }
    }

    function moveStep(q, i, pos, delta, dir) {
      var order = drafts[i].slice();
      var step = order[pos];
      order.splice(pos, 1);
      order.splice(pos + delta, 0, step);
      drafts[i] = order;
      render();
      var to = pos + delta;
      say('"' + q.steps[step] + '" is now step ' + (to + 1) + ' of ' + order.length + '.');
      /* Keep focus on the moved step: the same button, or the other one at either end. */
      var b = screenBox.querySelector('button[data-step="' + step + '"][data-dir="' + dir + '"]');
      if (!b || b.disabled) b = screenBox.querySelector('button[data-step="' + step + '"]:not([disabled])');
      if (b) b.focus();
    }

    /* The learner's answer from the draft, or an error message. */
    function readAnswer(q, i) {
      var d = drafts[i];
      switch (q.type) {
      case 'choice': case 'likert':
        return d === null || d === undefined ? { error: 'Choose an answer.' } : { answer: d };
      case 'true-false':
        return d === null || d === undefined ? { error: 'Choose true or false.' } : { answer: d };
      case 'multiple':
        return !d || d.length === 0 ? { error: 'Choose at least one answer.' } : { answer: d.slice() };
      case 'fill-in':
        /* A one-line answer: a pasted line or paragraph separator is a space (the Hub refuses them). */
        var text = cleanText(d || '').replace(/[\u2028\u2029]/g, ' ');
        if (text.length > q.maxlength) text = text.slice(0, q.maxlength);
        return text.trim() === '' ? { error: 'Type an answer.' } : { answer: text };
      case 'numeric':
        var num = normaliseNumber(d || '');
        return num === null ? { error: 'Type a number, for example 12 or 4.5 (digits, with at most 7 after the point).' } : { answer: num };
      case 'matching':
        return !d || d.some(function (x) { return x === null; }) ? { error: 'Choose a match for every item.' } : { answer: d.slice() };
      case 'ordering':
        return { answer: (d || q.shownOrder).slice() };
      default:
        return { error: 'This question cannot be answered.' };
      }
    }

    function check(q, i) {
      var r = readAnswer(q, i);
      if (r.error) {
        errorFor = { index: i, message: r.error };
        render();
        var first = screenBox.querySelector('input:not([disabled]), select:not([disabled]), button.pc-move:not([disabled])');
        if (first) first.focus();
        return;
      }
      errorFor = null;
      say(''); /* a message left from moving steps would read as if it were about the answer */
      var now = new Date();
      state.answers[i] = r.answer;
      tracker.recordInteraction(q, r.answer, now.getTime() - (shownAt || now.getTime()), now);
      state.recorded = tracker.recorded();
      persist();
      render();
      var fb = screenBox.querySelector('.pc-feedback h3');
      if (fb) fb.focus();
    }

    /* A right/wrong mark: the symbol is hidden from screen readers, the words carry the meaning. */
    function markNode(right, words) {
      return el(doc, 'span', { class: 'pc-mark ' + (right ? 'pc-mark-right' : 'pc-mark-wrong') }, [
        el(doc, 'span', { 'aria-hidden': 'true', text: (right ? RIGHT : WRONG) + ' ' }), words]);
    }

    /* The panel shown under a checked answer (what it says: feedbackModel). Its heading takes the
     * focus after "Check answer", and everything it says follows the heading, in reading order. */
    function feedbackPanel(q, i) {
      var m = feedbackModel(q, state.answers[i]);
      var r = m.verdict;
      var parts = [el(doc, 'h3', { tabindex: '-1' }, [
        r === null ? null : el(doc, 'span', { 'aria-hidden': 'true', text: (r ? RIGHT : WRONG) + ' ' }), m.heading])];
      m.blocks.forEach(function (b) {
        var label = b.label ? el(doc, 'strong', { text: b.label + ':' }) : null;
        if (b.items) {
          parts.push(el(doc, 'p', { class: 'pc-fb-label' }, [label]));
          parts.push(el(doc, b.ordered ? 'ol' : 'ul', { class: 'pc-fb-list' }, b.items.map(function (it) {
            return el(doc, 'li', null, [
              el(doc, 'span', { class: 'pc-fb-answer', text: it.text }),
              it.mark ? markNode(it.mark === 'right', it.mark === 'right' ? 'Correct' : 'Not correct') : null,
              it.note ? el(doc, 'span', { class: 'pc-fb-note', text: it.note }) : null]);
          })));
        } else {
          parts.push(el(doc, 'p', { class: label ? 'pc-fb-label' : null }, label ? [label, ' ', b.text] : [b.text]));
          if (b.note) parts.push(el(doc, 'p', { class: 'pc-fb-note', text: b.note }));
        }
      });
      return el(doc, 'div', { class: 'pc-feedback ' + (r === null ? '' : r ? 'pc-right' : 'pc-wrong') }, parts);
    }

    /* --- screens ----------------------------------------------------------------------------- */

    function screenStart() {
      var m = startModel(data);
      var facts = [];
      if (m.minutes) facts.push(el(doc, 'li', null, [el(doc, 'strong', { text: 'Time: ' }), m.minutes]));
      if (m.phase) facts.push(el(doc, 'li', null, [el(doc, 'strong', { text: 'When to use it: ' }), m.phase]));
      return [
        el(doc, 'h2', { tabindex: '-1', text: 'About this module' }),
        el(doc, 'p', { class: 'pc-summary', text: m.summary }),
        el(doc, 'h3', { text: 'What you will be able to do' }),
        el(doc, 'ul', { class: 'pc-outcomes' }, m.outcomes.map(function (o) { return el(doc, 'li', { text: o }); })),
        facts.length ? el(doc, 'ul', { class: 'pc-facts' }, facts) : null
      ];
    }

    /* The screen index of a card, by card id (-1 when none). */
    function cardScreen(id) {
      for (var i = 0; i < screens.length; i++) if (screens[i].kind === 'card' && data.cards[screens[i].index].id === id) return i;
      return -1;
    }

    /* A question named in a sentence: its prompt, cut at a word near 120 characters. */
    function shortPrompt(text) {
      var t = String(text).replace(/\s+/g, ' ').trim();
      if (t.length <= 120) return t;
      var cut = t.lastIndexOf(' ', 117);
      return t.slice(0, cut > 60 ? cut : 117) + '\u2026';
    }

    function certificateNode(r) {
      var c = certificateModel(data, learner.name, r, new Date());
      return el(doc, 'section', { class: 'pc-certificate', id: 'pc-certificate', 'aria-labelledby': 'pc-certificate-title' }, [
        el(doc, 'h3', { id: 'pc-certificate-title', text: 'Certificate of completion' }),
        el(doc, 'p', { text: 'This certifies that' }),
        c.name ? el(doc, 'p', { class: 'pc-certificate-name', text: c.name })
          : el(doc, 'p', { class: 'pc-certificate-name pc-certificate-blank' }, [
            el(doc, 'span', { class: 'pc-visually-hidden', text: 'Write your name here: ' }),
            el(doc, 'span', { 'aria-hidden': 'true', text: '\u00a0' })]),
        el(doc, 'p', { text: 'has completed the module' }),
        el(doc, 'p', { class: 'pc-certificate-module', text: c.module }),
        c.score ? el(doc, 'p', { text: 'with a score of ' + c.score + ' (pass mark ' + c.pass + ')' }) : null,
        el(doc, 'p', { text: 'on ' + c.date + '.' })
      ]);
    }

    function printOnly(cls) {
      var root = doc.documentElement;
      root.classList.add(cls);
      var done = function () { root.classList.remove(cls); win.removeEventListener('afterprint', done); };
      win.addEventListener('afterprint', done);
      try { win.print(); } catch (e) { done(); }
    }

    function screenQuestion(s) {
      var q = qs[s.index], i = s.index;
      var answered = state.answers[i] !== null;
      var nodes = [el(doc, 'h2', { tabindex: '-1', text: 'Question ' + (i + 1) + ' of ' + qs.length })];
      nodes.push(questionBody(q, i));
      if (answered) nodes.push(feedbackPanel(q, i));
      else nodes.push(el(doc, 'button', { type: 'button', class: 'pc-button', onclick: function () { check(q, i); }, text: 'Check answer' }));
      return nodes;
    }

    function screenResults() {
      var r = quizResult();
      var nodes = [el(doc, 'h2', { tabindex: '-1', text: 'Your result' })];
      if (r.scored === 0) {
        nodes.push(el(doc, 'p', { text: 'Thank you for answering. This quiz has no marked questions.' }));
      } else {
        var pct = Math.round(r.correct * 100 / r.scored);
        nodes.push(el(doc, 'p', { class: 'pc-verdict ' + (r.passed ? 'pc-mark-right' : 'pc-mark-wrong') }, [
          el(doc, 'span', { 'aria-hidden': 'true', text: (r.passed ? RIGHT : WRONG) + ' ' }),
          r.passed ? 'You passed.' : 'You did not pass this time.']));
        nodes.push(el(doc, 'p', {
          text: 'You answered ' + r.correct + ' of ' + r.scored + ' marked questions correctly (' + pct +
            '%). The pass mark is ' + data.quiz.pass + '%.'
        }));
      }
      nodes.push(el(doc, 'ul', { class: 'pc-results' }, qs.map(function (q, i) {
        var c = isCorrect(q, state.answers[i]);
        var item = [
          'Question ' + (i + 1) + ': ',
          c === null ? 'answered (not marked)' : el(doc, 'span', { class: c ? 'pc-mark-right' : 'pc-mark-wrong' }, [
            el(doc, 'span', { 'aria-hidden': 'true', text: (c ? RIGHT : WRONG) + ' ' }), c ? 'correct' : 'not correct'])];
        /* A missed question is named, with a link back to the card that teaches it. */
        var at = c === false && q.card ? cardScreen(q.card) : -1;
        if (c === false) item.push(el(doc, 'span', { class: 'pc-missed-prompt', text: ' \u2013 ' + shortPrompt(q.prompt) }));
        if (at >= 0) {
          item.push(' ', el(doc, 'a', {
            href: '#card-' + q.card, class: 'pc-revisit',
            onclick: function (e) { e.preventDefault(); go(at, true); }
          }, ['Read again: ' + data.cards[screens[at].index].title]));
        }
        return el(doc, 'li', null, item);
      })));
      if (r.scored > 0 && r.passed && isDone()) {
        nodes.push(certificateNode(r));
        nodes.push(el(doc, 'p', null, [el(doc, 'button', {
          type: 'button', class: 'pc-button pc-button-secondary', text: 'Print your certificate',
          onclick: function () { printOnly('pc-print-certificate'); }
        })]));
      }
      if (r.scored > 0 && !r.passed) {
        nodes.push(el(doc, 'button', {
          type: 'button', class: 'pc-button', text: 'Try the quiz again',
          onclick: function () {
            state.answers = qs.map(function () { return null; });
            drafts = qs.map(function () { return null; });
            var first = screens.findIndex(function (x) { return x.kind === 'question'; });
            go(first, true);
          }
        }));
      }
      return nodes;
    }

    function saveReflection() {
      var comment = reflectionComment(reflection.text, reflection.next);
      if (comment === reflection.saved) return true;
      var ok = tracker.saveReflection(comment);
      if (ok) reflection.saved = comment;
      return ok;
    }

    /* --- the action plan (see actionPlan) ---------------------------------------------------- */

    function downloadPlan() {
      var plan = actionPlan(data, reflection.text, reflection.next, new Date());
      try {
        var url = win.URL.createObjectURL(new win.Blob(['\ufeff' + plan.file], { type: 'text/plain;charset=utf-8' }));
        var a = el(doc, 'a', { href: url, download: plan.filename, hidden: true });
        doc.body.appendChild(a);
        a.click();
        doc.body.removeChild(a);
        win.setTimeout(function () { win.URL.revokeObjectURL(url); }, 60000);
        say('Your action plan is being saved to your device as ' + plan.filename + '.');
      } catch (e) {
        say('This learning system does not let the module save files: print your action plan instead, or copy the text.');
      }
    }

    /* A text long enough to crowd the page is printed smaller, so the plan stays on one sheet:
     * more than about 14 lines of the sheet (90 characters each, a paragraph at least one). */
    var PLAN_COMPACT_LINES = 14;
    var PLAN_LINE_CHARS = 90;

    /* The learner's paragraphs (split at blank lines): printed as paragraphs, not as blank lines,
     * which would take a whole line each. */
    function paragraphs(text) {
      return text.split(/\n[ \t]*\n\s*/).filter(function (p) { return p.trim() !== ''; });
    }

    /* The plan as a sheet made for paper (one A4 page), printed alone: `.pc-printing` hides the
     * rest of the page in print (postcard.css). Screen readers never meet it: it only exists on paper. */
    function planSheet(plan) {
      var blank = function () { return el(doc, 'span', { class: 'pc-plan-blank', text: '\u00a0' }); };
      var paras = paragraphs(plan.text);
      var lines = paras.reduce(function (n, p) {
        return n + p.split('\n').reduce(function (k, l) { return k + Math.max(1, Math.ceil(l.length / PLAN_LINE_CHARS)); }, 0);
      }, 0);
      var long = lines > PLAN_COMPACT_LINES;
      return el(doc, 'section', { id: 'pc-print-sheet', class: 'pc-print-sheet' + (long ? ' pc-plan-compact' : ''), 'aria-hidden': 'true' }, [
        el(doc, 'h1', { text: plan.title }),
        el(doc, 'p', { class: 'pc-plan-date', text: 'Made on ' + plan.date }),
        el(doc, 'h2', { text: 'The technique' }),
        el(doc, 'p', null, [el(doc, 'strong', { text: plan.technique.name }), plan.technique.phase ? '. ' + plan.technique.phase + '.' : '']),
        plan.technique.summary ? el(doc, 'p', { text: plan.technique.summary }) : null,
        plan.steps.length ? el(doc, 'h3', { text: 'How to run it' }) : null,
        plan.steps.length ? el(doc, 'ol', { class: 'pc-plan-steps' }, plan.steps.map(function (st) {
          return el(doc, 'li', null, [el(doc, 'span', { class: 'pc-plan-box', text: '\u2610 ' }), st]);
        })) : null,
        el(doc, 'h2', { text: 'My reflection' }),
        el(doc, 'p', { class: 'pc-plan-prompt', text: plan.prompt }),
        paras.length ? el(doc, 'div', { class: 'pc-plan-text' }, paras.map(function (p) { return el(doc, 'p', { class: 'pc-print-text', text: p }); }))
          : el(doc, 'div', { class: 'pc-plan-lines' }, [blank(), blank(), blank(), blank(), blank()]),
        el(doc, 'h2', { text: 'My next step' }),
        el(doc, 'table', { class: 'pc-plan-next' }, [el(doc, 'tbody', null, plan.next.map(function (n) {
          return el(doc, 'tr', null, [el(doc, 'th', { scope: 'row', text: n.label }), el(doc, 'td', null, [n.value || blank()])]);
        }))])
      ]);
    }

    function printPlan() {
      var sheet = doc.getElementById('pc-print-sheet');
      if (sheet) doc.body.removeChild(sheet);
      doc.body.appendChild(planSheet(actionPlan(data, reflection.text, reflection.next, new Date())));
      doc.documentElement.classList.add('pc-printing');
      var done = function () { doc.documentElement.classList.remove('pc-printing'); win.removeEventListener('afterprint', done); };
      win.addEventListener('afterprint', done);
      try {
        win.print();
      } catch (e) {
        done();
        say('This learning system does not let the module print: save your action plan as a file instead, or copy the text.');
      }
    }

    /* The next step: three short boxes under the reflection, kept with it. */
    function nextStepFields() {
      return el(doc, 'fieldset', { class: 'pc-next-step', 'aria-describedby': 'pc-next-hint' }, [
        el(doc, 'legend', { text: 'Your next step' }),
        el(doc, 'span', { class: 'pc-hint', id: 'pc-next-hint', text: 'One thing you will do first. It goes on your action plan with your reflection.' })
      ].concat(NEXT_STEP.map(function (f) {
        var id = 'pc-next-' + f.key;
        var input = el(doc, 'input', {
          type: 'text', id: id, name: id, maxlength: String(f.max), autocomplete: 'off',
          'aria-describedby': f.hint ? id + '-hint' : null,
          oninput: function () { reflection.next[f.key] = this.value; }
        });
        input.value = reflection.next[f.key];
        return el(doc, 'div', { class: 'pc-row' }, [
          el(doc, 'label', { class: 'pc-field-label', for: id, text: f.ask }),
          f.hint ? el(doc, 'span', { class: 'pc-hint', id: id + '-hint', text: f.hint }) : null,
          input]);
      })));
    }

    function screenReflection() {
      var r = data.reflection;
      var max = reflectionMax(data);
      var area = el(doc, 'textarea', {
        id: 'pc-reflection', name: 'reflection', maxlength: String(max), rows: '6',
        'aria-describedby': 'pc-reflection-hint',
        oninput: function () { reflection.text = cleanText(this.value); }
      });
      area.value = reflection.text;
      var stored = tracker.reflectionStored;
      /* Say where it is kept, and only where it really is (standalone: this browser, nowhere else). */
      var hint = 'Up to ' + max + ' characters. ' + (!stored
        ? (tracker.kind === 'local' ? 'This browser cannot keep it' : 'This learning system does not keep it') +
          ': to keep it, save it as a file or print it.'
        : tracker.kind === 'local' ? 'It is kept in this browser only. You can also keep a copy.'
          : 'Only you and the people who run your learning system can see it. You can also keep a copy.');
      var buttons = [];
      if (stored) {
        buttons.push(el(doc, 'button', {
          type: 'button', class: 'pc-button pc-button-secondary', text: 'Save my reflection',
          onclick: function () {
            var withNext = reflectionComment('', reflection.next) !== '';
            say(!saveReflection() ? 'Your reflection could not be saved.'
              : withNext ? 'Your reflection and next step are saved.' : 'Your reflection is saved.');
          }
        }));
      }
      buttons.push(el(doc, 'button', { type: 'button', class: 'pc-button pc-button-secondary', text: 'Save my action plan as a file', onclick: downloadPlan }));
      buttons.push(el(doc, 'button', { type: 'button', class: 'pc-button pc-button-secondary', text: 'Print my action plan', onclick: printPlan }));
      return [
        el(doc, 'h2', { tabindex: '-1', text: 'Reflection' }),
        el(doc, 'label', { class: 'pc-field-label', for: 'pc-reflection', text: r.prompt }),
        el(doc, 'span', { class: 'pc-hint', id: 'pc-reflection-hint', text: hint }),
        area,
        nextStepFields(),
        el(doc, 'p', { class: 'pc-actions' }, buttons)
      ];
    }

    function screenEnd() {
      var links = data.reading || [];
      var nodes = [el(doc, 'h2', { tabindex: '-1', text: links.length ? 'Further reading' : 'The end of this module' })];
      var msg;
      if (isDone()) msg = 'You have finished this module.';
      else if (!allSeen()) msg = 'You have not read every card yet: go back to the cards you missed to finish this module.';
      else msg = 'You have not passed the quiz yet: you can try it again from the result page.';
      nodes.push(el(doc, 'p', { text: msg }));
      if (data.postcard) {
        nodes.push(el(doc, 'p', { class: 'pc-keep' }, [el(doc, 'a', { href: data.postcard, target: '_blank' }, [
          'Your postcard of ' + data.module.title + ': one page to print or keep',
          el(doc, 'span', { class: 'pc-visually-hidden', text: ' (opens in a new tab)' })])]));
      }
      if (links.length) {
        nodes.push(el(doc, 'ul', null, links.map(function (l) {
          return el(doc, 'li', null, [el(doc, 'a', { href: l.href, target: '_blank', rel: 'noopener noreferrer' }, [
            l.text, el(doc, 'span', { class: 'pc-visually-hidden', text: ' (opens in a new tab)' })])]);
        })));
      }
      return nodes;
    }

    function render() {
      var s = screens[current];
      sections.forEach(function (sec, i) { if (sec) sec.hidden = !(s.kind === 'card' && s.index === i); });
      var nodes;
      var label = '';
      if (s.kind === 'card') {
        screenBox.hidden = true;
        screenBox.textContent = '';
        label = 'Card ' + (s.index + 1) + ' of ' + data.cards.length;
      } else {
        if (s.kind === 'start') nodes = screenStart();
        else if (s.kind === 'question') nodes = screenQuestion(s);
        else if (s.kind === 'results') nodes = screenResults();
        else if (s.kind === 'reflection') nodes = screenReflection();
        else nodes = screenEnd();
        screenBox.textContent = '';
        screenBox.appendChild(el(doc, 'section', { class: 'pc-panel' }, nodes));
        screenBox.hidden = false;
      }
      progress.textContent = label;
      progress.hidden = label === '';
      prev.hidden = current === 0;
      var last = current === screens.length - 1;
      var blocked = s.kind === 'question' && state.answers[s.index] === null;
      next.hidden = last || blocked;
      next.textContent = s.kind === 'start' ? 'Start' : s.kind === 'question' && s.index === qs.length - 1 ? 'See your result' : 'Next';
      nav.hidden = prev.hidden && next.hidden;
      var heading = main.querySelector(s.kind === 'card' ? '#card-' + data.cards[s.index].id + ' h2' : '#pc-screen h2');
      doc.title = (heading ? heading.textContent + ' \u2013 ' : '') + data.module.title;
    }

    function go(i, focus) {
      if (screens[current].kind === 'reflection') saveReflection();
      current = Math.max(0, Math.min(i, screens.length - 1));
      var s = screens[current];
      if (s.kind === 'card') state.seen[s.index] = true;
      shownAt = s.kind === 'question' ? Date.now() : null;
      errorFor = null;
      say('');
      render();
      persist();
      if (focus) {
        var h = main.querySelector(s.kind === 'card' ? '#card-' + data.cards[s.index].id + ' h2' : '#pc-screen h2');
        if (h) h.focus();
      }
    }

    prev.addEventListener('click', function () { go(current - 1, true); });
    next.addEventListener('click', function () { if (reachable(current + 1)) go(current + 1, true); });

    /* Resume where the learner left off, as far as the answers they gave allow. */
    var at = 0;
    screens.forEach(function (s, i) { if (s.id === opened.saved.location) at = i; });
    while (at > 0 && !reachable(at)) at--;
    nav.hidden = false;
    go(at, false);
    if (opened.saved.location && opened.saved.suspend) {
      say('Welcome back. You are where you left off.');
    } else if (tracker.kind === 'local') {
      say('You are not connected to a learning system, so your progress is kept in this browser only.');
    }

    /* Final save. `unload` is not used: browsers no longer deliver it reliably; `pagehide` fires on
     * close, reload and navigation, and `visibilitychange` covers phones that kill hidden tabs. */
    win.addEventListener('pagehide', function () {
      if (screens[current].kind === 'reflection') saveReflection();
      tracker.finish(Date.now() - started, isDone());
    });
    doc.addEventListener('visibilitychange', function () {
      if (doc.visibilityState === 'hidden' && !tracker.finished) {
        if (screens[current].kind === 'reflection') saveReflection();
        tracker.checkpoint(Date.now() - started);
      }
    });
    win.addEventListener('pageshow', function (e) {
      if (e.persisted && tracker.finished && tracker.kind === 'lms') {
        say('This session has ended and your progress is saved. Open the module again from your learning system to carry on.');
      }
    });
  }

  return {
    start: start,
    escapeText: escapeText,
    unescapeText: unescapeText,
    encodeAnswer: encodeAnswer,
    decodeAnswer: decodeAnswer,
    encodeState: encodeState,
    decodeState: decodeState,
    emptyState: emptyState,
    worstCaseLength: worstCaseLength,
    normaliseNumber: normaliseNumber,
    isCorrect: isCorrect,
    foldText: foldText,
    feedbackModel: feedbackModel,
    scoreQuiz: scoreQuiz,
    timespan12: timespan12,
    duration2004: duration2004,
    time12: time12,
    timestamp2004: timestamp2004,
    localized: localized,
    cleanText: cleanText,
    correctPatterns: correctPatterns,
    learnerResponse: learnerResponse,
    interactionValues: interactionValues,
    findAPI: findAPI,
    shuffledOrder: shuffledOrder,
    shuffleKey: shuffleKey,
    startModel: startModel,
    personName: personName,
    certificateModel: certificateModel,
    PROFILES: PROFILES,
    profileOf: profileOf,
    NEXT_STEP: NEXT_STEP,
    reflectionMax: reflectionMax,
    reflectionComment: reflectionComment,
    splitComment: splitComment,
    actionPlan: actionPlan
  };
});
