// Accessibility of every page state with axe-core (WCAG 2.2 AA tags), the whole module completed
// with the keyboard alone, right/wrong said in words and symbols (never colour alone), and
// screenshots at phone width (kept in $POSTCARD_SCREENSHOTS when set, for a person to look at).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { buildPackage } from './package.mjs';
import { launch, openLMS, lmsState } from './browser.mjs';
import { RIGHT, WRONG, fill, next, heading } from './learner.mjs';
import { core } from './fixture.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SHOTS = process.env.POSTCARD_SCREENSHOTS || null;

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

async function axe(frame, label) {
  if (!(await frame.evaluate(() => typeof window.axe === 'object'))) await frame.addScriptTag({ content: AXE });
  const result = await frame.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), TAGS);
  const problems = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(problems, [], `axe violations in state "${label}"`);
  assert.ok(result.passes.length > 10, `axe ran real checks in "${label}"`);
  return result;
}

// The SCO scrolls inside the test LMS's full-height iframe, so a full-page shot of the LMS page
// would stop at the viewport: the viewport grows to the SCO's height for the shot (the player's
// layout does not depend on the height), then goes back.
async function shot(page, frame, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  const vp = page.viewportSize();
  const h = await frame.evaluate(() => document.documentElement.scrollHeight);
  if (h > vp.height) await page.setViewportSize({ width: vp.width, height: h });
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: true });
  if (h > vp.height) await page.setViewportSize(vp);
}

