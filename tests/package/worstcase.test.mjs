// The worst-case learner: every card seen and every question answered with the longest answer it
// allows (fill-ins at maxlength made of characters the encoding escapes, every option of a
// multiple chosen, the longest number). The real cmi.suspend_data must be exactly the data JSON's
// suspendBudget (the compiler's number, author/render/web/README.md "Encoding") and fit SCORM 1.2's 4096.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildPackage, ROOT } from './package.mjs';
import { launch, openLMS, relaunch, lmsState } from './browser.mjs';
import { fill, next } from './learner.mjs';

const core = createRequire(import.meta.url)('../../author/render/web/postcard.js');

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

const LONGEST = {
  one: 9, many: [...Array(10).keys()], tf: true,
  long: ';%'.repeat(125), // 250 characters, each escaped to 3
  short: '%'.repeat(300), // more than maxlength: the player keeps 60
  num: '-1234567890.1234567', pairs: [...Array(10).keys()].reverse(), steps: [...Array(10).keys()], scale: 9,
};

for (const [ed, scorm, limit] of [['1.2', '1.2', 4096], ['2004', '2004-3rd', 64000]]) {
  test(`SCORM ${ed}: worst-case suspend_data equals suspendBudget exactly`, async (t) => {
    const { dir, data, cleanup } = buildPackage('worst-case', { scorm });
    // The compiler's number, the documented formula, and the player's own computation agree.
    const expected = 2 + 2 + (2 + 11 + 2 + 751 + 181 + 20 + 11 + 11 + 2);
    assert.equal(data.suspendBudget, expected, 'the documented formula');
    assert.equal(core.worstCaseLength(data), expected);
    t.after(cleanup);
    let { page, frame } = await openLMS(b, dir, { version: ed });
    for (let i = 0; i < 7; i++) await next(frame);
    for (const q of data.quiz.questions) {
      await fill(frame, q, LONGEST[q.id]);
      await frame.click('text=Check answer');
      await frame.waitForSelector('.pc-feedback');
      await next(frame);
    }
    frame = await relaunch(page);
    const { calls, record } = await lmsState(page);
    for (const c of calls) assert.equal(c.error, '0', JSON.stringify(c).slice(0, 300));
    const suspend = record.values['cmi.suspend_data'];
    assert.equal(suspend.length, data.suspendBudget);
    assert.equal(Array.from(suspend).length, data.suspendBudget);
    assert.ok(suspend.length <= limit);
    // Resume restores the long answers exactly.
    await frame.click('#pc-prev'); // from the result back to the likert, then to the fill-ins
    for (let i = 0; i < 5; i++) await frame.click('#pc-prev');
    assert.equal(await frame.inputValue('#pc-long-input'), LONGEST.long);
    await frame.click('#pc-next');
    assert.equal(await frame.inputValue('#pc-short-input'), '%'.repeat(60));
    const responses = calls.filter((c) => /(student|learner)_response$/.test(c.args[0])).map((c) => c.args[1]);
    assert.equal(responses[3], LONGEST.long);
    assert.equal(responses[4], '%'.repeat(60));
  });
}

// The longest answer any question allows, from its data alone.
function longest(q) {
  switch (q.type) {
    case 'multiple': return q.options.map((o, i) => i);
    case 'fill-in': return ';%'.repeat(q.maxlength).slice(0, q.maxlength);
    case 'numeric': return '-1234567890.1234567';
    case 'matching': return q.pairs.map((p, i) => i);
    case 'ordering': return q.shownOrder.slice();
    case 'true-false': return true;
    default: return 0;
  }
}

test('a typical KMF module (modules/retrospect): the worst-case learner fills exactly its budget', async (t) => {
  const src = join(ROOT, 'modules', 'retrospect');
  if (!existsSync(join(src, 'module.xml'))) { createRequire(import.meta.url)('../oracle.js').missing(t, 'modules/retrospect is not in this checkout'); return; }
  const { dir, data, cleanup } = buildPackage(src, { scorm: '1.2' });
  t.after(cleanup);
  let { page, frame } = await openLMS(b, dir, { version: '1.2' });
  if (data.module.outcomes) await next(frame); // the start screen
  for (let i = 0; i < data.cards.length; i++) await next(frame);
  for (const q of data.quiz.questions) {
    await fill(frame, q, longest(q));
    await frame.click('text=Check answer');
    await frame.waitForSelector('.pc-feedback');
    await next(frame);
  }
  frame = await relaunch(page);
  const { calls, record } = await lmsState(page);
  for (const c of calls) assert.equal(c.error, '0', JSON.stringify(c).slice(0, 300));
  const suspend = record.values['cmi.suspend_data'];
  t.diagnostic(`retrospect: ${data.cards.length} cards, ${data.quiz.questions.length} questions ` +
    `(${data.quiz.questions.map((q) => q.type).join(', ')}); worst-case suspend_data ${suspend.length} of budget ${data.suspendBudget}`);
  assert.equal(suspend.length, data.suspendBudget);
});

// The Learning Hub profile keeps its own count of interactions in suspend_data ("." + 2 digits,
// README "Encoding"): the worst case is reached with 10 or more interactions, so the worst-case
// learner answers the whole quiz twice.
test('learning-hub profile: the worst case with the interaction count fills exactly its budget', async (t) => {
  const { dir, data, cleanup } = buildPackage('worst-case', { scorm: '1.2', lms: 'learning-hub' });
  t.after(cleanup);
  assert.equal(data.suspendBudget, core.worstCaseLength(data));
  assert.equal(data.suspendBudget, 2 + 2 + 3 + (2 + 11 + 2 + 751 + 181 + 20 + 11 + 11 + 2));
  let { page, frame } = await openLMS(b, dir, { version: '1.2' });
  for (let i = 0; i < 7; i++) await next(frame);
  for (const round of [1, 2]) {
    for (const q of data.quiz.questions) {
      await fill(frame, q, LONGEST[q.id]);
      await frame.click('text=Check answer');
      await frame.waitForSelector('.pc-feedback');
      await next(frame);
    }
    if (round === 1) await frame.click('text=Try the quiz again');
  }
  frame = await relaunch(page);
  const { calls, record } = await lmsState(page);
  for (const c of calls) assert.equal(c.error, '0', JSON.stringify(c).slice(0, 300));
  const suspend = record.values['cmi.suspend_data'];
  assert.match(suspend, /^1\.[0-9a-f]+\.18;/);
  assert.equal(suspend.length, data.suspendBudget);
});
