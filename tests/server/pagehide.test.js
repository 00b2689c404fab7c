// Leaving a page with more than the browser lets go at once, in headless Chromium: a SCORM 2004
// SCO writes about 200 KB (64000 characters of suspend data and 250 interactions) without a
// Commit. Leaving by the page's own links, the player frame sends everything before the page
// goes. Leaving abruptly (another address typed, the tab closed), Chromium lets only 64 KiB of
// keepalive requests out of a page that is going away: the adapter sends what fits, keeps every
// envelope in the package origin's localStorage, and the next launch of that package sends them
// in order before it starts. Either way the database ends with all of it, checked value by
// value, and nothing stays stashed.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {spawnSync} = require('node:child_process');
const {packFixture} = require('./lib/zip');
const {tmpdir, run, start, stop} = require('./lib/server');
const {launch, contentLocator} = require('./lib/browser');

function state(data) {
	const r = spawnSync('sqlite3', [path.join(data, 'postcard.db'), 'SELECT state FROM sco_states'], {encoding: 'utf8'});
	assert.equal(r.status, 0, r.stderr);
	return r.stdout.trim() ? JSON.parse(r.stdout.trim().split('\n')[0]).values : {};
}

function commits(data) {
	const r = spawnSync('sqlite3', [path.join(data, 'postcard.db'), 'SELECT count(*) FROM commits'], {encoding: 'utf8'});
	return Number(r.stdout.trim());
}

/* The last session's exit (a new session clears cmi.exit in the state; the row keeps it). */
function lastExit(data) {
	return spawnSync('sqlite3', [path.join(data, 'postcard.db'), 'SELECT exit FROM sco_states'],
		{encoding: 'utf8'}).stdout.trim();
}

function checkAll(values) {
	let sd = '';
	for (let i = 0; sd.length < 64000; i++) sd += `card${i}=seen;`;
	assert.equal(values['cmi.suspend_data'], sd.slice(0, 64000));
	assert.equal(values['cmi.location'], 'q250');
	for (let n = 0; n < 250; n++) {
		assert.equal(values[`cmi.interactions.${n}.id`], `urn:postcard:q${n}`);
		assert.equal(values[`cmi.interactions.${n}.type`], 'long-fill-in');
		assert.equal(values[`cmi.interactions.${n}.learner_response`], `Answer ${n}: ` + 'I would ask the team before starting. '.repeat(12));
		assert.equal(values[`cmi.interactions.${n}.result`], 'neutral');
	}
}

async function allStored(data) {
	let values = {};
	const t0 = Date.now();
	for (let i = 0; i < 300; i++) {
		values = state(data);
		if (lastExit(data) === 'suspend' && values['cmi.interactions.249.result'] === 'neutral') break;
		await new Promise((r) => setTimeout(r, 100));
	}
	console.log(`# all values stored ${Date.now() - t0} ms after leaving`);
	return values;
}

/* The stash keys in the player frame's storage (the package's origin). */
async function stashed(page) {
	const frame = page.frames().find((f) => f.url().includes('/l/') && !f.url().includes('/c/'));
	return frame.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('postcard.unsent:')));
}

async function setup(tag) {
	const data = tmpdir(tag);
	const zip = path.join(data, 'big2004.zip');
	packFixture(path.join(__dirname, 'fixtures', 'big2004'), zip);
	const imp = run(['import', zip, '--data', data]);
	assert.equal(imp.status, 0, imp.stderr);
	const srv = await start(['--data', data, '--learner', 'leaver', '--quiet']);
	const browser = await launch();
	return {data, srv, browser};
}

async function teardown({data, srv, browser}) {
	await browser.close();
	await stop(srv);
	fs.rmSync(data, {recursive: true, force: true});
}

async function play(page, url, want) {
	await page.goto(url);
	const out = contentLocator(page).locator('#out[data-done]');
	await out.waitFor({timeout: 15000});
	assert.equal(await out.textContent(), want);
}

test('about 200 KB written just before the Exit link all reach the database at once', {timeout: 120000}, async () => {
	const env = await setup('leave');
	try {
		const page = await env.browser.context.newPage();
		await play(page, `${env.srv.pageUrl}/play/test-big2004`, 'written');
		await page.click('a.exit');
		await page.waitForURL(`${env.srv.pageUrl}/`);
		/* The page waited for the save: it is in before the package list is shown. */
		const values = state(env.data);
		checkAll(values);
		assert.equal(values['cmi.exit'], 'suspend');
		assert.match(await page.textContent('main'), /In progress/);
	} finally {
		await teardown(env);
	}
});

test('about 200 KB written just before leaving abruptly reach the database by the next launch', {timeout: 120000}, async () => {
	const env = await setup('pagehide');
	try {
		const page = await env.browser.context.newPage();
		await play(page, `${env.srv.pageUrl}/play/test-big2004`, 'written');
		/* Leave at once, to a page of the app: what the browser would not send stays stashed. */
		await page.goto(`${env.srv.pageUrl}/`);
		/* The next launch of the package sends it first, then starts (and the SCO resumes). */
		await play(page, `${env.srv.pageUrl}/play/test-big2004`, 'resumed');
		const values = await allStored(env.data);
		checkAll(values);
		/* The SCO was resumed: its previous session ended with the stashed suspend. */
		assert.equal(lastExit(env.data), 'suspend');
		assert.ok(commits(env.data) >= 4, `the data came in several requests (${commits(env.data)})`);
		/* Everything sent: nothing left in the stash. */
		let left = await stashed(page);
		for (let i = 0; i < 50 && left.length; i++) { /* forgotten just after the last answer */
			await new Promise((r) => setTimeout(r, 100));
			left = await stashed(page);
		}
		assert.deepEqual(left, []);
	} finally {
		await teardown(env);
	}
});
