// The KMF course (modules/course.xml) built by `postcard build` for SCORM 1.2 and 2004 4th
// Edition, imported and launched in the runtime: the player lists the fourteen modules under
// the framework's groups in course order, the first module's first card shows, "Next part"
// (1.2) or Continue (2004, sequenced) moves to the second module (and previous back), the page
// passes axe, and `postcard records` shows one row per module the learner opened, and for 2004
// the course as sequencing rolled it up.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {tmpdir, run, start, stop} = require('./lib/server');
const {launch, axe, contentFrame: browserContentFrame} = require('./lib/browser');

const ROOT = path.resolve(__dirname, '../..');
const MODULES = path.join(ROOT, 'modules');
const LEARNER = 'course-e2e';

// The course as the player should list it: module titles and group titles in source order.
function expectedToc() {
	const course = fs.readFileSync(path.join(MODULES, 'course.xml'), 'utf8');
	const out = [];
	for (const m of course.matchAll(/<group id="[^"]+">\s*<title>([^<]+)<\/title>|<module src="([^"]+)"\/>/g)) {
		if (m[1]) {
			out.push({group: m[1]});
		} else {
			const xml = fs.readFileSync(path.join(MODULES, m[2], 'module.xml'), 'utf8');
			out.push({module: m[2], title: /<title>([^<]+)<\/title>/.exec(xml)[1]});
		}
	}
	return out;
}

function contentFrame(page) {
	return browserContentFrame(page, '#pc-nav:not([hidden])'); // the player has shown its first screen
}

// Follows a link of the player page: the page first lets its frame send the last changes, so
// wait for the address to change rather than for any player address.
async function follow(page, selector) {
	const before = page.url();
	await Promise.all([page.waitForURL((u) => u.href !== before), page.click(selector)]);
}

async function moduleShown(frame) {
	return frame.evaluate(() => JSON.parse(document.getElementById('postcard-data').textContent));
}

function records(data, pkg) {
	const r = run(['records', '--data', data, '--format', 'json', '--package', pkg, '--learner', LEARNER]);
	assert.equal(r.status, 0, r.stderr);
	return JSON.parse(r.stdout).records;
}

async function until(what, fn) {
	let last;
	for (let i = 0; i < 300; i++) { // up to 30 s: final saves travel after the page has moved on
		last = fn();
		if (last) return last;
		await new Promise((r) => setTimeout(r, 100));
	}
	assert.fail(`timed out waiting for ${what}`);
}

for (const edition of ['1.2']) {
	test(`the KMF course (SCORM ${edition}) launches and navigates in the runtime`, async () => {
		const data = tmpdir('course');
		const out = path.join(data, 'built');
		const b = run(['build', '-q', path.join(MODULES, 'course.xml'), '--scorm', edition, '-o', out]);
		assert.equal(b.status, 0, b.stderr);
		const zips = fs.readdirSync(out).filter((f) => f.endsWith('.zip'));
		assert.equal(zips.length, 1, zips.join(' '));
		const imp = run(['import', path.join(out, zips[0]), '--data', data]);
		assert.equal(imp.status, 0, imp.stderr);
		const id = /imported (\S+) "/.exec(imp.stdout)[1];
		const want = expectedToc();
		const wantModules = want.filter((e) => e.module);
		assert.equal(wantModules.length, 14);

		const srv = await start(['--data', data, '--learner', LEARNER, '--quiet']);
		const browser = await launch();
		try {
			const page = await browser.context.newPage();
			await page.goto(`${srv.pageUrl}/play/${id}`);
			let frame = await contentFrame(page);
			assert.equal((await moduleShown(frame)).module.id, wantModules[0].module);
			assert.match(await page.textContent('.part'), new RegExp(`^Part 1 of 14: `));

			// The table of contents: groups as labels, modules in course order, this one current.
			const toc = await page.$$eval('nav.toc li > a, nav.toc li > span.toc-label, nav.toc li > span[aria-current]',
				(els) => els.map((e) => ({
					kind: e.tagName === 'A' ? 'link' : e.hasAttribute('aria-current') ? 'current' : 'label',
					text: e.firstChild.textContent.trim(),
				})));
			assert.deepEqual(toc, want.map((e, i) => e.group ? {kind: 'label', text: e.group} :
				{kind: i === 0 ? 'current' : 'link', text: e.title}));
			// Nested lists: each group's modules sit in a list inside the group's item.
			assert.equal(await page.$$eval('nav.toc ol ol', (l) => l.length), 3);
			assert.deepEqual(await axe(page), []);

			// Next part: the second module (the first of Learning Before), then back.
			await follow(page, 'a[rel="next"]');
			frame = await contentFrame(page);
			assert.equal((await moduleShown(frame)).module.id, wantModules[1].module);
			assert.match(await page.textContent('.part'), /^Part 2 of 14: /);
			assert.equal(await page.textContent('[aria-current="step"]'),
				`${wantModules[1].title} (this part)`);
			await follow(page, 'a[rel="prev"]');
			frame = await contentFrame(page);
			assert.equal((await moduleShown(frame)).module.id, wantModules[0].module);

			// The table of contents reaches the last module directly.
			const last = wantModules[wantModules.length - 1];
			await follow(page, `nav.toc a:text-is("${last.title}")`);
			frame = await contentFrame(page);
			assert.equal((await moduleShown(frame)).module.id, last.module);
			assert.equal(await page.$('a[rel="next"]'), null, 'no next part after the last module');
			await page.goto(`${srv.pageUrl}/`);

			// Three modules opened, each its own SCO with its own record.
			const rows = await until('three SCO records', () => {
				const r = records(data, id);
				return r.length === 3 && r.every((x) => x.exit !== null) ? r : null;
			});
			assert.equal(new Set(rows.map((r) => r.item)).size, 3);
			for (const r of rows) assert.equal(r.status, 'incomplete');
		} finally {
			await browser.close();
			await stop(srv);
			fs.rmSync(data, {recursive: true, force: true});
		}
	});
}

test('the KMF course (SCORM 2004 4th Edition) plays under sequencing with a rolled-up status', async () => {
	const data = tmpdir('course');
	const out = path.join(data, 'built');
	const b = run(['build', '-q', path.join(MODULES, 'course.xml'), '--scorm', '2004-4th', '-o', out]);
	assert.equal(b.status, 0, b.stderr);
	const zips = fs.readdirSync(out).filter((f) => f.endsWith('.zip'));
	const imp = run(['import', path.join(out, zips[0]), '--data', data]);
	assert.equal(imp.status, 0, imp.stderr);
	const id = /imported (\S+) "/.exec(imp.stdout)[1];
	const want = expectedToc();
	const wantModules = want.filter((e) => e.module);
	const srv = await start(['--data', data, '--learner', LEARNER, '--quiet']);
	const browser = await launch();
	// Waits until the content shows module `m` (the player replaces its frame in place).
	async function shows(page, m) {
		for (let i = 0; i < 300; i++) {
			try {
				const frame = await contentFrame(page);
				if ((await moduleShown(frame)).module.id === m) return frame;
			} catch (e) { /* replaced meanwhile */ }
			await new Promise((r) => setTimeout(r, 100));
		}
		assert.fail(`module ${m} did not show`);
	}
	async function press(page, selector) {
		await page.click(selector);
		await page.waitForFunction(() => !document.body.hasAttribute('aria-busy'));
	}
	try {
		const page = await browser.context.newPage();
		await page.goto(`${srv.pageUrl}/play/${id}`);
		await shows(page, wantModules[0].module);
		assert.match(await page.textContent('.part'), /^Part 1 of 14: /);
		// The list: groups (a group can be chosen: it starts at its first module), modules in
		// course order, this one current.
		const toc = await page.$$eval('nav.toc li > :first-child', (els) => els.map((e) => ({
			kind: e.hasAttribute('aria-current') ? 'current' : e.tagName === 'BUTTON' ? 'choice' : 'label',
			text: e.firstChild.textContent.trim(),
		})));
		assert.deepEqual(toc, want.map((e, i) => ({kind: i === 0 ? 'current' : 'choice', text: e.group || e.title})));
		assert.equal(await page.$$eval('nav.toc ol ol', (l) => l.length), 3);
		assert.deepEqual(await axe(page), []);

		// Continue: the second module (the first of Learning Before); Previous back.
		await press(page, '#pc-controls button[data-nav="continue"]');
		await shows(page, wantModules[1].module);
		assert.match(await page.textContent('.part'), /^Part 2 of 14: /);
		assert.equal(await page.textContent('[aria-current="step"]'), `${wantModules[1].title} (this part)`);
		await press(page, '#pc-controls button[data-nav="previous"]');
		await shows(page, wantModules[0].module);

		// The list reaches the last module directly.
		const last = wantModules[wantModules.length - 1];
		await press(page, `nav.toc button:text-is("${last.title}")`);
		await shows(page, last.module);
		assert.match(await page.textContent('.part'), /^Part 14 of 14: /);
		await page.click('a.exit');
		await page.waitForURL(`${srv.pageUrl}/`);

		// Three modules opened, each its own SCO with its own record, and the course's row:
		// incomplete (rolled up from the modules), not finished.
		const rows = await until('three SCO records and the course', () => {
			const r = records(data, id);
			const scos = r.filter((x) => x.level === 'sco');
			return scos.length === 3 && scos.every((x) => x.exit !== null) && r.length === 4 ? r : null;
		});
		const course = rows.find((r) => r.level === 'package');
		assert.deepEqual([course.status, course.success, course.finished], ['incomplete', 'unknown', false]);
		for (const r of rows.filter((x) => x.level === 'sco')) assert.equal(r.status, 'incomplete');
		assert.match(await page.textContent('.package .status'), /^In progress \(attempt 1\): incomplete/);
	} finally {
		await browser.close();
		await stop(srv);
		fs.rmSync(data, {recursive: true, force: true});
	}
});
