// What an idle `serve` maps (issue 16's memory target): package files are read from the zip by
// the project's own reader (author/package/zipfile.c), so serving an ordinary package never loads
// libzip, nor the OpenSSL (libcrypto) and bzip2 it brings, and serving renders no Markdown, so
// libcmark (loaded on first use) is not mapped either; libzip is loaded only for an archive
// that reader does not vouch for (here zip64, written by Info-ZIP's `zip -fz`), and that archive
// is still served byte for byte. The process's own map says what is loaded.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {spawnSync} = require('node:child_process');
const {packFixture} = require('./lib/zip');
const {BIN, tmpdir, run, start, stop, contentFetch, launchPart} = require('./lib/server');

const FIXTURE = path.join(__dirname, 'fixtures', 'sco12');

function mapped(pid) {
	const names = new Set();
	for (const line of fs.readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
		const file = line.split(/\s+/)[5];
		if (file && file.includes('.so')) names.add(path.basename(file));
	}
	return [...names];
}

const has = (libs, prefix) => libs.some((n) => n.startsWith(prefix));

// Imports `zip`, serves it, and fetches the launch page of its only part; returns what the
// server process maps afterwards.
async function serveOne(zip) {
	const data = tmpdir('data');
	const imp = run(['import', zip, '--data', data]);
	assert.equal(imp.status, 0, imp.stderr);
	const srv = await start(['--data', data]);
	try {
		assert.equal((await fetch(`${srv.url}/`)).status, 200);
		assert.equal((await fetch(`${srv.url}/play/test-sco12`)).status, 200);
		const launch = await launchPart(srv, 'test-sco12');
		const r = await contentFetch(launch.origin + launch.contentUrl);
		assert.equal(r.status, 200);
		assert.deepEqual(await r.buffer(), fs.readFileSync(path.join(FIXTURE, 'index.html')));
		const ranged = await contentFetch(launch.origin + launch.contentUrl, {headers: {Range: 'bytes=5-9'}});
		assert.equal(ranged.status, 206);
		assert.deepEqual(await ranged.buffer(), fs.readFileSync(path.join(FIXTURE, 'index.html')).subarray(5, 10));
		return mapped(srv.proc.pid);
	} finally {
		await stop(srv);
	}
}

test('an ordinary package is served without libzip, OpenSSL, bzip2 or cmark in the process', async (t) => {
	// A build with POSTCARD_LAZY_LIBS=OFF maps them all at start-up, by design.
	const needed = spawnSync(BIN, [], {env: {...process.env, LD_TRACE_LOADED_OBJECTS: '1'}, encoding: 'utf8'}).stdout;
	if (/libzip\.so|libcmark\.so/.test(needed)) return t.skip('libzip and libcmark are linked at start-up in this build');
	const zip = path.join(tmpdir('zip'), 'sco12.zip');
	packFixture(FIXTURE, zip);
	const libs = await serveOne(zip);
	assert.ok(has(libs, 'libmicrohttpd.so'), `the server's own libraries are listed: ${libs}`);
	for (const so of ['libzip.so', 'libcrypto.so', 'libbz2.so', 'libcmark.so'])
		assert.ok(!has(libs, so), `serve mapped ${so}: ${libs.join(' ')}`);
});

test('a zip64 package is read through libzip and served the same', async () => {
	const zip = path.join(tmpdir('zip'), 'sco12-zip64.zip');
	const z = spawnSync('zip', ['-qrX', '-fz', zip, '.'], {cwd: FIXTURE});
	assert.ifError(z.error); // Info-ZIP zip is one of the build's Debian packages (Makefile)
	assert.equal(z.status, 0, String(z.stderr));
	const libs = await serveOne(zip);
	assert.ok(has(libs, 'libzip.so'), `libzip was not loaded for a zip64 archive: ${libs.join(' ')}`);
});
