// SCORM 2004 sequencing played end to end in Chromium: Postcard's own scenario packages
// (tests/sn/scenarios/packages, one test SCO for every item: fixtures/seq/sco.html) imported and
// played through the player page, as a learner would: what sequencing delivers, what the page
// offers (buttons, the list of parts with what is hidden, disabled and why), what content
// requests do, and what the records show, package-level row included. One browser for the file.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {zipBuffer} = require('./lib/zip');
const {tmpdir, run, start, stop} = require('./lib/server');
const {launch, axe} = require('./lib/browser');

const LEARNER = 'seq-e2e';
const SCENARIOS = path.join(__dirname, '../sn/scenarios/packages');
const SCO = fs.readFileSync(path.join(__dirname, 'fixtures/seq/sco.html'));

let browser;
test.before(async () => { browser = await launch(); });
test.after(async () => { await browser.close(); });

// A scenario package as a zip: its manifest and the test SCO.
function importScenario(data, name) {
	const zip = path.join(data, name + '.zip');
	fs.writeFileSync(zip, zipBuffer([
		['imsmanifest.xml', fs.readFileSync(path.join(SCENARIOS, name, 'imsmanifest.xml'))],
		['sco.html', SCO],
	]));
	const r = run(['import', zip, '--data', data]);
	assert.equal(r.status, 0, r.stderr);
}

async function setup(names) {
	const data = tmpdir('seq');
	for (const n of names) importScenario(data, n);
	const srv = await start(['--data', data, '--learner', LEARNER, '--quiet']);
	const context = browser.context;
	const page = await context.newPage();
	return {data, srv, page};
}

async function teardown(env) {
	await env.page.close();
	await stop(env.srv);
	fs.rmSync(env.data, {recursive: true, force: true});
}

function records(data, pkg) {
	const r = run(['records', '--data', data, '--format', 'json', '--package', pkg]);
	assert.equal(r.status, 0, r.stderr);
	return JSON.parse(r.stdout).records;
}

// The package-level row of the learner's attempt `n`.
function packageRow(data, pkg, n = 1) {
	return records(data, pkg).find((r) => r.level === 'package' && r.attempt === n);
}

