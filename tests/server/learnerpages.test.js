// The learner's pages in headless Chromium: the package list groups modules as the Knowledge
// Mobilisation Framework does (overview, before, during, after, then other packages), shows each
// one's summary and duration, finds them by search, has a favicon; the player page names a
// one-part package once, and its frames fit their content (no second scrollbar, the content's
// own buttons in view of the page's scroll); after leaving a part the list already shows the
// state of the last save. By keyboard: the skip link and the search work without a mouse.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {packFixture} = require('./lib/zip');
const {tmpdir, run, start, stop} = require('./lib/server');
const {launch, axe, contentFrame, contentLocator} = require('./lib/browser');

const ROOT = path.resolve(__dirname, '../..');
const MODULES = ['overview', 'peer-assist', 'after-action-review', 'retrospect'];

function moduleXml(name) {
	return fs.readFileSync(path.join(ROOT, 'modules', name, 'module.xml'), 'utf8');
}
const field = (xml, tag) => new RegExp(`<${tag}>([^<]+)</${tag}>`).exec(xml)[1];

test('package list, search, favicon, player frames and the state after leaving', {timeout: 300000}, async () => {
	const data = tmpdir('learner');
	for (const m of MODULES) {
		const out = path.join(data, 'built-' + m);
		const b = run(['build', path.join(ROOT, 'modules', m), '-o', out]);
		assert.equal(b.status, 0, b.stderr);
		const zip = path.join(out, fs.readdirSync(out).find((f) => f.endsWith('.zip')));
		const r = run(['import', zip, '--data', data]);
		assert.equal(r.status, 0, r.stderr);
	}
	packFixture(path.join(__dirname, 'fixtures', 'sco12'), path.join(data, 'sco12.zip'));
	assert.equal(run(['import', path.join(data, 'sco12.zip'), '--data', data]).status, 0);
	const srv = await start(['--data', data, '--quiet']);
	const browser = await launch();
	try {
		const base = srv.pageUrl;
		const page = await browser.context.newPage();
		await page.goto(`${base}/`);
		// Sections in the framework's order; each module under its phase.
		const sections = await page.$$eval('main section', (ss) => ss.map((s) => ({
			title: s.querySelector('h2').textContent.trim(),
			packages: [...s.querySelectorAll('li.package h3')].map((h) => h.textContent.trim()),
		})));
		const titles = Object.fromEntries(MODULES.map((m) => [m, field(moduleXml(m), 'title')]));
		const SECTION = {overview: 'Overview', before: 'Learning before', during: 'Learning during', after: 'Learning after'};
		const want = [];
		for (const phase of Object.keys(SECTION)) {
			const here = MODULES.filter((m) => field(moduleXml(m), 'phase') === phase).map((m) => titles[m]).sort();
			if (here.length) want.push({title: SECTION[phase], packages: here});
		}
		want.push({title: 'Other packages', packages: ['API test (SCORM 1.2)']});
		assert.deepEqual(sections.map((s) => ({title: s.title, packages: [...s.packages].sort()})), want);
		assert.equal(want.length, 5, 'the modules chosen cover every phase');
		// Summary and duration of each module, as its source says.
		const peer = page.locator('li.package', {hasText: titles['peer-assist']});
		const xml = moduleXml('peer-assist');
		assert.equal((await peer.locator('.summary').textContent()).replace(/\s+/g, ' ').trim(),
			field(xml, 'summary').replace(/\s+/g, ' ').trim());
		const minutes = Number(/PT(\d+)M/.exec(field(xml, 'duration'))[1]);
		assert.match(await peer.locator('.meta').textContent(), new RegExp(`About ${minutes} minutes`));
		// A favicon, served.
		const icon = await page.getAttribute('link[rel="icon"]', 'href');
		const got = await page.evaluate(async (u) => {
			const r = await fetch(u);
			return {status: r.status, type: r.headers.get('content-type'), text: await r.text()};
		}, icon);
		assert.equal(got.status, 200);
		assert.match(got.type, /^image\/svg\+xml/);
		assert.match(got.text, /<svg/);
		// Search by keyboard: skip link first, then the search field.
		await page.keyboard.press('Tab');
		assert.match(await page.evaluate(() => document.activeElement.textContent), /Skip to/i);
		await page.focus('#q');
		await page.keyboard.type('peer');
		await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
		assert.match(await page.textContent('[role=status]'), /^1 package match/);
		assert.deepEqual(await page.$$eval('li.package h3', (hs) => hs.map((h) => h.textContent.trim())),
			[titles['peer-assist']]);
		assert.deepEqual(await axe(page), []);

		// The player: the package's title once, frames that fit their content.
		await Promise.all([page.waitForNavigation(), page.click(`li.package h3 a`)]);
		const frame = await contentFrame(page, '#pc-screen');
		const head = await page.textContent('.player-head');
		assert.equal(head.split(titles['peer-assist']).length - 1, 1, `the title is shown once: ${head}`);
		let fit = null;
		for (let i = 0; i < 100; i++) {
			fit = {
				player: await page.frameLocator('#player-frame').locator('html').evaluate(
					() => document.documentElement.scrollHeight - window.innerHeight),
				content: await frame.evaluate(() => document.documentElement.scrollHeight - window.innerHeight),
			};
			if (fit.player <= 1 && fit.content <= 1) break;
			await new Promise((r) => setTimeout(r, 100));
		}
		assert.ok(fit.player <= 1 && fit.content <= 1, `a frame scrolls inside: ${JSON.stringify(fit)}`);
		// The content's own Next button is reached by scrolling the page, not the frame.
		const next = contentLocator(page).locator('#pc-next');
		await next.scrollIntoViewIfNeeded();
		assert.ok(await next.isVisible());
		const box = await next.boundingBox(); /* in the page's viewport, after the page scrolled */
		const viewport = page.viewportSize();
		assert.ok(box && box.y >= 0 && box.y + box.height <= viewport.height, `Next is out of view: ${JSON.stringify(box)}`);

		// Leave a part that saved, by the Exit link: the list shows the state of that last save.
		await page.goto(`${base}/play/test-sco12`);
		await contentLocator(page).locator('#out[data-done]').waitFor({timeout: 30000});
		await Promise.all([page.waitForURL(`${base}/`), page.click('a.exit')]);
		const rec = JSON.parse(run(['records', '--data', data, '--format', 'json', '--package', 'test-sco12']).stdout).records[0];
		const status = await page.locator('li.package', {hasText: 'API test (SCORM 1.2)'}).locator('.status').textContent();
		assert.match(status, new RegExp(`\\(attempt ${rec.attempt}\\): ${rec.status}`), `list "${status}" vs stored ${JSON.stringify(rec)}`);
	} finally {
		await browser.close();
		await stop(srv);
		fs.rmSync(data, {recursive: true, force: true});
	}
});
