// `postcard serve`, `import` and `records` over the real binary and real sockets: loopback only,
// keep-alive, raw request targets (MHD must not unescape them before we check), HEAD, the access
// log, re-importing a new version, and the records formats.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const {packFixture} = require('./lib/zip');
const {tmpdir, run, start, stop, contentFetch, launchPart} = require('./lib/server');

const FIXTURE = path.join(__dirname, 'fixtures', 'sco12');

function makeZip(dir, name, edit) {
	const src = tmpdir('fx');
	fs.cpSync(FIXTURE, src, {recursive: true});
	if (edit) edit(src);
	const out = path.join(dir, name);
	packFixture(src, out);
	fs.rmSync(src, {recursive: true});
	return out;
}

// Sends raw HTTP/1.1 requests on one socket; resolves the raw responses text.
function raw(port, requests) {
	return new Promise((resolve, reject) => {
		const s = net.connect(port, '127.0.0.1');
		let data = '';
		s.setEncoding('latin1');
		let done = false;
		const finish = () => {
			if (done) return;
			done = true;
			s.destroy();
			resolve(data);
		};
		s.on('data', (d) => {
			data += d;
			// Every response here is small: once all status lines are in, the rest follows at once.
			if (statuses(data).length === requests.length) setTimeout(finish, 50);
		});
		s.on('end', finish);
		s.on('error', reject);
		s.on('connect', () => s.write(requests.join('')));
		setTimeout(finish, 5000);
	});
}

function statuses(text) {
	return [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));
}

test('binding anything but loopback is refused with a reason, before anything is created', () => {
	const parent = tmpdir('data');
	const data = path.join(parent, 'not-yet');
	for (const addr of ['0.0.0.0:0', '192.168.1.10:8080', '[::]:0', 'example.org:80', '127.0.0.1']) {
		const r = run(['serve', '--listen', addr, '--data', data]);
		assert.equal(r.status, 2, addr);
		assert.match(r.stderr, addr.startsWith('example') ? /not an IP address/
			: addr === '127.0.0.1' ? /wants HOST:PORT/ : /no learner accounts/);
		// A refused --listen leaves no data folder (and no database) behind.
		assert.equal(fs.existsSync(data), false, addr);
	}
	fs.rmSync(parent, {recursive: true});
});

test('with accounts (team mode) any address may be listened on, and --simulate-learners is refused', async () => {
	const data = tmpdir('team-listen');
	const add = run(['user', 'add', 'admin@example.org', '--admin', '--data', data], {input: 'correct horse battery\n'});
	assert.equal(add.status, 0, add.stderr);
	assert.match(add.stdout, /admin account created/);
	const sim = run(['serve', '--data', data, '--listen', '127.0.0.1:0', '--simulate-learners']);
	assert.equal(sim.status, 2);
	assert.match(sim.stderr, /cannot be used with accounts/);
	const srv = await start(['--data', data, '--quiet'], {listen: '0.0.0.0:0'});
	try {
		const r = await fetch(`${srv.url}/`, {redirect: 'manual'});
		assert.equal(r.status, 303);
		assert.equal(r.headers.get('location'), '/login?next=%2F');
	} finally {
		await stop(srv);
	}
	fs.rmSync(data, {recursive: true});
});

test('import takes a package folder too, stored as a reproducible zip', () => {
	const data = tmpdir('data');
	const src = tmpdir('folder');
	fs.cpSync(path.join(__dirname, 'fixtures', 'sco2004'), src, {recursive: true});
	const schemas = path.resolve(__dirname, '../../schemas');
	for (const set of ['scorm2004-4th', 'scorm2004-common'])
		for (const f of fs.readdirSync(path.join(schemas, set)))
			fs.copyFileSync(path.join(schemas, set, f), path.join(src, f));
	const first = run(['import', src, '--data', data]);
	assert.equal(first.status, 0, first.stderr);
	assert.match(first.stdout, /imported test-sco2004 /);
	const again = run(['import', src, '--data', data]);
	assert.match(again.stdout, /already imported/);
	assert.equal(fs.readdirSync(path.join(data, 'packages')).filter((f) => f.endsWith('.zip')).length, 1);
	fs.rmSync(data, {recursive: true});
	fs.rmSync(src, {recursive: true});
});