test('every page state has zero axe violations (WCAG 2.2 AA) at phone width; a sample at desktop width', async (t) => {
  const { dir, data, cleanup } = buildPackage('player-fixture', { scorm: '1.2' });
  t.after(cleanup);
  let states = 0;
  for (const width of [360, 1024]) {
    // Every state at 360 px; at 1024 px the layout differs only in width, so a sample.
    const every = width === 360;
    const check = async (label, sample = false) => {
      if (!every && !sample) return;
      await axe(f, `${label} @${width}`);
      states++;
      if (every) await shot(page, f, label.replace(/\W+/g, '-'));
    };
    // A new tab is a new learner: the test LMS keeps its record in the tab's sessionStorage.
    const { page, frame: f } = await openLMS(b, dir, { version: '1.2' });
    await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    for (let i = 0; i < 5; i++) { await check(`card ${i + 1}`, i === 4); await next(f); }
    for (const [i, q] of data.quiz.questions.entries()) {
      await check(`${q.type} unanswered`, i === 6);
      if (i === 0) {
        await f.click('text=Check answer'); // nothing chosen: the error state
        assert.match(await f.textContent('.pc-error'), /Error: Choose an answer\./);
        await check('error', true);
      }
      await fill(f, q, i % 2 ? RIGHT[q.id] : WRONG[q.id]);
      await f.click('text=Check answer');
      await f.waitForSelector('.pc-feedback');
      await check(`${q.type} with feedback`, i === 5);
      await next(f);
    }
    await check('results failed', true);
    await f.click('text=Try the quiz again');
    for (const q of data.quiz.questions) {
      await fill(f, q, RIGHT[q.id]); await f.click('text=Check answer'); await next(f);
    }
    await check('results passed');
    await next(f);
    await f.fill('#pc-reflection', 'My plan.');
    await f.click('text=Save my reflection');
    await check('reflection', true);
    await next(f);
    await check('reading');
    if (width === 360) {
      // Nothing wider than the phone screen: no sideways scrolling.
      const overflow = await f.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at 360px`);
    }
    await page.close();
  }
  // 5 cards, 8 questions x 2, the error, 2 results, reflection, reading; then the desktop sample.
  assert.equal(states, 26 + 6);
  assert.deepEqual(b.outside, []);
});

test('right and wrong are said in words and symbols, not colour alone', async (t) => {
  const { dir, data, cleanup } = buildPackage('player-fixture', { scorm: '1.2' });
  t.after(cleanup);
  const { frame } = await openLMS(b, dir, { version: '1.2' });
  for (let i = 0; i < 5; i++) await next(frame);
  const qs = data.quiz.questions;
  const panel = () => frame.textContent('.pc-feedback');
  // choice, wrong: the verdict, the learner's option and the right option, each in words, each
  // with its own feedback, then the general feedback.
  await fill(frame, qs[0], WRONG['q-choice']); await frame.click('text=Check answer');
  let text = await frame.textContent('#pc-screen');
  assert.match(await frame.textContent('.pc-feedback h3'), /^\u2717 Not correct$/);
  assert.match(text, /After the work ends\s*\u2717 Your answer: not correct/);
  assert.match(text, /Before the work starts\s*\u2713 Correct answer/);
  assert.match(await panel(), /Your answer: After the work ends\s*That is a retrospect\.\s*The right answer: Before the work starts\s*Yes: that is when advice can still change the plan\.\s*A Peer Assist comes first\.$/);
  await next(frame);
  // multiple, wrong, with no general feedback: each chosen option marked in words, the right
  // answers listed with the feedback of the one the learner missed.
  await fill(frame, qs[1], WRONG['q-multiple']); await frame.click('text=Check answer');
  assert.match(await frame.textContent('.pc-feedback h3'), /^\u2717 Not correct$/);
  assert.match(await panel(), /Your answers:\s*Peers who did similar work\s*\u2713 Correct\s*They bring experience\.\s*Nobody\s*\u2717 Not correct\s*The right answers:\s*Peers who did similar work\s*A facilitator\s*Someone keeps time\.$/);
  await next(frame);
  await fill(frame, qs[2], WRONG['q-tf']); await frame.click('text=Check answer');
  assert.match(await panel(), /Your answer: True\s*The right answer: False\s*It is about learning, not judging\.$/);
  await next(frame);
  await fill(frame, qs[3], WRONG['q-fill']); await frame.click('text=Check answer');
  assert.match(await frame.textContent('#pc-screen'), /\u2717 Your answer: not correct/);
  assert.match(await panel(), /Your answer: a lessons log\s*The right answer: Retrospect\s*Also accepted: After action review$/);
  await next(frame);
  await fill(frame, qs[4], WRONG['q-numeric']); await frame.click('text=Check answer');
  assert.match(await panel(), /Your answer: 12\.5\s*The right answer: any number from 6 to 8$/);
  await next(frame);
  await fill(frame, qs[5], WRONG['q-match']); await frame.click('text=Check answer');
  text = await frame.textContent('#pc-screen');
  assert.match(text, /Peer Assist[\s\S]*\u2717 Not correct\. The right match is: Before/);
  assert.match(text, /After action review[\s\S]*\u2713 Correct/);
  assert.match(await panel(), /You matched 1 of 3 correctly\.\s*The right matches:\s*Peer Assist: Before\s*After action review: During\s*Retrospect: After$/);
  await next(frame);
  await fill(frame, qs[6], WRONG['q-order']); await frame.click('text=Check answer');
  text = await frame.textContent('#pc-screen');
  assert.match(text, /Agree actions\s*\u2717 Not in the right place/);
  assert.match(await panel(), /The right order:\s*Set the scene\s*Listen to the peers\s*Agree actions$/);
  assert.equal(await frame.evaluate(() => document.querySelector('.pc-feedback ol').children.length), 3, 'the right order is a numbered list');
  await next(frame);
  await fill(frame, qs[7], 0); await frame.click('text=Check answer');
  assert.equal(await frame.textContent('.pc-feedback h3'), 'Thank you');
  assert.match(await panel(), /Your answer: Not confident\s*The KMF toolkit can help\.$/);
  // The symbols are hidden from screen readers (the words carry the meaning for them).
  const hiddenSymbols = await frame.evaluate(() => [...document.querySelectorAll('#pc-screen span')]
    .filter((s) => /^[\u2713\u2717] $/.test(s.textContent)).every((s) => s.getAttribute('aria-hidden') === 'true'));
  assert.ok(hiddenSymbols);
});

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('after every check, right or wrong, the feedback is complete, in reading order, focused, never empty, axe-clean at 360 px', async (t) => {
  const { dir, data, cleanup } = buildPackage('player-fixture', { scorm: '2004-4th' });
  t.after(cleanup);
  const qs = data.quiz.questions;
  let checked = 0;
  // Two learners (a new tab is a new learner): one answers everything wrong, one everything right.
  for (const [label, answers] of [['wrong', WRONG], ['right', RIGHT]]) {
    const { page, frame: f } = await openLMS(b, dir, { version: '2004' });
    await page.setViewportSize({ width: 360, height: 740 });
    for (let i = 0; i < 5; i++) await next(f);
    for (const q of qs) {
      const a = answers[q.id];
      await fill(f, q, a);
      await f.click('text=Check answer');
      await f.waitForSelector('.pc-feedback');
      const tag = `${q.type} ${label}`;
      // Focus on the panel's heading: a screen reader announces it and reads on through the panel.
      assert.equal(await f.evaluate(() => document.activeElement === document.querySelector('.pc-feedback h3')), true, tag);
      assert.equal(await f.textContent('#pc-status'), '', `${tag}: no stale message (from moving steps) beside the feedback`);
      const parts = await f.evaluate(() => [...document.querySelector('.pc-feedback').children]
        .map((c) => ({ tag: c.tagName, text: c.textContent.trim() })));
      assert.equal(parts[0].tag, 'H3', tag);
      assert.ok(parts.length > 1, `${tag}: the feedback box has more than its heading`);
      for (const p of parts) assert.ok(p.text.length > 0, `${tag}: an empty ${p.tag} in the feedback box`);
      // Everything the player's feedback model says for this answer is on the page, in its order.
      const m = core.feedbackModel(q, a);
      const want = [m.heading, ...m.blocks.flatMap((bl) => [bl.label && bl.label + ':', bl.text, bl.note,
        ...(bl.items || []).flatMap((it) => [it.text, it.mark && (it.mark === 'right' ? 'Correct' : 'Not correct'), it.note])])].filter(Boolean);
      const text = parts.map((p) => p.text).join(' ');
      assert.match(text, new RegExp(want.map(escapeRe).join('[\\s\\S]*')), tag);
      if (q.type !== 'likert') {
        assert.match(parts[0].text, label === 'right' ? /^\u2713 Correct$/ : /^\u2717 Not correct$/, tag);
        if (label === 'wrong') assert.match(text, /The right (answer|answers|matches|order):/, `${tag}: states the right answer`);
      }
      await axe(f, `feedback ${tag}`);
      const overflow = await f.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${tag}: page scrolls sideways by ${overflow}px at 360px`);
      await shot(page, f, `feedback-${q.type}-${label}`);
      checked++;
      await next(f);
    }
    assert.deepEqual(page.jsErrors || [], []);
    await page.close();
  }
  assert.equal(checked, 16);
  assert.deepEqual(b.outside, []);
});

