// Moodle's rules (moodle-rules.js, from ../shared/reference/lms-behaviours.md section 2) against
// what `postcard build` writes: activity completion under Moodle's default rule and the gradebook
// for a learner who passed and one who failed, with --lms moodle and without; SCORM 2004 times; the
// course's grade. Each assertion names the fact [M1]..[M4] it rests on.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { packages } from './packages.mjs';
import { launchBrowser, hostSide } from './sides.mjs';
import { step, rightAnswer, partlyWrong } from './learner.mjs';

const Moodle = createRequire(import.meta.url)('./moodle-rules.js');
const index = packages();
const pkgOf = (id, scorm, lms) => index.find((p) => p.id === id && p.scorm === scorm && p.lms === lms);

let browser, moodle;
before(async () => {
  browser = await launchBrowser();
  moodle = hostSide(browser, 'moodle', dirname(dirname(index[0].dir)));
});
after(async () => { if (browser) await browser.close(); });

// A learner who reads every card, answers (right, or partly wrong and fails), writes the reflection
// and closes the page. Returns the LMS's record of the SCO (lms.js shape: {version, values, ...})
// once the page is closed (SCORM 1.2), or just before (2004: closing ends the attempt, and the
// strict test LMS under the double starts the next one with an empty record).
async function play(pkg, sco, learner, pass) {
  const key = `${learner} ${pkg.scorm}-${pkg.lms}/${pkg.dir.split('/').pop()}/${sco.href}`;
  const page = await moodle.page();
  const record = () => page.evaluate((k) => JSON.parse(JSON.stringify(window.host.records[k])), key);
  const frame = await moodle.launch(pkg, sco, learner);
  const data = await step(frame, 'data');
  const qs = data.quiz.questions;
  await step(frame, 'readCards');
  await step(frame, 'answer', 0, qs.length, pass ? qs.map(rightAnswer) : partlyWrong(qs), true);
  assert.match(await step(frame, 'result'), pass ? /You passed\./ : /You did not pass this time\./);
  if (pass) {
    await step(frame, 'next');
    await step(frame, 'reflect', 'Book the ward room first.');
    await step(frame, 'next');
  }
  const before = await record();
  await moodle.leave();
  return pkg.scorm === '1.2' ? record() : before;
}

test('SCORM 1.2 --lms moodle: complete under Moodle\'s default rule when passed, not when failed; the score reaches the gradebook', async () => {
  const pkg = pkgOf('peer-assist', '1.2', 'moodle');
  const sco = pkg.scos[0];
  assert.equal(sco.masteryScore, null, 'no adlcp:masteryscore in a moodle package');
  const passed = await play(pkg, sco, 'moodle-pass', true);
  const failed = await play(pkg, sco, 'moodle-fail', false);
  assert.equal(passed.values['cmi.core.lesson_status'], 'completed');
  assert.equal(failed.values['cmi.core.lesson_status'], 'incomplete');
  // [M1] default "Require status: Completed".
  assert.equal(Moodle.complete([passed]), true, 'a learner who met the goal is complete');
  assert.equal(Moodle.complete([failed]), false, 'a learner who failed is not');
  // [M2] "Highest grade": the score is there for both.
  assert.equal(Moodle.grade([passed]), 100);
  assert.ok(Moodle.grade([failed]) < 80 && Moodle.grade([failed]) > 0, `failed grade ${Moodle.grade([failed])}`);
  // [M4] no mastery score, so nothing turns "completed" into passed/failed at the end.
  const calls = await moodle.calls('moodle-pass');
  assert.deepEqual(calls.filter((c) => c.error !== '0'), []);
});

test('SCORM 1.2 generic package in Moodle: a learner who passed stays "not complete" under the default rule', async () => {
  const pkg = pkgOf('peer-assist', '1.2', 'generic');
  const sco = pkg.scos[0];
  assert.equal(sco.masteryScore, '80');
  const passed = await play(pkg, sco, 'generic-pass', true);
  assert.equal(passed.values['cmi.core.lesson_status'], 'passed');
  // [M1] the fact the moodle profile exists for: "passed" never matches the Completed tick ...
  assert.equal(Moodle.complete([passed]), false);
  // ... and does with Passed ticked.
  assert.equal(Moodle.complete([passed], ['passed']), true);
  assert.equal(Moodle.complete([passed], ['passed', 'completed']), true);
  assert.equal(Moodle.grade([passed]), 100);
});

test('SCORM 2004 4th in Moodle: every timestamp is stored, completion and success apart', async () => {
  const pkg = pkgOf('retrospect', '2004-4th', 'generic');
  const sco = pkg.scos[0];
  const rec = await play(pkg, sco, 'moodle-2004', true);
  const calls = await moodle.calls('moodle-2004');
  // [M3] Moodle's CMITime check refuses a zone without fractional seconds: the player's times pass.
  const times = calls.filter((c) => /\.timestamp$/.test(c.args[0] || ''));
  assert.ok(times.length >= 9, `${times.length} timestamps`);
  for (const c of times) assert.equal(c.error, '0', `${c.args[0]} = ${c.args[1]}`);
  assert.ok(rec.interactions.every((i) => Moodle.CMI_TIME.test(i.timestamp)), 'every interaction keeps its time');
  assert.ok(Moodle.CMI_TIME.test(rec.comments[0].timestamp), 'the reflection keeps its time');
  assert.equal(Moodle.CMI_TIME.test('2026-12-07T18:01:58Z'), false, '[M3] as observed');
  assert.equal(Moodle.CMI_TIME.test('2026-12-07T18:01:58.00Z'), true, '[M3] as observed');
  // [M1] 2004 keeps completion and success apart: the default rule is met.
  assert.equal(Moodle.complete([rec]), true);
  assert.deepEqual(calls.filter((c) => c.error !== '0'), []);
});

test('the 14-SCO course in SCORM 1.2: after one module, "Highest grade" shows 100', async () => {
  const pkg = pkgOf('kmf', '1.2', 'moodle');
  assert.equal(pkg.scos.length, 14);
  const first = await play(pkg, pkg.scos[0], 'moodle-course', true);
  const scos = [first, ...pkg.scos.slice(1).map(() => null)];
  // [M2] the default grading method, and what the others give.
  assert.equal(Moodle.grade(scos, 'highest'), 100);
  assert.equal(Moodle.grade(scos, 'objects'), 1);
  assert.equal(Moodle.grade(scos, 'sum'), 100);
  // [M1] one SCO completed ticks the activity, unless every SCO must return the status.
  assert.equal(Moodle.complete(scos), true);
  assert.equal(Moodle.complete(scos, ['completed'], true), false);
  assert.deepEqual(await moodle.errors(), []);
  assert.deepEqual(browser.outside, []);
});
