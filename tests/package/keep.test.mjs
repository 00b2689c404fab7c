// What a learner gets from a real KMF module, in Chromium: printing the module prints every card
// (not just the one on screen) and none of the quiz; the templates a card offers download (they
// never replace the module in its frame) and are the files in the module's templates/ folder; the
// SVG diagrams carry a text alternative; the start screen (summary, outcomes, time, phase); the
// result screen's links from missed questions to their cards; options shuffled per learner and
// the same after a relaunch, recorded by their own letters; the certificate after passing, in
// both editions. Every state checked passes axe-core (WCAG 2.2 AA).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { buildPackage, ROOT, BIN } from './package.mjs';
import { launch, openLMS, relaunch, lmsState, ORIGIN } from './browser.mjs';
import { next, heading, answer } from './learner.mjs';
import { core } from './fixture.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const KMF = join(ROOT, 'modules');

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

async function axe(frame, label) {
  if (!(await frame.evaluate(() => typeof window.axe === 'object'))) await frame.addScriptTag({ content: AXE });
  const result = await frame.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), TAGS);
  const problems = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(problems, [], `axe violations in "${label}"`);
}

// Goes from the start screen to the card with `id`.
async function toCard(frame, data, id) {
  const n = data.cards.findIndex((c) => c.id === id) + (data.module.outcomes ? 1 : 0);
  for (let i = 0; i < n; i++) await frame.click('#pc-next');
  assert.equal(await heading(frame), data.cards.find((c) => c.id === id).title);
}

// Which cards are laid out (display not none) and whether the quiz screen and navigation are.
const layout = (frame) => frame.evaluate(() => {
  const shown = (e) => !!e && getComputedStyle(e).display !== 'none';
  return {
    cards: [...document.querySelectorAll('section.card')].map((c) => (shown(c) ? c.dataset.card : null)),
    screen: shown(document.getElementById('pc-screen')),
    nav: shown(document.getElementById('pc-nav')),
  };
});

test('printing the module prints every card and no quiz; the screen shows one card', async (t) => {
  const { dir, data, cleanup } = buildPackage(join(KMF, 'after-action-review'));
  t.after(cleanup);
  const { page, frame } = await openLMS(b, dir);
  t.after(() => page.close());
  const ids = data.cards.map((c) => c.id);
  await toCard(frame, data, ids[0]);
  const onScreen = await layout(frame);
  assert.deepEqual(onScreen.cards.filter(Boolean), [ids[0]], 'one card on screen');
  await page.emulateMedia({ media: 'print' });
  const printed = await layout(frame);
  assert.deepEqual(printed.cards, ids, 'every card, in order, on paper');
  assert.equal(printed.nav, false);
  await page.emulateMedia({ media: 'screen' });
  // Also from the middle of the quiz: the question is not printed, every card is.
  for (let i = 0; i < ids.length; i++) await frame.click('#pc-next');
  await frame.waitForSelector('#pc-screen:not([hidden]) fieldset, #pc-screen:not([hidden]) input');
  await page.emulateMedia({ media: 'print' });
  const mid = await layout(frame);
  assert.deepEqual(mid.cards, ids);
  assert.equal(mid.screen, false, 'the quiz is not printed');
  await page.emulateMedia({ media: 'screen' });
});

for (const [name, card] of [['after-action-review', 'how'], ['randomised-coffee-trials', 'who']]) {
  test(`${name}: the templates on the "${card}" card download, and are the module's templates`, async (t) => {
    const { dir, data, cleanup } = buildPackage(join(KMF, name));
    t.after(cleanup);
    const { page, frame } = await openLMS(b, dir);
    t.after(() => page.close());
    const want = readdirSync(join(KMF, name, 'templates')).sort();
    await toCard(frame, data, card);
    const links = await frame.$$eval(`#card-${card} a[href^="templates/"]`, (as) => as.map((a) => ({
      href: a.getAttribute('href'), download: a.hasAttribute('download'), target: a.getAttribute('target'), text: a.textContent })));
    assert.deepEqual(links.map((l) => l.href.slice('templates/'.length)).sort(), want);
    for (const l of links) {
      assert.ok(l.download, `${l.href} has the download attribute`);
      assert.equal(l.target, '_blank', `${l.href} never replaces the module in its frame`);
      assert.match(l.text, /^Download /);
      assert.ok(existsSync(join(dir, l.href)), `${l.href} is in the package`);
      assert.deepEqual(readFileSync(join(dir, l.href)), readFileSync(join(KMF, name, l.href)));
    }
    const [download] = await Promise.all([page.waitForEvent('download'), frame.click(`#card-${card} a[href="${links[0].href}"]`)]);
    assert.equal(download.suggestedFilename(), links[0].href.slice('templates/'.length));
    assert.equal(await frame.evaluate(() => document.getElementById('postcard-data') !== null), true, 'the module is still there');
    await axe(frame, `${name} ${card} card`);
  });
}

