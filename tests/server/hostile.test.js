// Content is untrusted code, in headless Chromium: a hostile package (fixtures/hostile12) tries,
// from the learner's own browser, to read the records and the app's pages, to act as another
// learner, to start or change attempts of another package, to reach another package's files and
// to navigate the player page away. Each try must fail in the browser, and the database must show
// that nothing outside the hostile package's own attempt changed. Another site framing the player
// (to start sessions in the learner's name and lock their open tab out) is refused too.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const {spawnSync} = require('node:child_process');
const {packFixture} = require('./lib/zip');
const {tmpdir, run, start, stop} = require('./lib/server');
const {launch, contentLocator} = require('./lib/browser');

function sqlite(data, sql) {
	const r = spawnSync('sqlite3', [path.join(data, 'postcard.db'), sql], {encoding: 'utf8'});
	assert.equal(r.status, 0, r.stderr);
	return r.stdout.trim();
}

async function setup() {
	const data = tmpdir('hostile');
	for (const f of ['sco12', 'hostile12']) {
		const zip = path.join(data, f + '.zip');
		packFixture(path.join(__dirname, 'fixtures', f), zip);
		const r = run(['import', zip, '--data', data]);
		assert.equal(r.status, 0, r.stderr);
	}
	const srv = await start(['--data', data, '--learner', 'learner', '--quiet']);
	const browser = await launch();
	return {data, srv, browser};
}

async function teardown({data, srv, browser}) {
	await browser.close();
	await stop(srv);
	fs.rmSync(data, {recursive: true, force: true});
}

// Everything of the other package: attempts, states and journal, as rows of text.
function otherPackage(data) {
	return sqlite(data, `SELECT a.id, a.number, a.closed, s.item, s.seq, s.completion, s.score_raw,
		s.location, s.commits, (SELECT count(*) FROM commits c WHERE c.attempt_id = a.id)
		FROM attempts a JOIN packages p ON p.id = a.package_id LEFT JOIN sco_states s ON s.attempt_id = a.id
		WHERE p.ident = 'test-sco12' ORDER BY a.id`);
}

test('a hostile package cannot read records, act as another learner or touch anything outside its attempt', async () => {
	const env = await setup();
	try {
		const page = await env.browser.context.newPage();
		// The learner's real work first: a suspended attempt on the other package.
		await page.goto(`${env.srv.pageUrl}/play/test-sco12`);
		await contentLocator(page).locator('#out[data-done]').waitFor({timeout: 15000});
		for (let i = 0; i < 300 && !/suspend/.test(sqlite(env.data, 'SELECT exit FROM sco_states')); i++)
			await new Promise((r) => setTimeout(r, 100));
		await page.click('a.exit');
		await page.waitForURL(`${env.srv.pageUrl}/`);
		const before = otherPackage(env.data);
		assert.match(before, /\|item1\|/);
		const learners = sqlite(env.data, 'SELECT ident FROM learners ORDER BY id');
		const launchesBefore = sqlite(env.data, "SELECT count(*) FROM launches WHERE package = 'test-sco12'");

		// The hostile package runs, as the same learner, in the same browser.
		const player = `${env.srv.pageUrl}/play/test-hostile12`;
		await page.goto(player);
		const out = contentLocator(page).locator('#out[data-done]');
		await out.waitFor({timeout: 30000});
		const lines = (await out.textContent()).split('\n');
		const tried = lines.map((l) => l.split(':')[0]);
		for (const name of ['read the player page', 'read the player page address', 'read the app storage',
			'read the records', 'read the records page', 'read the records by address', 'launch another package',
			'launch another package blind', 'close another attempt', 'close another attempt by fetch',
			'commit by attempt number',
			'commit to another session', 'read another package by hash', 'read another package by token',
			'navigate the player page away'])
			assert.ok(tried.includes(name), `the package did not try "${name}": ${lines.join(' | ')}`);
		for (const l of lines) assert.match(l, /: blocked$/, l);
		assert.equal(page.url(), player, 'the player page was navigated away');

		// Its own attempt works: it is a package like any other for its own tracking.
		for (let i = 0; i < 100 && !sqlite(env.data, "SELECT location FROM sco_states WHERE location = 'hostile-was-here'"); i++)
			await new Promise((r) => setTimeout(r, 100));
		assert.equal(sqlite(env.data, "SELECT count(*) FROM sco_states WHERE location = 'hostile-was-here'"), '1');
		// Nothing else changed: no other learner, the other package's rows exactly as they were,
		// not even a launch made for it.
		assert.equal(sqlite(env.data, 'SELECT ident FROM learners ORDER BY id'), learners);
		assert.equal(sqlite(env.data, "SELECT count(*) FROM launches WHERE package = 'test-sco12'"), launchesBefore);
		assert.equal(otherPackage(env.data), before);
		// The forged cookies it set for the app do not change who the app serves.
		await page.goto(`${env.srv.pageUrl}/records`);
		assert.match(await page.textContent('main'), /API test \(SCORM 1\.2\)/);
		// A stash it planted for the next launch of its origin is sent there, not to the app.
		await page.goto(player);
		await out.waitFor({timeout: 30000});
		assert.equal(otherPackage(env.data), before);
	} finally {
		await teardown(env);
	}
});

test('another site cannot frame the player (or any page) to start sessions in the learner\'s name', async () => {
	const env = await setup();
	const evil = http.createServer((req, res) => {
		res.setHeader('Content-Type', 'text/html');
		res.end(`<!doctype html><title>Win a prize</title>
<iframe id="hidden" style="opacity:0" src="${env.srv.pageUrl}/play/test-sco12"></iframe>
<iframe id="list" src="${env.srv.pageUrl}/"></iframe>`);
	});
	await new Promise((r) => evil.listen(0, '127.0.0.1', r));
	try {
		const launches = () => sqlite(env.data, 'SELECT count(*) FROM launches');
		assert.equal(launches(), '0');
		const page = await env.browser.context.newPage();
		await page.goto(`http://127.0.0.1:${evil.address().port}/`);
		await page.waitForLoadState('load');
		for (const id of ['hidden', 'list']) {
			const frame = await (await page.$(`#${id}`)).contentFrame();
			// Nothing of the app was rendered in the frame: the browser shows its error page.
			assert.ok(!frame.url().startsWith(env.srv.pageUrl), `${id} rendered inside another site: ${frame.url()}`);
		}
		// The server refused the framed requests before running them: no launch was made.
		await new Promise((r) => setTimeout(r, 500));
		assert.equal(launches(), '0');
	} finally {
		await teardown(env);
		evil.closeAllConnections();
		await new Promise((r) => evil.close(r));
	}
});
