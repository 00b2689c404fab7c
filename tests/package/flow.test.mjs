// A learner takes the fixture module in headless Chromium under the strict test LMS, for SCORM 1.2
// and 2004: reads every card, answers every question type right and wrong, fails, leaves mid-way,
// resumes after a reload, tries again, passes, reflects, and comes back. Every call the player
// makes is asserted exactly, in order, with no error code; the request log proves nothing left
// the package. Also: resume on the reflection screen, and standalone mode (no LMS).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildPackage } from './package.mjs';
import { launch, openLMS, relaunch, lmsState, ORIGIN } from './browser.mjs';
import { RIGHT, WRONG, answer, next, heading } from './learner.mjs';

const J = JSON.stringify;
const reEsc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const show = (c) => `${c.fn}(${c.args.map((a) => J(a)).join(', ')}) = ${J(c.result)}`;

// What each edition calls things (from the SCORM data models; not from the player's code).
const E = {
  '1.2': {
    scorm: '1.2', init: 'LMSInitialize', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit', finish: 'LMSFinish',
    mode: 'cmi.core.lesson_mode', entry: 'cmi.core.entry', loc: 'cmi.core.lesson_location', susp: 'cmi.suspend_data',
    exit: 'cmi.core.exit', session: 'cmi.core.session_time', raw: 'cmi.core.score.raw', min: 'cmi.core.score.min',
    max: 'cmi.core.score.max', span: '\\d{2,4}:\\d\\d:\\d\\d\\.\\d\\d', when: 'time', whenRe: '\\d\\d:\\d\\d:\\d\\d',
    resp: 'student_response', wrong: 'wrong', exitDone: '', id: (q) => `peer-assist_${q}`,
  },
  '2004': {
    scorm: '2004-4th', init: 'Initialize', get: 'GetValue', set: 'SetValue', commit: 'Commit', finish: 'Terminate',
    mode: 'cmi.mode', entry: 'cmi.entry', loc: 'cmi.location', susp: 'cmi.suspend_data', exit: 'cmi.exit',
    session: 'cmi.session_time', raw: 'cmi.score.raw', min: 'cmi.score.min', max: 'cmi.score.max',
    span: 'PT\\d+H\\d+M\\d+(\\.\\d{1,2})?S', when: 'timestamp',
    whenRe: '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d\\dZ', // a fraction before the zone (RTE 4.1.1.6)
    resp: 'learner_response', wrong: 'incorrect', exitDone: 'normal', id: (q) => `urn:postcard:peer-assist:${q}`,
  },
};

// Interaction values per question: [type, patterns, right response, wrong response] (README table).
const IX = {
  '1.2': {
    'q-choice': ['choice', ['a'], 'a', 'b'], 'q-multiple': ['choice', ['a,c'], 'a,c', 'a,b'],
    'q-tf': ['true-false', ['f'], 'f', 't'], 'q-fill': ['fill-in', ['Retrospect', 'After action review'], 'retrospect', 'a lessons log'],
    'q-numeric': ['numeric', [], '7', '12.5'], 'q-match': ['matching', ['a.a,b.b,c.c'], 'a.a,b.b,c.c', 'a.c,b.b,c.a'],
    'q-order': ['sequencing', ['a,b,c'], 'a,b,c', 'c,a,b'], 'q-likert': ['likert', [], 'b', 'a'],
  },
  '2004': {
    'q-choice': ['choice', ['a'], 'a', 'b'], 'q-multiple': ['choice', ['a[,]c'], 'a[,]c', 'a[,]b'],
    'q-tf': ['true-false', ['false'], 'false', 'true'], 'q-fill': ['fill-in', ['Retrospect', 'After action review'], 'retrospect', 'a lessons log'],
    'q-numeric': ['numeric', ['6[:]8'], '7', '12.5'], 'q-match': ['matching', ['a[.]a[,]b[.]b[,]c[.]c'], 'a[.]a[,]b[.]b[,]c[.]c', 'a[.]c[,]b[.]b[,]c[.]a'],
    'q-order': ['sequencing', ['a[,]b[,]c'], 'a[,]b[,]c', 'c[,]a[,]b'], 'q-likert': ['likert', [], 'b', 'a'],
  },
};

