// One learner's journey through one SCO, the same under every LMS side (sides.mjs), and what the
// LMS's record must hold at three points:
//   left    every card read, the first half of the questions answered (partly wrong), then the page
//           closed mid-quiz
//   failed  relaunched: back on the last question answered, with its feedback; the rest answered,
//           the attempt fails (at most 50%)
//   passed  "Try the quiz again", every answer right, the reflection written, the page closed
// Records are compared as `view`s: the values a report shows, in the same shape for every LMS.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { step, rightAnswer, partlyWrong, expectedScore } from './learner.mjs';

const require = createRequire(import.meta.url);
const TestLMS = require('../package/lms.js');

const TYPE = { 'choice': 'choice', 'multiple': 'choice', 'true-false': 'true-false', 'fill-in': 'fill-in',
  'numeric': 'numeric', 'matching': 'matching', 'ordering': 'sequencing', 'likert': 'likert' };

export const reflectionText = (id) => `My plan after ${id}: ask the ward team first; then book a date (100% sure).`;

// The values of a record that the tests compare, one shape for every LMS. `flat` maps SCORM
// element names to values. Interaction times are reduced to "is a valid time of its type".
export function view(flat, scorm) {
  const v12 = scorm === '1.2';
  const g = (k) => (flat[k] === undefined || flat[k] === null ? '' : String(flat[k]));
  const out = {
    status: v12 ? g('cmi.core.lesson_status') : `${g('cmi.completion_status')}/${g('cmi.success_status')}`,
    score: v12 ? [g('cmi.core.score.raw'), g('cmi.core.score.min'), g('cmi.core.score.max')]
      : [g('cmi.score.raw'), g('cmi.score.min'), g('cmi.score.max'), g('cmi.score.scaled')],
    location: g(v12 ? 'cmi.core.lesson_location' : 'cmi.location'),
    suspend: g('cmi.suspend_data'),
    comment: v12 ? g('cmi.comments') : '',
    interactions: [],
  };
  for (let n = 0; !v12 && flat[`cmi.comments_from_learner.${n}.comment`] !== undefined; n++) {
    out.comment = g(`cmi.comments_from_learner.${n}.comment`); /* the player writes one, the reflection */
    out.commentTime = TestLMS.types.time2004(g(`cmi.comments_from_learner.${n}.timestamp`));
  }
  for (let n = 0; flat[`cmi.interactions.${n}.id`] !== undefined; n++) {
    const p = `cmi.interactions.${n}.`;
    const patterns = [];
    for (let m = 0; flat[`${p}correct_responses.${m}.pattern`] !== undefined; m++) patterns.push(g(`${p}correct_responses.${m}.pattern`));
    out.interactions.push({
      id: g(p + 'id'), type: g(p + 'type'), response: g(p + (v12 ? 'student_response' : 'learner_response')),
      result: g(p + 'result'), weighting: g(p + 'weighting'), patterns,
      time: v12 ? TestLMS.types.time12(g(p + 'time')) : TestLMS.types.time2004(g(p + 'timestamp')),
    });
  }
  return out;
}

// What the record must say about the interactions `given` (question index, answer) in order.
function expectInteractions(v, data, scorm, given, label) {
  const v12 = scorm === '1.2';
  assert.equal(v.interactions.length, given.length, `${label}: number of interactions`);
  given.forEach(([i, a], n) => {
    const q = data.quiz.questions[i];
    const it = v.interactions[n];
    const right = JSON.stringify(a) === JSON.stringify(rightAnswer(q));
    assert.equal(it.id, v12 ? `${data.module.id}_${q.id}` : `urn:postcard:${data.module.id}:${q.id}`, `${label} #${n} id`);
    assert.equal(it.type, TYPE[q.type], `${label} #${n} type`);
    assert.equal(it.result, q.type === 'likert' ? 'neutral' : right ? 'correct' : v12 ? 'wrong' : 'incorrect', `${label} #${n} ${q.id} result`);
    assert.ok(it.response !== '', `${label} #${n} ${q.id}: a learner response`);
    const noPattern = q.type === 'likert' || (v12 && q.type === 'numeric' && q.min !== q.max);
    assert.equal(it.patterns.length > 0, !noPattern, `${label} #${n} ${q.id}: correct pattern ${JSON.stringify(it.patterns)}`);
    assert.equal(it.time, true, `${label} #${n} ${q.id}: a valid ${v12 ? 'time' : 'timestamp'}`);
  });
}

