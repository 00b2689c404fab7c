// Leaving a page with more than the browser lets go at once, in headless Chromium: a SCORM 2004
// SCO writes about 200 KB (64000 characters of suspend data and 250 interactions) without a
// Commit, and the learner goes back to the package list. Chromium lets only 64 KiB of keepalive
// requests out of a page that is going away; the adapter sends what fits, keeps every envelope
// in localStorage, and the next Postcard page sends them in order. The database ends with all of
// it, checked value by value.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {spawnSync} = require('node:child_process');
const {packFixture} = require('./lib/zip');
const {tmpdir, run, start, stop} = require('./lib/server');
const {launch} = require('./lib/browser');

function state(data) {
	const r = spawnSync('sqlite3', [path.join(data, 'postcard.db'), 'SELECT state FROM sco_states'], {encoding: 'utf8'});
	assert.equal(r.status, 0, r.stderr);
	return r.stdout.trim() ? JSON.parse(r.stdout.trim().split('\n')[0]).values : {};
}

function commits(data) {
	const r = spawnSync('sqlite3', [path.join(data, 'postcard.db'), 'SELECT count(*) FROM commits'], {encoding: 'utf8'});
	return Number(r.stdout.trim());
}

test('about 200 KB written just before leaving all reach the database', {timeout: 120000}, async () => {
	const data = tmpdir('pagehide');
	const zip = path.join(data, 'big2004.zip');
	packFixture(path.join(__dirname, 'fixtures', 'big2004'), zip);
	const imp = run(['import', zip, '--data', data]);
	assert.equal(imp.status, 0, imp.stderr);
	const srv = await start(['--data', data, '--learner', 'leaver', '--quiet']);
	const browser = await launch();
	try {
		const page = await browser.context.newPage();
		await page.goto(`${srv.url}/play/test-big2004`);
		const out = page.frameLocator('#content-frame').locator('#out[data-done]');
		await out.waitFor({timeout: 15000});
		assert.equal(await out.textContent(), 'written');
		/* Leave at once: the package list is the next Postcard page. */
		await page.goto(`${srv.url}/`);
		let values = {};
		const t0 = Date.now();
		for (let i = 0; i < 300; i++) {
			values = state(data);
			if (values['cmi.exit'] === 'suspend' && values['cmi.interactions.249.result'] === 'neutral') break;
			await new Promise((r) => setTimeout(r, 100));
		}
		console.log(`# all values stored ${Date.now() - t0} ms after leaving`);
		let sd = '';
		for (let i = 0; sd.length < 64000; i++) sd += `card${i}=seen;`;
		assert.equal(values['cmi.suspend_data'], sd.slice(0, 64000));
		assert.equal(values['cmi.location'], 'q250');
		assert.equal(values['cmi.exit'], 'suspend');
		for (let n = 0; n < 250; n++) {
			assert.equal(values[`cmi.interactions.${n}.id`], `urn:postcard:q${n}`);
			assert.equal(values[`cmi.interactions.${n}.type`], 'long-fill-in');
			assert.equal(values[`cmi.interactions.${n}.learner_response`], `Answer ${n}: ` + 'I would ask the team before starting. '.repeat(12));
			assert.equal(values[`cmi.interactions.${n}.result`], 'neutral');
		}
		assert.ok(commits(data) >= 4, `the data came in several requests (${commits(data)})`);
		/* Everything sent: nothing left in the stash. */
		const stashed = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('postcard.unsent:')));
		let left = await stashed();
		for (let i = 0; i < 50 && left.length; i++) { /* forgotten just after the last answer */
			await new Promise((r) => setTimeout(r, 100));
			left = await stashed();
		}
		assert.deepEqual(left, []);
	} finally {
		await browser.close();
		await stop(srv);
		fs.rmSync(data, {recursive: true, force: true});
	}
});