function expectations(ed) {
  const e = E[ed];
  const x = {
    init: `${e.init}("") = "true"`,
    commit: `${e.commit}("") = "true"`,
    finish: `${e.finish}("") = "true"`,
    get: (el, v) => `${e.get}(${J(el)}) = ${J(v)}`,
    set: (el, v) => `${e.set}(${J(el)}, ${J(v)}) = "true"`,
    setRe: (el, re) => new RegExp(`^${reEsc(`${e.set}(${J(el)}, "`)}${re}${reEsc('") = "true"')}$`),
    nav: (loc) => [x.set(e.loc, loc), x.commit],
  };
  // A module with a quiz reads who the learner is (option order, certificate) at launch.
  x.learner = ed === '1.2' ? [x.get('cmi.core.student_id', 'learner-1'), x.get('cmi.core.student_name', 'Learner, Test')]
    : [x.get('cmi.learner_id', 'learner-1'), x.get('cmi.learner_name', 'Test Learner')];
  x.interaction = (n, qid, which, prompt) => {
    const [type, patterns, right, wrong] = IX[ed][qid];
    const p = `cmi.interactions.${n}.`;
    const likert = qid === 'q-likert';
    return [
      x.set(p + 'id', e.id(qid)), x.set(p + 'type', type),
      ...(ed === '2004' ? [x.set(p + 'description', prompt)] : []),
      ...patterns.map((pat, m) => x.set(`${p}correct_responses.${m}.pattern`, pat)),
      x.set(p + e.resp, which === 'right' ? right : wrong),
      x.set(p + 'result', likert ? 'neutral' : which === 'right' ? 'correct' : e.wrong),
      x.set(p + 'weighting', likert ? '0' : '1'),
      x.setRe(p + 'latency', e.span), x.setRe(p + e.when, e.whenRe),
    ];
  };
  return x;
}

function assertCalls(calls, expected, label) {
  const got = calls.map(show);
  for (let i = 0; i < Math.max(got.length, expected.length); i++) {
    const want = expected[i];
    const ok = want instanceof RegExp ? want.test(got[i] ?? '') : got[i] === want;
    if (!ok) {
      assert.fail(`${label}: call ${i} differs\n  got:  ${got[i]}\n  want: ${want}\n` +
        `context:\n${got.slice(Math.max(0, i - 4), i + 3).map((g) => '    ' + g).join('\n')}`);
    }
  }
  for (const c of calls) {
    assert.equal(c.error, '0', `${label}: ${show(c)} gave error ${c.error}`);
    assert.ok(c.args.every((a) => typeof a === 'string'), `${label}: ${show(c)} passes a non-string`);
  }
}

const since = (calls, session) => calls.filter((c) => c.session === session);

// One Chromium for the whole file; every test opens its own tab (a tab is a fresh test LMS).
let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

for (const ed of ['1.2', '2004']) {
  test(`SCORM ${ed}: full learner journey, exact calls, resume after reload, nothing leaves the package`, async (t) => {
    const { dir, data, cleanup } = buildPackage('player-fixture', { scorm: E[ed].scorm });
    const qs = data.quiz.questions;
    const e = E[ed];
    const x = expectations(ed);
    t.after(cleanup);
    let { page, frame } = await openLMS(b, dir, { version: ed });

    // Session 1: every card, then four answers (choice wrong, multiple right, tf right, fill-in wrong).
    const cards = [];
    for (let i = 0; i < 5; i++) {
      cards.push(await heading(frame));
      assert.equal(await frame.textContent('#pc-progress'), `Card ${i + 1} of 5`);
      await next(frame);
    }
    assert.deepEqual(cards, data.cards.map((c) => c.title));
    const s1 = ['q-choice', 'q-multiple', 'q-tf', 'q-fill'];
    const which1 = ['wrong', 'right', 'right', 'wrong'];
    for (let i = 0; i < s1.length; i++) {
      assert.equal(await heading(frame), `Question ${i + 1} of 8`);
      assert.equal(await frame.isVisible('#pc-next'), false, 'Next only after the answer is checked');
      await answer(frame, qs[i], which1[i] === 'right' ? RIGHT[s1[i]] : WRONG[s1[i]]);
      if (i < s1.length - 1) await next(frame);
    }
    const fillValue = await frame.inputValue('#pc-q-fill-input');
    frame = await relaunch(page);

    let { calls } = await lmsState(page);
    const status1 = ed === '1.2' ? [x.set('cmi.core.lesson_status', 'incomplete')] : [x.set('cmi.completion_status', 'incomplete')];
    const S = (a) => `1.f1;${a}`;
    assertCalls(since(calls, 1), [
      x.init, x.get(e.mode, 'normal'), x.get(e.entry, 'ab-initio'),
      ...(ed === '1.2' ? [x.get('cmi.core.lesson_status', 'not attempted'), x.get(e.susp, ''), x.get(e.loc, '')]
        : [x.get('cmi.completion_status', 'unknown'), x.get('cmi.success_status', 'unknown')]),
      x.get('cmi.interactions._count', '0'),
      ed === '1.2' ? x.get('cmi.comments', '') : x.get('cmi.comments_from_learner._count', '0'),
      ...x.learner,
      x.set(e.loc, 'card:what'), x.set(e.susp, '1.10;;;;;;;;'), ...status1, x.set(e.exit, 'suspend'), x.commit,
      x.set(e.loc, 'card:when'), x.set(e.susp, '1.30;;;;;;;;'), x.commit,
      x.set(e.loc, 'card:who'), x.set(e.susp, '1.70;;;;;;;;'), x.commit,
      x.set(e.loc, 'card:how'), x.set(e.susp, '1.f0;;;;;;;;'), x.commit,
      x.set(e.loc, 'card:after'), x.set(e.susp, '1.f1;;;;;;;;'), x.commit,
      ...x.nav('q:q-choice'),
      ...x.interaction(0, 'q-choice', 'wrong', qs[0].prompt), x.set(e.susp, S('1;;;;;;;')), x.commit,
      ...x.nav('q:q-multiple'),
      ...x.interaction(1, 'q-multiple', 'right', qs[1].prompt), x.set(e.susp, S('1;02;;;;;;')), x.commit,
      ...x.nav('q:q-tf'),
      ...x.interaction(2, 'q-tf', 'right', qs[2].prompt), x.set(e.susp, S('1;02;f;;;;;')), x.commit,
      ...x.nav('q:q-fill'),
      ...x.interaction(3, 'q-fill', 'wrong', qs[3].prompt), x.set(e.susp, S('1;02;f;a lessons log;;;;')), x.commit,
      // pagehide on reload: the final save
      x.setRe(e.session, e.span), x.commit, x.finish,
    ], 'session 1');

    // Session 2: the state is back exactly: same screen, the checked answer with its feedback.
    assert.equal(await heading(frame), 'Question 4 of 8');
    assert.equal(await frame.inputValue('#pc-q-fill-input'), fillValue);
    assert.equal(await frame.isDisabled('#pc-q-fill-input'), true);
    assert.match(await frame.textContent('.pc-feedback h3'), /Not correct/);
    assert.match(await frame.textContent('#pc-status'), /Welcome back/);
    assert.equal(await frame.isVisible('#pc-next'), true);
    await next(frame);
    const s2 = ['q-numeric', 'q-match', 'q-order', 'q-likert'];
    for (let i = 0; i < s2.length; i++) {
      await answer(frame, qs[4 + i], RIGHT[s2[i]]);
      await next(frame);
    }
    // Result: 5 of 7 marked questions (71%): failed.
    assert.equal(await heading(frame), 'Your result');
    const failedText = await frame.textContent('#pc-screen');
    assert.match(failedText, /\u2717 You did not pass this time\./);
    assert.match(failedText, /You answered 5 of 7 marked questions correctly \(71%\)\. The pass mark is 80%\./);
    assert.match(failedText, /Question 1: \u2717 not correct/);
    assert.match(failedText, /Question 8: answered \(not marked\)/);
    await frame.click('text=Try the quiz again');
    assert.equal(await heading(frame), 'Question 1 of 8');
    for (let i = 0; i < qs.length; i++) {
      await answer(frame, qs[i], RIGHT[qs[i].id]);
      await next(frame);
    }
    assert.equal(await heading(frame), 'Your result');
    assert.match(await frame.textContent('#pc-screen'), /\u2713 You passed\.[\s\S]*7 of 7 marked questions correctly \(100%\)/);
    assert.equal(await frame.isVisible('text=Try the quiz again'), false);
    await next(frame);
    assert.equal(await heading(frame), 'Reflection');
    const reflection = '{Draft} The discharge project on Ward 7 & the 100% audit; ask Priya "first".';
    await frame.fill('#pc-reflection', reflection);
    await frame.click('text=Save my reflection');
    assert.equal(await frame.textContent('#pc-status'), 'Your reflection is saved.');
    await next(frame);
    assert.equal(await heading(frame), 'Further reading');
    assert.match(await frame.textContent('#pc-screen'), /You have finished this module\./);
    assert.equal(await frame.getAttribute('#pc-screen a', 'href'), 'https://example.org/kmf');
    frame = await relaunch(page);

    ({ calls } = await lmsState(page));
    const S2 = (a) => S(`1;02;f;a lessons log;${a}`);
    const all = (tail) => `1.f1;${tail}`;
    const rightSusp = [all('0;;;;;;;'), all('0;02;;;;;;'), all('0;02;f;;;;;'), all('0;02;f;retrospect;;;;'),
      all('0;02;f;retrospect;7;;;'), all('0;02;f;retrospect;7;012;;'), all('0;02;f;retrospect;7;012;012;'),
      all('0;02;f;retrospect;7;012;012;1')];
    const comment = ed === '1.2' ? [x.set('cmi.comments', reflection), x.commit] : [
      x.get('cmi.comments_from_learner._count', '0'),
      x.set('cmi.comments_from_learner.0.comment', '{lang=en-GB}' + reflection),
      x.set('cmi.comments_from_learner.0.location', 'plan'),
      x.setRe('cmi.comments_from_learner.0.timestamp', e.whenRe), x.commit];
    assertCalls(since(calls, 2), [
      x.init, x.get(e.mode, 'normal'), x.get(e.entry, 'resume'),
      ...(ed === '1.2' ? [x.get('cmi.core.lesson_status', 'incomplete')]
        : [x.get('cmi.completion_status', 'incomplete'), x.get('cmi.success_status', 'unknown')]),
      x.get(e.susp, S('1;02;f;a lessons log;;;;')), x.get(e.loc, 'q:q-fill'),
      x.get('cmi.interactions._count', '4'),
      ed === '1.2' ? x.get('cmi.comments', '') : x.get('cmi.comments_from_learner._count', '0'),
      ...x.learner,
      x.set(e.exit, 'suspend'), x.commit,
      ...x.nav('q:q-numeric'),
      ...x.interaction(4, 'q-numeric', 'right', qs[4].prompt), x.set(e.susp, S2('7;;;')), x.commit,
      ...x.nav('q:q-match'),
      ...x.interaction(5, 'q-match', 'right', qs[5].prompt), x.set(e.susp, S2('7;012;;')), x.commit,
      ...x.nav('q:q-order'),
      ...x.interaction(6, 'q-order', 'right', qs[6].prompt), x.set(e.susp, S2('7;012;012;')), x.commit,
      ...x.nav('q:q-likert'),
      ...x.interaction(7, 'q-likert', 'right', qs[7].prompt), x.set(e.susp, S2('7;012;012;1')),
      ...(ed === '1.2'
        ? [x.set(e.min, '0'), x.set(e.max, '100'), x.set(e.raw, '71.43'), x.set('cmi.core.lesson_status', 'failed')]
        : [x.set('cmi.completion_status', 'completed'), x.set(e.min, '0'), x.set(e.max, '100'), x.set(e.raw, '71.43'),
          x.set('cmi.score.scaled', '0.7143'), x.set('cmi.success_status', 'failed')]),
      x.commit,
      ...x.nav('results'),
      // Try again: the answers go, the failed status stays until the next result.
      x.set(e.loc, 'q:q-choice'), x.set(e.susp, '1.f1;;;;;;;;'), x.commit,
      ...qs.flatMap((q, i) => [
        ...x.interaction(8 + i, q.id, 'right', q.prompt), x.set(e.susp, rightSusp[i]),
        ...(i === 7 ? (ed === '1.2'
          ? [x.set(e.raw, '100'), x.set('cmi.core.lesson_status', 'passed'), x.set(e.exit, e.exitDone)]
          : [x.set(e.raw, '100'), x.set('cmi.score.scaled', '1'), x.set('cmi.success_status', 'passed'), x.set(e.exit, e.exitDone)]) : []),
        x.commit,
        ...x.nav(i === 7 ? 'results' : `q:${qs[i + 1].id}`),
      ]),
      ...x.nav('reflection'),
      ...comment,
      ...x.nav('end'),
      x.setRe(e.session, e.span), x.commit, x.finish,
    ], 'session 2');

    const { record } = await lmsState(page);
    if (ed === '1.2') {
      // Session 3: exit was "" (done), so entry is ""; the record keeps passed and the reflection.
      assert.equal(record.values['cmi.core.entry'], '');
      assert.equal(record.values['cmi.core.lesson_status'], 'passed');
      assert.equal(record.values['cmi.core.score.raw'], '100');
      assert.equal(record.interactions.length, 16);
      assert.equal(await heading(frame), 'Further reading');
      await frame.click('#pc-prev');
      assert.equal(await frame.inputValue('#pc-reflection'), reflection);
    } else {
      // Session 3: exit was normal, so the LMS started a new attempt; the ended one was complete.
      const ended = record.endedAttempts.at(-1);
      assert.equal(ended['cmi.completion_status'], 'completed');
      assert.equal(ended['cmi.success_status'], 'passed');
      assert.equal(ended['cmi.score.scaled'], '1');
      assert.equal(await heading(frame), data.cards[0].title);
    }
    assert.deepEqual(page.jsErrors || [], []);
    assert.deepEqual(b.outside, [], 'requests outside the package');
    assert.ok(b.requests.length > 0);
    for (const r of b.requests) assert.ok(r.startsWith(`${ORIGIN}/pkg/`) || r.startsWith(`${ORIGIN}/lms.`), r);
  });

  test(`SCORM ${ed}: a learner who failed leaves on the reflection and gets it back`, async (t) => {
    const { dir, data, cleanup } = buildPackage('player-fixture', { scorm: E[ed].scorm });
    t.after(cleanup);
    let { page, frame } = await openLMS(b, dir, { version: ed });
    for (let i = 0; i < 5; i++) await next(frame);
    for (const q of data.quiz.questions) { await answer(frame, q, WRONG[q.id]); await next(frame); }
    await next(frame);
    assert.equal(await heading(frame), 'Reflection');
    await frame.fill('#pc-reflection', 'Ask the team first.');
    frame = await relaunch(page); // unsaved text is saved on pagehide
    assert.equal(await heading(frame), 'Reflection');
    assert.equal(await frame.inputValue('#pc-reflection'), 'Ask the team first.');
    await frame.fill('#pc-reflection', 'Ask the team first, then the peers.');
    await frame.click('text=Save my reflection');
    frame = await relaunch(page);
    assert.equal(await frame.inputValue('#pc-reflection'), 'Ask the team first, then the peers.');
    const { calls, record } = await lmsState(page);
    for (const c of calls) assert.equal(c.error, '0', show(c));
    if (ed === '1.2') {
      assert.equal(record.values['cmi.comments'], 'Ask the team first, then the peers.');
      assert.equal(record.values['cmi.core.lesson_status'], 'failed');
      assert.equal(record.values['cmi.core.entry'], 'resume');
    } else {
      assert.equal(record.comments.length, 1, 'one comment record, updated in place');
      assert.equal(record.comments[0].comment, 'Ask the team first, then the peers.');
      assert.equal(record.comments[0].location, 'plan');
      assert.equal(record.values['cmi.success_status'], 'failed');
      assert.equal(record.values['cmi.completion_status'], 'completed');
    }
    assert.deepEqual(b.outside, []);
  });
}

test('standalone: no LMS, progress kept in localStorage across a reload', async (t) => {
  const { dir, data, cleanup } = buildPackage('player-fixture', { scorm: '1.2' });
  t.after(cleanup);
  b.context.pkgDir = dir;
  const page = await b.context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(`${ORIGIN}/pkg/index.html`);
  await page.waitForSelector('#pc-nav:not([hidden])');
  assert.match(await page.textContent('#pc-status'), /not connected to a learning system/);
  for (let i = 0; i < 5; i++) await next(page);
  await answer(page, data.quiz.questions[0], RIGHT['q-choice']);
  await page.reload();
  await page.waitForSelector('#pc-nav:not([hidden])');
  assert.equal(await heading(page), 'Question 1 of 8');
  assert.match(await page.textContent('.pc-feedback h3'), /Correct/);
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('postcard:peer-assist:1')));
  assert.equal(stored.suspend, '1.f1;0;;;;;;;');
  assert.equal(stored.location, 'q:q-choice');
  assert.deepEqual(errors, []);
  assert.deepEqual(b.outside, []);
});

