// The player under Postcard's own LMS side: the runtime adapter (runtime/web/scorm-api.js with the
// C model as WebAssembly), which is what the player meets in `postcard serve`. A whole journey in
// every edition, right and wrong answers, a retry, the reflection and the final save, must run
// without a single error code from the adapter.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildPackage } from './package.mjs';
import { launch, ADAPTER, ORIGIN, scoFrame } from './browser.mjs';
import { RIGHT, WRONG, answer, next, heading } from './learner.mjs';
import { core as C } from './fixture.mjs';

const { missing } = createRequire(import.meta.url)('../oracle.js');

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

for (const scorm of ['1.2', '2004-3rd', '2004-4th']) {
  test(`runtime adapter ${scorm}: the whole journey with no error code`, async (t) => {
    if (!existsSync(ADAPTER)) { missing(t, `no built adapter at ${ADAPTER}`); return; }
    const { dir, data, cleanup } = buildPackage('player-fixture', { scorm });
    t.after(cleanup);
    b.context.pkgDir = dir;
    const page = await b.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // Who the learner is, as `postcard serve` seeds it at launch (the player reads both).
    const who = scorm === '1.2' ? { 'cmi.core.student_id': 'u1', 'cmi.core.student_name': 'Learner, Test' }
      : { 'cmi.learner_id': 'u1', 'cmi.learner_name': 'Test Learner' };
    await page.goto(`${ORIGIN}/adapter.html?v=${scorm}&sco=/pkg/index.html&initial=${encodeURIComponent(JSON.stringify(who))}`);
    let frame = await scoFrame(page);
    for (let i = 0; i < data.cards.length; i++) await next(frame);
    const qs = data.quiz.questions;
    for (const q of qs) { await answer(frame, q, WRONG[q.id]); await next(frame); }
    await frame.click('text=Try the quiz again');
    for (const q of qs) { await answer(frame, q, RIGHT[q.id]); await next(frame); }
    await next(frame);
    await frame.fill('#pc-reflection', '{Plan} ask the ward team [,] first; 100% sure.');
    await frame.click('text=Save my reflection');
    await next(frame);
    assert.equal(await heading(frame), 'Further reading');
    const values = await page.evaluate(() => window.adapter.$values());
    await page.evaluate(() => document.getElementById('sco').remove()); // pagehide: the final save
    const calls = await page.evaluate(() => JSON.parse(sessionStorage.getItem('lms-calls')));
    const bad = calls.filter((c) => !/GetLastError$/.test(c.fn) && c.error !== '0');
    assert.deepEqual(bad, [], 'calls the adapter refused');
    assert.equal(calls.at(-1).fn, scorm === '1.2' ? 'LMSFinish' : 'Terminate');
    assert.equal(calls.at(-1).result, 'true');
    const v12 = scorm === '1.2';
    assert.equal(values[v12 ? 'cmi.core.lesson_status' : 'cmi.success_status'], 'passed');
    assert.equal(values[v12 ? 'cmi.core.score.raw' : 'cmi.score.raw'], '100');
    assert.equal(values['cmi.interactions._count'] ?? String(Object.keys(values).filter((k) => /^cmi\.interactions\.\d+\.id$/.test(k)).length), '16');
    assert.deepEqual(errors, []);
    assert.deepEqual(b.outside, []);
    await page.close();
  });
}

// The longest reflection and next step the boxes take, in the longest comment they make (text that
// starts with "{", so 2004 puts "{lang=…}" in front) is accepted whole by the C data model in
// both editions (1.2 cmi.comments holds 4096 characters, a 2004 comment 4000).
for (const scorm of ['1.2', '2004-4th']) {
  test(`runtime adapter ${scorm}: the longest reflection with a full next step is stored whole`, async (t) => {
    if (!existsSync(ADAPTER)) { missing(t, `no built adapter at ${ADAPTER}`); return; }
    const { dir, data, cleanup } = buildPackage('worst-case', { scorm });
    t.after(cleanup);
    b.context.pkgDir = dir;
    const page = await b.context.newPage();
    t.after(() => page.close());
    const who = scorm === '1.2' ? { 'cmi.core.student_id': 'u1' } : { 'cmi.learner_id': 'u1', 'cmi.learner_name': 'Test Learner' };
    await page.goto(`${ORIGIN}/adapter.html?v=${scorm}&sco=/pkg/index.html&initial=${encodeURIComponent(JSON.stringify(who))}`);
    const frame = await scoFrame(page);
    for (let i = 0; i < data.cards.length; i++) await next(frame);
    for (const q of data.quiz.questions) {
      if (q.type === 'fill-in' || q.type === 'numeric') await frame.fill(`#pc-${q.id}-input`, q.type === 'numeric' ? '1' : 'x');
      else if (q.type === 'choice' || q.type === 'likert' || q.type === 'multiple') await frame.check(`#pc-${q.id}-o0`);
      else if (q.type === 'true-false') await frame.check(`#pc-${q.id}-o0`);
      else if (q.type === 'matching') for (let s = 0; s < q.pairs.length; s++) await frame.selectOption(`#pc-${q.id}-s${s}`, '0');
      await frame.click('text=Check answer');
      await frame.waitForSelector('.pc-feedback');
      await next(frame);
    }
    if (await frame.isVisible('text=Try the quiz again')) await next(frame);
    assert.equal(await heading(frame), 'Reflection');
    const max = C.reflectionMax(data);
    assert.equal(Number(await frame.getAttribute('#pc-reflection', 'maxlength')), max);
    const text = ('{Plan} ' + 'the ward team [,] first; 100% sure. '.repeat(200)).slice(0, max);
    const next3 = Object.fromEntries(C.NEXT_STEP.map((f) => [f.key, '[,]{x} '.repeat(100).slice(0, f.max)]));
    await frame.fill('#pc-reflection', text);
    for (const f of C.NEXT_STEP) await frame.fill(`#pc-next-${f.key}`, next3[f.key]);
    await frame.click('text=Save my reflection');
    assert.equal(await frame.textContent('#pc-status'), 'Your reflection and next step are saved.');
    const values = await page.evaluate(() => window.adapter.$values());
    const comment = C.reflectionComment(text, next3);
    assert.equal(comment.length, 3900);
    if (scorm === '1.2') assert.equal(values['cmi.comments'], comment);
    else assert.equal(values['cmi.comments_from_learner.0.comment'], `{lang=${data.module.lang}}${comment}`);
    const calls = await page.evaluate(() => JSON.parse(sessionStorage.getItem('lms-calls')));
    assert.deepEqual(calls.filter((c) => !/GetLastError$/.test(c.fn) && c.error !== '0'), [], 'calls the adapter refused');
  });
}