for (const [name, card, file] of [['overview', 'phases', 'learning-loop.svg'], ['appreciative-inquiry', 'how', 'four-d-cycle.svg'],
  ['fishbowl', 'how', 'fishbowl-chairs.svg']]) {
  test(`${name}: the ${file} diagram has a text alternative and passes axe`, async (t) => {
    const { dir, data, cleanup } = buildPackage(join(KMF, name));
    t.after(cleanup);
    const { page, frame } = await openLMS(b, dir);
    t.after(() => page.close());
    await toCard(frame, data, card);
    const img = await frame.$eval(`#card-${card} img[src="media/${file}"]`, (i) => ({ alt: i.alt, w: i.naturalWidth, shown: i.getBoundingClientRect().width }));
    assert.ok(img.alt.split(/\s+/).length >= 8, `alt text says what the diagram shows: "${img.alt}"`);
    assert.ok(img.w > 0 && img.shown > 0, 'the diagram loads and is shown');
    const svg = readFileSync(join(dir, 'media', file), 'utf8');
    assert.match(svg, /role="img"/);
    assert.match(svg, /<title[^>]*>[^<]+<\/title>/);
    assert.match(svg, /<desc[^>]*>[^<]{40,}<\/desc>/);
    await axe(frame, `${name} ${card} card`);
  });
}

// --- start screen, result links, shuffled options, certificate ---------------------------------

const C = core;
// An answer in the player's memory form, right or wrong, worked out from the question's data.
function answerFor(q, right) {
  const n = (q.options || q.pairs || q.steps || []).length;
  const seq = [...Array(n).keys()];
  switch (q.type) {
    case 'choice': return right ? q.correct[0] : (q.correct[0] + 1) % n;
    case 'multiple': return right ? q.correct : [seq.find((i) => !q.correct.includes(i))];
    case 'true-false': return right ? q.answer : !q.answer;
    case 'fill-in': return right ? q.answers[0] : 'not the answer';
    case 'numeric': return right ? (q.min ?? q.max) : String(Number(q.max ?? q.min) + 1000);
    case 'matching': case 'ordering': return right ? seq : seq.slice().reverse();
    case 'likert': return 0;
    default: throw new Error(q.type);
  }
}

// Start, every card, then every question (`right(i)` says which to get right); ends on the result.
async function takeModule(frame, data, right) {
  assert.equal(await heading(frame), 'About this module');
  await next(frame);
  for (let i = 0; i < data.cards.length; i++) await next(frame);
  const qs = data.quiz.questions;
  for (let i = 0; i < qs.length; i++) {
    await answer(frame, qs[i], answerFor(qs[i], right(i)));
    await next(frame);
  }
  assert.equal(await heading(frame), 'Your result');
}

