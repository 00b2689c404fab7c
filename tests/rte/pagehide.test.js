/* Leaving the page with more than the browser lets go: pagehide with ~200 KB unacknowledged.
 * Every request body fits 64 KiB, the keepalive requests in flight stay under the browser's
 * 64 KiB quota, everything is stashed for the next page, and the C model (the server's
 * authority) applying what arrives, in the orders it can arrive in, ends up with exactly the
 * adapter's values. Without a stash nothing is dropped silently either. */
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const {execFileSync} = require('child_process');

const {createScormAPI, sendStashed} = require(process.env.POSTCARD_SCORM_API);
const QUOTA = 65536;
const bytes = (s) => Buffer.byteLength(s, 'utf8');
const tick = () => new Promise((resolve) => setImmediate(resolve));

function replay(version, initial, bodies) {
	const input = JSON.stringify({version, initial, bodies: bodies.map((b) => JSON.stringify(b))});
	return JSON.parse(execFileSync(process.env.POSTCARD_CMI_REPLAY, {input, maxBuffer: 64 << 20}).toString());
}

/* localStorage as the browser has it (strings only, a size cap like the 5 MB browsers give). */
function memoryStorage(cap = 5 << 20) {
	const m = new Map();
	return {
		get length() { return m.size; },
		key: (i) => [...m.keys()][i] ?? null,
		getItem: (k) => (m.has(k) ? m.get(k) : null),
		setItem: (k, v) => {
			let used = 0;
			for (const [key, val] of m) if (key !== k) used += key.length + val.length;
			if (used + k.length + String(v).length > cap) throw new Error('QuotaExceededError');
			m.set(k, String(v));
		},
		removeItem: (k) => { m.delete(k); },
	};
}

/* A page's network as Chromium treats it while the page goes away: fetches never answer,
 * keepalive fetches and beacons share one 64 KiB quota of bodies in flight. */
function leavingNetwork() {
	const net = {requests: [], keepaliveInFlight: 0, maxInFlight: 0};
	net.fetch = (url, init) => {
		const body = init.body;
		net.requests.push({url, body, keepalive: !!init.keepalive});
		if (init.keepalive) {
			if (net.keepaliveInFlight + bytes(body) > QUOTA)
				return Promise.reject(new TypeError('keepalive quota exceeded')); /* what Chromium does */
			net.keepaliveInFlight += bytes(body);
			net.maxInFlight = Math.max(net.maxInFlight, net.keepaliveInFlight);
		}
		return new Promise(() => {}); /* the page is gone before any answer */
	};
	net.sendBeacon = (url, blob) => {
		const n = typeof blob === 'string' ? bytes(blob) : blob.size;
		if (net.keepaliveInFlight + n > QUOTA)
			return false;
		net.keepaliveInFlight += n;
		net.requests.push({url, beacon: true});
		return true;
	};
	return net;
}

/* A SCO that writes a lot at once: 64000 characters of suspend data and 250 long-fill-in
 * interactions (about 200 KB of JSON), then the page goes away without a Commit. */
function writeALot(api) {
	assert.strictEqual(api.Initialize(''), 'true');
	let sd = '';
	for (let i = 0; sd.length < 64000; i++) sd += `card${i}=seen;`;
	assert.strictEqual(api.SetValue('cmi.suspend_data', sd.slice(0, 64000)), 'true');
	for (let n = 0; n < 250; n++) {
		const set = (el, v) => assert.strictEqual(api.SetValue(`cmi.interactions.${n}.${el}`, v), 'true', `${el} ${api.GetDiagnostic('')}`);
		set('id', `urn:postcard:q${n}`);
		set('type', 'long-fill-in');
		set('description', `Question ${n}: what would you do differently next time? ` + 'é'.repeat(100));
		set('learner_response', `Answer ${n} ` + 'I would ask the team before starting, '.repeat(12));
		set('result', 'neutral');
	}
	assert.strictEqual(api.SetValue('cmi.location', 'q250'), 'true');
	assert.strictEqual(api.SetValue('cmi.exit', 'suspend'), 'true');
}