test('learning-hub profile: cmi.comments is never read or written; the reflection is kept as a file or print-out', async (t) => {
  const { dir, html, data, cleanup } = buildPackage('player-fixture', { scorm: '1.2', lms: 'learning-hub' });
  t.after(cleanup);
  assert.match(html, /"lms":"learning-hub"/);
  const { page, frame } = await openLMS(b, dir, { version: '1.2', seed: { 'cmi.core.lesson_location': 'reflection',
    'cmi.suspend_data': '1.f1.8;0;02;f;retrospect;7;012;012;1' } });
  assert.equal(await heading(frame), 'Reflection');
  assert.equal(await frame.inputValue('#pc-reflection'), '');
  assert.match(await frame.textContent('#pc-reflection-hint'), /does not keep it: to keep it, save it as a file or print it/);
  assert.equal(await frame.isVisible('text=Save my reflection'), false, 'nothing claims the LMS keeps it');
  await frame.fill('#pc-reflection', 'Book the ward room; ask Priya.');
  await frame.fill('#pc-next-when', 'Friday');
  const [download] = await Promise.all([page.waitForEvent('download'), frame.click('text=Save my action plan as a file')]);
  assert.equal(download.suggestedFilename(), 'peer-assist-action-plan.txt');
  const saved = readFileSync(await download.path(), 'utf8');
  assert.ok(saved.startsWith(`\ufeff${data.module.title}: my action plan\r\n`), saved);
  assert.match(saved.split('\r\n')[1], /^\d{1,2} [A-Z][a-z]+ \d{4}$/);
  assert.ok(saved.includes(`\r\n${data.reflection.prompt}\r\n\r\nBook the ward room; ask Priya.\r\n`), saved);
  assert.match(saved, /\r\nBy when: Friday\r\n/);
  await next(frame);
  const calls = (await lmsState(page)).calls;
  assert.ok(calls.length > 8 && calls.every((c) => c.error === '0'));
  assert.deepEqual(calls.filter((c) => c.args[0] === 'cmi.comments'), [], 'no call touches cmi.comments');
  await page.close();
});

