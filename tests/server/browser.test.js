// End to end in headless Chromium: hand-written SCORM 1.2 and 2004 SCOs that call the whole
// API run in the player; the results are read back from the database. Every page passes axe
// (WCAG 2.2 AA) at phone and desktop widths.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {packFixture} = require('./lib/zip');
const {tmpdir, run, start, stop} = require('./lib/server');
const {launch, axe, contentLocator} = require('./lib/browser');

const LEARNER = 'e2e';

async function setup(fixtures) {
	const data = tmpdir('browser');
	for (const f of fixtures) {
		const zip = path.join(data, f + '.zip');
		packFixture(path.join(__dirname, 'fixtures', f), zip);
		const r = run(['import', zip, '--data', data]);
		assert.equal(r.status, 0, r.stderr);
	}
	const srv = await start(['--data', data, '--learner', LEARNER, '--quiet']);
	const browser = await launch();
	return {data, srv, browser};
}

async function teardown({data, srv, browser}) {
	await browser.close();
	await stop(srv);
	fs.rmSync(data, {recursive: true, force: true});
}

function records(data, pkg) {
	const r = run(['records', '--data', data, '--format', 'json', '--interactions', '--package', pkg]);
	assert.equal(r.status, 0, r.stderr);
	return JSON.parse(r.stdout);
}

// Polls the database until `ok(records)` holds (commits travel asynchronously after the SCO's
// calls return), for at most 10 s.
async function until(data, pkg, ok, what) {
	let last;
	// Up to 30 s: commits travel after the page has moved on, and CI machines can be busy.
	for (let i = 0; i < 300; i++) {
		last = records(data, pkg);
		if (ok(last)) return last;
		await new Promise((r) => setTimeout(r, 100));
	}
	const journal = require('node:child_process').spawnSync('sqlite3', [path.join(data, 'postcard.db'),
		'SELECT seq, received_at, substr(request, 1, 300), response FROM commits ORDER BY id DESC LIMIT 8'],
	{encoding: 'utf8'}).stdout;
	assert.fail(`timed out waiting for ${what}: ${JSON.stringify(last)}\nlatest commits:\n${journal}`);
}

async function runSco(page, url) {
	await page.goto(url);
	const out = contentLocator(page).locator('#out[data-done]');
	await out.waitFor({timeout: 15000});
	return out.textContent();
}

test('SCORM 1.2 SCO: whole API, suspend, resume, mastery, a new attempt', async () => {
	const env = await setup(['sco12']);
	try {
		const page = await env.browser.context.newPage();
		const url = `${env.srv.pageUrl}/play/test-sco12`;
		const asked = [];
		const note = (r) => asked.push(new URL(r.url()).pathname);
		page.on('request', note);
		assert.equal(await runSco(page, url), 'PASS ab-initio');
		page.off('request', note);
		// The player frame preloads the data model: asked for once (the adapter's fetch takes
		// the preloaded response), and before frame.js, whose run would otherwise ask for it.
		const wasm = asked.filter((p) => p === '/static/cmi.wasm');
		assert.equal(wasm.length, 1, asked.join(' '));
		assert.ok(asked.indexOf('/static/cmi.wasm') < asked.indexOf('/static/frame.js'), asked.join(' '));
		await until(env.data, 'test-sco12', (j) => j.records[0]?.exit === 'suspend', 'the suspended session');
		assert.equal(await runSco(page, url), 'PASS resume');
		const j = await until(env.data, 'test-sco12', (j) => j.records[0]?.finished, 'the finished attempt');
		const r = j.records[0];
		assert.equal(r.learner, LEARNER);
		assert.equal(r.status, 'passed'); // completed with 90 against a mastery score of 70
		assert.equal(r.success, 'passed');
		assert.equal(r.score_raw, '90');
		assert.equal(r.scorm_total_time, '0000:01:30.00');
		assert.equal(r.total_time, '0:01:30'); // one format whatever the edition
		assert.equal(r.seconds, 90);
		assert.equal(r.attempt, 1);
		assert.deepEqual(j.interactions.map((i) => [i.n, i.id, i.type, i.learner_response, i.correct_responses, i.result]),
			[[0, 'q1', 'choice', 'a', 'a', 'correct'], [1, 'q2', 'true-false', 't', null, 'wrong']]);
		// 1.2 latency (0000:00:05) in the same h:mm:ss as 2004's; its time of day as it is (1.2
		// records no date).
		assert.deepEqual([j.interactions[0].latency, j.interactions[0].scorm_latency, j.interactions[0].timestamp],
			['0:00:05', '0000:00:05', '10:00:00']);
		// Relaunching a finished package starts attempt 2 from the beginning; attempt 1 stays.
		assert.equal(await runSco(page, url), 'PASS ab-initio');
		const k = await until(env.data, 'test-sco12', (k) => k.records.length === 2 && k.records[1].exit === 'suspend', 'attempt 2');
		assert.equal(k.records[0].attempt, 1);
		assert.equal(k.records[0].status, 'passed');
		assert.equal(k.records[1].attempt, 2);
		// The SCO left 40 against the mastery score of 70: the LMS rule says failed.
		assert.equal(k.records[1].status, 'failed');
		assert.equal(k.records[1].finished, false); // suspended, so not finished
	} finally {
		await teardown(env);
	}
});

