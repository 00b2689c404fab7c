// The player's pure logic (author/render/web/postcard.js loaded as a module) and the strictness of the
// test LMS itself: resume-state encoding and its worst case, scoring, SCORM value formats, the
// interaction patterns of every question type in both editions, and the API search.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fixtureModule, dataAndCards, core } from './fixture.mjs';

const require = createRequire(import.meta.url);
const LMS = require('./lms.js');

const fixture = (scorm = '1.2') => dataAndCards(fixtureModule(), { scorm }).data;

// Answers of every question, right and wrong, in memory form (fixture order).
const RIGHT = [0, [0, 2], false, 'retrospect', '7', [0, 1, 2], [0, 1, 2], 1];
const WRONG = [1, [0, 1], true, 'a lessons log', '12.5', [2, 1, 0], [2, 0, 1], 0];

test('escapeText escapes exactly %, ; and control characters, and round-trips', () => {
  assert.equal(core.escapeText('a;b%c\td\u007fé€😀'), 'a%3Bb%25c%09d%7Fé€😀');
  for (const s of ['', 'plain', ';;;', '%%', '%3B', 'x\u0000y', '{lang=en}[,]', 'é😀']) {
    assert.equal(core.unescapeText(core.escapeText(s)), s);
  }
  assert.equal(core.unescapeText('%3b'), null, 'lower-case hex is not what we write');
  assert.equal(core.unescapeText('%41'), null, 'an escape of a character we never escape');
  assert.equal(core.unescapeText('50%'), null, 'a bare %');
});

test('state encoding: documented example and exact round trip', () => {
  const data = fixture();
  const st = core.emptyState(data);
  assert.equal(core.encodeState(data, st), '1.00;;;;;;;;');
  st.seen.fill(true);
  st.answers = [0, [0, 2], false, 'After action review', '7', [0, 1, 2], [0, 1, 2], 2];
  const s = core.encodeState(data, st);
  assert.equal(s, '1.f1;0;02;f;After action review;7;012;012;2');
  assert.deepEqual(core.decodeState(data, s), st);
  st.seen = [true, false, true, false, true];
  st.answers = [null, null, true, 'semi;colon 100% \t tab', null, [1, 1, 0], [2, 0, 1], null];
  const t = core.encodeState(data, st);
  assert.equal(t, '1.51;;;t;semi%3Bcolon 100%25 %09 tab;;110;201;');
  assert.deepEqual(core.decodeState(data, t), st);
});

test('decodeState drops what does not fit and never throws', () => {
  const data = fixture();
  const empty = core.emptyState(data);
  for (const bad of [null, undefined, '', 'garbage', '2.f1;0', '1.zz', '1.f1;0;0']) {
    const st = core.decodeState(data, bad);
    assert.deepEqual(st.answers, empty.answers, String(bad));
  }
  assert.deepEqual(core.decodeState(data, '1.f1;0;0').seen, [true, true, true, true, true], 'cards kept when answers do not fit');
  const st = core.decodeState(data, '1.f1;3;20;x;;1e5;01;001;9');
  assert.deepEqual(st.answers, [null, null, null, null, null, null, null, null],
    'option out of range, not ascending, bad boolean, bad number, short matching, not a permutation, likert out of range');
  const long = core.decodeState(data, '1.f1;;;;' + 'x'.repeat(41) + ';;;;');
  assert.equal(long.answers[3], null, 'fill-in longer than maxlength');
});

// The worst-case learner in memory: the longest answer every question allows.
function worstState(data) {
  const st = core.emptyState(data);
  st.seen.fill(true);
  st.answers = data.quiz.questions.map((q) => {
    switch (q.type) {
      case 'multiple': return q.options.map((o, i) => i);
      case 'fill-in': return ';%'.repeat(q.maxlength).slice(0, q.maxlength);
      case 'numeric': return '-1234567890.1234567';
      case 'matching': return q.pairs.map((p, i) => i);
      case 'ordering': return q.steps.map((s, i) => q.steps.length - 1 - i);
      case 'true-false': return true;
      default: return 0;
    }
  });
  return st;
}

test('worstCaseLength equals the longest encoding and the documented formula', () => {
  const data = fixture();
  assert.equal(core.worstCaseLength(data), 164);
  assert.equal(core.encodeState(data, worstState(data)).length, 164);
  // A bigger module: 50 cards, 30 questions of mixed types with 10 options each.
  const big = { cards: Array.from({ length: 50 }, (_, i) => ({ id: 'c' + i })), quiz: { pass: 50, questions: [] } };
  const ten = Array.from({ length: 10 }, (_, i) => ({ text: 'o' + i }));
  for (let i = 0; i < 30; i++) {
    const t = ['choice', 'multiple', 'fill-in', 'numeric', 'matching', 'ordering'][i % 6];
    big.quiz.questions.push({ id: 'q' + i, type: t, options: ten, correct: [0],
      pairs: ten.map((o) => ({ source: o.text, target: o.text })), steps: ten.map((o) => o.text), maxlength: 17 + i });
  }
  const worst = core.encodeState(big, worstState(big));
  assert.equal(worst.length, core.worstCaseLength(big));
  const formula = 2 + Math.ceil(50 / 4) + big.quiz.questions.reduce((n, q) =>
    n + 1 + ({ choice: 1, multiple: 10, 'fill-in': 3 * q.maxlength, numeric: 19, matching: 10, ordering: 10 })[q.type], 0);
  assert.equal(worst.length, formula);
  // No quiz at all: just the cards.
  assert.equal(core.worstCaseLength({ cards: [{ id: 'a' }] }), 3);
  assert.equal(core.encodeState({ cards: [{ id: 'a' }] }, { seen: [true], answers: [] }), '1.1');
});

