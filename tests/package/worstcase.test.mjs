// The worst-case learner: every card seen and every question answered with the longest answer it
// allows (fill-ins at maxlength made of characters the encoding escapes, every option of a
// multiple chosen, the longest number). The real cmi.suspend_data must be exactly the data JSON's
// suspendBudget (the compiler's number, author/web/README.md "Encoding") and fit SCORM 1.2's 4096.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePackage } from './fixture.mjs';
import { launch, openLMS, relaunch, lmsState } from './browser.mjs';
import { fill, next } from './learner.mjs';

const ten = Array.from({ length: 10 }, (_, i) => `Option ${i + 1}`);
function worstModule() {
  return {
    module: { id: 'worst-case', version: '2.0.1', title: 'Worst case', lang: 'en-GB', phase: 'during', summary: 'Long answers.' },
    cards: Array.from({ length: 7 }, (_, i) => ({ id: `c${i}`, title: `Card ${i + 1}`, body: '<p>Text.</p>' })),
    quiz: { id: 'quiz', pass: 90, // the learner fails, so the attempt is suspended, not ended
      questions: [
      { id: 'one', type: 'choice', prompt: 'Pick one.', options: ten.map((text) => ({ text })), correct: [9] },
      { id: 'many', type: 'multiple', prompt: 'Pick all.', options: ten.map((text) => ({ text })), correct: [0, 9] },
      { id: 'tf', type: 'true-false', prompt: 'True?', answer: true },
      { id: 'long', type: 'fill-in', prompt: 'Write a lot.', answers: ['x'], maxlength: 250 },
      { id: 'short', type: 'fill-in', prompt: 'Write a little.', answers: ['y'], maxlength: 60 },
      { id: 'num', type: 'numeric', prompt: 'A number.', min: '-9999999999.9999999', max: '9999999999.9999999' },
      { id: 'pairs', type: 'matching', prompt: 'Match.', pairs: ten.map((t, i) => ({ source: t, target: `Target ${i + 1}` })),
        targetOrder: [3, 1, 4, 0, 5, 9, 2, 6, 8, 7] },
      { id: 'steps', type: 'ordering', prompt: 'Order.', steps: ten, shownOrder: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0] },
      { id: 'scale', type: 'likert', prompt: 'How sure?', options: ten.map((text) => ({ text })) },
    ] },
    reflection: { id: 'r', prompt: 'Reflect.', maxlength: 4000 },
    reading: [],
  };
}

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
    const dir = mkdtempSync(join(tmpdir(), 'postcard-worst-'));
    const data = writePackage(dir, worstModule(), { scorm });
    const expected = 2 + 2 + (2 + 11 + 2 + 751 + 181 + 20 + 11 + 11 + 2);
    assert.equal(data.suspendBudget, expected, 'the documented formula');
    t.after(() => rmSync(dir, { recursive: true, force: true }));
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