async function until(what, fn) {
	let last;
	for (let i = 0; i < 300; i++) { // up to 30 s: saves travel after the page moved on
		last = await fn();
		if (last) return last;
		await new Promise((r) => setTimeout(r, 100));
	}
	assert.fail(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
}

// The content frame once the SCO of activity `act` shows (the player frame's frame).
async function sco(page, act) {
	return until(`activity ${act}`, async () => {
		try {
			const pf = page.frames().find((f) => f.url().includes('/l/') && !f.url().includes('/c/'));
			const cf = page.frames().find((f) => f.url().includes('/c/sco.html') && f.parentFrame() === pf);
			if (!cf) return null;
			const got = await cf.evaluate(() => window.sco ? window.sco.act : null);
			return got === String(act) ? cf : null;
		} catch (e) {
			return null; /* frames come and go while the player moves on */
		}
	});
}

// What the page shows: the part line, the message, the buttons and the list of parts.
async function view(page) {
	return page.evaluate(() => {
		const t = (s) => { const e = document.querySelector(s); return e && !e.hidden ? e.textContent.trim() : null; };
		const buttons = {};
		for (const b of document.querySelectorAll('#pc-controls button')) buttons[b.getAttribute('data-nav')] = !b.disabled;
		const toc = [...document.querySelectorAll('#pc-toc li')].map((li) => {
			const first = li.firstElementChild;
			return {
				title: first.firstChild.textContent.trim(),
				kind: first.tagName === 'BUTTON' ? 'choice' : first.hasAttribute('aria-current') ? 'current' : 'label',
				why: li.querySelector(':scope > .toc-why')?.textContent.trim() || null,
				status: li.querySelector(':scope > .toc-status')?.textContent.trim() || null,
			};
		});
		return {part: t('#pc-part'), message: t('#pc-message'), buttons, toc, tocShown: !document.getElementById('pc-toc').hidden};
	});
}

// Clicks a button of the page and waits until the player has settled on what follows.
async function press(page, selector) {
	await page.click(selector);
	await page.waitForFunction(() => !document.body.hasAttribute('aria-busy'));
}

test('forced order: each part is disabled until the one before is satisfied', async () => {
	const env = await setup(['forced-order']);
	const {page, data} = env;
	try {
		await page.goto(`${env.srv.pageUrl}/play/postcard-forced-order`);
		let f = await sco(page, 1);
		let v = await view(page);
		assert.equal(v.part, 'Part 1 of 3: Introduction');
		assert.deepEqual(v.toc.map((e) => [e.title, e.kind]),
			[['Introduction', 'current'], ['Lesson', 'choice'], ['Final test', 'label']]);
		assert.match(v.toc[2].why, /not available/);
		assert.deepEqual(v.buttons, {previous: false, continue: true, suspendAll: true, exitAll: true});
		// The SCO asks the same: the test cannot be chosen; the lesson can (leaving the
		// introduction satisfies it: objectiveSetByContent is false).
		assert.equal(await f.evaluate(() => window.sco.valid('choice.{target=test}')), 'false');
		assert.equal(await f.evaluate(() => window.sco.valid('choice.{target=lesson}')), 'true');
		assert.deepEqual(await axe(page), []);

		// Continue by the SCO's own request: the lesson.
		await f.evaluate(() => window.sco.finish({nav: 'continue'}));
		f = await sco(page, 2);
		v = await view(page);
		assert.equal(v.part, 'Part 2 of 3: Lesson');
		// Leaving the lesson without a result would satisfy it (objectiveSetByContent false),
		// so the test may be chosen from here: a tentative run says so.
		assert.equal(v.toc[2].kind, 'choice');

		// The lesson failed: continuing to the test is refused, and the page says so.
		await f.evaluate(() => window.sco.finish({success: 'failed', nav: 'continue'}));
		await until('the refusal', async () => (await view(page)).message);
		v = await view(page);
		assert.match(v.message, /^This is not allowed: /);
		const t = v.toc.find((e) => e.title === 'Final test');
		assert.equal(t.kind, 'label');
		assert.match(t.why, /not available/);
		assert.equal(v.buttons.continue, true); // the lesson's parent has flow (NB.2.1 accepts it)

		// Back to the lesson from the list, passed this time: the test opens.
		await press(page, '#pc-toc button[data-target="lesson"]');
		f = await sco(page, 2);
		assert.equal(await f.evaluate(() => window.sco.entry), 'ab-initio');
		await f.evaluate(() => window.sco.finish({success: 'passed', nav: 'continue'}));
		f = await sco(page, 3);
		v = await view(page);
		assert.equal(v.toc.find((e) => e.title === 'Lesson').status, '(completed, passed)');
		await f.evaluate(() => window.sco.finish({success: 'passed', score: 0.9, nav: 'exitAll'}));
		await page.waitForURL(`${env.srv.pageUrl}/`);
		const row = await until('the package row', () => {
			const r = packageRow(data, 'postcard-forced-order');
			return r && r.finished ? r : null;
		});
		assert.equal(row.status, 'completed');
		assert.equal(row.success, 'passed');
		assert.equal(row.item, null);
	} finally {
		await teardown(env);
	}
});

test('pre-test passed: the lessons and the post-test are skipped, the course completed and passed', async () => {
	const env = await setup(['pretest-pass']);
	const {page, data} = env;
	try {
		await page.goto(`${env.srv.pageUrl}/play/postcard-pretest-pass`);
		const f = await sco(page, 1);
		const v = await view(page);
		assert.equal(v.tocShown, true);
		assert.deepEqual(v.buttons, {previous: false, continue: true, suspendAll: true, exitAll: true});
		await f.evaluate(() => window.sco.finish({success: 'passed', completion: 'completed', nav: 'continue'}));
		await page.waitForURL(`${env.srv.pageUrl}/`); // past the end: the course is over
		assert.match(await page.textContent('.package .status'), /^Finished \(attempt 1\): completed, passed/);
		const row = packageRow(data, 'postcard-pretest-pass');
		assert.deepEqual([row.status, row.success, row.finished], ['completed', 'passed', true]);
		// Only the pre-test was ever launched.
		assert.deepEqual(records(data, 'postcard-pretest-pass').filter((r) => r.level === 'sco').map((r) => r.item), ['pretest']);
		// The package row in the other formats: CSV (level column) and the table ("(package)").
		const csv = run(['records', '--data', data, '--format', 'csv', '--package', 'postcard-pretest-pass']);
		assert.equal(csv.status, 0, csv.stderr);
		const lines = csv.stdout.trim().split('\n');
		assert.match(lines[0], /,last_activity,level,reflection$/);
		assert.equal(lines.length, 3);
		assert.match(lines[1], /^seq-e2e,postcard-pretest-pass,.*,pretest,1,yes,.*,sco,[^,]*$/); // title after the id, reflection last
		assert.match(lines[2], /^seq-e2e,postcard-pretest-pass,,,1,yes,completed,passed,.*,package,$/);
		const table = run(['records', '--data', data, '--package', 'postcard-pretest-pass']);
		assert.equal(table.status, 0, table.stderr);
		assert.match(table.stdout, /\(package\)\s+1 done\s+completed\s+passed/);
	} finally {
		await teardown(env);
	}
});

test('pre-test failed: the lessons in order, then the post-test; learner and content requests', async () => {
	const env = await setup(['pretest-fail']);
	const {page, data} = env;
	try {
		await page.goto(`${env.srv.pageUrl}/play/postcard-pretest-fail`);
		let f = await sco(page, 1);
		await f.evaluate(() => window.sco.finish({success: 'failed', nav: 'continue'}));
		f = await sco(page, 2);
		let v = await view(page);
		assert.equal(v.part, 'Part 2 of 4: Lesson 1');
		assert.equal(v.buttons.previous, true);
		assert.equal(await f.evaluate(() => window.sco.valid('previous')), 'true');
		// The learner's own Continue (the SCO is taken away first, suspended by its own script).
		await press(page, '#pc-controls button[data-nav="continue"]');
		f = await sco(page, 3);
		// The content's previous: back to lesson 1, which resumes (it was suspended).
		await f.evaluate(() => window.sco.finish({nav: 'previous'}));
		f = await sco(page, 2);
		assert.equal(await f.evaluate(() => window.sco.entry), 'resume');
		await f.evaluate(() => window.sco.finish({completion: 'completed', nav: 'continue'}));
		f = await sco(page, 3);
		await f.evaluate(() => window.sco.finish({completion: 'completed', nav: 'continue'}));
		f = await sco(page, 4);
		v = await view(page);
		assert.equal(v.part, 'Part 4 of 4: Post-test');
		await f.evaluate(() => window.sco.finish({success: 'passed', completion: 'completed', nav: 'continue'}));
		await page.waitForURL(`${env.srv.pageUrl}/`);
		const rows = records(data, 'postcard-pretest-fail');
		assert.deepEqual(rows.filter((r) => r.level === 'sco').map((r) => [r.item, r.status, r.success]), [
			['lesson1', 'completed', 'unknown'],
			['lesson2', 'completed', 'unknown'],
			['posttest', 'completed', 'passed'],
			['pretest', 'unknown', 'failed'],
		]);
		const row = rows.find((r) => r.level === 'package');
		assert.deepEqual([row.success, row.finished], ['passed', true]);
		assert.equal(rows[rows.length - 1], row, 'the package row comes after its SCOs');
	} finally {
		await teardown(env);
	}
});

test('remediation: a failed topic sends the learner round again, past the mastered lesson', async () => {
	const env = await setup(['remediation']);
	const {page, data} = env;
	try {
		await page.goto(`${env.srv.pageUrl}/play/postcard-remediation`);
		let f = await sco(page, 1);
		let v = await view(page);
		assert.deepEqual(v.toc.map((e) => e.kind), ['current', 'label', 'label']); // no choice in this course
		await f.evaluate(() => window.sco.finish({nav: 'continue'}));
		f = await sco(page, 2);
		await f.evaluate(() => window.sco.finish({nav: 'continue'}));
		f = await sco(page, 3);
		// The test hides Previous and Suspend All from the player (hideLMSUI).
		v = await view(page);
		assert.deepEqual(v.buttons, {continue: true, exitAll: true});
		await f.evaluate(() => window.sco.finish({objectives: {topic1: 'passed', topic2: 'failed'}, success: 'failed', nav: 'continue'}));
		// The test's post-condition retries the course: lesson 1 is skipped (topic 1 mastered).
		f = await sco(page, 2);
		assert.equal(await f.evaluate(() => window.sco.entry), 'ab-initio');
		await f.evaluate(() => window.sco.finish({nav: 'continue'}));
		f = await sco(page, 3);
		// The test starts again, with what the learner mastered read from the global objectives.
		assert.equal(await f.evaluate(() => window.sco.entry), 'ab-initio');
		assert.equal(await f.evaluate(() => window.sco.objective('topic1')), 'passed');
		assert.equal(await f.evaluate(() => window.sco.objective('topic2')), 'failed');
		await f.evaluate(() => window.sco.finish({objectives: {topic2: 'passed'}, success: 'passed', nav: 'continue'}));
		await page.waitForURL(`${env.srv.pageUrl}/`);
		const rows = records(data, 'postcard-remediation');
		assert.deepEqual(rows.filter((r) => r.level === 'sco').map((r) => [r.item, r.success]),
			[['lesson1', 'unknown'], ['lesson2', 'unknown'], ['test', 'passed']]);
		// The course: lesson 1 was skipped in the retried attempt, and what it had from the first
		// attempt does not count for it (useCurrentAttemptObjectiveInfo), so the root cannot say
		// every part is satisfied: success unknown, as the specification rolls it up.
		const row = rows.find((r) => r.level === 'package');
		assert.deepEqual([row.success, row.finished], ['unknown', true]);
	} finally {
		await teardown(env);
	}
});

test('random test: one of four forms, drawn again after a failure; the others hidden', async () => {
	const env = await setup(['random-test']);
	const {page, data} = env;
	const forms = ['Test form A', 'Test form B', 'Test form C', 'Test form D'];
	try {
		await page.goto(`${env.srv.pageUrl}/play/postcard-random-test`);
		let f = await sco(page, 1);
		await f.evaluate(() => window.sco.finish({nav: 'continue'}));
		// The form's frame; after a failure, a new one (the failed form's frame lingers a moment
		// before the player replaces it, and is detached then).
		const shownForm = async (previous) => {
			const fr = await until('a test form', async () => {
				const cf = page.frames().find((x) => x !== previous && !x.isDetached() && x.url().includes('/c/sco.html'));
				const act = cf ? await cf.evaluate(() => window.sco && window.sco.act).catch(() => null) : null;
				return act && act !== '1' ? cf : null;
			});
			const act = Number(await fr.evaluate(() => window.sco.act));
			const v = await view(page);
			const listed = v.toc.map((e) => e.title).filter((t) => forms.includes(t));
			assert.deepEqual(listed, [forms[act - 2]], 'only the drawn form is listed');
			assert.equal(v.toc.find((e) => e.title === forms[act - 2]).kind, 'current');
			return fr;
		};
		f = await shownForm();
		await f.evaluate(() => window.sco.finish({success: 'failed', nav: 'continue'}));
		await page.waitForFunction(() => !document.body.hasAttribute('aria-busy'));
		// A failure exits the test and retries it: a form is drawn again (a new attempt).
		await until('the retry', async () => (await records(data, 'postcard-random-test')).length > 0);
		f = await shownForm(f);
		assert.equal(await f.evaluate(() => window.sco.entry), 'ab-initio');
		await f.evaluate(() => window.sco.finish({success: 'passed', nav: 'continue'}));
		await page.waitForURL(`${env.srv.pageUrl}/`);
		const row = packageRow(data, 'postcard-random-test');
		assert.deepEqual([row.success, row.finished], ['passed', true]);
	} finally {
		await teardown(env);
	}
});

test('content jump and choice, a hidden part, and the list by keyboard', async () => {
	const env = await setup(['jump-choice']);
	const {page, data} = env;
	try {
		await page.goto(`${env.srv.pageUrl}/play/postcard-jump-choice`);
		let f = await sco(page, 1);
		let v = await view(page);
		assert.deepEqual(v.toc.map((e) => [e.title, e.kind]), [['Menu', 'current'], ['Reading', 'choice'], ['Quiz', 'choice']]);
		assert.equal(await f.evaluate(() => window.sco.valid('jump.{target=quiz}')), 'true');
		assert.equal(await f.evaluate(() => window.sco.valid('jump.{target=nowhere}')), 'false');
		assert.equal(await f.evaluate(() => window.sco.valid('choice.{target=answers}')), 'true');
		await f.evaluate(() => window.sco.finish({nav: '{target=quiz}jump'}));
		f = await sco(page, 3);
		// The hidden answers, reached by a jump: shown, still not in the list.
		await f.evaluate(() => window.sco.finish({nav: '{target=answers}jump'}));
		f = await sco(page, 4);
		v = await view(page);
		assert.equal(v.part, 'Answers');
		assert.deepEqual(v.toc.map((e) => e.title), ['Menu', 'Reading', 'Quiz']);
		await f.evaluate(() => window.sco.finish({nav: '{target=reading}choice'}));
		f = await sco(page, 2);
		// The learner picks the quiz from the list with the keyboard.
		await page.focus('#pc-toc button[data-target="quiz"]');
		await page.keyboard.press('Enter');
		f = await sco(page, 3);
		assert.deepEqual(await axe(page), []);
		await press(page, '#pc-controls button[data-nav="exitAll"]');
		await page.waitForURL(`${env.srv.pageUrl}/`);
		const rows = records(data, 'postcard-jump-choice');
		assert.deepEqual(rows.filter((r) => r.level === 'sco').map((r) => r.item), ['answers', 'menu', 'quiz', 'reading']);
		assert.equal(rows.find((r) => r.level === 'package').finished, true);
	} finally {
		await teardown(env);
	}
});

test('suspend all, a server restart, resume all: the learner goes on where they were', async () => {
	const env = await setup(['pretest-fail']);
	const {page, data} = env;
	try {
		await page.goto(`${env.srv.pageUrl}/play/postcard-pretest-fail`);
		let f = await sco(page, 1);
		await f.evaluate(() => window.sco.finish({success: 'failed', nav: 'continue'}));
		f = await sco(page, 2);
		await f.evaluate(() => window.sco.save({location: 'page 3'}));
		await press(page, '#pc-controls button[data-nav="suspendAll"]');
		await page.waitForURL(`${env.srv.pageUrl}/`);
		assert.match(await page.textContent('.package .status'), /^In progress \(attempt 1\)/);
		await stop(env.srv);
		env.srv = await start(['--data', data, '--learner', LEARNER, '--quiet']);
		await page.goto(`${env.srv.pageUrl}/play/postcard-pretest-fail`);
		f = await sco(page, 2); // resume all: the suspended lesson, with its data
		assert.equal(await f.evaluate(() => window.sco.entry), 'resume');
		assert.equal(await f.evaluate(() => window.sco.get('cmi.location')), 'page 3');
		const v = await view(page);
		assert.equal(v.part, 'Part 2 of 4: Lesson 1');
		assert.equal(v.toc.find((e) => e.title === 'Pre-test').status, '(completed, failed)');
		await f.evaluate(() => window.sco.finish({completion: 'completed', nav: 'continue'}));
		await sco(page, 3);
		const rows = records(data, 'postcard-pretest-fail');
		assert.deepEqual([...new Set(rows.map((r) => r.attempt))], [1]);
	} finally {
		await teardown(env);
	}
});

test('exit, abandon and abandon all from the content', async () => {
	const env = await setup(['pretest-fail']);
	const {page, data} = env;
	try {
		await page.goto(`${env.srv.pageUrl}/play/postcard-pretest-fail`);
		let f = await sco(page, 1);
		await f.evaluate(() => window.sco.finish({success: 'failed', nav: 'continue'}));
		f = await sco(page, 2);
		// exit: lesson 1 ends and nothing follows by itself: the learner chooses.
		await f.evaluate(() => window.sco.finish({completion: 'completed', nav: 'exit'}));
		await until('the choice', async () => (await view(page)).message);
		let v = await view(page);
		assert.match(v.message, /^Choose where to go next/);
		assert.equal(await page.$eval('.frame-wrap', (e) => e.hidden), true);
		await press(page, '#pc-controls button[data-nav="continue"]');
		f = await sco(page, 3);
		// abandon: lesson 2's attempt is dropped, nothing is rolled up; the learner chooses.
		await f.evaluate(() => window.sco.finish({completion: 'completed', nav: 'abandon'}));
		await until('the choice', async () => (await view(page)).message);
		v = await view(page);
		assert.equal(v.toc.find((e) => e.title === 'Lesson 2').status, null);
		await press(page, '#pc-controls button[data-nav="continue"]');
		f = await sco(page, 4);
		// abandon all: the course attempt ends and what the post-test reported is dropped: the
		// course still reads the failed pre-test's mastery objective.
		await f.evaluate(() => window.sco.finish({success: 'passed', nav: 'abandonAll'}));
		await page.waitForURL(`${env.srv.pageUrl}/`);
		const row = packageRow(data, 'postcard-pretest-fail');
		assert.deepEqual([row.finished, row.success], [true, 'failed']);
	} finally {
		await teardown(env);
	}
});

// An asset and a SCO that never calls Initialize: neither reports anything, and each counts as
// completed when its attempt ends (the delivery controls' defaults: completionSetByContent and
// objectiveSetByContent false), in its own record and in the course's rollup.
const SILENT_MANIFEST = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="postcard-silent" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>Silent parts</title>
      <item identifier="intro" identifierref="ASSET"><title>Introduction</title></item>
      <item identifier="silent" identifierref="QUIET"><title>Silent SCO</title></item>
      <item identifier="final" identifierref="SCO" parameters="?act=3"><title>Final</title></item>
      <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
    </organization>
  </organizations>
  <resources>
    <resource identifier="ASSET" type="webcontent" adlcp:scormType="asset" href="page.html"><file href="page.html"/></resource>
    <resource identifier="QUIET" type="webcontent" adlcp:scormType="sco" href="quiet.html"><file href="quiet.html"/></resource>
    <resource identifier="SCO" type="webcontent" adlcp:scormType="sco" href="sco.html"><file href="sco.html"/></resource>
  </resources>
</manifest>
`;

test('an asset and a SCO that never reports are completed when their attempt ends', async () => {
	const data = tmpdir('seq');
	const zip = path.join(data, 'silent.zip');
	const page = (t) => Buffer.from(`<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${t}</title></head><body><main><h1>${t}</h1></main></body></html>`);
	fs.writeFileSync(zip, zipBuffer([
		['imsmanifest.xml', Buffer.from(SILENT_MANIFEST)],
		['page.html', page('Introduction')],
		['quiet.html', page('Silent')],
		['sco.html', SCO],
	]));
	const r = run(['import', zip, '--data', data]);
	assert.equal(r.status, 0, r.stderr);
	const srv = await start(['--data', data, '--learner', LEARNER, '--quiet']);
	const env = {data, srv, page: await browser.context.newPage()};
	try {
		const p = env.page;
		await p.goto(`${srv.pageUrl}/play/postcard-silent`);
		await until('the introduction', async () => (await view(p)).part === 'Part 1 of 3: Introduction');
		await press(p, '#pc-controls button[data-nav="continue"]');
		await until('the silent SCO', async () => (await view(p)).part === 'Part 2 of 3: Silent SCO');
		let v = await view(p);
		assert.equal(v.toc.find((e) => e.title === 'Introduction').status, '(completed, passed)');
		await press(p, '#pc-controls button[data-nav="continue"]');
		const f = await sco(p, 3);
		v = await view(p);
		assert.equal(v.toc.find((e) => e.title === 'Silent SCO').status, '(completed, passed)');
		await f.evaluate(() => window.sco.finish({completion: 'completed', nav: 'exitAll'}));
		await p.waitForURL(`${srv.pageUrl}/`);
		const rows = records(data, 'postcard-silent');
		assert.deepEqual(rows.filter((x) => x.level === 'sco').map((x) => [x.item, x.status, x.success]),
			[['final', 'completed', 'unknown'], ['intro', 'completed', 'passed'], ['silent', 'completed', 'passed']]);
		const row = rows.find((x) => x.level === 'package');
		assert.deepEqual([row.status, row.finished], ['completed', true]);
	} finally {
		await teardown(env);
	}
});