test('numbers: normalised, validated and compared exactly', () => {
  assert.equal(core.normaliseNumber(' +7 '), '7');
  assert.equal(core.normaliseNumber('.5'), '0.5');
  assert.equal(core.normaliseNumber('-.5'), '-0.5');
  for (const bad of ['', '1e3', '1,5', '12345678901', '1.12345678', 'seven', '--1', '1.']) {
    assert.equal(core.normaliseNumber(bad), null, bad);
  }
  const q = { type: 'numeric', min: '6', max: '8' };
  assert.equal(core.isCorrect(q, '6'), true);
  assert.equal(core.isCorrect(q, '8.0000000'), true);
  assert.equal(core.isCorrect(q, '8.0000001'), false);
  assert.equal(core.isCorrect(q, '5.9999999'), false);
  assert.equal(core.isCorrect({ type: 'numeric', min: '-2.5' }, '1000000000'), true);
  assert.equal(core.isCorrect({ type: 'numeric', max: '-2.5' }, '-2.4'), false);
  // 0.1 + 0.2 style traps: exact decimals, not floating point.
  assert.equal(core.isCorrect({ type: 'numeric', min: '0.3', max: '0.3' }, '0.3000000'), true);
  assert.equal(core.isCorrect({ type: 'numeric', min: '1234567890.1234567', max: '1234567890.1234567' }, '1234567890.1234568'), false);
});

test('fill-in answers match ignoring case, spaces, trailing punctuation, hyphens, curly quotes and compatibility forms', () => {
  const q = fixture().quiz.questions[3]; // accepts "Retrospect" and "After action review"
  const yes = [
    'retrospect', 'RETROSPECT', '  after   ACTION review ', 'after\taction\nreview', // case, spaces
    'retrospect.', 'Retrospect!', 'retrospect?!', 'retrospect ,', 'retrospect;:', 'retrospect...', // trailing punctuation
    'after-action review', 'After-Action-Review.', 'after \u2013 action review', 'after\u2010action review', // hyphens, dashes
    'after\u00a0action review', '\uff32\uff45\uff54\uff52\uff4f\uff53\uff50\uff45\uff43\uff54', // NFKC: no-break space, full width
    'retrospect\u2026', // NFKC: an ellipsis is three full stops
  ];
  for (const a of yes) assert.equal(core.isCorrect(q, a), true, JSON.stringify(a));
  const no = ['retrospects', 'retro spect', 'retro.spect', 'a retrospect', 'after action', 'after action reviews', '.', '-'];
  for (const a of no) assert.equal(core.isCorrect(q, a), false, JSON.stringify(a));
  // Curly and straight quotes and apostrophes, either way round.
  const quoted = { type: 'fill-in', answers: ['Don\u2019t know', '"Tacit" knowledge'], maxlength: 40 };
  for (const a of ["don't know", 'don\u2018t know', 'DON\u02BCT KNOW.', '\u201ctacit\u201d knowledge', '"tacit" knowledge']) {
    assert.equal(core.isCorrect(quoted, a), true, a);
  }
  assert.equal(core.isCorrect(quoted, 'dont know'), false, 'an apostrophe is not dropped');
  // Ligatures and case beyond ASCII.
  assert.equal(core.isCorrect({ type: 'fill-in', answers: ['Profit'], maxlength: 20 }, 'pro\ufb01t'), true);
  assert.equal(core.isCorrect({ type: 'fill-in', answers: ['Stra\u00dfe'], maxlength: 20 }, 'STRASSE'), true);
  assert.equal(core.isCorrect({ type: 'fill-in', answers: ['tacit'], maxlength: 20 }, 'T\u0061\u0301cit'), false, 'an accent is not dropped');
  // An accepted answer that is only punctuation keeps it: other punctuation does not match.
  const mark = { type: 'fill-in', answers: ['?'], maxlength: 5 };
  assert.equal(core.isCorrect(mark, ' ? '), true);
  assert.equal(core.isCorrect(mark, '!'), false);
  assert.equal(core.isCorrect(mark, '.'), false);
  assert.equal(core.foldText('  After-Action\u00a0REVIEW. '), 'after action review');
  assert.equal(core.foldText('?'), '?');
});

test('fill-in: the tolerant match changes the result only; the response and the patterns stay as typed and written', () => {
  for (const [edition, scorm] of [['1.2', '1.2'], ['2004', '2004-4th']]) {
    const data = fixture(scorm);
    const q = data.quiz.questions[3];
    const typed = 'After-Action Review.';
    const v = Object.fromEntries(core.interactionValues(edition, data, q, typed, 1, new Date()));
    assert.equal(v[edition === '1.2' ? 'student_response' : 'learner_response'], typed, edition);
    assert.equal(v.result, 'correct', edition);
    assert.deepEqual([v['correct_responses.0.pattern'], v['correct_responses.1.pattern']], ['Retrospect', 'After action review'], edition);
  }
  const data = fixture();
  const st = core.emptyState(data);
  st.answers[3] = '  tacit. ';
  assert.equal(core.decodeState(data, core.encodeState(data, st)).answers[3], '  tacit. ', 'suspend data keeps the text as typed');
});