test('SCORM 1.2 record cases: review writes nothing; passed is never lowered; a hidden page saves', async (t) => {
  const { dir, data, cleanup } = buildPackage('player-fixture', { scorm: '1.2' });
  t.after(cleanup);
  // A review launch: the module shows, the learner can look around, nothing is written.
  let { page, frame } = await openLMS(b, dir, { version: '1.2', seed: { 'cmi.core.lesson_mode': 'review' } });
  for (let i = 0; i < 5; i++) await next(frame);
  await answer(frame, data.quiz.questions[0], WRONG['q-choice']);
  frame = await relaunch(page);
  let calls = (await lmsState(page)).calls.filter((c) => c.session === 1);
  assert.deepEqual([...new Set(calls.map((c) => c.fn))], ['LMSInitialize', 'LMSGetValue', 'LMSFinish']);
  await page.close();
  // A learner who passed before and now fails: status and score stay as they were.
  ({ page, frame } = await openLMS(b, dir, { version: '1.2',
    seed: { 'cmi.core.lesson_status': 'passed', 'cmi.core.score.raw': '100', 'cmi.core.entry': '' } }));
  for (let i = 0; i < 5; i++) await next(frame);
  for (const q of data.quiz.questions) { await answer(frame, q, WRONG[q.id]); await next(frame); }
  assert.match(await frame.textContent('#pc-screen'), /You did not pass this time/);
  // The page is hidden (phone switches app): session time and a commit, no finish.
  const before = (await lmsState(page)).calls.length;
  await frame.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  calls = (await lmsState(page)).calls.slice(before).map(show);
  assert.equal(calls.length, 2);
  assert.match(calls[0], /^LMSSetValue\("cmi\.core\.session_time", "\d{2,4}:\d\d:\d\d\.\d\d"\) = "true"$/);
  assert.equal(calls[1], 'LMSCommit("") = "true"');
  const { record } = await lmsState(page);
  assert.equal(record.values['cmi.core.lesson_status'], 'passed');
  assert.equal(record.values['cmi.core.score.raw'], '100');
  assert.equal(record.interactions.length, 8, 'the answers are still recorded');
  for (const c of (await lmsState(page)).calls) assert.equal(c.error, '0', show(c));
});

