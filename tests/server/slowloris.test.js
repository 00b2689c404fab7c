// Slowloris: 1,100 clients each send a request head a line a second and never finish it. The
// server keeps answering everyone else meanwhile, cuts each slow client off once its head is
// overdue (--header-timeout) and not before, and still serves a head that arrives slowly but
// within the deadline. (Before the deadline existed, 1,100 such clients held every connection
// slot and the server answered nobody.)
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const {tmpdir, start, stop} = require('./lib/server');

const SLOW = 1100;
const DEADLINE_S = 10;

function get(port, path) {
	return new Promise((resolve, reject) => {
		const req = http.get({host: '127.0.0.1', port, path, agent: false, timeout: 20000}, (res) => {
			let body = '';
			res.on('data', (d) => (body += d));
			res.on('end', () => resolve({status: res.statusCode, body}));
		});
		req.on('timeout', () => req.destroy(new Error('no answer in 20 s')));
		req.on('error', reject);
	});
}

// A client that sends its head's first line and then one header line a second, forever.
// Resolves once connected; `closed` resolves with the milliseconds it lived when the server
// cuts it off.
function slowClient(port) {
	return new Promise((resolve, reject) => {
		// Timed from before the connect: the server's deadline starts at its accept, later than
		// this, so the lifetime measured here is never shorter than the server's, however late a
		// busy event loop gets round to the 'connect' and 'close' events.
		const c = {openedAt: Date.now(), closedAt: null};
		const s = net.connect(port, '127.0.0.1');
		c.socket = s;
		let timer = null;
		c.closed = new Promise((done) => {
			s.on('close', () => {
				clearInterval(timer);
				c.closedAt = Date.now();
				done(c.closedAt - c.openedAt);
			});
		});
		s.on('error', () => {}); // a reset once cut off is the same as a close here
		s.on('connect', () => {
			s.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
			timer = setInterval(() => s.write('X-Slow: 1\r\n'), 1000);
			resolve(c);
		});
		s.once('error', reject);
	});
}

test('1,100 slow clients: others are answered, the slow ones are cut off at the deadline', {timeout: 120000}, async () => {
	const data = tmpdir('slow');
	const srv = await start(['--data', data, '--quiet', '--header-timeout', String(DEADLINE_S)]);
	const clients = [];
	try {
		for (let i = 0; i < SLOW; i += 100)
			clients.push(...await Promise.all(Array.from({length: Math.min(100, SLOW - i)}, () => slowClient(srv.port))));
		// While they hold their connections, others are answered (each on a new connection).
		for (let i = 0; i < 10; i++) {
			const r = await get(srv.port, '/healthz');
			assert.equal(r.status, 200);
			assert.match(r.body, /"status":"ok"/);
		}
		const stillOpen = clients.filter((c) => c.closedAt === null).length;
		assert.ok(stillOpen >= 1000, `only ${stillOpen} slow clients were connected while others were answered`);
		// A head that takes a while but arrives within the deadline is answered.
		const patient = await new Promise((resolve, reject) => {
			const s = net.connect(srv.port, '127.0.0.1');
			let text = '';
			s.setEncoding('latin1');
			s.on('data', (d) => {
				text += d;
				if (/\r\n\r\n[\s\S]*\}/.test(text)) {
					s.destroy();
					resolve(text);
				}
			});
			s.on('error', reject);
			s.on('connect', async () => {
				s.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n`);
				for (let k = 0; k < 3; k++) {
					await new Promise((r) => setTimeout(r, 400));
					s.write('X-Patient: 1\r\n');
				}
				s.write('\r\n');
			});
		});
		assert.match(patient, /^HTTP\/1\.1 200/);
		// Every slow client is cut off: not before its deadline, and within a few seconds of it
		// (the bound is loose: the machine may be busy).
		const lived = await Promise.race([
			Promise.all(clients.map((c) => c.closed)),
			new Promise((r) => setTimeout(() => r(null), (DEADLINE_S + 20) * 1000)),
		]);
		const left = clients.filter((c) => c.closedAt === null).length;
		assert.ok(lived, `${left} of ${SLOW} slow clients still connected ${DEADLINE_S + 20} s on`);
		assert.ok(Math.min(...lived) >= DEADLINE_S * 1000,
			`a slow client was cut off after ${Math.min(...lived)} ms, before the ${DEADLINE_S} s deadline`);
		// And the server is as it was.
		assert.equal((await get(srv.port, '/healthz')).status, 200);
	} finally {
		for (const c of clients) c.socket.destroy();
		await stop(srv);
		fs.rmSync(data, {recursive: true, force: true});
	}
});