// Every block of a feedback model as the strings a learner reads.
const said = (m) => [m.heading, ...m.blocks.flatMap((b) => [b.label, b.text, b.note,
  ...(b.items || []).flatMap((it) => [it.text, it.note])])].filter(Boolean);

test('feedback: every question type, right and wrong, says the verdict, the answer given and, when wrong, the right one', () => {
  const qs = fixture().quiz.questions;
  qs.forEach((q, i) => {
    for (const [a, right] of [[RIGHT[i], true], [WRONG[i], false]]) {
      const m = core.feedbackModel(q, a);
      const tag = `${q.id} ${right ? 'right' : 'wrong'}`;
      assert.equal(m.verdict, q.type === 'likert' ? null : right, tag);
      assert.equal(m.heading, q.type === 'likert' ? 'Thank you' : right ? 'Correct' : 'Not correct', tag);
      assert.ok(m.blocks.length > 0, `${tag}: the panel says more than its heading`);
      for (const b of m.blocks) assert.ok(b.text || (b.items && b.items.length), `${tag}: a block with nothing in it`);
      if (!right && q.type !== 'likert') {
        assert.ok(m.blocks.some((b) => /^The right (answer|answers|matches|order)$/.test(b.label)), `${tag}: states the right answer`);
      }
    }
  });
  const m = (i, a) => core.feedbackModel(qs[i], a);
  // choice, wrong: the learner's option with its feedback, the right option with its feedback, then the general feedback.
  assert.deepEqual(m(0, 1).blocks, [
    { label: 'Your answer', text: 'After the work ends', note: 'That is a retrospect.' },
    { label: 'The right answer', text: 'Before the work starts', note: 'Yes: that is when advice can still change the plan.' },
    { text: 'A Peer Assist comes first.' }]);
  assert.deepEqual(m(0, 0).blocks, [
    { label: 'Your answer', text: 'Before the work starts', note: 'Yes: that is when advice can still change the plan.' },
    { text: 'Well done.' }]);
  // multiple, wrong, no general feedback: each chosen option marked, the right ones listed with the
  // feedback of the one the learner missed (the one they chose has it above already).
  assert.deepEqual(m(1, [0, 1]).blocks, [
    { label: 'Your answers', items: [{ text: 'Peers who did similar work', mark: 'right', note: 'They bring experience.' },
      { text: 'Nobody', mark: 'wrong', note: null }] },
    { label: 'The right answers', items: [{ text: 'Peers who did similar work', note: null }, { text: 'A facilitator', note: 'Someone keeps time.' }] }]);
  assert.deepEqual(said(m(2, true)), ['Not correct', 'Your answer', 'True', 'The right answer', 'False', 'It is about learning, not judging.']);
  assert.deepEqual(said(m(3, 'a lessons log')), ['Not correct', 'Your answer', 'a lessons log', 'The right answer', 'Retrospect', 'Also accepted', 'After action review']);
  assert.deepEqual(said(m(4, '12.5')), ['Not correct', 'Your answer', '12.5', 'The right answer', 'any number from 6 to 8']);
  assert.deepEqual(said(m(5, [2, 1, 0])), ['Not correct', 'You matched 1 of 3 correctly.', 'The right matches',
    'Peer Assist: Before', 'After action review: During', 'Retrospect: After']);
  assert.deepEqual(said(m(6, [2, 0, 1])), ['Not correct', 'None of the 3 steps is in the right place.', 'The right order',
    'Set the scene', 'Listen to the peers', 'Agree actions']);
  assert.equal(m(6, [2, 0, 1]).blocks[1].ordered, true);
  assert.deepEqual(said(m(5, [0, 1, 2])), ['Correct', 'You matched all 3 correctly.']);
  assert.deepEqual(said(m(6, [0, 1, 2])), ['Correct', 'All 3 steps are in the right order.']);
  assert.equal(m(6, [1, 0, 2]).blocks[0].text, 'You put 1 of 3 steps in the right place.');
  assert.equal(m(5, [1, 2, 0]).blocks[0].text, 'None of your 3 matches is right.');
  assert.deepEqual(said(m(7, 0)), ['Thank you', 'Your answer', 'Not confident', 'The KMF toolkit can help.']);
  // Numeric bounds in words.
  const num = (min, max, a) => core.feedbackModel({ type: 'numeric', min, max }, a).blocks[1].text;
  assert.equal(num('4.5', '4.50', '4'), '4.5');
  assert.equal(num('5', undefined, '1'), '5 or more');
  assert.equal(num(undefined, '-2', '0'), '-2 or less');
});