for (const ed of ['1.2', '2004']) {
  test(`SCORM ${ed}: a module of cards only is complete once every card is read`, async (t) => {
    const { dir, cleanup } = buildPackage('cards-only', { scorm: E[ed].scorm });
    t.after(cleanup);
    const e = E[ed];
    const x = expectations(ed);
    const { page, frame } = await openLMS(b, dir, { version: ed });
    await next(frame);
    assert.equal(await heading(frame), 'Second card');
    await next(frame);
    assert.equal(await heading(frame), 'The end of this module');
    assert.match(await frame.textContent('#pc-screen'), /You have finished this module\./);
    await page.evaluate(() => document.getElementById('sco').remove()); // pagehide
    const { calls } = await lmsState(page);
    const status = (v) => x.set(ed === '1.2' ? 'cmi.core.lesson_status' : 'cmi.completion_status', v);
    assertCalls(calls, [
      x.init, x.get(e.mode, 'normal'), x.get(e.entry, 'ab-initio'),
      ...(ed === '1.2' ? [x.get('cmi.core.lesson_status', 'not attempted'), x.get(e.susp, ''), x.get(e.loc, '')]
        : [x.get('cmi.completion_status', 'unknown'), x.get('cmi.success_status', 'unknown')]),
      x.set(e.loc, 'card:one'), x.set(e.susp, '1.1'), status('incomplete'), x.set(e.exit, 'suspend'), x.commit,
      x.set(e.loc, 'card:two'), x.set(e.susp, '1.3'), status('completed'), x.set(e.exit, e.exitDone), x.commit,
      x.set(e.loc, 'end'), x.commit,
      x.setRe(e.session, e.span), x.commit, x.finish,
    ], 'cards only');
  });
}