test('pagehide over 64 KiB: envelopes fit, the quota holds, the stash completes the state', async () => {
	const initial = {'cmi.learner_id': 'urn:l:1'};
	const net = leavingNetwork();
	const localStorage = memoryStorage();
	const events = new EventTarget();
	const url = '/api/commit/7/sco-1';
	const transport = createScormAPI.fetchTransport(url, {fetch: net.fetch, sendBeacon: net.sendBeacon, localStorage});
	const api = createScormAPI({version: '2004', initial, transport, session: 1, events});
	writeALot(api);
	const eager = net.requests.filter((r) => !r.keepalive && !r.beacon);
	assert.ok(eager.length >= 1, 'more than 32 KiB waiting went out before any Commit');
	events.dispatchEvent(new Event('pagehide'));
	await tick();

	const keepalive = net.requests.filter((r) => r.keepalive);
	assert.ok(keepalive.length >= 1, 'the first envelope leaves at once');
	for (const r of keepalive) assert.ok(bytes(r.body) <= QUOTA, `keepalive body of ${bytes(r.body)} bytes`);
	assert.ok(net.maxInFlight <= QUOTA, `keepalive bytes in flight: ${net.maxInFlight}`);
	assert.strictEqual(api.$unsent(), 0);

	const stash = JSON.parse(localStorage.getItem('postcard.unsent:' + url));
	assert.strictEqual(stash.url, url);
	assert.ok(stash.bodies.length >= 4, `${stash.bodies.length} envelopes for ~200 KB`);
	const envelopes = stash.bodies.map((b) => JSON.parse(b));
	let next = envelopes[0].from;
	for (const [i, b] of stash.bodies.entries()) {
		/* 64 KiB at most; several changes together stay under 64000 bytes (room for others) */
		assert.ok(bytes(b) <= QUOTA, `envelope ${i}: ${bytes(b)} bytes`);
		assert.ok(envelopes[i].changes.length === 1 || bytes(b) <= 64000, `envelope ${i}: ${bytes(b)} bytes`);
		assert.strictEqual(envelopes[i].from, next, 'envelopes follow each other in the journal');
		next += envelopes[i].changes.length;
		assert.strictEqual(envelopes[i].terminate, false);
		if (i) assert.ok(envelopes[i].seq > envelopes[i - 1].seq);
	}
	assert.strictEqual(keepalive[0].body, stash.bodies[0]);

	/* The server: the eager commit and the keepalive envelope arrived (any order), then the next
	 * page sends the stash in order. Repeats change nothing; the state is the adapter's. */
	const eagerBody = JSON.parse(eager[0].body);
	const arrived = [envelopes[0], eagerBody, ...envelopes];
	const out = replay('2004-4th', initial, arrived);
	assert.deepStrictEqual(out.values, api.$values());
	assert.strictEqual(out.values['cmi.interactions.249.learner_response'], api.$values()['cmi.interactions.249.learner_response']);
	assert.ok(out.answers.every((a) => a.result === true), JSON.stringify(out.answers.filter((a) => !a.result)));

	/* A later envelope that overtakes an earlier one is refused (it names the gap) and applied
	 * when the stash arrives in order. */
	const overtaken = replay('2004-4th', initial, [envelopes[2], ...envelopes]);
	assert.strictEqual(overtaken.answers[0].result, false);
	assert.strictEqual(overtaken.answers[0].applied, 0);
	assert.deepStrictEqual(overtaken.values, api.$values());

	/* Nothing from the stash alone is missing either (the eager commit and the keepalive lost). */
	assert.deepStrictEqual(replay('2004-4th', initial, envelopes).values, api.$values());
});

test('the next page sends the stash in order and forgets it once answered', async () => {
	const localStorage = memoryStorage();
	const bodies = ['{"seq":1}', '{"seq":2}', '{"seq":3}'];
	localStorage.setItem('postcard.unsent:/api/commit/1/a', JSON.stringify({url: '/api/commit/1/a', bodies, at: 1}));
	localStorage.setItem('unrelated', 'kept');
	const posted = [];
	let fail = true;
	const fetch = (url, init) => {
		posted.push([url, init.body, init.headers['Content-Type']]);
		if (fail && init.body === bodies[1])
			return Promise.reject(new TypeError('offline'));
		return Promise.resolve({status: 200, ok: true});
	};
	assert.strictEqual(await sendStashed({fetch, localStorage}), 1);
	assert.deepStrictEqual(posted.map((p) => p[1]), bodies.slice(0, 2), 'stops at the failure, keeps the order');
	assert.notStrictEqual(localStorage.getItem('postcard.unsent:/api/commit/1/a'), null, 'kept for the next page');
	fail = false;
	posted.length = 0;
	assert.strictEqual(await sendStashed({fetch, localStorage}), 3);
	assert.deepStrictEqual(posted, bodies.map((b) => ['/api/commit/1/a', b, 'application/json']));
	assert.strictEqual(localStorage.getItem('postcard.unsent:/api/commit/1/a'), null);
	assert.strictEqual(localStorage.getItem('unrelated'), 'kept');
});