test('SCORM 2004 SCO: whole API, suspend, resume, evaluated statuses', async () => {
	const env = await setup(['sco2004']);
	try {
		const page = await env.browser.context.newPage();
		const url = `${env.srv.pageUrl}/play/test-sco2004`;
		assert.equal(await runSco(page, url), 'PASS ab-initio');
		await until(env.data, 'test-sco2004', (j) => j.records[0]?.exit === 'suspend', 'the suspended session');
		assert.equal(await runSco(page, url), 'PASS resume');
		const j = await until(env.data, 'test-sco2004', (j) => j.records[0]?.finished, 'the finished attempt');
		const r = j.records[0];
		assert.equal(r.status, 'completed'); // progress 0.9 against a threshold of 0.8
		assert.equal(r.success, 'passed'); // scaled 0.75 against a passing score of 0.7
		assert.equal(r.score_raw, '75');
		assert.equal(r.score_scaled, '0.75');
		assert.equal(r.seconds, 90);
		assert.deepEqual(j.interactions.map((i) => [i.id, i.type, i.description, i.learner_response, i.result, i.latency]),
			[['q1', 'choice', 'Which is right?', 'a[,]b', 'correct', '0:00:05'], ['q2', 'numeric', null, '7', 'incorrect', null]]);
		// Latency as total time is shown (h:mm:ss) whatever the edition; what the SCO wrote is kept.
		assert.deepEqual([j.interactions[0].scorm_latency, j.interactions[0].timestamp], ['PT5S', '2026-01-02T10:00:00']);
	} finally {
		await teardown(env);
	}
});

test('catalogue, player and records pass axe (WCAG 2.2 AA) at phone and desktop width', async () => {
	const env = await setup(['sco12', 'sco2004']);
	try {
		for (const viewport of [{width: 375, height: 740}, {width: 1280, height: 800}]) {
			const page = await env.browser.context.newPage({viewport});
			await page.setViewportSize(viewport);
			for (const p of ['/', '/play/test-sco12', '/play/test-sco2004', '/records']) {
				await page.goto(env.srv.pageUrl + p);
				const v = await axe(page);
				assert.deepEqual(v, [], `${p} at ${viewport.width}px`);
				// Nothing wider than the screen: no sideways scrolling of the page itself.
				const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
				assert.equal(wide, false, `${p} scrolls sideways at ${viewport.width}px`);
			}
			await page.close();
		}
	} finally {
		await teardown(env);
	}
});