test('feedback: a question with no feedback written at all still explains the right answer', () => {
  const qs = fixture().quiz.questions.map((q) => {
    const bare = JSON.parse(JSON.stringify(q));
    delete bare.feedback;
    for (const o of bare.options || []) delete o.feedback;
    return bare;
  });
  const texts = qs.map((q, i) => said(core.feedbackModel(q, WRONG[i])).join(' | '));
  assert.deepEqual(texts, [
    'Not correct | Your answer | After the work ends | The right answer | Before the work starts',
    'Not correct | Your answers | Peers who did similar work | Nobody | The right answers | Peers who did similar work | A facilitator',
    'Not correct | Your answer | True | The right answer | False',
    'Not correct | Your answer | a lessons log | The right answer | Retrospect | Also accepted | After action review',
    'Not correct | Your answer | 12.5 | The right answer | any number from 6 to 8',
    'Not correct | You matched 1 of 3 correctly. | The right matches | Peer Assist: Before | After action review: During | Retrospect: After',
    'Not correct | None of the 3 steps is in the right place. | The right order | Set the scene | Listen to the peers | Agree actions',
    'Thank you | Your answer | Not confident',
  ]);
  // Multiple: the marks say which chosen option is right, in words the page shows.
  assert.deepEqual(core.feedbackModel(qs[1], WRONG[1]).blocks[0].items.map((it) => it.mark), ['right', 'wrong']);
});

test('scoring: likert is not marked, pass mark compared exactly', () => {
  const data = fixture();
  assert.deepEqual(core.scoreQuiz(data, RIGHT), { done: true, scored: 7, correct: 7, raw: '100', scaled: '1', passed: true });
  const five = RIGHT.slice(); five[0] = WRONG[0]; five[3] = WRONG[3];
  assert.deepEqual(core.scoreQuiz(data, five), { done: true, scored: 7, correct: 5, raw: '71.43', scaled: '0.7143', passed: false });
  const six = RIGHT.slice(); six[0] = WRONG[0];
  assert.equal(core.scoreQuiz(data, six).passed, true, '6/7 = 85.7% >= 80%');
  assert.equal(core.scoreQuiz(data, WRONG).correct, 0);
  assert.equal(core.scoreQuiz(data, [0, null, null, null, null, null, null, null]).done, false);
  const exact = { quiz: { pass: 80, questions: Array.from({ length: 5 }, () => ({ type: 'true-false', answer: true })) } };
  assert.equal(core.scoreQuiz(exact, [true, true, true, true, false]).passed, true, 'exactly the pass mark passes');
  const likertOnly = { quiz: { pass: 80, questions: [{ type: 'likert', options: [{}, {}] }] } };
  assert.deepEqual(core.scoreQuiz(likertOnly, [1]), { done: true, scored: 0, correct: 0, raw: null, scaled: null, passed: null });
});

test('time formats match the SCORM types', () => {
  assert.equal(core.timespan12(0), '00:00:00.00');
  assert.equal(core.timespan12(3723450), '01:02:03.45');
  assert.equal(core.timespan12(123456 * 3600e3), '9999:59:59.99');
  assert.equal(core.duration2004(0), 'PT0H0M0S');
  assert.equal(core.duration2004(3723450), 'PT1H2M3.45S');
  assert.equal(core.duration2004(5500), 'PT0H0M5.5S');
  const d = new Date(2026, 10, 27, 9, 5, 7);
  assert.equal(core.time12(d), '09:05:07');
  // 2004: UTC, always with a fraction before the zone (the zone alone after seconds is a 406).
  assert.equal(core.timestamp2004(new Date(Date.UTC(2026, 11, 7, 18, 0, 41, 378))), '2026-12-07T18:00:41.37Z');
  assert.equal(core.timestamp2004(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 0))), '2026-01-02T03:04:05.00Z');
  assert.equal(LMS.types.time2004('2026-12-07T18:00:41Z'), false, 'the strict test LMS refuses a zone without a fraction');
  assert.equal(LMS.types.time2004('2026-12-07T18:00:41+01:00'), false);
  assert.equal(LMS.types.time2004('2026-12-07T18:00:41.0+01:00'), true);
  for (const ms of [0, 10, 999, 61000, 3599990, 86400000]) {
    assert.ok(LMS.types.timespan12(core.timespan12(ms)), core.timespan12(ms));
    assert.ok(LMS.types.interval(core.duration2004(ms)), core.duration2004(ms));
  }
  assert.ok(LMS.types.time2004(core.timestamp2004(new Date())));
});

// The documented table in author/render/web/README.md, written out literally.
const PATTERNS = {
  '1.2': {
    'q-choice': [['a'], 'a', 'b'], 'q-multiple': [['a,c'], 'a,c', 'a,b'], 'q-tf': [['f'], 'f', 't'],
    'q-fill': [['Retrospect', 'After action review'], 'retrospect', 'a lessons log'],
    'q-numeric': [[], '7', '12.5'], 'q-match': [['a.a,b.b,c.c'], 'a.a,b.b,c.c', 'a.c,b.b,c.a'],
    'q-order': [['a,b,c'], 'a,b,c', 'c,a,b'], 'q-likert': [[], 'b', 'a'],
  },
  '2004': {
    'q-choice': [['a'], 'a', 'b'], 'q-multiple': [['a[,]c'], 'a[,]c', 'a[,]b'], 'q-tf': [['false'], 'false', 'true'],
    'q-fill': [['Retrospect', 'After action review'], 'retrospect', 'a lessons log'],
    'q-numeric': [['6[:]8'], '7', '12.5'], 'q-match': [['a[.]a[,]b[.]b[,]c[.]c'], 'a[.]a[,]b[.]b[,]c[.]c', 'a[.]c[,]b[.]b[,]c[.]a'],
    'q-order': [['a[,]b[,]c'], 'a[,]b[,]c', 'c[,]a[,]b'], 'q-likert': [[], 'b', 'a'],
  },
};