test('start screen: the summary, the learning outcomes, about how long, and the phase', async (t) => {
  const { dir, data, cleanup } = buildPackage(join(KMF, 'after-action-review'));
  t.after(cleanup);
  const { page, frame } = await openLMS(b, dir);
  t.after(() => page.close());
  assert.equal(await heading(frame), 'About this module');
  const text = await frame.textContent('#pc-screen');
  assert.ok(text.includes(data.module.summary));
  assert.ok(data.module.outcomes.length >= 2 && data.module.outcomes.length <= 3);
  assert.deepEqual(await frame.$$eval('.pc-outcomes li', (li) => li.map((x) => x.textContent)), data.module.outcomes);
  assert.ok(Number.isInteger(data.module.minutes) && data.module.minutes >= 5 && data.module.minutes <= 40, `minutes ${data.module.minutes}`);
  assert.match(text, new RegExp(`Time: About ${data.module.minutes} minutes`));
  assert.match(text, /When to use it: Learning During/);
  assert.equal(await frame.textContent('#pc-next'), 'Start');
  assert.equal(await frame.isVisible('#pc-prev'), false);
  await axe(frame, 'start screen');
  await next(frame);
  assert.equal(await heading(frame), data.cards[0].title);
  const { record } = await lmsState(page);
  assert.equal(record.values['cmi.core.lesson_location'], `card:${data.cards[0].id}`);
});

test('result screen: every missed question is named and links back to the card that teaches it', async (t) => {
  const { dir, data, cleanup } = buildPackage(join(KMF, 'knowledge-cafe'));
  t.after(cleanup);
  const { page, frame } = await openLMS(b, dir);
  t.after(() => page.close());
  const qs = data.quiz.questions;
  const missed = new Set([0, 3, 5]); // a choice, a true-false and an ordering question
  await takeModule(frame, data, (i) => !missed.has(i));
  const items = await frame.$$eval('.pc-results li', (li) => li.map((x) => ({ text: x.textContent, link: x.querySelector('a.pc-revisit') && x.querySelector('a.pc-revisit').getAttribute('href') })));
  assert.equal(items.length, qs.length);
  for (let i = 0; i < qs.length; i++) {
    const q = qs[i];
    if (missed.has(i)) {
      const card = data.cards.find((c) => c.id === q.card);
      assert.ok(card, `${q.id} names a card`);
      assert.match(items[i].text, /not correct/);
      assert.ok(items[i].text.includes(q.prompt.slice(0, 40)), `question ${i + 1} is named by its prompt`);
      assert.ok(items[i].text.includes(`Read again: ${card.title}`));
      assert.equal(items[i].link, `#card-${q.card}`);
    } else {
      assert.equal(items[i].link, null, `no link for question ${i + 1}`);
    }
  }
  await axe(frame, 'result with links');
  const target = data.cards.find((c) => c.id === qs[3].card);
  await frame.click(`.pc-results li:nth-child(4) a.pc-revisit`);
  assert.equal(await heading(frame), target.title);
  assert.equal(await frame.evaluate(() => document.activeElement && document.activeElement.tagName), 'H2', 'focus moves to the card');
});

