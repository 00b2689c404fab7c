// A second tab (or device) on the same SCO: the newer launch takes the session over; the older
// tab is told so the moment it tries to save, keeps what it could not save, and offers to
// continue there with that work put on top of the newer tab's. Nothing is dropped silently:
// the database ends with both tabs' changes. Then the first tab's takeover is told to the
// second in the same way.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {packFixture} = require('./lib/zip');
const {tmpdir, run, start, stop} = require('./lib/server');
const {launch, axe, contentFrame} = require('./lib/browser');

// A SCORM 1.2 SCO that does nothing by itself: the test calls the API as content would.
function fixture(dir) {
	fs.mkdirSync(dir, {recursive: true});
	const manifest = fs.readFileSync(path.join(__dirname, 'fixtures', 'sco12', 'imsmanifest.xml'), 'utf8')
		.replace('identifier="test-sco12"', 'identifier="two-tabs"')
		.replace('<title>API test (SCORM 1.2)</title>', '<title>Two tabs</title>');
	fs.writeFileSync(path.join(dir, 'imsmanifest.xml'), manifest);
	fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html lang="en-GB"><head><meta charset="utf-8">' +
		'<title>Two tabs</title></head><body><main><h1>Two tabs</h1><p id="ready">ready</p></main>' +
		'<script src="sco.js"></script></body></html>');
	fs.writeFileSync(path.join(dir, 'sco.js'), '/* driven by the test */\n');
}

function record(data) {
	const r = run(['records', '--data', data, '--format', 'json', '--package', 'two-tabs']);
	assert.equal(r.status, 0, r.stderr);
	return JSON.parse(r.stdout).records;
}

async function until(what, ok) {
	let last;
	for (let i = 0; i < 300; i++) {
		last = await ok();
		if (last) return last;
		await new Promise((r) => setTimeout(r, 100));
	}
	assert.fail(`timed out waiting for ${what}`);
}

// Calls the SCORM 1.2 API from the content, as the content would.
function api(frame, calls) {
	return frame.evaluate((cs) => cs.map(([fn, ...args]) => window.parent.API[fn](...args)), calls);
}

test('a second tab on the same SCO: the first is told, its work kept and offered, none lost', {timeout: 300000}, async () => {
	const data = tmpdir('twotabs');
	const src = path.join(data, 'src');
	fixture(src);
	packFixture(src, path.join(data, 'two.zip'));
	const imp = run(['import', path.join(data, 'two.zip'), '--data', data]);
	assert.equal(imp.status, 0, imp.stderr);
	const srv = await start(['--data', data, '--quiet']);
	const browser = await launch();
	try {
		const url = `${srv.pageUrl}/play/two-tabs`;
		const a = await browser.context.newPage();
		await a.goto(url);
		let fa = await contentFrame(a, '#ready');
		assert.deepEqual(await api(fa, [['LMSInitialize', ''], ['LMSSetValue', 'cmi.core.lesson_location', 'a1'],
			['LMSCommit', '']]), ['true', 'true', 'true']);
		await until('the first tab\'s save', () => (record(data)[0] || {}).location === 'a1');

		// The second tab takes over and saves its own work.
		const b = await browser.context.newPage();
		await b.goto(url);
		const fb = await contentFrame(b, '#ready');
		assert.deepEqual(await api(fb, [['LMSInitialize', ''], ['LMSGetValue', 'cmi.core.lesson_location']]),
			['true', 'a1']);
		await api(fb, [['LMSSetValue', 'cmi.suspend_data', 'from b'], ['LMSSetValue', 'cmi.core.lesson_location', 'b1'],
			['LMSCommit', '']]);
		await until('the second tab\'s save', () => (record(data)[0] || {}).location === 'b1');

		// The first tab goes on: its save is refused, and it says so at once, offering to go on.
		await api(fa, [['LMSSetValue', 'cmi.core.score.raw', '77'], ['LMSCommit', '']]);
		const notice = a.locator('.takeover');
		await notice.waitFor({timeout: 15000});
		assert.match(await notice.textContent(), /opened again in another tab or on another device/);
		assert.match(await notice.textContent(), /1 change made here is not saved yet/);
		assert.deepEqual(await axe(a), []);
		assert.notEqual(record(data)[0].score_raw, '77');

		// "Continue here": a new launch in this tab, this tab's unsaved work on top of the other's.
		await Promise.all([a.waitForNavigation(), a.click('.takeover button')]);
		fa = await contentFrame(a, '#ready');
		assert.deepEqual(await api(fa, [['LMSInitialize', ''], ['LMSGetValue', 'cmi.core.score.raw'],
			['LMSGetValue', 'cmi.suspend_data'], ['LMSGetValue', 'cmi.core.lesson_location']]),
		['true', '77', 'from b', 'b1']);
		await until('both tabs\' work in the database', () => {
			const r = record(data)[0] || {};
			return Number(r.score_raw) === 77 && r.location === 'b1';
		});

		// Now the second tab is the older one: told the same way when it saves.
		await api(fb, [['LMSSetValue', 'cmi.core.lesson_location', 'b2'], ['LMSCommit', '']]);
		await b.locator('.takeover').waitFor({timeout: 15000});
	} finally {
		await browser.close();
		await stop(srv);
		fs.rmSync(data, {recursive: true, force: true});
	}
});