for (const edition of ['1.2', '2004']) {
  test(`interaction patterns and responses (${edition}) are the documented ones and pass the strict LMS`, () => {
    const data = fixture(edition === '1.2' ? '1.2' : '2004-4th');
    const fmt = edition === '1.2' ? LMS.FORMAT_12 : LMS.FORMAT_2004;
    data.quiz.questions.forEach((q, i) => {
      const [patterns, right, wrong] = PATTERNS[edition][q.id];
      assert.deepEqual(core.correctPatterns(edition, data, q), patterns, q.id);
      assert.equal(core.learnerResponse(edition, data, q, RIGHT[i]), right, q.id);
      assert.equal(core.learnerResponse(edition, data, q, WRONG[i]), wrong, q.id);
      for (const a of [RIGHT[i], WRONG[i]]) {
        const values = Object.fromEntries(core.interactionValues(edition, data, q, a, 5000, new Date()));
        const type = values.type;
        for (const p of patterns) assert.ok(fmt[type](p, true), `${q.id} pattern ${p}`);
        assert.ok(fmt[type](values[edition === '1.2' ? 'student_response' : 'learner_response'], false), q.id);
        assert.equal(values.weighting, q.type === 'likert' ? '0' : '1');
      }
      const right12 = Object.fromEntries(core.interactionValues(edition, data, q, RIGHT[i], 1, new Date()));
      const wrong12 = Object.fromEntries(core.interactionValues(edition, data, q, WRONG[i], 1, new Date()));
      if (q.type === 'likert') {
        assert.equal(right12.result, 'neutral');
      } else {
        assert.equal(right12.result, 'correct');
        assert.equal(wrong12.result, edition === '1.2' ? 'wrong' : 'incorrect');
      }
      assert.equal(right12.id, edition === '1.2' ? `peer-assist_${q.id}` : `urn:postcard:peer-assist:${q.id}`);
      if (edition === '2004') assert.equal(right12.description, q.prompt);
    });
  });
}

test('2004 text values: {lang=} when needed, [,] cannot split a response, 250-character cap', () => {
  const data = fixture('2004-4th');
  const q = { id: 'f', type: 'fill-in', prompt: '{curly} prompt ' + 'x'.repeat(300), answers: ['{a}', 'b[,]c'], maxlength: 250 };
  assert.deepEqual(core.correctPatterns('2004', data, q), ['{lang=en-GB}{a}', 'b[ ,]c']);
  assert.equal(core.learnerResponse('2004', data, q, '{x} [,] y'), '{lang=en-GB}{x} [ ,] y');
  const v = Object.fromEntries(core.interactionValues('2004', data, q, 'b', 1, new Date()));
  assert.ok(v.description.startsWith('{lang=en-GB}{curly}'));
  assert.equal(Array.from(v.description.slice('{lang=en-GB}'.length)).length, 250);
  assert.ok(LMS.FORMAT_2004['fill-in'](v.learner_response, false));
  assert.equal(core.localized('{x}', 'english'), '{lang=en}{x}', 'not an RFC 3066 tag: en');
  // Six accepted answers: 2004 allows five patterns.
  const six = { type: 'fill-in', answers: ['a', 'b', 'c', 'd', 'e', 'f'] };
  assert.equal(core.correctPatterns('2004', data, six).length, 5);
  assert.equal(core.correctPatterns('1.2', data, six).length, 6);
  // 1.2 numeric: exact answers have a pattern, ranges none.
  assert.deepEqual(core.correctPatterns('1.2', data, { type: 'numeric', min: '4.50', max: '4.5' }), ['4.50']);
  assert.deepEqual(core.correctPatterns('2004', data, { type: 'numeric', min: '5' }), ['5[:]']);
  assert.deepEqual(core.correctPatterns('2004', data, { type: 'numeric', max: '5' }), ['[:]5']);
});

test('findAPI climbs parents, then the opener, tolerates cross-origin frames, and is bounded', () => {
  const api = { name: 'api' };
  const chain = (n, top) => { let w = top; for (let i = 0; i < n; i++) { const c = {}; c.parent = w; w = c; } return w; };
  const top = { API: api }; top.parent = top;
  assert.equal(core.findAPI(chain(3, top), 'API'), api);
  assert.equal(core.findAPI(chain(3, top), 'API_1484_11'), null);
  // A cross-origin frame in the middle: reading it throws, the search goes on above it.
  const hostile = { get API() { throw new Error('SecurityError'); } };
  hostile.parent = top;
  const child = { parent: hostile };
  assert.equal(core.findAPI(child, 'API'), api);
  // Too deep: not found.
  assert.equal(core.findAPI(chain(12, top), 'API'), null);
  // Popup launch: the opener (or the opener of our top window) holds it.
  const lms = { API_1484_11: api }; lms.parent = lms;
  const popupTop = { opener: lms }; popupTop.parent = popupTop; popupTop.top = popupTop;
  const popup = { parent: popupTop, top: popupTop };
  assert.equal(core.findAPI(popup, 'API_1484_11'), api);
});

