#!/usr/bin/env node
// Start-up of the SCORM API in the player page, in headless Chromium: the time from the player
// page's navigation start to the first answer the content gets from the API (its LMSInitialize /
// Initialize), and the adapter's size as served (/static/scorm-api.js and, when there is one,
// /static/cmi.wasm; raw and gzip). Baseline, measured in the same run: the time the player's
// launch request answered (the part of start-up that does not depend on the adapter), and when
// the adapter has a data model to load (cmi.wasm), when that was ready.
//   node bench/adapter-startup.js [RUNS]          (default 15; the first, cold run is reported apart)
// Ends with one JSON line. Needs a build (POSTCARD_BIN, default build/cli/postcard).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const {launch} = require('../tests/server/lib/browser.js');
const server = require('../tests/server/lib/server.js');

const RUNS = Number(process.argv[2] || 15);

function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
}

async function main() {
	const work = server.tmpdir('bench-adapter');
	const pkgs = path.join(work, 'pkgs'), data = path.join(work, 'data');
	const b = server.run(['build', path.join(__dirname, '..', 'modules', 'peer-assist'), '-o', pkgs]);
	if (b.status !== 0)
		throw new Error('build failed: ' + b.stderr);
	const zip = fs.readdirSync(pkgs).find((f) => f.endsWith('.zip'));
	const imp = server.run(['import', path.join(pkgs, zip), '--data', data]);
	if (imp.status !== 0)
		throw new Error('import failed: ' + imp.stderr);
	const srv = await server.start(['--data', data, '--quiet']);
	const browser = await launch();
	const size = {};
	try {
		for (const name of ['scorm-api.js', 'cmi.wasm']) {
			const r = await fetch(`${srv.url}/static/${name}`);
			if (r.ok) {
				const bytes = Buffer.from(await r.arrayBuffer());
				size[name] = {bytes: bytes.length, gzip: zlib.gzipSync(bytes, {level: 9}).length};
			}
		}
		const list = await (await fetch(`${srv.url}/`)).text();
		const play = list.match(/href="(\/play\/[^"]+)"/)[1];
		const page = await browser.context.newPage();
		// In the player page only: note when window.API / API_1484_11 first answers, and when
		// the launch request came back.
		await page.addInitScript(() => {
			if (window.top !== window)
				return;
			window.__bench = {first: null, launch: null, model: null};
			/* when the data model (cmi.wasm) is ready, for adapters that have one */
			let lib;
			Object.defineProperty(window, 'createScormAPI', {
				configurable: true,
				get() { return lib; },
				set(f) {
					lib = f;
					if (typeof f.load === 'function') {
						const load = f.load;
						f.load = function () {
							const p = load.apply(this, arguments);
							p.then(() => { if (window.__bench.model === null) window.__bench.model = performance.now(); });
							return p;
						};
					}
				},
			});
			const origFetch = window.fetch;
			window.fetch = function (url, init) {
				const p = origFetch.apply(this, arguments);
				if (String(url).includes('/launch'))
					p.then(() => { if (window.__bench.launch === null) window.__bench.launch = performance.now(); });
				return p;
			};
			for (const name of ['API', 'API_1484_11']) {
				let value;
				Object.defineProperty(window, name, {
					configurable: true,
					get() { return value; },
					set(api) {
						value = {};
						for (const k of Object.keys(api)) {
							value[k] = typeof api[k] !== 'function' ? api[k] : function () {
								const r = api[k].apply(api, arguments);
								if (window.__bench.first === null && k.charAt(0) !== '$')
									window.__bench.first = performance.now();
								return r;
							};
						}
					},
				});
			}
		});
		const runs = [];
		for (let i = 0; i < RUNS; i++) {
			// a new learner each time: every run is a first launch (no earlier session to settle)
			await browser.context.addCookies([{name: 'pc_learner', value: `bench${i}`, url: srv.url}]);
			await page.goto(`${srv.url}${play}`);
			await page.waitForFunction(() => window.__bench && window.__bench.first !== null, null, {timeout: 30000});
			runs.push(await page.evaluate(() => window.__bench));
			await page.goto('about:blank');
		}
		const warm = runs.slice(1);
		const out = {
			bench: 'adapter-startup',
			runs: RUNS,
			adapter_js_bytes: size['scorm-api.js'] ? size['scorm-api.js'].bytes : null,
			adapter_js_gzip: size['scorm-api.js'] ? size['scorm-api.js'].gzip : null,
			wasm_bytes: size['cmi.wasm'] ? size['cmi.wasm'].bytes : 0,
			wasm_gzip: size['cmi.wasm'] ? size['cmi.wasm'].gzip : 0,
			cold_first_answer_ms: +runs[0].first.toFixed(1),
			cold_launch_ms: +runs[0].launch.toFixed(1),
			cold_model_ms: runs[0].model === null ? null : +runs[0].model.toFixed(1),
			model_ready_ms: runs[0].model === null ? null : +median(warm.map((r) => r.model)).toFixed(1),
			first_answer_ms: +median(warm.map((r) => r.first)).toFixed(1),
			baseline: 'launch-answered',
			baseline_ms: +median(warm.map((r) => r.launch)).toFixed(1),
			after_launch_ms: +median(warm.map((r) => r.first - r.launch)).toFixed(1),
			load: +require('node:os').loadavg()[0].toFixed(2),
		};
		out.ratio = +(out.first_answer_ms / out.baseline_ms).toFixed(2);
		console.log(JSON.stringify(out));
	} finally {
		await browser.close();
		await server.stop(srv);
		fs.rmSync(work, {recursive: true, force: true});
	}
}

main().catch((e) => {
	console.error(e.stack || String(e));
	process.exit(1);
});