for (const ed of ['1.2', '2004']) {
  test(`SCORM ${ed}: options are shuffled per learner, the same after a relaunch, and recorded by their own letters`, async (t) => {
    const { dir, data, cleanup } = buildPackage(join(KMF, 'randomised-coffee-trials'), { scorm: ed === '1.2' ? '1.2' : '2004-4th' });
    t.after(cleanup);
    const idEl = ed === '1.2' ? 'cmi.core.student_id' : 'cmi.learner_id';
    const shownFor = async (frame, q) => frame.$$eval(`#pc-screen .pc-option input`, (ins) => ins.map((x) => Number(x.value)));
    const qi = data.quiz.questions.findIndex((q) => q.type === 'choice');
    const q = data.quiz.questions[qi];
    const orders = [];
    for (const learner of ['learner-1', 'learner-7', 'someone-else']) {
      const { page, frame: f0 } = await openLMS(b, dir, { version: ed, seed: learner === 'learner-1' ? null : { [idEl]: learner } });
      let frame = f0;
      await next(frame);
      for (let i = 0; i < data.cards.length; i++) await next(frame);
      for (let i = 0; i < qi; i++) { await answer(frame, data.quiz.questions[i], answerFor(data.quiz.questions[i], true)); await next(frame); }
      const key = C.shuffleKey(data, learner);
      const want = C.shuffledOrder(q, key);
      assert.deepEqual(await shownFor(frame, q), want, `${learner}: the order the player's own function gives`);
      frame = await relaunch(page);
      assert.deepEqual(await shownFor(frame, q), want, `${learner}: the same order after a relaunch`);
      // Choose the right option wherever it is shown: it is recorded by its source letter.
      await answer(frame, q, q.correct[0]);
      const rows = (await lmsState(page)).record.interactions;
      const row = rows[rows.length - 1];
      const resp = ed === '1.2' ? 'student_response' : 'learner_response';
      assert.equal(row.id, ed === '1.2' ? `${data.module.id}_${q.id}` : `urn:postcard:${data.module.id}:${q.id}`);
      assert.equal(row[resp], 'abcdefghij'[q.correct[0]], 'the right option, shown elsewhere, is still its own letter');
      assert.deepEqual(row.correct, ['abcdefghij'[q.correct[0]]]);
      assert.equal(row.result, 'correct');
      orders.push(want.join(''));
      await page.close();
    }
    assert.ok(new Set(orders).size > 1, `different learners see different orders: ${orders.join(' ')}`);
  });

  test(`SCORM ${ed}: after passing, a certificate with the learner's name, the module and the date prints on its own`, async (t) => {
    const { dir, data, cleanup } = buildPackage(join(KMF, 'retrospect'), { scorm: ed === '1.2' ? '1.2' : '2004-4th' });
    t.after(cleanup);
    const { page, frame } = await openLMS(b, dir, { version: ed });
    t.after(() => page.close());
    await takeModule(frame, data, () => true);
    const cert = await frame.textContent('#pc-certificate');
    assert.match(cert, /Certificate of completion/);
    assert.match(cert, /Test Learner/, ed === '1.2' ? '"Learner, Test" shown as "Test Learner"' : 'the 2004 name');
    assert.ok(cert.includes(data.module.title));
    assert.match(cert, /with a score of 100% \(pass mark 80%\)/);
    const today = new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
    assert.ok(cert.includes(`on ${today}.`), cert);
    await axe(frame, 'result with certificate');
    await frame.evaluate(() => { window.print = () => { window.printedWith = document.documentElement.className; }; });
    await frame.click('text=Print your certificate');
    assert.match(await frame.evaluate(() => window.printedWith), /pc-print-certificate/);
    await page.emulateMedia({ media: 'print' });
    const shown = await frame.evaluate(() => {
      const vis = (e) => !!e && getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().height > 0;
      return { cert: vis(document.getElementById('pc-certificate')), cards: [...document.querySelectorAll('section.card')].some(vis),
        results: vis(document.querySelector('.pc-results')), header: vis(document.querySelector('.pc-header')) };
    });
    assert.deepEqual(shown, { cert: true, cards: false, results: false, header: false });
    await page.emulateMedia({ media: 'screen' });
  });
}

test('no certificate before passing', async (t) => {
  const { dir, data, cleanup } = buildPackage(join(KMF, 'retrospect'));
  t.after(cleanup);
  const { page, frame } = await openLMS(b, dir);
  t.after(() => page.close());
  await takeModule(frame, data, (i) => i > 2);
  assert.match(await frame.textContent('#pc-screen'), /You did not pass this time/);
  assert.equal(await frame.$('#pc-certificate'), null);
});

// --- the printable postcard ---------------------------------------------------------------------

const pdfPages = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;

test('every technique module carries a one-page postcard: linked from the end, one A4 page, 0 axe violations', async (t) => {
  const names = readdirSync(KMF).filter((m) => existsSync(join(KMF, m, 'module.xml')) && m !== 'overview');
  assert.equal(names.length, 13);
  const page = await b.context.newPage();
  t.after(() => page.close());
  for (const name of names) {
    const { dir, data, cleanup } = buildPackage(join(KMF, name));
    try {
      assert.equal(data.postcard, 'postcard.html', `${name}: the data names the postcard`);
      const html = readFileSync(join(dir, 'postcard.html'), 'utf8');
      assert.doesNotMatch(html, /<script|<link|src=|https?:\/\/(?!www\.w3\.org)/, `${name}: the postcard loads nothing`);
      b.context.pkgDir = dir;
      await page.goto(`${ORIGIN}/pkg/postcard.html`);
      const text = await page.textContent('body');
      assert.ok(text.includes(data.module.title) && text.includes(data.module.summary), `${name}: title and what`);
      for (const h of ['When', 'Who', 'Time', 'How', 'The questions to ask']) {
        assert.ok(await page.isVisible(`h2:text-is("${h}")`), `${name}: ${h}`);
      }
      assert.ok((await page.$$('ol li')).length >= 2, `${name}: the steps`);
      const pdf = await page.pdf({ format: 'A4' });
      assert.equal(pdfPages(pdf), 1, `${name}: the postcard prints on one A4 page`);
      await axe(page.mainFrame(), `${name} postcard`);
    } finally { cleanup(); }
  }
});