test('profiles: every switch is read, and an unknown name plays as generic', () => {
  assert.deepEqual(Object.keys(core.PROFILES).sort(), ['generic', 'learning-hub', 'moodle']);
  assert.equal(core.profileOf({ lms: 'scorm-cloud' }), core.PROFILES.generic, 'old packages named scorm-cloud');
  assert.equal(core.PROFILES.moodle.status12, 'completion');
  assert.equal(core.PROFILES['learning-hub'].comments, false);
  assert.equal(core.PROFILES['learning-hub'].ownCount, true);
  const hub = core.PROFILES['learning-hub'].response;
  // lms-behaviours.md 3: the Hub refuses numeric responses not matching ^\d+(?:[.,]\d+)?$.
  for (const v of ['7', '4.5', '300']) assert.equal(hub('numeric', v), true, v);
  for (const v of ['-5', '1e3', '-0.5']) assert.equal(hub('numeric', v), false, v);
  assert.equal(hub('fill-in', '-5'), true);
});

test('suspend data: the interaction count of the profiles that keep one', () => {
  const data = fixture();
  const hub = { ...data, lms: 'learning-hub' };
  const st = core.emptyState(hub);
  st.seen = st.seen.map(() => true);
  assert.equal(core.encodeState(hub, st), '1.f1;;;;;;;;');
  st.recorded = 12;
  assert.equal(core.encodeState(hub, st), '1.f1.12;;;;;;;;');
  assert.equal(core.decodeState(hub, '1.f1.12;;;;;;;;').recorded, 12);
  st.recorded = 250;
  assert.equal(core.encodeState(hub, st), '1.f1.99;;;;;;;;', 'two digits at most');
  // Old resume states (no count) still resume; a malformed count is a fresh start of the cards.
  assert.equal(core.decodeState(hub, '1.f1;;;;;;;;').recorded, 0);
  assert.deepEqual(core.decodeState(hub, '1.f1;;;;;;;;').seen, st.seen);
  assert.equal(core.decodeState(hub, '1.f1.0;;;;;;;;').seen[0], false);
  assert.equal(core.decodeState(hub, '1.f1.123;;;;;;;;').seen[0], false);
  assert.equal(core.worstCaseLength(hub), core.worstCaseLength(data) + 3);
});

test('action plan: the technique, the reflection and the next step, as a text file with lines to write on', () => {
  const data = { ...fixture(), postcardSteps: ['Agree the question', 'Invite the peers'] };
  const next = { what: 'Book the ward room\nfor the Peer Assist', when: '31 January', who: 'Priya and the discharge team' };
  const plan = core.actionPlan(data, 'Ask Priya first.\nThen book the room.', next, new Date(2026, 11, 7, 18, 0));
  assert.equal(plan.filename, 'peer-assist-action-plan.txt');
  assert.equal(plan.title, `${data.module.title}: my action plan`);
  assert.equal(plan.date, '7 December 2026');
  assert.deepEqual(plan.technique, { name: data.module.title, phase: 'Learning Before: use it at the start of a piece of work',
    summary: data.module.summary });
  assert.deepEqual(plan.next, [{ label: 'What I will do', value: 'Book the ward room for the Peer Assist' },
    { label: 'By when', value: '31 January' }, { label: 'With whom', value: 'Priya and the discharge team' }], 'one line each');
  assert.equal(plan.file, [`${data.module.title}: my action plan`, '7 December 2026', '', `The technique: ${data.module.title}`,
    plan.technique.phase, data.module.summary, '', 'How to run it:', '[ ] 1. Agree the question', '[ ] 2. Invite the peers', '',
    'My reflection', data.reflection.prompt, '', 'Ask Priya first.', 'Then book the room.', '', 'My next step',
    'What I will do: Book the ward room for the Peer Assist', 'By when: 31 January', 'With whom: Priya and the discharge team', ''].join('\r\n'));
  // Nothing written yet: every answer is a line to write on; no steps without a postcard.
  const empty = core.actionPlan(fixture(), '', {}, new Date(2026, 0, 1));
  assert.deepEqual(empty.steps, []);
  assert.doesNotMatch(empty.file, /How to run it/);
  const lines = empty.file.split('\r\n');
  assert.match(lines[lines.indexOf(data.reflection.prompt) + 2], /^_{20,}$/);
  for (const l of ['What I will do', 'By when', 'With whom']) assert.ok(lines.some((x) => new RegExp(`^${l}: _{20,}$`).test(x)), l);
});