test('an acknowledged commit forgets the stash', async () => {
	const localStorage = memoryStorage();
	const events = new EventTarget();
	const answers = [];
	const fetch = (url, init) => new Promise((resolve) => {
		answers.push(() => resolve({ok: true, status: 200, text: () => Promise.resolve(JSON.stringify({result: true, errorCode: 0, seq: 1, applied: 1}))}));
	});
	const answer = () => answers[0](); /* the Commit's answer arrives after the pagehide */
	const transport = createScormAPI.fetchTransport('/c', {fetch, sendBeacon: null, localStorage});
	const api = createScormAPI({version: '2004', transport, session: 1, events});
	api.Initialize('');
	api.SetValue('cmi.location', 'x');
	api.Commit('');
	events.dispatchEvent(new Event('visibilitychange')); /* no document: nothing */
	events.dispatchEvent(new Event('pagehide'));
	assert.notStrictEqual(localStorage.getItem('postcard.unsent:/c'), null);
	answer();
	await tick();
	await tick();
	assert.strictEqual(localStorage.getItem('postcard.unsent:/c'), null);
	assert.deepStrictEqual(api.$pending(), []);
});

test('no stash and no room: the rest stays queued and is reported', async () => {
	const net = leavingNetwork();
	const events = new EventTarget();
	const reported = [];
	const transport = createScormAPI.fetchTransport('/c', {fetch: net.fetch, sendBeacon: net.sendBeacon, localStorage: null});
	const api = createScormAPI({version: '2004', transport, session: 1, events, onUnsent: (b) => reported.push(...b)});
	writeALot(api);
	const before = api.$pending().length;
	events.dispatchEvent(new Event('pagehide'));
	assert.ok(api.$unsent() >= 3, `unsent: ${api.$unsent()}`);
	assert.strictEqual(reported.length, api.$unsent());
	assert.strictEqual(api.$pending().length, before, 'nothing left the queue');
	/* what was reported starts where the sent part ended */
	const sent = net.requests.filter((r) => r.keepalive).map((r) => JSON.parse(r.body));
	const first = JSON.parse(reported[0]);
	assert.strictEqual(first.from, sent[sent.length - 1].from + sent[sent.length - 1].changes.length);
	/* a quota that is full already: the transport does not even try keepalive */
	assert.strictEqual(transport.beacon('x'.repeat(QUOTA)), false);
});

test('one value bigger than any envelope goes alone, and is stashed', () => {
	const localStorage = memoryStorage();
	const net = leavingNetwork();
	const events = new EventTarget();
	const transport = createScormAPI.fetchTransport('/c', {fetch: net.fetch, sendBeacon: net.sendBeacon, localStorage});
	const api = createScormAPI({version: '2004', transport, session: 1, events, onUnsent: () => assert.fail('stashed')});
	api.Initialize('');
	net.requests.length = 0;
	api.SetValue('cmi.location', 'a');
	/* 64000 two-byte characters: 128 KB as UTF-8 */
	assert.strictEqual(api.SetValue('cmi.suspend_data', 'é'.repeat(64000)), 'true');
	net.requests.length = 0; /* the eager send */
	events.dispatchEvent(new Event('pagehide'));
	const stash = JSON.parse(localStorage.getItem('postcard.unsent:/c')).bodies.map((b) => JSON.parse(b));
	assert.strictEqual(stash.length, 2);
	assert.deepStrictEqual(stash[0].changes, [['cmi.location', 'a']]);
	assert.deepStrictEqual(stash[1].changes.map((c) => c[0]), ['cmi.suspend_data']);
	const keepalive = net.requests.filter((r) => r.keepalive);
	assert.strictEqual(keepalive.length, 1, 'the big one is over the quota: not even tried');
	assert.strictEqual(keepalive[0].body, JSON.stringify(stash[0]));
	assert.strictEqual(api.$unsent(), 0);
});
