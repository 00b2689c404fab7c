// The NHS Learning Hub's rules (hub-rules.js, from ../shared/reference/lms-behaviours.md section 3)
// against what `postcard build --lms learning-hub` writes, and against a generic package to show
// what the profile is for. Each assertion names the fact [H1]..[H8] it rests on.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { packages } from './packages.mjs';
import { launchBrowser, hostSide } from './sides.mjs';
import { step, rightAnswer, wrongAnswer } from './learner.mjs';

const index = packages();
const pkgOf = (id, lms) => index.find((p) => p.id === id && p.scorm === '1.2' && p.lms === lms);

let browser, hub;
before(async () => {
  browser = await launchBrowser();
  hub = hostSide(browser, 'hub', dirname(dirname(index[0].dir)));
});
after(async () => { if (browser) await browser.close(); });

// Session 1: every card, the first half of the quiz wrong, leave. Session 2: resumed, the rest
// wrong (a failed attempt), try again, all right, the reflection, leave.
async function twoSessions(pkg, learner, hooks = {}) {
  const sco = pkg.scos[0];
  let frame = await hub.launch(pkg, sco, learner);
  const data = await step(frame, 'data');
  const qs = data.quiz.questions;
  const wrong = qs.map(wrongAnswer);
  const h = Math.floor(qs.length / 2);
  await step(frame, 'readCards');
  await step(frame, 'answer', 0, h, wrong, false);
  await hub.leave();
  const first = await hub.record(pkg, sco, learner);
  frame = await hub.launch(pkg, sco, learner);
  const resumedAt = await step(frame, 'heading');
  await step(frame, 'next');
  await step(frame, 'answer', h, qs.length, wrong, true);
  await step(frame, 'retry');
  await step(frame, 'answer', 0, qs.length, qs.map(rightAnswer), true);
  await step(frame, 'next');
  const reflectionShown = await step(frame, 'reflection');
  const reflected = await step(frame, 'reflect', 'Ask the ward team; book the room.');
  if (hooks.reflection) await hooks.reflection(frame);
  await step(frame, 'next');
  await hub.leave();
  return { data, qs, h, wrong, first, resumedAt, reflectionShown, reflected, record: await hub.record(pkg, sco, learner),
    calls: await hub.calls(learner) };
}

test('learning-hub package under the Hub: nothing lost across a resume, no error, the reflection kept as a file', async () => {
  const pkg = pkgOf('peer-assist', 'learning-hub');
  const learner = 'hub-profile';
  let download = null;
  const r = await twoSessions(pkg, learner, {
    reflection: async (frame) => {
      const page = await hub.page();
      [download] = await Promise.all([page.waitForEvent('download'), frame.click('text=Save my action plan as a file')]);
    },
  });
  const { qs, h, record, calls } = r;
  // [H6] the Hub's API answers booleans and 0: the player read them right and nothing failed.
  assert.deepEqual(calls.filter((c) => c.error !== '0' || c.threw), [], 'calls that failed or threw');
  // [H1] the player never reads or writes cmi.comments under this profile, and says the Hub does not keep it.
  assert.deepEqual(calls.filter((c) => c.args[0] === 'cmi.comments'), []);
  assert.equal(r.reflected.saved, false, 'no "Save my reflection": the Hub would not keep it');
  assert.match(r.reflected.hint, /does not keep it: to keep it, save it as a file or print it/);
  assert.deepEqual(r.reflected.buttons, ['Save my action plan as a file', 'Print my action plan']);
  assert.equal(download.suggestedFilename(), 'peer-assist-action-plan.txt');
  assert.match(readFileSync(await download.path(), 'utf8'), /\r\nAsk the ward team; book the room\.\r\n\r\nMy next step\r\n/);
  // [H4] after session 1 the Hub holds its h interactions; [H2] it will answer _count 0 again.
  assert.equal(r.first['cmi.interactions.' + (h - 1) + '.id'], `peer-assist_${qs[h - 1].id}`);
  assert.equal(r.first['cmi.interactions.' + h + '.id'], undefined);
  assert.match(r.first['cmi.suspend_data'], new RegExp(`^1\\.[0-9a-f]+\\.${h};`), 'the count the next session starts from');
  assert.equal(r.resumedAt, `Question ${h} of ${qs.length}`);
  // [H3] positions: session 2 went on from h, so all 2n answers are stored, in order.
  for (let n = 0; n < 2 * qs.length; n++) {
    const q = qs[n % qs.length];
    assert.equal(record[`cmi.interactions.${n}.id`], `peer-assist_${q.id}`, `position ${n}`);
    const right = n >= qs.length;
    assert.equal(record[`cmi.interactions.${n}.result`], q.type === 'likert' ? 'neutral' : right ? 'correct' : 'wrong', `position ${n}`);
    assert.equal(record[`cmi.interactions.${n}.weighting`], '0', '[H4] weighting is stored as 0');
  }
  assert.equal(record[`cmi.interactions.${2 * qs.length}.id`], undefined);
  // [H5] the wrong numeric answer is negative: its response is not sent (the Hub would refuse it),
  // the rest of the interaction is, and the quiz went on.
  const num = qs.findIndex((q) => q.type === 'numeric');
  assert.ok(Number(r.wrong[num]) < 0, 'the wrong numeric answer is negative');
  assert.equal(record[`cmi.interactions.${num}.student_response`], undefined);
  assert.equal(record[`cmi.interactions.${num}.result`], 'wrong');
  assert.equal(record[`cmi.interactions.${qs.length + num}.student_response`], rightAnswer(qs[num]));
  // [H7] the final save: status, score, location, suspend data, session time.
  assert.equal(record['cmi.core.lesson_status'], 'passed');
  assert.equal(record['cmi.core.score.raw'], '100');
  assert.equal(record['cmi.core.lesson_location'], 'end');
  assert.equal(record['hub.sessions'], '2');
  // [H8] the learner who passed comes back to a fresh record: the module starts again from the
  // beginning (its start screen).
  const frame = await hub.launch(pkg, pkg.scos[0], learner);
  assert.equal(await step(frame, 'heading'), r.data.module.outcomes ? 'About this module' : r.data.cards[0].title);
  assert.doesNotMatch(await step(frame, 'status'), /Welcome back/);
  await hub.leave();
  assert.deepEqual(await hub.errors(), []);
  assert.deepEqual(browser.outside, []);
});

test('generic package under the Hub: why the profile exists (the reflection box stays empty, answers are overwritten)', async () => {
  const pkg = pkgOf('peer-assist', 'generic');
  const r = await twoSessions(pkg, 'hub-generic');
  // [H1] reading cmi.comments throws; the player takes it as "no value": the box is empty, never
  // "false", and it does not claim the Hub keeps the text.
  assert.ok(r.calls.some((c) => c.args[0] === 'cmi.comments' && c.threw), 'the generic player reads cmi.comments');
  assert.equal(r.reflectionShown, '');
  assert.equal(r.reflected.saved, false);
  assert.match(r.reflected.hint, /does not keep it/);
  // [H2] [H3] numbering from _count (0 on resume) overwrites the first session's answers.
  let stored = 0;
  while (r.record[`cmi.interactions.${stored}.id`] !== undefined) stored++;
  assert.ok(stored < 2 * r.qs.length, `a generic package keeps only ${stored} of ${2 * r.qs.length} answers`);
});