test('the next step is kept in the learner comment after the reflection, and read back from it', () => {
  const next = { what: 'Run a café', when: 'March', who: 'Sam' };
  const comment = core.reflectionComment('The discharge project.', next);
  assert.equal(comment, 'The discharge project.\n\nWhat I will do: Run a café\nBy when: March\nWith whom: Sam');
  assert.deepEqual(core.splitComment(comment), { text: 'The discharge project.', next });
  // Only the reflection: the comment is the text alone, as before the next step existed.
  assert.equal(core.reflectionComment('Just this.', { what: '', when: '', who: '' }), 'Just this.');
  assert.deepEqual(core.splitComment('Just this.'), { text: 'Just this.', next: { what: '', when: '', who: '' } });
  // Only a next step; a box left empty; line breaks typed into a box; CRLF from an LMS.
  assert.equal(core.reflectionComment('', { what: 'x', when: '', who: '' }), 'What I will do: x\nBy when: \nWith whom: ');
  assert.deepEqual(core.splitComment('What I will do: x\nBy when: \nWith whom: '), { text: '', next: { what: 'x', when: '', who: '' } });
  assert.equal(core.reflectionComment('', { what: 'a\r\nb\u2028c', when: '', who: '' }).split('\n')[0], 'What I will do: a b c');
  assert.deepEqual(core.splitComment('T\r\n\r\nWhat I will do: a\r\nBy when: b\r\nWith whom: c').next, { what: 'a', when: 'b', who: 'c' });
  assert.deepEqual(core.splitComment('T\n\nWhat I will do: a\nBy when: b\nWith whom:'), { text: 'T', next: { what: 'a', when: 'b', who: '' } },
    'an LMS that trims the comment drops the space after an empty last answer');
  // The lines count only at the very end, all three, in order.
  for (const c of ['What I will do: a\nBy when: b', 'What I will do: a\nBy when: b\nWith whom: c\nmore', 'By when: b\nWhat I will do: a\nWith whom: c']) {
    assert.deepEqual(core.splitComment(c), { text: c, next: { what: '', when: '', who: '' } }, c);
  }
  // Each box is cut to its length; the whole comment fits 2004's 4000 characters (less the room
  // kept for "{lang=...}"), the reflection box taking what the next step leaves.
  const long = { what: 'w'.repeat(500), when: 'n'.repeat(500), who: 'p'.repeat(500) };
  const parts = core.splitComment(core.reflectionComment('x', long)).next;
  assert.deepEqual(core.NEXT_STEP.map((f) => parts[f.key].length), core.NEXT_STEP.map((f) => f.max));
  const big = { ...fixture(), reflection: { id: 'plan', prompt: 'p', maxlength: 4000 } };
  const max = core.reflectionMax(big);
  assert.ok(core.reflectionComment('r'.repeat(max), long).length <= 3900, 'within the comment room');
  assert.equal(core.reflectionComment('r'.repeat(max), long).length, 3900, 'and uses all of it');
  assert.equal(core.reflectionMax(fixture()), 500, "the module's own maxlength when it fits");
});

// The test LMS must be strict, or the browser tests prove nothing.
test('test LMS 1.2 rejects malformed values, misuse and calls out of order', () => {
  const log = [];
  const rec = LMS.newRecord('1.2');
  const api = LMS.createAPI('1.2', rec, (e) => log.push(e), () => {});
  const err = () => api.LMSGetLastError();
  assert.equal(api.LMSSetValue('cmi.core.lesson_location', 'x'), 'false'); assert.equal(err(), '301');
  assert.equal(api.LMSInitialize('x'), 'false'); assert.equal(err(), '201');
  assert.equal(api.LMSInitialize(''), 'true');
  const bad = [
    ['cmi.core.lesson_status', 'not attempted', '405'], ['cmi.core.lesson_status', 'Passed', '405'],
    ['cmi.core.score.raw', '101', '405'], ['cmi.core.score.raw', '1e2', '405'], ['cmi.core.exit', 'normal', '405'],
    ['cmi.core.session_time', 'PT5S', '405'], ['cmi.core.session_time', '00:60:00', '405'],
    ['cmi.suspend_data', 'x'.repeat(4097), '405'], ['cmi.core.lesson_location', 'x'.repeat(256), '405'],
    ['cmi.core.entry', 'resume', '403'], ['cmi.interactions._count', '1', '402'], ['cmi.core.bogus', 'x', '201'],
    ['cmi.interactions.0.type', 'choice', '201'], ['cmi.interactions.1.id', 'q', '201'],
    ['cmi.interactions.0.id', 'has space', '405'],
  ];
  for (const [el, v, code] of bad) { assert.equal(api.LMSSetValue(el, v), 'false', el + '=' + v); assert.equal(err(), code, el + '=' + v); }
  assert.equal(api.LMSSetValue('cmi.core.lesson_status', 7), 'false', 'not a string'); assert.equal(err(), '405');
  assert.equal(api.LMSSetValue('cmi.interactions.0.id', 'q1'), 'true');
  assert.equal(api.LMSSetValue('cmi.interactions.0.student_response', 'a'), 'false', 'response before type');
  assert.equal(api.LMSSetValue('cmi.interactions.0.type', 'choice'), 'true');
  for (const v of ['A', 'ab', 'a,', 'a.b', '']) assert.equal(api.LMSSetValue('cmi.interactions.0.student_response', v), 'false', v);
  assert.equal(api.LMSSetValue('cmi.interactions.0.student_response', 'a,c'), 'true');
  assert.equal(api.LMSSetValue('cmi.interactions.0.correct_responses.1.pattern', 'a'), 'false', 'pattern index skipped');
  assert.equal(api.LMSSetValue('cmi.interactions.0.time', '24:00:00'), 'false');
  assert.equal(api.LMSGetValue('cmi.interactions.0.id'), ''); assert.equal(err(), '404');
  assert.equal(api.LMSGetValue('cmi.core.exit'), ''); assert.equal(err(), '404');
  assert.equal(api.LMSGetValue('cmi.interactions._count'), '1');
  assert.equal(api.LMSCommit(), 'false', 'Commit needs the "" argument'); assert.equal(err(), '201');
  assert.equal(api.LMSSetValue('cmi.core.exit', 'suspend'), 'true');
  assert.equal(api.LMSFinish(''), 'true');
  assert.equal(api.LMSSetValue('cmi.core.lesson_location', 'x'), 'false', 'after finish'); assert.equal(err(), '101');
  assert.equal(api.LMSCommit(''), 'false');
  assert.equal(rec.values['cmi.core.entry'], 'resume', 'suspend gives a resume');
  assert.ok(log.every((e) => typeof e.result === 'string'));
});

