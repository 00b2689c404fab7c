#!/usr/bin/env node
// Start-up of the SCORM API in headless Chromium, the adapter of today (the C model as
// WebAssembly: /static/scorm-api.js + /static/cmi.wasm) against a named baseline measured in the
// same run: the adapter as it was before the move (BASELINE_REV, default 581c3b1^, its own
// JavaScript model), built from git here the way that revision's build made it (cmi_tablegen
// writes the C element table into scorm-api.js).
//
// Each run opens the player page of a fresh learner and times, from the page's navigation start,
// the content's first answer from the API (its LMSInitialize / Initialize). Both adapters are
// served through the same interception (so neither pays a cost the other does not), runs
// alternate between them, and the current player page is used for both (the old adapter gets a
// load() that resolves at once: it had nothing to load).
//   node bench/adapter-startup.js [RUNS]       (default 15 per adapter; the first, cold run of
//                                               each is reported apart)
// Ends with one JSON line: sizes raw and gzip, medians, and the ratio current / baseline.
// Needs a build (POSTCARD_BIN, default build/cli/postcard), git, cc and libjansson-dev.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const {execFileSync} = require('node:child_process');
const {launch} = require('../tests/server/lib/browser.js');
const server = require('../tests/server/lib/server.js');

const RUNS = Number(process.argv[2] || 15);
const BASELINE_REV = process.env.BASELINE_REV || '581c3b1^';
const ROOT = path.join(__dirname, '..');

function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
}

function sizes(bytes) {
	return {bytes: bytes.length, gzip: zlib.gzipSync(bytes, {level: 9}).length};
}

// The baseline adapter, built from git as BASELINE_REV's CMake did.
function buildBaseline(work) {
	const src = path.join(work, 'baseline');
	fs.mkdirSync(src);
	const tar = execFileSync('git', ['-C', ROOT, 'archive', BASELINE_REV, 'runtime/cmi', 'author/util',
		'runtime/web/scorm-api.js'], {maxBuffer: 64 << 20});
	execFileSync('tar', ['-x', '-C', src], {input: tar});
	const gen = path.join(src, 'cmi_tablegen');
	execFileSync('cc', ['-std=c11', '-D_POSIX_C_SOURCE=200809L', '-O1',
		'-I' + path.join(src, 'runtime/cmi'), '-I' + path.join(src, 'author/util'),
		path.join(src, 'runtime/cmi/cmi_tablegen/cmi_tablegen.c'), path.join(src, 'runtime/cmi/cmi_table.c'),
		'-ljansson', '-o', gen]);
	const out = path.join(src, 'scorm-api.js');
	execFileSync(gen, [path.join(src, 'runtime/web/scorm-api.js'), out]);
	return fs.readFileSync(out);
}

// In every frame: when window.API / API_1484_11 first answers, and when the launch request came
// back, as absolute times (timeOrigin + now), since the API lives in the player frame on the
// package's origin, not in the top page.
function instrument() {
	const now = () => performance.timeOrigin + performance.now();
	window.__bench = {first: null, launch: null, model: null};
	// when the data model is ready (createScormAPI.load() resolved; at once for the baseline)
	let lib;
	Object.defineProperty(window, 'createScormAPI', {
		configurable: true,
		get() { return lib; },
		set(f) {
			lib = f;
			const wrap = (load) => function () {
				const p = load.apply(this, arguments);
				p.then(() => { if (window.__bench.model === null) window.__bench.model = now(); });
				return p;
			};
			let load = f.load;
			Object.defineProperty(f, 'load', {configurable: true, get() { return load && wrap(load); },
				set(v) { load = v; }});
		},
	});
	const origFetch = window.fetch;
	window.fetch = function (url) {
		const p = origFetch.apply(this, arguments);
		if (/\/launch$/.test(String(url)))
			p.then(() => { if (window.__bench.launch === null) window.__bench.launch = now(); });
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
						const t0 = now();
						const r = api[k].apply(api, arguments);
						if (window.__bench.first === null && k.charAt(0) !== '$') {
							window.__bench.first = now();
							window.__bench.call = window.__bench.first - t0;
						}
						return r;
					};
				}
			},
		});
	}
}