test('the end screen links to the postcard; postcard build --print writes the same page for each module', async (t) => {
  const { dir, data, cleanup } = buildPackage(join(KMF, 'retrospect'));
  t.after(cleanup);
  const { page, frame } = await openLMS(b, dir);
  t.after(() => page.close());
  // Drive to the end: start, cards, answer everything right, result, reflection, end.
  await takeModule(frame, data, () => true);
  await next(frame); // reflection
  await next(frame); // end
  const a = await frame.$eval('.pc-keep a', (x) => ({ href: x.getAttribute('href'), target: x.target, text: x.textContent }));
  assert.deepEqual({ href: a.href, target: a.target }, { href: 'postcard.html', target: '_blank' });
  assert.match(a.text, /one page to print or keep \(opens in a new tab\)/);
  await axe(frame, 'end screen with the postcard link');

  const out = mkdtempSync(join(tmpdir(), 'postcard-print-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const r = spawnSync(BIN, ['build', '--print', '-q', KMF, '-o', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /module 'overview' has no <postcard>: nothing to print/);
  assert.match(r.stderr, /a course has no postcard of its own/);
  const files = readdirSync(out).sort();
  assert.equal(files.length, 13, files.join(' '));
  assert.ok(files.every((f) => /^[a-z-]+-postcard\.html$/.test(f)));
  assert.ok(!files.some((f) => f.endsWith('.zip')), '--print writes no packages');
  assert.deepEqual(readFileSync(join(out, 'retrospect-postcard.html')), readFileSync(join(dir, 'postcard.html')));
});

// --- the action plan ----------------------------------------------------------------------------

// The resume state of a learner who answered every question right and read every card but the
// last (so the attempt stays open: a 2004 attempt that is done ends with the session).
function doneState(data) {
  const st = C.emptyState(data);
  st.seen = st.seen.map((x, i) => i < st.seen.length - 1);
  st.answers = data.quiz.questions.map((q) => answerFor(q, true));
  return C.encodeState(data, st);
}

// Opens `name` (built for `scorm` and `lms`) in the test LMS on its reflection screen.
async function onReflection(name, scorm, lms) {
  const built = buildPackage(join(KMF, name), { scorm, lms });
  const v12 = scorm === '1.2';
  const seed = v12 ? { 'cmi.core.lesson_location': 'reflection', 'cmi.suspend_data': doneState(built.data) }
    : { 'cmi.location': 'reflection', 'cmi.suspend_data': doneState(built.data), 'cmi.entry': 'resume' };
  const opened = await openLMS(b, built.dir, { version: v12 ? '1.2' : '2004', seed });
  assert.equal(await heading(opened.frame), 'Reflection');
  return { ...built, ...opened };
}

const NEXT = { what: 'Book a room and send the invitation', when: 'Friday 16 January', who: 'Priya, Sam and the ward manager' };
const fillPlan = async (frame, text) => {
  await frame.fill('#pc-reflection', text);
  for (const [k, v] of Object.entries(NEXT)) await frame.fill(`#pc-next-${k}`, v);
};
const planValues = (frame) => frame.evaluate(() => ({ text: document.getElementById('pc-reflection').value,
  what: document.getElementById('pc-next-what').value, when: document.getElementById('pc-next-when').value,
  who: document.getElementById('pc-next-who').value }));

for (const [scorm, lms] of [['1.2', 'generic'], ['2004-4th', 'generic'], ['1.2', 'moodle'], ['2004-3rd', 'moodle'], ['1.2', 'learning-hub']]) {
  test(`${scorm} ${lms}: the action plan (reflection and next step) saves as a file, prints alone, and is kept only where the LMS keeps it`, async (t) => {
    const { data, page, frame, cleanup } = await onReflection('peer-assist', scorm, lms);
    t.after(cleanup);
    t.after(() => page.close());
    const v12 = scorm === '1.2';
    const stored = lms !== 'learning-hub';
    // What the screen asks: the module's prompt, then the next step in three labelled boxes.
    assert.match(data.reflection.prompt, /what will you do.*by when.*with whom/i);
    assert.equal(await frame.textContent('label[for="pc-reflection"]'), data.reflection.prompt);
    assert.equal(await frame.textContent('fieldset.pc-next-step legend'), 'Your next step');
    assert.deepEqual(await frame.$$eval('fieldset.pc-next-step input', (ins) => ins.map((i) => i.labels[0].textContent)),
      ['What will you do?', 'By when?', 'With whom?']);
    assert.deepEqual(await frame.$$eval('#pc-screen .pc-actions button', (bs) => bs.map((x) => x.textContent)),
      (stored ? ['Save my reflection'] : []).concat(['Save my action plan as a file', 'Print my action plan']));
    assert.match(await frame.textContent('#pc-reflection-hint'),
      stored ? /Only you and the people who run your learning system can see it/ : /does not keep it: to keep it, save it as a file or print it/);
    const text = 'The discharge project on Ward 7.\nAsk the people who ran the frailty pathway first.';
    await fillPlan(frame, text);
    await axe(frame, `${scorm} ${lms} reflection with the next step`);

    // Save as a file: the technique, the prompt and text, the next step.
    const [download] = await Promise.all([page.waitForEvent('download'), frame.click('text=Save my action plan as a file')]);
    assert.equal(download.suggestedFilename(), 'peer-assist-action-plan.txt');
    const file = readFileSync(await download.path(), 'utf8');
    const want = C.actionPlan(data, text, NEXT, new Date()).file;
    assert.equal(file, '\ufeff' + want);
    for (const part of [`${data.module.title}: my action plan`, data.module.summary, data.reflection.prompt,
      'Ask the people who ran the frailty pathway first.', `What I will do: ${NEXT.what}`, `By when: ${NEXT.when}`, `With whom: ${NEXT.who}`]) {
      assert.ok(file.includes(part), `the file has "${part}"`);
    }
    assert.match(await frame.textContent('#pc-status'), /being saved to your device as peer-assist-action-plan\.txt/);

    // Print: the sheet alone, with the same parts.
    await frame.evaluate(() => { window.print = () => { window.printedWith = document.documentElement.className; }; });
    await frame.click('text=Print my action plan');
    assert.match(await frame.evaluate(() => window.printedWith), /pc-printing/);
    const sheet = await frame.textContent('#pc-print-sheet');
    for (const part of [`${data.module.title}: my action plan`, data.module.summary, data.reflection.prompt, 'Ask the people who ran',
      'My next step', NEXT.what, NEXT.when, NEXT.who, ...data.postcardSteps]) assert.ok(sheet.includes(part), `the sheet has "${part}"`);
    assert.equal(await frame.$$eval('#pc-print-sheet .pc-plan-steps li', (li) => li.length), data.postcardSteps.length, 'the how steps as a checklist');
    await page.emulateMedia({ media: 'print' });
    const shown = await frame.evaluate(() => {
      const vis = (e) => !!e && getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().height > 0;
      return { sheet: vis(document.getElementById('pc-print-sheet')), main: vis(document.getElementById('pc-main')),
        header: vis(document.querySelector('.pc-header')) };
    });
    assert.deepEqual(shown, { sheet: true, main: false, header: false });
    await page.emulateMedia({ media: 'screen' });
    assert.equal(await frame.isVisible('#pc-print-sheet'), false, 'on screen the sheet is never shown');

    // Kept where the LMS keeps learner comments: saved, then back after a relaunch.
    const comment = C.reflectionComment(text, NEXT);
    if (stored) {
      await frame.click('text=Save my reflection');
      assert.equal(await frame.textContent('#pc-status'), 'Your reflection and next step are saved.');
    }
    const again = await relaunch(page);
    assert.deepEqual(await planValues(again), stored ? { text, ...NEXT } : { text: '', what: '', when: '', who: '' },
      stored ? 'the reflection and the next step come back' : 'nothing is kept, as the screen said');
    const { calls, record } = await lmsState(page);
    for (const c of calls) assert.equal(c.error, '0', JSON.stringify(c));
    if (!stored) assert.deepEqual(calls.filter((c) => /comments/.test(c.args[0] || '')), [], 'no call touches cmi.comments');
    else if (v12) assert.equal(record.values['cmi.comments'], comment);
    else assert.deepEqual(record.comments.map((c) => [c.comment, c.location]), [[comment, 'plan']]);
  });
}

test('the action plan is usable with the keyboard alone', async (t) => {
  const { page, frame, cleanup } = await onReflection('knowledge-cafe', '1.2', 'learning-hub');
  t.after(cleanup);
  t.after(() => page.close());
  const focused = () => frame.evaluate(() => document.activeElement.id || document.activeElement.textContent);
  await frame.focus('#pc-reflection');
  await page.keyboard.type('Start with the outpatients team.');
  for (const [k, v] of Object.entries(NEXT)) {
    await page.keyboard.press('Tab');
    assert.equal(await focused(), `pc-next-${k}`);
    await page.keyboard.type(v);
  }
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'Save my action plan as a file');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.match(readFileSync(await download.path(), 'utf8'), /With whom: Priya, Sam and the ward manager\r\n$/);
  await frame.evaluate(() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; });
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'Print my action plan');
  await page.keyboard.press('Enter');
  assert.equal(await frame.evaluate(() => window.printed), 1);
});