test('test LMS 2004 rejects malformed values, dependency and state errors', () => {
  const rec = LMS.newRecord('2004');
  const api = LMS.createAPI('2004', rec, () => {}, () => {});
  const err = () => api.GetLastError();
  assert.equal(api.GetValue('cmi.location'), ''); assert.equal(err(), '122');
  assert.equal(api.Initialize(''), 'true');
  assert.equal(api.Initialize(''), 'false'); assert.equal(err(), '103');
  assert.equal(api.GetValue('cmi.location'), ''); assert.equal(err(), '403');
  assert.equal(api.GetValue('cmi.suspend_data'), ''); assert.equal(err(), '403');
  const bad = [
    ['cmi.completion_status', 'passed', '406'], ['cmi.success_status', 'completed', '406'],
    ['cmi.score.scaled', '1.5', '407'], ['cmi.score.raw', 'abc', '406'], ['cmi.exit', 'done', '406'],
    ['cmi.session_time', '00:00:05', '406'], ['cmi.session_time', 'PT', '406'], ['cmi.session_time', 'P1W', '406'],
    ['cmi.location', 'x'.repeat(1001), '406'], ['cmi.core.lesson_status', 'passed', '401'],
    ['cmi.interactions.0.type', 'choice', '408'], ['cmi.interactions.1.id', 'x', '351'],
    ['cmi.interactions.0.id', 'has space', '406'], ['cmi.interactions.0.id', 'urn:bad nid!:x', '406'],
    ['cmi.comments_from_learner.0.comment', '{lang=english}x', '406'],
    ['cmi.comments_from_learner.0.timestamp', '2026-13-01', '406'],
  ];
  for (const [el, v, code] of bad) { assert.equal(api.SetValue(el, v), 'false', el + '=' + v); assert.equal(err(), code, el + '=' + v); }
  assert.equal(api.SetValue('cmi.interactions.0.id', 'urn:postcard:m:q'), 'true');
  assert.equal(api.SetValue('cmi.interactions.0.learner_response', 'a'), 'false'); assert.equal(err(), '408');
  assert.equal(api.SetValue('cmi.interactions.0.type', 'choice'), 'true');
  for (const v of ['a[,]', 'a[,]a', 'a b', 'a[.]b']) assert.equal(api.SetValue('cmi.interactions.0.learner_response', v), 'false', v);
  assert.equal(api.SetValue('cmi.interactions.0.correct_responses.0.pattern', 'a[,]c'), 'true');
  assert.equal(api.SetValue('cmi.interactions.0.correct_responses.1.pattern', 'a[,]c'), 'false', 'same choice pattern twice'); assert.equal(err(), '351');
  assert.equal(api.SetValue('cmi.interactions.0.result', 'wrong'), 'false', '2004 says incorrect');
  assert.equal(api.SetValue('cmi.interactions.0.description', '{bad'), 'false');
  assert.equal(api.SetValue('cmi.interactions.0.description', 'x'.repeat(251)), 'false');
  assert.equal(api.SetValue('cmi.interactions.1.id', 'urn:postcard:m:n'), 'true');
  assert.equal(api.SetValue('cmi.interactions.1.type', 'numeric'), 'true');
  assert.equal(api.SetValue('cmi.interactions.1.correct_responses.0.pattern', '8[:]6'), 'false', 'min > max');
  assert.equal(api.SetValue('cmi.interactions.1.correct_responses.0.pattern', '6[:]8'), 'true');
  assert.equal(api.SetValue('cmi.interactions.1.correct_responses.1.pattern', '6[:]9'), 'false', 'numeric allows one pattern');
  assert.equal(api.GetValue('cmi.exit'), ''); assert.equal(err(), '405');
  assert.equal(api.SetValue('cmi.exit', 'normal'), 'true');
  assert.equal(api.Terminate(''), 'true');
  assert.equal(api.GetValue('cmi.mode'), ''); assert.equal(err(), '123');
  assert.equal(api.Terminate(''), 'false'); assert.equal(err(), '113');
  assert.equal(rec.values['cmi.entry'], '', 'normal exit: a new attempt');
  assert.equal(rec.interactions.length, 0, 'a new attempt starts empty');
});

test('the player never listens for unload or beforeunload (browsers drop them; pagehide is used)', () => {
  const src = readFileSync(new URL('../../author/render/web/postcard.js', import.meta.url), 'utf8');
  assert.doesNotMatch(src, /addEventListener\(\s*['"](before)?unload['"]/);
  assert.doesNotMatch(src, /\bon(before)?unload\s*=/);
  assert.match(src, /addEventListener\('pagehide'/);
  assert.match(src, /addEventListener\('visibilitychange'/);
  // And it makes no network calls of its own.
  assert.doesNotMatch(src, /\b(fetch|XMLHttpRequest|sendBeacon|WebSocket|EventSource|importScripts)\b/);
});

test('cleanText drops U+0000 and replaces lone surrogates, keeping pairs', () => {
  assert.equal(core.cleanText('a\u0000b'), 'ab');
  assert.equal(core.cleanText('x\uD800y'), 'x\uFFFDy');
  assert.equal(core.cleanText('\uDC00z'), '\uFFFDz');
  assert.equal(core.cleanText('😀 ok'), '😀 ok');
});
