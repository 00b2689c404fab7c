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

// Runs axe-core on the page; resolves the violations (an empty array when clean).
async function axe(page) {
	await page.addScriptTag({path: AXE});
	return page.evaluate(async () => {
		const r = await window.axe.run(document, {
			runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
		});
		return r.violations.map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' '))}));
	});
}

module.exports = {launch, axe};