// The statuses each profile reports (author/render/web/README.md, "LMS profiles").
export function statusOf(kind, scorm, lms) {
  if (scorm !== '1.2') return { left: 'incomplete/unknown', failed: 'completed/failed', passed: 'completed/passed' }[kind];
  if (lms === 'moodle') return { left: 'incomplete', failed: 'incomplete', passed: 'completed' }[kind];
  return { left: 'incomplete', failed: 'failed', passed: 'passed' }[kind];
}

// Plays the journey on `side` for SCO `sco` of package `pkg` as `learner`; returns the three views
// after checking each against the module's data. `hooks.reflected(result)` sees what the
// reflection screen offered.
export async function journey(side, pkg, sco, learner, hooks = {}) {
  const scorm = pkg.scorm;
  const label = `${side.name} ${scorm} ${pkg.lms} ${pkg.id}${pkg.course ? ' ' + sco.href : ''}`;
  let frame = await side.launch(pkg, sco, learner);
  const data = await step(frame, 'data');
  assert.doesNotMatch(await step(frame, 'status'), /Welcome back/, `${label}: a first launch`);
  assert.deepEqual(await step(frame, 'readCards'), data.cards.map((c) => c.title), `${label}: every card, in order`);
  const qs = data.quiz.questions;
  const plan = partlyWrong(qs);
  const right = qs.map(rightAnswer);
  const h = Math.floor(qs.length / 2);
  await step(frame, 'answer', 0, h, plan, false);
  await side.leave();

  const left = view(await side.record(pkg, sco, learner, (f) => view(f, scorm).location === `q:${qs[h - 1].id}` &&
    view(f, scorm).interactions.length === h && ended(f)), scorm);
  assert.equal(left.status, statusOf('left', scorm, pkg.lms), `${label}: status after leaving`);
  assert.deepEqual(left.score.slice(0, 1), [''], `${label}: no score before the quiz is done`);
  expectInteractions(left, data, scorm, plan.slice(0, h).map((a, i) => [i, a]), `${label} left`);

  frame = await side.launch(pkg, sco, learner);
  assert.equal(await step(frame, 'heading'), `Question ${h} of ${qs.length}`, `${label}: resumed on the last question answered`);
  assert.match(await step(frame, 'status'), /Welcome back/, `${label}: welcomed back`);
  assert.ok(await frame.$('.pc-feedback'), `${label}: the checked answer shows its feedback again`);
  await step(frame, 'next');
  await step(frame, 'answer', h, qs.length, plan, true);
  const fail = expectedScore(qs, plan, data.quiz.pass);
  assert.equal(fail.passed, false);
  assert.match(await step(frame, 'result'), /You did not pass this time\./, `${label}: the result page`);
  const v12 = scorm === '1.2';
  const failed = view(await side.record(pkg, sco, learner, (f) => view(f, scorm).interactions.length === qs.length &&
    view(f, scorm).score[0] === fail.raw), scorm);
  assert.equal(failed.status, statusOf('failed', scorm, pkg.lms), `${label}: status after failing`);
  assert.deepEqual(failed.score, v12 ? [fail.raw, '0', '100'] : [fail.raw, '0', '100', fail.scaled], `${label}: score after failing`);
  expectInteractions(failed, data, scorm, plan.map((a, i) => [i, a]), `${label} failed`);

  await step(frame, 'retry');
  await step(frame, 'answer', 0, qs.length, right, true);
  assert.match(await step(frame, 'result'), /You passed\./, `${label}: passed`);
  await step(frame, 'next');
  const text = reflectionText(data.module.id);
  const reflected = await step(frame, 'reflect', text);
  if (hooks.reflected) await hooks.reflected(reflected, frame);
  await step(frame, 'next');
  assert.match(await step(frame, 'result'), /You have finished this module\./, `${label}: the end`);
  await side.leave();
  const passed = view(await side.record(pkg, sco, learner, (f) => view(f, scorm).interactions.length === 2 * qs.length &&
    view(f, scorm).score[0] === '100' && ended(f)), scorm);
  assert.equal(passed.status, statusOf('passed', scorm, pkg.lms), `${label}: status after passing`);
  assert.deepEqual(passed.score, v12 ? ['100', '0', '100'] : ['100', '0', '100', '1'], `${label}: score after passing`);
  expectInteractions(passed, data, scorm, [...plan.map((a, i) => [i, a]), ...right.map((a, i) => [i, a])], `${label} passed`);
  return { data, left, failed, passed, text, reflected };
}

// Whether the session has ended (the runtime side says so in "$ended"; the others store only then).
function ended(f) { return f.$ended === undefined || f.$ended === 'true'; }
