/* The browser adapter beyond the vectors: script loading, the wire format, the journal,
 * retries, pagehide, the fetch transport, and an end-to-end check that the C model (the
 * server's authority) ends up with exactly the adapter's values from the adapter's commits. */
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const vm = require('vm');
const {execFileSync} = require('child_process');

const adapterPath = process.env.POSTCARD_SCORM_API;
assert.ok(adapterPath, 'POSTCARD_SCORM_API must name the built scorm-api.js');
const lib = require(adapterPath);
const {createScormAPI} = lib;

const tick = () => new Promise((resolve) => setImmediate(resolve));

/* A transport that records bodies and answers like the server would (everything applied),
 * unless `script` says otherwise for a request: 'reject' | 'throw' | an answer object. */
function recorder(script = []) {
	const t = {bodies: [], keepalive: [], beacons: [], inits: 0};
	t.initialize = () => { t.inits++; };
	t.send = (body, how) => {
		const b = JSON.parse(body);
		t.bodies.push(b);
		t.keepalive.push(!!(how && how.keepalive));
		const step = script.length ? script.shift() : null;
		if (step === 'throw')
			throw new Error('offline');
		if (step === 'reject')
			return Promise.reject(new Error('network down'));
		if (step instanceof Error)
			return Promise.reject(step);
		if (step && typeof step === 'object')
			return Promise.resolve(step);
		return Promise.resolve({result: true, errorCode: 0, seq: b.seq, applied: b.from + b.changes.length});
	};
	return t;
}

const wasmPath = require('path').join(require('path').dirname(adapterPath), 'cmi.wasm');