// --- keyboard only -------------------------------------------------------------------------------

async function focused(frame) {
  return frame.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return '';
    return `${a.tagName.toLowerCase()}#${a.id}|${a.getAttribute('type') || ''}|${a.getAttribute('data-step') || ''}|${a.getAttribute('data-dir') || ''}|${(a.textContent || '').trim()}`;
  });
}

// Tab (forwards) until the focused element matches; fails after 40 presses.
async function tabTo(page, frame, re) {
  for (let i = 0; i < 40; i++) {
    if (re.test(await focused(frame))) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`never reached ${re} with Tab (last: ${await focused(frame)})`);
}

async function press(page, frame, re, key = 'Enter') { await tabTo(page, frame, re); await page.keyboard.press(key); }

test('the whole module can be completed with the keyboard alone', async (t) => {
  const { dir, data, cleanup } = buildPackage('player-fixture', { scorm: '2004-4th' });
  t.after(cleanup);
  const { page, frame } = await openLMS(b, dir, { version: '2004' });
  const kb = page.keyboard;
  const NEXT = /^button#pc-next\|/;
  const CHECK = /^button#\|button\|\|\|Check answer$/;
  for (let i = 0; i < 5; i++) {
    await press(page, frame, NEXT);
    // Focus moved to the new heading.
    assert.match(await focused(frame), i < 4 ? /^h2#/ : /^h2#\|\|\|\|Question 1 of 8$/);
  }
  const q = Object.fromEntries(data.quiz.questions.map((x) => [x.id, x]));
  // choice: Tab into the radio group, arrow keys choose.
  await tabTo(page, frame, /^input#pc-q-choice-o0\|radio/);
  await kb.press('ArrowDown'); await kb.press('ArrowUp');
  await press(page, frame, CHECK);
  assert.match(await focused(frame), /Correct$/, 'focus on the feedback heading');
  await press(page, frame, NEXT);
  // multiple: Space toggles the checkboxes.
  await press(page, frame, /^input#pc-q-multiple-o0\|checkbox/, 'Space');
  await press(page, frame, /^input#pc-q-multiple-o2\|checkbox/, 'Space');
  await press(page, frame, CHECK);
  await press(page, frame, NEXT);
  // true-false: the second radio is False.
  await tabTo(page, frame, /^input#pc-q-tf-o0\|radio/);
  await kb.press('ArrowDown');
  await press(page, frame, CHECK);
  await press(page, frame, NEXT);
  // fill-in and numeric: typing.
  await tabTo(page, frame, /^input#pc-q-fill-input\|text/);
  await kb.type('  RETROSPECT ');
  await press(page, frame, CHECK);
  await press(page, frame, NEXT);
  await tabTo(page, frame, /^input#pc-q-numeric-input\|text/);
  await kb.type('x');
  await press(page, frame, CHECK);
  assert.match(await focused(frame), /^input#pc-q-numeric-input/, 'an invalid number keeps focus on the field');
  assert.match(await frame.textContent('.pc-error'), /Type a number/);
  await kb.press('Backspace'); await kb.type('6.5');
  await press(page, frame, CHECK);
  await press(page, frame, NEXT);
  // matching: arrow keys in each select (targets shown as After, Before, During).
  const shown = q['q-match'].targetOrder;
  for (let s = 0; s < 3; s++) {
    await tabTo(page, frame, new RegExp(`^select#pc-q-match-s${s}\\|`));
    for (let k = 0; k <= shown.indexOf(s); k++) await kb.press('ArrowDown');
  }
  await press(page, frame, CHECK);
  assert.match(await frame.textContent('.pc-feedback h3'), /Correct/);
  await press(page, frame, NEXT);
  // ordering: move each step up into place with Enter; focus stays with the moved step.
  let order = q['q-order'].shownOrder.slice();
  for (let pos = 0; pos < order.length; pos++) {
    let j = order.indexOf(pos);
    if (j === pos) continue;
    await tabTo(page, frame, new RegExp(`^button#\\|button\\|${pos}\\|up\\|`));
    while (j > pos) {
      await kb.press('Enter');
      order.splice(j, 1); order.splice(j - 1, 0, pos); j--;
      assert.match(await frame.textContent('#pc-status'), new RegExp(`is now step ${j + 1} of ${order.length}\\.`));
      assert.match(await focused(frame), new RegExp(`^button#\\|button\\|${pos}\\|${j === 0 ? 'down' : 'up'}\\|`),
        'focus stays with the moved step (its Down button once it is at the top)');
    }
  }
  await press(page, frame, CHECK);
  assert.match(await frame.textContent('.pc-feedback h3'), /Correct/);
  await press(page, frame, NEXT);
  // likert
  await tabTo(page, frame, /^input#pc-q-likert-o0\|radio/);
  await kb.press('ArrowDown'); await kb.press('ArrowDown');
  await press(page, frame, CHECK);
  await press(page, frame, NEXT);
  assert.match(await frame.textContent('#pc-screen'), /You passed\./);
  await press(page, frame, NEXT);
  await tabTo(page, frame, /^textarea#pc-reflection/);
  await kb.type('Use it for the discharge project.');
  await press(page, frame, /Save my reflection$/);
  await press(page, frame, NEXT);
  assert.equal(await heading(frame), 'Further reading');
  await page.reload(); // closes the session: the final save
  const { calls, record } = await lmsState(page);
  for (const c of calls) assert.equal(c.error, '0', JSON.stringify(c));
  const ended = record.endedAttempts.at(-1);
  assert.equal(ended['cmi.completion_status'], 'completed');
  assert.equal(ended['cmi.success_status'], 'passed');
  assert.equal(ended['cmi.score.raw'], '100');
  const responses = calls.filter((c) => /learner_response$/.test(c.args[0])).map((c) => c.args[1]);
  assert.deepEqual(responses, ['a', 'a[,]c', 'false', '  RETROSPECT ', '6.5', 'a[.]a[,]b[.]b[,]c[.]c', 'a[,]b[,]c', 'c']);
  assert.deepEqual(b.outside, []);
});