// Prose of `n` characters, in sentences, as a learner might write it.
function prose(n, sentence = 'We will ask the ward team what worked on the frailty pathway and write it down. ') {
  return sentence.repeat(Math.ceil(n / sentence.length)).slice(0, n).trimEnd();
}

test('every module\'s action plan prints on one A4 page, with the longest text its boxes take', async (t) => {
  const names = readdirSync(KMF).filter((m) => existsSync(join(KMF, m, 'module.xml')));
  assert.equal(names.length, 14);
  const page = await b.context.newPage();
  t.after(() => page.close());
  for (const name of names) {
    const { dir, data, cleanup } = buildPackage(join(KMF, name));
    try {
      b.context.pkgDir = dir;
      // Standalone (no LMS): the page itself is what is printed.
      await page.goto(`${ORIGIN}/pkg/postcard.css`);
      await page.evaluate(([key, rec]) => { localStorage.clear(); localStorage.setItem(key, rec); },
        [`postcard:${data.module.id}:${data.module.version.split('.')[0]}`, JSON.stringify({ location: 'reflection', suspend: doneState(data) })]);
      await page.goto(`${ORIGIN}/pkg/index.html`);
      await page.waitForSelector('#pc-reflection');
      const max = Number(await page.getAttribute('#pc-reflection', 'maxlength'));
      assert.equal(max, C.reflectionMax(data));
      // One long paragraph, then paragraphs (more lines), each the most the boxes take.
      const paragraphs = prose(max, 'We will ask the ward team what worked on the frailty pathway and write it down.\n\n');
      for (const text of [prose(max), paragraphs]) {
        await page.fill('#pc-reflection', text);
        for (const f of C.NEXT_STEP) await page.fill(`#pc-next-${f.key}`, prose(f.max, 'Priya and Sam from discharge. '));
        await page.evaluate(() => { window.print = () => {}; });
        await page.click('text=Print my action plan');
        const sheet = await page.textContent('#pc-print-sheet');
        assert.ok(sheet.includes(text.slice(0, 60)) && sheet.includes(data.reflection.prompt), `${name}: the sheet holds the plan`);
        if (text === paragraphs) assert.match(await page.textContent('#pc-reflection-hint'), /It is kept in this browser only\./, 'standalone says where it is kept');
        const pdf = await page.pdf({ format: 'A4', margin: { top: '15mm', bottom: '15mm', left: '15mm', right: '15mm' } });
        assert.equal(pdfPages(pdf), 1, `${name}: the action plan prints on one A4 page (${text.length} characters, ${text.split('\n').length} lines)`);
      }
    } finally { cleanup(); }
  }
});