test('the adapter runs the C model compiled to WebAssembly, and holds no model of its own', () => {
	const mod = new WebAssembly.Module(fs.readFileSync(wasmPath));
	const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
	for (const name of ['cmi_wasm_open', 'cmi_wasm_call', 'cmi_wasm_set', 'cmi_wasm_relaunch', 'memory'])
		assert.ok(exports.includes(name), name);
	/* the only imports: the LMS hook, and stdio calls the C library links but the model never makes */
	assert.deepStrictEqual(WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}`).sort(),
		['env.lms', 'wasi_snapshot_preview1.fd_close', 'wasi_snapshot_preview1.fd_seek', 'wasi_snapshot_preview1.fd_write']);
	/* element rules, types and error texts live in C only */
	const src = fs.readFileSync(adapterPath, 'utf8');
	for (const rule of ['lesson_status', 'correct_responses', 'CMITimespan', 'timeinterval', 'Data Model Element'])
		assert.ok(!src.includes(rule), `the adapter mentions ${rule}`);
	assert.ok(src.length < 48000, `${src.length} bytes`);
});

test('works as a classic <script>: load() the module, then createScormAPI', async () => {
	const src = fs.readFileSync(adapterPath, 'utf8');
	const win = {};
	win.self = win;
	/* a bare context: no require, no TextDecoder (the adapter decodes by itself then) */
	const ctx = vm.createContext({self: win, window: win, setTimeout, clearTimeout, Promise, WebAssembly});
	vm.runInContext(src, ctx);
	assert.strictEqual(typeof win.createScormAPI, 'function');
	assert.strictEqual(win.createScormAPI.ready(), false);
	assert.throws(() => win.createScormAPI({version: '1.2', events: null}), /cmi.wasm\) is not loaded yet/);
	await assert.rejects(win.createScormAPI.load(new Uint8Array([0, 1, 2])));
	const bytes = fs.readFileSync(wasmPath);
	const p = win.createScormAPI.load(bytes);
	assert.strictEqual(win.createScormAPI.load(bytes), p); /* one load */
	await p;
	assert.strictEqual(win.createScormAPI.ready(), true);
	const api = win.createScormAPI({version: '2004', events: null, initial: {'cmi.learner_name': 'Zoë 😀'}});
	assert.strictEqual(api.Initialize(''), 'true');
	assert.strictEqual(api.GetValue('cmi.learner_name'), 'Zoë 😀');
	assert.strictEqual(api.GetValue('cmi.completion_status'), 'unknown');
	assert.strictEqual(typeof win.createScormAPI.fetchTransport, 'function');
	assert.strictEqual(typeof win.createScormAPI.sendStashed, 'function');
});

test('options are checked', () => {
	assert.throws(() => createScormAPI({version: '1.3'}), /version must be/);
	assert.throws(() => createScormAPI({}), /version must be/);
	assert.throws(() => createScormAPI({version: '1.2', initial: {'cmi.core.score.raw': '150'}}), /cmi.core.score.raw: refused with error 405/);
	assert.throws(() => createScormAPI({version: '2004', initial: {'cmi.location': 3}}), /must be a string/);
	assert.throws(() => createScormAPI({version: '2004', initial: {'cmi.objectives.1.id': 'x'}}), /refused with error 351/);
	const api = createScormAPI({version: '2004', initial: {'cmi.learner_id': 'urn:l:1'}, events: null});
	assert.strictEqual(api.Initialize(''), 'true');
	assert.strictEqual(api.GetValue('cmi.learner_id'), 'urn:l:1');
	assert.strictEqual(api.$state(), 'running');
});

test('arguments are strings; undefined and null count as ""', () => {
	const api = createScormAPI({version: '1.2', events: null});
	assert.strictEqual(api.LMSInitialize(), 'true');
	assert.strictEqual(api.LMSSetValue('cmi.core.score.raw', 85), 'true');
	assert.strictEqual(api.LMSGetValue('cmi.core.score.raw'), '85');
	assert.strictEqual(api.LMSGetValue(), '');
	assert.strictEqual(api.LMSGetLastError(), '201');
	assert.strictEqual(api.LMSSetValue('cmi.core.lesson_location', {}), 'true');
	assert.strictEqual(api.LMSGetValue('cmi.core.lesson_location'), '[object Object]');
	assert.strictEqual(api.LMSCommit(null), 'true');
	assert.strictEqual(typeof api.LMSGetLastError(), 'string');
});

test('text the C side cannot take is a type error (lone surrogates, U+0000)', () => {
	const api = createScormAPI({version: '2004', events: null});
	api.Initialize('');
	for (const v of ['\ud800', 'a\udc00b', 'a\u0000b', '\ud83d']) {
		assert.strictEqual(api.SetValue('cmi.location', v), 'false');
		assert.strictEqual(api.GetLastError(), '406');
	}
	assert.strictEqual(api.SetValue('cmi.location', '\ud83d\ude00'), 'true');
	assert.strictEqual(api.GetValue('cmi.location'), '\ud83d\ude00');
	assert.strictEqual(api.GetValue('cmi.\ud800'), '');
	assert.strictEqual(api.GetDiagnostic(''), 'cmi.\ufffd is not an element of this data model');
});

test('commit bodies: protocol, version, session, seq, from, changes, terminate', async () => {
	const t = recorder();
	const api = createScormAPI({version: '1.2', transport: t, session: 4, events: null});
	api.LMSInitialize('');
	assert.strictEqual(t.inits, 1);
	api.LMSSetValue('cmi.core.lesson_location', 'p1');
	api.LMSSetValue('cmi.interactions.0.id', 'q1');
	assert.strictEqual(api.LMSCommit(''), 'true');
	assert.deepStrictEqual(t.bodies[0], {protocol: 1, version: '1.2', session: 4, seq: 1, from: 0,
		changes: [['cmi.core.lesson_location', 'p1'], ['cmi.interactions.0.id', 'q1']], terminate: false});
	await tick();
	assert.deepStrictEqual(api.$pending(), []);
	api.LMSSetValue('cmi.core.exit', 'suspend');
	assert.strictEqual(api.LMSFinish(''), 'true');
	assert.deepStrictEqual(t.bodies[1], {protocol: 1, version: '1.2', session: 4, seq: 2, from: 2,
		changes: [['cmi.core.exit', 'suspend']], terminate: true});
	assert.strictEqual(api.$state(), 'terminated');
	const v = createScormAPI({version: '2004-3rd', transport: recorder(), events: null});
	v.Initialize('');
	v.Commit('');
});

test('a Commit with nothing pending still asks the LMS (so failures show)', () => {
	const t = recorder();
	const api = createScormAPI({version: '2004', transport: t, events: null});
	api.Initialize('');
	api.Commit('');
	assert.strictEqual(t.bodies.length, 1);
	assert.deepStrictEqual(t.bodies[0].changes, []);
	assert.strictEqual(t.bodies[0].version, '2004-4th');
	assert.strictEqual(t.bodies[0].session, null);
});

test('the journal: scalars compacted before sending, collections kept in order', async () => {
	const t = recorder();
	const api = createScormAPI({version: '2004', transport: t, events: null});
	api.Initialize('');
	api.SetValue('cmi.location', 'a');
	api.SetValue('cmi.interactions.0.id', 'q');
	api.SetValue('cmi.location', 'b');
	api.SetValue('cmi.interactions.0.id', 'q');
	api.SetValue('cmi.suspend_data', 'x');
	api.SetValue('cmi.location', 'c');
	api.SetValue('cmi.score.scaled', '2'); /* refused: never journaled */
	assert.deepStrictEqual(api.$pending(), [['cmi.interactions.0.id', 'q'], ['cmi.interactions.0.id', 'q'],
		['cmi.suspend_data', 'x'], ['cmi.location', 'c']]);
	api.Commit('');
	api.SetValue('cmi.location', 'd'); /* sent entries are never rewritten */
	assert.deepStrictEqual(api.$pending().slice(-2), [['cmi.location', 'c'], ['cmi.location', 'd']]);
	await tick();
	assert.deepStrictEqual(api.$pending(), [['cmi.location', 'd']]);
});

test('a failed request is retried with backoff; Commit answers 391 until one succeeds', async (t) => {
	t.mock.timers.enable({apis: ['setTimeout']});
	const tr = recorder(['reject', 'reject', null]);
	const api = createScormAPI({version: '2004', transport: tr, events: null, retryDelays: [1000, 2000, 4000]});
	api.Initialize('');
	api.SetValue('cmi.location', 'p1');
	assert.strictEqual(api.Commit(''), 'true'); /* the failure is not known yet */
	await tick();
	assert.strictEqual(tr.bodies.length, 1);
	api.SetValue('cmi.suspend_data', 's');
	assert.strictEqual(api.Commit(''), 'false');
	assert.strictEqual(api.GetLastError(), '391');
	assert.match(api.GetDiagnostic(''), /^Commit: the LMS could not store the data \(the request failed: network down\)$/);
	assert.strictEqual(tr.bodies.length, 2); /* that Commit sent again, with everything */
	assert.deepStrictEqual(tr.bodies[1].changes, [['cmi.location', 'p1'], ['cmi.suspend_data', 's']]);
	assert.strictEqual(tr.bodies[1].from, 0);
	assert.strictEqual(tr.bodies[1].seq, 2);
	await tick();
	t.mock.timers.tick(999);
	assert.strictEqual(tr.bodies.length, 2);
	t.mock.timers.tick(1); /* first retry after 1000 ms (the timer from the first failure) */
	await tick();
	assert.strictEqual(tr.bodies.length, 3);
	assert.strictEqual(tr.bodies[2].seq, 3);
	await tick();
	assert.deepStrictEqual(api.$pending(), []);
	assert.strictEqual(api.Commit(''), 'true');
	assert.strictEqual(api.GetLastError(), '0');
});

test('retries keep going at the last delay while the network is down', async (t) => {
	t.mock.timers.enable({apis: ['setTimeout']});
	const tr = recorder(['reject', 'reject', 'reject', 'reject', null]);
	const api = createScormAPI({version: '1.2', transport: tr, events: null, retryDelays: [100, 300]});
	api.LMSInitialize('');
	api.LMSSetValue('cmi.core.lesson_location', 'x');
	api.LMSCommit('');
	await tick();
	for (const [wait, sent] of [[100, 2], [300, 3], [300, 4], [300, 5]]) {
		t.mock.timers.tick(wait);
		await tick();
		await tick();
		assert.strictEqual(tr.bodies.length, sent, `after ${wait} ms`);
	}
	await tick();
	assert.deepStrictEqual(api.$pending(), []);
	assert.strictEqual(api.LMSCommit(''), 'true');
});

test('onSaving: told of each failed send (status, Retry-After) and once when one works; a longer Retry-After is waited', async (t) => {
	t.mock.timers.enable({apis: ['setTimeout']});
	const rate = Object.assign(new Error('HTTP 429: too many commits'), {status: 429, retryAfter: 5});
	const tr = recorder([rate, 'reject', null, null]);
	const told = [];
	const api = createScormAPI({version: '2004', transport: tr, events: null, retryDelays: [1000, 2000],
		onSaving: (s) => told.push(s)});
	api.Initialize('');
	api.SetValue('cmi.location', 'p1');
	api.Commit('');
	await tick();
	assert.deepStrictEqual(told, [{saved: false, status: 429, retryAfter: 5}]);
	t.mock.timers.tick(4999); /* the server asked for 5 s, more than the 1 s of the schedule */
	await tick();
	assert.strictEqual(tr.bodies.length, 1);
	t.mock.timers.tick(1);
	await tick();
	await tick();
	assert.strictEqual(tr.bodies.length, 2);
	assert.deepStrictEqual(told[1], {saved: false, status: 0, retryAfter: null}); /* not reached */
	t.mock.timers.tick(2000);
	await tick();
	await tick();
	assert.strictEqual(tr.bodies.length, 3);
	assert.deepStrictEqual(told.slice(2), [{saved: true}]);
	assert.deepStrictEqual(api.$pending(), []);
	api.SetValue('cmi.location', 'p2');
	api.Commit('');
	await tick();
	assert.strictEqual(told.length, 3, 'a success after a success is not told');
});

test('1.2 reports commit failures with 101', async () => {
	const tr = recorder(['reject']);
	const api = createScormAPI({version: '1.2', transport: tr, events: null, retryDelays: [60000]});
	api.LMSInitialize('');
	api.LMSCommit('');
	await tick();
	assert.strictEqual(api.LMSCommit(''), 'false');
	assert.strictEqual(api.LMSGetLastError(), '101');
	await tick();
	assert.strictEqual(api.LMSFinish(''), 'true'); /* the second Commit succeeded: the failure is over */
});

test('Terminate while requests keep failing: 111, still running, data still queued', async () => {
	const tr = recorder(['reject']);
	const api = createScormAPI({version: '2004', transport: tr, events: null, retryDelays: [60000]});
	api.Initialize('');
	api.SetValue('cmi.location', 'p');
	api.Commit('');
	await tick();
	assert.strictEqual(api.Terminate(''), 'false');
	assert.strictEqual(api.GetLastError(), '111');
	assert.strictEqual(api.$state(), 'running');
	await tick();
	assert.strictEqual(api.Terminate(''), 'true');
	assert.strictEqual(tr.bodies[tr.bodies.length - 1].terminate, true);
});

test('changes the server refused are reported once, never retried', async () => {
	const tr = recorder([{result: false, errorCode: 391, seq: 1, applied: 2,
		rejected: [{index: 1, element: 'cmi.location', errorCode: 406, diagnostic: 'x'}]}]);
	const api = createScormAPI({version: '2004', transport: tr, events: null});
	api.Initialize('');
	api.SetValue('cmi.suspend_data', 'a');
	api.SetValue('cmi.location', 'b');
	api.Commit('');
	await tick();
	assert.deepStrictEqual(api.$pending(), []);
	assert.strictEqual(api.Commit(''), 'false');
	assert.strictEqual(api.GetLastError(), '391');
	assert.strictEqual(api.GetDiagnostic(''), 'Commit: the LMS could not store the data (refused cmi.location (406))');
	await tick();
	assert.strictEqual(api.Commit(''), 'true');
	assert.strictEqual(tr.bodies.length, 3);
	assert.deepStrictEqual(tr.bodies[1].changes, []);
});

test('a refused request (gap, other session) is reported', async () => {
	const tr = recorder([{result: false, errorCode: 391, applied: 0, error: 'the commit belongs to another session of this SCO'}]);
	const api = createScormAPI({version: '2004', transport: tr, events: null});
	api.Initialize('');
	api.SetValue('cmi.location', 'b');
	api.Commit('');
	await tick();
	assert.strictEqual(api.Commit(''), 'false');
	assert.match(api.GetDiagnostic(''), /another session/);
	assert.deepStrictEqual(api.$pending(), [['cmi.location', 'b']]);
});

test('superseded by a newer launch (another tab): nothing acknowledged or sent, told once, Commit fails saying why', async () => {
	const tr = recorder([{result: false, errorCode: 391, seq: 2, applied: 5, superseded: true,
		error: 'the commit belongs to another session of this SCO'}]);
	const told = [];
	const api = createScormAPI({version: '2004', transport: tr, events: null, onSuperseded: (c) => told.push(c)});
	api.Initialize('');
	api.SetValue('cmi.location', 'here');
	api.SetValue('cmi.suspend_data', 'work');
	assert.strictEqual(api.Commit(''), 'true');
	await tick();
	/* the other session's "applied" (5) acknowledges nothing of this page's */
	assert.deepStrictEqual(api.$pending(), [['cmi.location', 'here'], ['cmi.suspend_data', 'work']]);
	assert.deepStrictEqual(told, [[['cmi.location', 'here'], ['cmi.suspend_data', 'work']]]);
	assert.strictEqual(api.$superseded(), true);
	api.SetValue('cmi.score.raw', '7');
	assert.strictEqual(api.Commit(''), 'false');
	assert.strictEqual(api.GetLastError(), '391');
	assert.match(api.GetDiagnostic(''), /opened again in another tab or on another device/);
	api.$flush(true); /* leaving: nothing goes out either */
	assert.strictEqual(api.Terminate(''), 'false');
	await tick();
	assert.strictEqual(tr.bodies.length, 1);
	assert.strictEqual(told.length, 1);
	assert.strictEqual(api.$pending().length, 3);
});

test('a transport that throws fails that call at once, and keeps the data', async () => {
	const tr = recorder(['throw', 'throw', 'throw']);
	const api = createScormAPI({version: '2004', transport: tr, events: null});
	api.Initialize('');
	api.SetValue('cmi.location', 'p');
	assert.strictEqual(api.Commit(''), 'false');
	assert.strictEqual(api.GetLastError(), '391');
	assert.strictEqual(api.GetDiagnostic(''), 'Commit: the LMS could not store the data (offline)');
	assert.strictEqual(api.Terminate(''), 'false');
	assert.strictEqual(api.GetLastError(), '111');
	assert.strictEqual(api.Commit(''), 'false');
	assert.strictEqual(api.Commit(''), 'true');
	await tick();
	assert.deepStrictEqual(api.$pending(), []);
	assert.strictEqual(tr.bodies[3].from, 0);
	assert.deepStrictEqual(tr.bodies[3].changes, [['cmi.location', 'p']]);
});

test('a transport whose initialize throws: 102', () => {
	const api = createScormAPI({version: '2004', transport: {initialize() { throw new Error('no learner'); }, send() {}}, events: null});
	assert.strictEqual(api.Initialize(''), 'false');
	assert.strictEqual(api.GetLastError(), '102');
	assert.strictEqual(api.GetDiagnostic(''), 'Initialize: the LMS could not start the session (no learner)');
});

test('Terminate goes out even while a commit is on its way', async () => {
	let release;
	const bodies = [];
	const tr = {send(body) {
		bodies.push(JSON.parse(body));
		return new Promise((resolve) => { release = release || resolve; });
	}};
	const api = createScormAPI({version: '1.2', transport: tr, events: null});
	api.LMSInitialize('');
	api.LMSSetValue('cmi.core.lesson_location', 'a');
	api.LMSCommit('');
	api.LMSSetValue('cmi.core.lesson_location', 'b');
	assert.strictEqual(api.LMSCommit(''), 'true'); /* queued behind the first */
	assert.strictEqual(bodies.length, 1);
	assert.strictEqual(api.LMSFinish(''), 'true');
	assert.strictEqual(bodies.length, 2);
	assert.deepStrictEqual(bodies[1].changes, [['cmi.core.lesson_location', 'a'], ['cmi.core.lesson_location', 'b']]);
	assert.strictEqual(bodies[1].from, 0);
	assert.strictEqual(bodies[1].terminate, true);
	release({result: true, errorCode: 0, applied: 1});
});

test('pagehide sends what is unacknowledged by beacon', async () => {
	const events = new EventTarget();
	const tr = recorder();
	tr.beacon = (body) => { tr.beacons.push(JSON.parse(body)); return true; };
	const api = createScormAPI({version: '2004', transport: tr, events});
	api.Initialize('');
	api.SetValue('cmi.location', 'p1');
	api.Commit('');
	await tick();
	api.SetValue('cmi.suspend_data', 'progress');
	api.SetValue('cmi.exit', 'suspend');
	events.dispatchEvent(new Event('pagehide'));
	assert.strictEqual(tr.beacons.length, 1);
	assert.deepStrictEqual(tr.beacons[0].changes, [['cmi.suspend_data', 'progress'], ['cmi.exit', 'suspend']]);
	assert.strictEqual(tr.beacons[0].from, 1);
	assert.strictEqual(tr.beacons[0].seq, 2);
	assert.strictEqual(tr.beacons[0].terminate, false);
	events.dispatchEvent(new Event('pagehide')); /* not acknowledged: sent again */
	assert.strictEqual(tr.beacons.length, 2);
	assert.strictEqual(tr.beacons[1].seq, 3);
});

test('pagehide without a beacon uses keepalive; after an acknowledged Terminate it sends nothing', async () => {
	const events = new EventTarget();
	const tr = recorder();
	const api = createScormAPI({version: '1.2', transport: tr, events});
	api.LMSInitialize('');
	api.LMSSetValue('cmi.core.lesson_location', 'x');
	events.dispatchEvent(new Event('pagehide'));
	assert.deepStrictEqual(tr.keepalive, [true]);
	await tick();
	assert.deepStrictEqual(api.$pending(), []);
	api.LMSFinish('');
	await tick();
	events.dispatchEvent(new Event('pagehide'));
	assert.strictEqual(tr.bodies.length, 2);
});

test('pagehide after an unanswered Terminate repeats it (terminate: true)', () => {
	const events = new EventTarget();
	const beacons = [];
	const tr = {send() { return new Promise(() => {}); }, beacon(b) { beacons.push(JSON.parse(b)); return true; }};
	const api = createScormAPI({version: '2004', transport: tr, events});
	api.Initialize('');
	api.SetValue('cmi.exit', 'normal');
	api.Terminate('');
	events.dispatchEvent(new Event('pagehide'));
	assert.strictEqual(beacons.length, 1);
	assert.strictEqual(beacons[0].terminate, true);
	assert.deepStrictEqual(beacons[0].changes, [['cmi.exit', 'normal']]);
});

test('visibilitychange to hidden flushes too', () => {
	const events = new EventTarget();
	events.document = {visibilityState: 'visible'};
	const tr = recorder();
	tr.beacon = (body) => { tr.beacons.push(JSON.parse(body)); return true; };
	const api = createScormAPI({version: '2004', transport: tr, events});
	api.Initialize('');
	api.SetValue('cmi.location', 'p');
	events.dispatchEvent(new Event('visibilitychange'));
	assert.strictEqual(tr.beacons.length, 0);
	events.document.visibilityState = 'hidden';
	events.dispatchEvent(new Event('visibilitychange'));
	assert.strictEqual(tr.beacons.length, 1);
});

test('fetchTransport: JSON while the page lives, text/plain keepalive when it goes', async () => {
	const calls = [];
	let status = 200, answer = {result: true, errorCode: 0, applied: 1}, headers = {};
	const fakeFetch = (url, init) => {
		calls.push({url, init});
		return Promise.resolve({ok: status < 300, status, headers: {get: (k) => headers[k.toLowerCase()] ?? null},
			text: () => Promise.resolve(typeof answer === 'string' ? answer : JSON.stringify(answer))});
	};
	const beacons = [];
	const t = createScormAPI.fetchTransport('/api/commit/7', {fetch: fakeFetch, headers: {'X-CSRF': 'k'},
		sendBeacon: (u, b) => { beacons.push(u); return true; }});
	assert.deepStrictEqual(await t.send('{"a":1}', {keepalive: false}), answer);
	assert.strictEqual(calls[0].url, '/api/commit/7');
	assert.strictEqual(calls[0].init.method, 'POST');
	assert.strictEqual(calls[0].init.headers['Content-Type'], 'application/json');
	assert.strictEqual(calls[0].init.headers['X-CSRF'], 'k');
	assert.strictEqual(calls[0].init.keepalive, false);
	assert.strictEqual(t.beacon('{"b":2}'), true);
	assert.strictEqual(calls[1].init.keepalive, true);
	assert.strictEqual(calls[1].init.headers['Content-Type'], 'text/plain;charset=UTF-8');
	assert.strictEqual(calls[1].init.body, '{"b":2}');
	assert.strictEqual(beacons.length, 0);
	status = 400;
	answer = {result: false, errorCode: 391, error: 'bad'};
	assert.deepStrictEqual(await t.send('{}', {}), answer);
	status = 500;
	answer = 'Internal Server Error';
	await assert.rejects(t.send('{}', {}), /HTTP 500/);
	status = 200;
	answer = '<html>login</html>';
	await assert.rejects(t.send('{}', {}), /HTTP 200/);
	/* The server's error shape: its detail is the reason (a full quota says what to do). */
	status = 507;
	answer = {code: 507, error: 'Insufficient Storage', detail: 'this learner\'s records have reached their limit of 64 MiB'};
	await assert.rejects(t.send('{}', {}), /^Error: HTTP 507: this learner's records have reached their limit of 64 MiB$/);
	await assert.rejects(t.send('{}', {}), (e) => e.status === 507 && e.retryAfter === null);
	status = 429;
	answer = {code: 429, error: 'Too Many Requests', detail: 'too many commits: at most 120 a minute per learner; try again in 1 s'};
	await assert.rejects(t.send('{}', {}), /HTTP 429: too many commits/);
	/* The status and Retry-After go with the error (for onSaving and the retry's wait). */
	headers = {'retry-after': '7'};
	await assert.rejects(t.send('{}', {}), (e) => e.status === 429 && e.retryAfter === 7);
	headers = {'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT'};
	await assert.rejects(t.send('{}', {}), (e) => e.status === 429 && e.retryAfter === null);
	const nofetch = createScormAPI.fetchTransport('/c', {fetch: null, sendBeacon: (u, b) => { beacons.push([u, b]); return true; }});
	assert.strictEqual(nofetch.beacon('{"c":3}'), true);
	assert.strictEqual(beacons[0][0], '/c');
	assert.throws(() => nofetch.send('{}', {}));
});

test('Commit answers at once and sends the change; GetValue answers while the commit is still out', () => {
	const sent = [];
	const api = createScormAPI({version: '2004', session: 2, events: null,
		transport: {send: (body, how) => { sent.push([JSON.parse(body), how]); return new Promise(() => {}); }}});
	assert.strictEqual(api.Initialize(''), 'true');
	assert.strictEqual(api.SetValue('cmi.location', 'p'), 'true');
	assert.strictEqual(api.Commit(''), 'true');
	assert.strictEqual(api.GetLastError(), '0');
	assert.deepStrictEqual(sent, [[{protocol: 1, version: '2004-4th', session: 2, seq: 1, from: 0,
		changes: [['cmi.location', 'p']], terminate: false}, {keepalive: false}]]);
	assert.strictEqual(api.GetValue('cmi.location'), 'p');
	assert.strictEqual(api.GetLastError(), '0');
	assert.deepStrictEqual(api.$pending(), [['cmi.location', 'p']]); /* not acknowledged yet */
	/* a second Commit while the first is out is queued behind it, not sent twice at once */
	assert.strictEqual(api.SetValue('cmi.location', 'q'), 'true');
	assert.strictEqual(api.Commit(''), 'true');
	assert.strictEqual(sent.length, 1);
	assert.strictEqual(api.GetValue('cmi.location'), 'q');
});

/* ---- end to end: the adapter's commits through the C model ---------------------------------- */
function replay(version, initial, bodies) {
	const exe = process.env.POSTCARD_CMI_REPLAY;
	assert.ok(exe, 'POSTCARD_CMI_REPLAY must name the cmi_replay helper');
	const input = JSON.stringify({version, initial, bodies: bodies.map((b) => JSON.stringify(b))});
	return JSON.parse(execFileSync(exe, {input}).toString());
}

test('end to end (1.2): the server replays the adapter to the same values', async () => {
	const initial = {'cmi.core.student_id': 'u1', 'cmi.student_data.mastery_score': '80', 'cmi.core.lesson_location': 'p0',
		'cmi.suspend_data': 'old'};
	const tr = recorder();
	const api = createScormAPI({version: '1.2', initial, transport: tr, session: 1, events: null});
	api.LMSInitialize('');
	api.LMSSetValue('cmi.core.lesson_location', 'p1');
	for (let q = 0; q < 3; q++) {
		api.LMSSetValue(`cmi.interactions.${q}.id`, `q${q}`);
		api.LMSSetValue(`cmi.interactions.${q}.type`, 'choice');
		api.LMSSetValue(`cmi.interactions.${q}.correct_responses.0.pattern`, 'b');
		api.LMSSetValue(`cmi.interactions.${q}.student_response`, q === 1 ? 'a' : 'b');
		api.LMSSetValue(`cmi.interactions.${q}.result`, q === 1 ? 'wrong' : 'correct');
		api.LMSSetValue('cmi.suspend_data', `answered ${q + 1}`);
		api.LMSCommit('');
		await tick();
	}
	api.LMSSetValue('cmi.objectives.0.id', 'quiz');
	api.LMSSetValue('cmi.objectives.0.score.raw', '67');
	api.LMSSetValue('cmi.core.score.raw', '66.67');
	api.LMSSetValue('cmi.core.lesson_status', 'completed');
	api.LMSSetValue('cmi.core.session_time', '00:04:12.5');
	api.LMSSetValue('cmi.core.exit', '');
	api.LMSFinish('');
	await tick();
	/* the server also sees a repeated request and one out of order */
	const bodies = [tr.bodies[0], tr.bodies[1], tr.bodies[0], tr.bodies[2], tr.bodies[1], tr.bodies[3], tr.bodies[3]];
	const out = replay('1.2', initial, bodies);
	assert.deepStrictEqual(out.values, api.$values());
	assert.strictEqual(out.values['cmi.core.lesson_status'], 'failed'); /* mastery 80 */
	assert.strictEqual(out.values['cmi.core.total_time'], '0000:04:12.50');
	assert.ok(out.answers.every((a) => a.result === true), JSON.stringify(out.answers));
});

test('end to end (2004): retries, a beacon and Terminate give the server the same values', async (t) => {
	t.mock.timers.enable({apis: ['setTimeout']});
	const initial = {'cmi.learner_id': 'urn:l:1', 'cmi.completion_threshold': '0.75', 'cmi.scaled_passing_score': '0.8',
		'cmi.objectives.0.id': 'urn:o:main'};
	const events = new EventTarget();
	const tr = recorder([null, 'reject', null, null]);
	tr.beacon = (body) => { tr.bodies.push(JSON.parse(body)); return true; };
	const api = createScormAPI({version: '2004', initial, transport: tr, session: 1, events, retryDelays: [10]});
	api.Initialize('');
	api.SetValue('cmi.location', 'card-1');
	api.SetValue('cmi.interactions.0.id', 'urn:q:1');
	api.SetValue('cmi.interactions.0.type', 'fill-in');
	api.SetValue('cmi.interactions.0.correct_responses.0.pattern', '{case_matters=false}Peer Assist');
	api.SetValue('cmi.interactions.0.learner_response', 'peer assist');
	api.SetValue('cmi.interactions.0.result', 'correct');
	api.Commit('');
	await tick();
	api.SetValue('cmi.progress_measure', '0.5');
	api.SetValue('cmi.interactions.1.id', 'urn:q:2');
	api.SetValue('cmi.interactions.1.type', 'numeric');
	api.SetValue('cmi.interactions.1.correct_responses.0.pattern', '4[:]8');
	api.SetValue('cmi.interactions.1.learner_response', '5');
	api.Commit(''); /* this one fails and is retried */
	await tick();
	api.SetValue('cmi.objectives.0.success_status', 'passed');
	events.dispatchEvent(new Event('pagehide')); /* a beacon while the retry waits */
	t.mock.timers.tick(10);
	await tick();
	await tick();
	api.SetValue('cmi.progress_measure', '0.8');
	api.SetValue('cmi.score.scaled', '0.79');
	api.SetValue('cmi.session_time', 'PT3M');
	api.SetValue('cmi.exit', 'suspend');
	api.Terminate('');
	await tick();
	assert.deepStrictEqual(api.$pending(), []);
	const out = replay('2004-4th', initial, tr.bodies);
	assert.deepStrictEqual(out.values, api.$values());
	assert.strictEqual(out.values['cmi.completion_status'], 'completed');
	assert.strictEqual(out.values['cmi.success_status'], 'failed');
	assert.strictEqual(out.values['cmi.entry'], 'resume');
	assert.strictEqual(out.values['cmi.total_time'], 'PT0H3M0S');
	/* a stale commit from an earlier launch is refused by the C side */
	const stale = replay('2004-4th', initial, [Object.assign({}, tr.bodies[0], {session: 0})]);
	assert.strictEqual(stale.answers[0].result, false);
});
