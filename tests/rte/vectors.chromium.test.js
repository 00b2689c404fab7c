/* The shared conformance vectors in headless Chromium: the built adapter (scorm-api.js) loads the
 * C model (cmi.wasm) as the player page does, then every case of tests/vectors runs in the page
 * through the same runner as in node (vector-runner.js). */
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const {launch} = require('../server/lib/browser.js');

const adapterPath = process.env.POSTCARD_SCORM_API;
const vectorsDir = process.env.POSTCARD_VECTORS || path.join(__dirname, '..', 'vectors');
assert.ok(adapterPath, 'POSTCARD_SCORM_API must name the built scorm-api.js');
const ORIGIN = 'http://rte.test';

test('every vector passes against the adapter in Chromium', async () => {
	const files = fs.readdirSync(vectorsDir).filter((f) => f.endsWith('.json')).sort();
	const served = {
		'/': ['text/html; charset=utf-8', '<!doctype html><html lang="en"><title>vectors</title>' +
			'<script src="/static/scorm-api.js"></script><script src="/vector-runner.js"></script></html>'],
		'/static/scorm-api.js': ['text/javascript; charset=utf-8', fs.readFileSync(adapterPath)],
		'/static/cmi.wasm': ['application/wasm', fs.readFileSync(path.join(path.dirname(adapterPath), 'cmi.wasm'))],
		'/vector-runner.js': ['text/javascript; charset=utf-8', fs.readFileSync(path.join(__dirname, 'vector-runner.js'))],
	};
	for (const f of files)
		served['/vectors/' + f] = ['application/json', fs.readFileSync(path.join(vectorsDir, f))];
	const browser = await launch();
	try {
		await browser.context.route('**/*', (route) => {
			const url = new URL(route.request().url());
			const hit = url.origin === ORIGIN && served[url.pathname];
			return hit ? route.fulfill({status: 200, contentType: hit[0], body: hit[1]}) : route.abort();
		});
		const page = await browser.context.newPage();
		const errors = [];
		page.on('pageerror', (e) => errors.push(String(e)));
		await page.goto(ORIGIN + '/');
		const out = await page.evaluate(async (names) => {
			await window.createScormAPI.load(); /* /static/cmi.wasm, beside the script */
			const r = {cases: 0, calls: 0, problems: [], streaming: typeof WebAssembly.instantiateStreaming};
			for (const name of names) {
				const doc = await (await fetch('/vectors/' + name)).json();
				const one = await window.runVectorFile(window.createScormAPI, name, doc);
				r.cases += one.cases;
				r.calls += one.calls;
				r.problems.push(...one.problems);
			}
			return r;
		}, files);
		assert.deepStrictEqual(errors, []);
		assert.deepStrictEqual(out.problems, [], `${out.problems.length} mismatches:\n${out.problems.slice(0, 40).join('\n')}`);
		const cases = files.reduce((n, f) => n + JSON.parse(fs.readFileSync(path.join(vectorsDir, f), 'utf8')).cases.length, 0);
		assert.strictEqual(out.cases, cases);
		assert.ok(out.cases >= 1600 && out.calls >= 7000, `${out.cases} cases, ${out.calls} calls`);
	} finally {
		await browser.close();
	}
});