async function main() {
	const work = server.tmpdir('bench-adapter');
	const baseline = buildBaseline(work);
	const pkgs = path.join(work, 'pkgs'), data = path.join(work, 'data');
	const b = server.run(['build', path.join(ROOT, 'modules', 'peer-assist'), '-o', pkgs]);
	if (b.status !== 0)
		throw new Error('build failed: ' + b.stderr);
	const zip = fs.readdirSync(pkgs).find((f) => f.endsWith('.zip'));
	const imp = server.run(['import', path.join(pkgs, zip), '--data', data]);
	if (imp.status !== 0)
		throw new Error('import failed: ' + imp.stderr);
	const srv = await server.start(['--data', data, '--quiet']);
	const browser = await launch();
	try {
		// What the server serves today, and its headers, used for both adapters.
		const served = {};
		for (const name of ['scorm-api.js', 'cmi.wasm']) {
			const r = await fetch(`${srv.url}/static/${name}`);
			if (!r.ok)
				throw new Error(`/static/${name}: HTTP ${r.status}`);
			served[name] = {body: Buffer.from(await r.arrayBuffer()), type: r.headers.get('content-type'),
				cache: r.headers.get('cache-control')};
		}
		const variants = {
			current: {'scorm-api.js': served['scorm-api.js'].body, 'cmi.wasm': served['cmi.wasm'].body},
			baseline: {'scorm-api.js': Buffer.concat([baseline,
				Buffer.from('\n;window.createScormAPI.load = function () { return Promise.resolve(); };\n')])},
		};
		let variant = 'current';
		await browser.context.route('**/static/{scorm-api.js,cmi.wasm}', (route) => {
			const name = new URL(route.request().url()).pathname.split('/').pop();
			const body = variants[variant][name];
			if (!body)
				return route.fulfill({status: 404, body: ''});
			const headers = {'Content-Type': served[name].type};
			if (served[name].cache)
				headers['Cache-Control'] = served[name].cache;
			return route.fulfill({status: 200, headers, body});
		});
		const list = await (await fetch(`${srv.url}/`)).text();
		const play = list.match(/href="(\/play\/[^"]+)"/)[1];
		const page = await browser.context.newPage();
		await page.addInitScript(instrument);
		const runs = {current: [], baseline: []};
		for (let i = 0; i < 2 * RUNS; i++) {
			variant = i % 2 === 0 ? 'current' : 'baseline';
			// a new learner each time: every run is a first launch (no earlier session to settle)
			await browser.context.addCookies([{name: 'pc_learner', value: `bench${i}`, url: srv.url}]);
			await page.goto(`${srv.url}${play}`);
			const top = await page.evaluate(() => performance.timeOrigin);
			let got = null;
			for (const until = Date.now() + 30000; !got && Date.now() < until;) {
				for (const f of page.frames()) {
					const r = await f.evaluate(() => window.__bench && window.__bench.first !== null
						? window.__bench : null).catch(() => null);
					if (r)
						got = r;
				}
				if (!got)
					await new Promise((res) => setTimeout(res, 5));
			}
			if (!got)
				throw new Error(`run ${i} (${variant}): the content got no answer from the API`);
			runs[variant].push({first: got.first - top, launch: got.launch - top,
				model: got.model === null ? null : got.model - top, call: got.call});
			await page.goto('about:blank');
		}
		const stat = (rs) => ({
			cold_first_answer_ms: +rs[0].first.toFixed(1),
			first_answer_ms: +median(rs.slice(1).map((r) => r.first)).toFixed(1),
			after_launch_ms: +median(rs.slice(1).map((r) => r.first - r.launch)).toFixed(1),
			launch_ms: +median(rs.slice(1).map((r) => r.launch)).toFixed(1),
			first_call_ms: +median(rs.slice(1).map((r) => r.call)).toFixed(2),
			model_ready_ms: rs[1].model === null ? null : +median(rs.slice(1).map((r) => r.model)).toFixed(1),
		});
		const cur = stat(runs.current), base = stat(runs.baseline);
		const js = sizes(served['scorm-api.js'].body), wasm = sizes(served['cmi.wasm'].body);
		const old = sizes(baseline);
		const out = {
			bench: 'adapter-startup',
			runs: RUNS,
			adapter_js_bytes: js.bytes, adapter_js_gzip: js.gzip,
			wasm_bytes: wasm.bytes, wasm_gzip: wasm.gzip,
			total_bytes: js.bytes + wasm.bytes, total_gzip: js.gzip + wasm.gzip,
			...cur,
			baseline: `adapter at ${BASELINE_REV} (JavaScript model)`,
			baseline_js_bytes: old.bytes, baseline_js_gzip: old.gzip,
			baseline_cold_first_answer_ms: base.cold_first_answer_ms,
			baseline_first_answer_ms: base.first_answer_ms,
			baseline_after_launch_ms: base.after_launch_ms,
			baseline_launch_ms: base.launch_ms,
			baseline_first_call_ms: base.first_call_ms,
			delta_ms: +(cur.first_answer_ms - base.first_answer_ms).toFixed(1),
			ratio: +(cur.first_answer_ms / base.first_answer_ms).toFixed(3),
			load: +os.loadavg()[0].toFixed(2),
		};
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
