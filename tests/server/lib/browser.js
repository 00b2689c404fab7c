// Headless Chromium for the browser tests (Debian's chromium through playwright-core), and an
// axe-core check with the WCAG 2.2 AA tags.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {chromium} = require('playwright-core');

async function launch() {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'postcard-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	return {
		context,
		async close() {
			await context.close();
			fs.rmSync(profile, {recursive: true, force: true});
		},
	};
}

const AXE = require.resolve('axe-core/axe.min.js');

const AXE_SOURCE = fs.readFileSync(AXE, 'utf8');

// Runs axe-core on the page; resolves the violations (an empty array when clean). Evaluated
// through the DevTools protocol, which the pages' Content-Security-Policy does not apply to (a
// script tag would be refused, as it should be).
async function axe(page) {
	await page.evaluate(AXE_SOURCE);
	return page.evaluate(async () => {
		const r = await window.axe.run(document, {
			runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
		});
		return r.violations.map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' '))}));
	});
}

// The package content of a player page: inside the player frame (the package's own origin),
// the content frame. contentLocator for locators; contentFrame waits until the content's page
// has loaded and `selector` is in it, and resolves its Frame.
function contentLocator(page) {
	return page.frameLocator('#player-frame').frameLocator('#content-frame');
}

async function contentFrame(page, selector) {
	for (let i = 0; i < 300; i++) {
		/* Frames come and go while a page is left for the next: look again until it holds. */
		try {
			const outer = await page.waitForSelector('#player-frame');
			const pf = await outer.contentFrame();
			const inner = pf && pf.url().includes('/l/') ? await pf.$('#content-frame') : null;
			const f = inner ? await inner.contentFrame() : null;
			if (f && f.url().includes('/c/')) {
				await f.waitForSelector(selector);
				return f;
			}
		} catch (e) {
			if (!/detached|not attached|closed|navigat/i.test(String(e)))
				throw e;
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error('the content did not load');
}

module.exports = {launch, axe, contentLocator, contentFrame};