test('import says when a package comes back in another edition; the list names the edition validate names', async () => {
	const data = tmpdir('data');
	const first = run(['import', makeZip(data, 'sco12.zip'), '--data', data]);
	assert.equal(first.status, 0, first.stderr);
	// The same package (manifest identifier) as a SCORM 2004 2nd Edition folder ("CAM 1.3").
	const src = tmpdir('folder');
	fs.cpSync(path.join(__dirname, 'fixtures', 'sco2004'), src, {recursive: true});
	const schemas = path.resolve(__dirname, '../../schemas');
	for (const set of ['scorm2004-3rd', 'scorm2004-common'])
		for (const f of fs.readdirSync(path.join(schemas, set)))
			fs.copyFileSync(path.join(schemas, set, f), path.join(src, f));
	const m = path.join(src, 'imsmanifest.xml');
	fs.writeFileSync(m, fs.readFileSync(m, 'utf8').replace('identifier="test-sco2004"', 'identifier="test-sco12"')
		.replace('2004 4th Edition', 'CAM 1.3').replace(/ *<adlcp:completionThreshold[^>]*\/>\n/, ''));
	const validated = run(['validate', src]);
	assert.match(validated.stdout, /: SCORM 2004 2nd Edition: 0 errors, /);
	const up = run(['import', src, '--data', data]);
	assert.equal(up.status, 0, up.stderr);
	assert.match(up.stdout, /updated test-sco12 "API test \(SCORM 2004\)" from SCORM 1\.2 to SCORM 2004 2nd Edition \(/);
	assert.match(up.stderr, /warning: schemaversion 'CAM 1\.3' is SCORM 2004 2nd Edition/);
	const srv = await start(['--data', data, '--quiet']);
	try {
		const list = await (await fetch(`${srv.url}/`)).text();
		assert.match(list, /SCORM 2004 2nd Edition/);
	} finally {
		await stop(srv);
	}
	fs.rmSync(data, {recursive: true});
	fs.rmSync(src, {recursive: true});
});

test('import refuses a package with errors and prints the findings', () => {
	const data = tmpdir('data');
	const zip = makeZip(data, 'broken.zip', (dir) => fs.rmSync(path.join(dir, 'sco.js')));
	const r = run(['import', zip, '--data', data]);
	assert.equal(r.status, 1);
	assert.match(r.stderr, /sco\.js/);
	assert.match(r.stderr, /error:/);
	assert.match(r.stderr, /refused: the package has errors/);
	assert.deepEqual(fs.readdirSync(path.join(data, 'packages')), []);
	fs.rmSync(data, {recursive: true});
});

test('serving: keep-alive, raw targets refused, HEAD, access log, records', async () => {
	const data = tmpdir('data');
	const zip = makeZip(data, 'sco12.zip');
	const imp = run(['import', zip, '--data', data]);
	assert.equal(imp.status, 0, imp.stderr);
	assert.match(imp.stdout, /imported test-sco12 "API test \(SCORM 1\.2\)" \(1 launchable item, [0-9a-f]{12}\)/);
	const again = run(['import', zip, '--data', data]);
	assert.match(again.stdout, /already imported/);
	const hash = fs.readdirSync(path.join(data, 'packages')).find((f) => f.endsWith('.zip')).slice(0, 64);

	const srv = await start(['--data', data]);
	try {
		const page = await (await fetch(`${srv.url}/play/test-sco12`)).text();
		assert.match(page, /<iframe id="player-frame" title="Every API call"/);
		const launch = await launchPart(srv, 'test-sco12');
		assert.equal(launch.version, '1.2');
		assert.equal(launch.initial['cmi.core.student_id'], process.env.USER || 'local');
		// The package's files and commits are on its own origin, under the launch's token.
		assert.match(launch.origin, /^http:\/\/p[0-9a-f]{24}\.postcard\.localhost:\d+$/);
		const token = launch.frameUrl.match(/\/l\/([A-Za-z0-9_-]{43})\/$/)[1];
		assert.equal(launch.contentUrl, `/l/${token}/c/index.html`);
		const host = launch.origin.slice(7);

		// Two requests on one connection: both answered, the connection kept open.
		const two = await raw(srv.port, [
			`GET /l/${token}/c/index.html HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
			`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
		]);
		assert.deepEqual(statuses(two), [200, 200]);
		assert.doesNotMatch(two, /Connection: close/i);

		// Traversal spellings arrive raw at the server and are refused there.
		const bad = ['..%2fimsmanifest.xml', '%2e%2e/index.html', 'a%2f..%2findex.html', '..\\index.html',
			'%5c..%5cindex.html', '/etc/passwd', 'index.html%00.js', '%c0%ae%c0%ae/index.html', 'C:/x'];
		for (const p of bad) {
			const r = await raw(srv.port, [`GET /l/${token}/c/${p} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`]);
			assert.deepEqual(statuses(r), [400], p);
			assert.match(r, /\{"code":400,"error":"Bad Request","detail":"[^"]+"\}/);
		}
		const dotdot = await raw(srv.port, [`GET /l/${token}/c/../c/index.html HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`]);
		assert.deepEqual(statuses(dotdot), [400]);
		// HTTP/1.1 without Host: 400 in the error shape (libmicrohttpd leaves it to us); HTTP/1.0
		// may leave it out. What libmicrohttpd answers itself, before Postcard sees a request,
		// is its own HTML (README): a header line it cannot parse, a head over the 32 KiB.
		const noHost = await raw(srv.port, ['GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n']);
		assert.deepEqual(statuses(noHost), [400]);
		assert.deepEqual(JSON.parse(noHost.slice(noHost.indexOf('\r\n\r\n') + 4)),
			{code: 400, error: 'Bad Request', detail: 'an HTTP/1.1 request must name its Host'});
		assert.deepEqual(statuses(await raw(srv.port, ['GET /healthz HTTP/1.0\r\n\r\n'])), [200]);
		for (const bad of ['GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n',
			`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(40000)}\r\n\r\n`]) {
			const r = await raw(srv.port, [bad]);
			assert.deepEqual(statuses(r).length, 1, r.slice(0, 200));
			assert.match(r, /^HTTP\/1\.1 (400|431) [^\r]*\r\n(?:(?!Content-Type)[^\r]*\r\n)*\r\n<html>/, r.slice(0, 300));
		}
		// Package files are nowhere on the app's origin, by hash or by token.
		for (const p of [`/content/${hash}/index.html`, `/l/${token}/c/index.html`]) {
			const r = await raw(srv.port, [`GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`]);
			assert.deepEqual(statuses(r), [404], p);
		}

		const file = `${launch.origin}/l/${token}/c/index.html`;
		const head = await contentFetch(file, {method: 'HEAD'});
		assert.equal(head.status, 200);
		assert.equal(head.headers.get('content-type'), 'text/html; charset=utf-8');
		assert.equal((await head.text()).length, 0);
		const etag = head.headers.get('etag');
		const cond = await contentFetch(file, {headers: {'If-None-Match': etag}});
		assert.equal(cond.status, 304);
		const range = await contentFetch(file, {headers: {Range: 'bytes=0-14'}});
		assert.equal(range.status, 206);
		assert.equal(await range.text(), '<!doctype html>');

		const body = JSON.stringify({protocol: 1, version: '1.2', session: launch.session, seq: 1, from: 0,
			changes: [['cmi.core.lesson_status', 'completed'], ['cmi.core.score.raw', '75'],
				['cmi.core.session_time', '0000:01:30.00'], ['cmi.core.exit', '']], terminate: true});
		const c = await launch.commit(body, 'text/plain');
		assert.equal(c.status, 200);
		assert.equal((await c.json()).result, true);
		const m = await (await fetch(`${srv.url}/metrics`)).text();
		assert.match(m, /postcard_commits_total\{outcome="stored"\} 1\n/);
		assert.match(srv.stderr(), /127\.0\.0\.1 \S+ "\/healthz" 200 \d+ [\d.]+ms/);
	} finally {
		await stop(srv);
	}

	const table = run(['records', '--data', data]);
	assert.equal(table.status, 0, table.stderr);
	const lines = table.stdout.trim().split('\n');
	assert.match(lines[0], /^LEARNER\s+PACKAGE\s+TITLE\s+ITEM\s+ATTEMPT\s+STATUS/);
	// The SCO said "completed" with 75; the manifest's mastery score (70) makes the LMS say passed.
	assert.match(lines[1], /test-sco12\s+API test \(SCORM 1\.2\)\s+item1\s+1 done\s+passed\s+passed\s+75\s+0:01:30/);
	const csv = run(['records', '--data', data, '--format', 'csv']);
	assert.match(csv.stdout.split('\n')[1], /,test-sco12,API test \(SCORM 1\.2\),item1,1,yes,passed,passed,75,,0:01:30,90\.00,/);
	const json = JSON.parse(run(['records', '--data', data, '--format', 'json', '--package', 'test-sco12']).stdout);
	assert.equal(json.records.length, 1);
	assert.equal(json.records[0].seconds, 90);
	assert.equal(JSON.parse(run(['records', '--data', data, '--format', 'json', '--package', 'nope']).stdout).records.length, 0);
	assert.equal(run(['records', '--data', data, '--format', 'xml']).status, 2);

	// A quiet server logs nothing per request.
	const quiet = await start(['--data', data, '--quiet']);
	await (await fetch(`${quiet.url}/healthz`)).text();
	await stop(quiet);
	assert.doesNotMatch(quiet.stderr(), /healthz/);

	// A new version of the same manifest: says what changed, keeps the records.
	const v2 = makeZip(data, 'sco12-v2.zip', (dir) => {
		const m = path.join(dir, 'imsmanifest.xml');
		fs.writeFileSync(m, fs.readFileSync(m, 'utf8').replace('identifier="test-sco12" version="1.0"', 'identifier="test-sco12" version="1.1"')
			.replace('</organization>', '<item identifier="item2" identifierref="res1"><title>Again</title></item></organization>'));
	});
	// Imported while a server runs: the package list picks it up without a restart.
	const live = await start(['--data', data, '--quiet']);
	const up = run(['import', v2, '--data', data]);
	const list = await (await fetch(`${live.url}/`)).text();
	assert.match(list, /2 parts/);
	await stop(live);
	assert.equal(up.status, 0, up.stderr);
	assert.match(up.stdout, /updated test-sco12/);
	assert.match(up.stdout, /version 1\.0 -> 1\.1/);
	assert.match(up.stdout, /item item2 added/);
	assert.match(up.stdout, /records are kept/);
	assert.equal(JSON.parse(run(['records', '--data', data, '--format', 'json']).stdout).records.length, 1);
	fs.rmSync(data, {recursive: true});
});
