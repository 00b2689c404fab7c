// Starting and stopping `postcard serve` for tests: a scratch data folder, port 0, the address
// read from its first line of output.
'use strict';
const {spawn, spawnSync} = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const BIN = process.env.POSTCARD_BIN || path.resolve(__dirname, '../../../build/cli/postcard');

// Time limits stretch for slow builds: the sanitizer build runs these tests with a scale of 3
// (tests/server/CMakeLists.txt), valgrind with 30.
const TIME_SCALE = Number(process.env.POSTCARD_TEST_TIME_SCALE) || 1;
const scaled = (ms) => ms * TIME_SCALE;

function tmpdir(tag) {
	return fs.mkdtempSync(path.join(os.tmpdir(), `postcard-${tag}-`));
}

function run(args, opts = {}) {
	return spawnSync(BIN, args, {encoding: 'utf8', ...opts});
}

// Starts the server; resolves {url, pageUrl, port, proc, stderr()} once it prints its address.
// `url` is 127.0.0.1 (node cannot resolve *.localhost); browsers use `pageUrl`, the name the
// server prints, whose subdomains are the packages' origins.
function start(args, {env, listen = '127.0.0.1:0'} = {}) {
	return new Promise((resolve, reject) => {
		const proc = spawn(BIN, ['serve', '--listen', listen, ...args], {
			env: {...process.env, ...env},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '', err = '';
		const timer = setTimeout(() => {
			proc.kill('SIGKILL');
			reject(new Error('server did not start: ' + err));
		}, scaled(15000));
		proc.stdout.on('data', (d) => {
			out += d;
			const m = out.match(/http:\/\/postcard\.localhost:(\d+)\//);
			if (m) {
				clearTimeout(timer);
				resolve({url: `http://127.0.0.1:${m[1]}`, pageUrl: `http://postcard.localhost:${m[1]}`,
					port: Number(m[1]), proc, stderr: () => err});
			}
		});
		proc.stderr.on('data', (d) => (err += d));
		proc.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited ${code}: ${err}`));
		});
	});
}

function stop(srv, signal = 'SIGTERM') {
	return new Promise((resolve) => {
		if (srv.proc.exitCode !== null || srv.proc.signalCode !== null) return resolve();
		srv.proc.removeAllListeners('exit');
		srv.proc.on('exit', (code, sig) => resolve({code, sig}));
		srv.proc.kill(signal);
	});
}

// fetch() for a package's content origin ("http://p....localhost:PORT/..."): browsers resolve
// *.localhost to loopback themselves, node does not, so this connects to 127.0.0.1 and sends the
// name in Host. Resolves {status, ok, headers: {get(name)}, text(), json(), buffer()}.
function contentFetch(url, {method = 'GET', headers = {}, body} = {}) {
	const u = new URL(url);
	return new Promise((resolve, reject) => {
		const req = http.request({host: '127.0.0.1', port: u.port || 80, path: u.pathname + u.search,
			method, headers: {Host: u.host, ...headers}, agent: false}, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const buf = Buffer.concat(chunks);
				resolve({status: res.statusCode, ok: res.statusCode >= 200 && res.statusCode < 300,
					headers: {get: (n) => res.headers[n.toLowerCase()] ?? null},
					text: async () => buf.toString('utf8'), json: async () => JSON.parse(buf.toString('utf8')),
					buffer: async () => buf});
			});
		});
		req.on('error', reject);
		if (body !== undefined) req.write(body);
		req.end();
	});
}

// Launches a part as the browser does: the app's /api/launch gives the player frame's address on
// the package's content origin, whose POST launch starts the session. Resolves the launch JSON
// (version, session, initial, commitUrl, contentUrl) with `origin`, `frameUrl`, and commit(body,
// contentType) posting to commitUrl. `cookie` is sent to the app (see --simulate-learners).
async function launchPart(srv, target, {cookie} = {}) {
	const r = await fetch(`${srv.url}/api/launch/${target}`, {method: 'POST',
		headers: cookie ? {Cookie: cookie} : {}});
	const a = await r.json();
	if (r.status !== 200) throw new Error(`launch ${target}: ${r.status} ${JSON.stringify(a)}`);
	const s = await contentFetch(a.frameUrl + 'launch', {method: 'POST'});
	const l = await s.json();
	if (s.status !== 200) throw new Error(`start ${target}: ${s.status} ${JSON.stringify(l)}`);
	return {...l, origin: a.origin, frameUrl: a.frameUrl,
		commit: (body, type = 'application/json') => contentFetch(a.origin + l.commitUrl,
			{method: 'POST', body, headers: {'Content-Type': type}})};
}

// A TCP port free on loopback now (for a service a test starts itself).
function freePort() {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const {port} = s.address();
			s.close(() => resolve(port));
		});
	});
}

module.exports = {BIN, scaled, tmpdir, run, start, stop, contentFetch, launchPart, freePort};
