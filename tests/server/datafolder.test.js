// The data folder as an operator meets it: one `serve` per SQLite folder (a second one refuses,
// saying who holds it), several processes starting at once on a fresh folder, a damaged
// database refused at start with what to do, temporary files of a killed import cleaned at
// the next start, and a full disk (a small tmpfs, as root): commits fail saying why, /healthz
// says so, records can still be read, and everything resumes when space returns.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {spawn, spawnSync} = require('node:child_process');
const {packFixture} = require('./lib/zip');
const {BIN, scaled, tmpdir, run, start, stop, launchPart} = require('./lib/server');

function fixtureZip(name) {
	const dir = tmpdir('df-pkg');
	const zip = path.join(dir, `${name}.zip`);
	packFixture(path.join(__dirname, 'fixtures', name), zip);
	return zip;
}

function runAsync(args) {
	return new Promise((resolve) => {
		const p = spawn(BIN, args, {stdio: ['ignore', 'pipe', 'pipe']});
		let out = '', err = '';
		p.stdout.on('data', (d) => (out += d));
		p.stderr.on('data', (d) => (err += d));
		p.on('exit', (status) => resolve({status, stdout: out, stderr: err}));
	});
}

async function commit(srv, l, seq, value) {
	const body = JSON.stringify({protocol: 1, version: '1.2', session: l.session, seq, from: seq - 1,
		changes: [['cmi.core.lesson_location', value]], terminate: false});
	const r = await l.commit(body);
	return {status: r.status, json: await r.json()};
}

function launch(srv, learner = 'ann') {
	return launchPart(srv, 'test-sco12', {cookie: `pc_learner=${learner}`});
}

test('a second serve on the same SQLite folder refuses and names the first', async () => {
	const data = tmpdir('df-two');
	assert.equal(run(['import', fixtureZip('sco12'), '--data', data]).status, 0);
	const first = await start(['--data', data, '--quiet', '--simulate-learners']);
	const second = run(['serve', '--data', data, '--listen', '127.0.0.1:0', '--quiet'], {timeout: scaled(20000)});
	assert.equal(second.status, 2);
	assert.match(second.stderr, new RegExp(`another postcard serve \\(pid ${first.proc.pid}\\) is using`));
	// Importing beside a running server still works (it only adds package versions).
	assert.equal(run(['import', fixtureZip('sco2004'), '--data', data]).status, 0);
	// The first one keeps serving; once it is gone, a new one starts.
	assert.equal((await fetch(`${first.url}/healthz`)).status, 200);
	await stop(first, 'SIGKILL');
	const third = await start(['--data', data, '--quiet', '--simulate-learners']);
	await stop(third);
	fs.rmSync(data, {recursive: true});
});

test('processes starting together on a fresh folder all succeed', async () => {
	for (let round = 0; round < 3; round++) {
		const data = path.join(tmpdir('df-race'), 'data');
		const [a, b, c] = await Promise.all([
			runAsync(['import', fixtureZip('sco12'), '--data', data]),
			runAsync(['import', fixtureZip('sco2004'), '--data', data]),
			runAsync(['records', '--data', data, '--format', 'json']),
		]);
		assert.equal(a.status, 0, a.stderr);
		assert.equal(b.status, 0, b.stderr);
		// `records` may run before either import has made the database: then it refuses in
		// its own words (nothing to read yet), never with a lock or schema error.
		if (c.status !== 0) {
			assert.equal(c.status, 2, c.stderr);
			assert.match(c.stderr, /^postcard records: there are no records in .*nothing was imported/);
		}
		const srv = await start(['--data', data, '--quiet', '--simulate-learners']);
		const health = await (await fetch(`${srv.url}/healthz`)).json();
		assert.equal(health.packages, 2);
		await stop(srv);
		fs.rmSync(path.dirname(data), {recursive: true});
	}
});

test('a damaged database is refused at start, with what to do', async () => {
	const data = tmpdir('df-damaged');
	assert.equal(run(['import', fixtureZip('sco12'), '--data', data]).status, 0);
	const srv = await start(['--data', data, '--quiet', '--simulate-learners']);
	for (let i = 0; i < 40; i++) await launch(srv, `learner-${i}-with-a-long-identifier-to-fill-pages`);
	await stop(srv);
	const db = path.join(data, 'postcard.db');
	const fd = fs.openSync(db, 'r+');
	const size = fs.fstatSync(fd).size;
	assert.ok(size >= 5 * 4096, `database only ${size} bytes`);
	for (let page = 2; page * 4096 < size; page++) fs.writeSync(fd, Buffer.alloc(200, 0x5a), 0, 200, page * 4096 + 100);
	fs.closeSync(fd);
	const r = run(['serve', '--data', data, '--listen', '127.0.0.1:0', '--quiet'], {timeout: scaled(20000)});
	assert.equal(r.status, 2);
	// Damage in the schema pages stops SQLite at open; elsewhere quick_check finds it.
	assert.match(r.stderr, /is damaged \((PRAGMA quick_check: .+|database disk image is malformed)\)\. Nothing was changed\. Restore it from a backup/);
	fs.rmSync(data, {recursive: true});
});

test('temporary files of a killed import are removed at the next start', async () => {
	const data = tmpdir('df-temp');
	assert.equal(run(['import', fixtureZip('sco12'), '--data', data]).status, 0);
	const pkgs = path.join(data, 'packages');
	// pids that cannot be alive (above the kernel's pid_max), and one that is (this process).
	const dead = ['.import-99999999.tmp', '.folder-99999998.zip', '.folder-99999998.zip.x1Y2z3',
		'.fetch-99999997-abc.tmp'];
	const alive = `.import-${process.pid}.tmp`;
	for (const f of [...dead, alive]) fs.writeFileSync(path.join(pkgs, f), 'partial');
	const srv = await start(['--data', data, '--quiet', '--simulate-learners']);
	await stop(srv);
	const left = fs.readdirSync(pkgs);
	for (const f of dead) assert.ok(!left.includes(f), `${f} left behind`);
	assert.ok(left.includes(alive), 'a running import\'s file was removed');
	assert.equal(left.filter((f) => f.endsWith('.zip') && !f.startsWith('.')).length, 1);
	fs.rmSync(data, {recursive: true});
});

test('a full disk: commits say why, /healthz says so, records still read, then it resumes', async (t) => {
	if (process.getuid() !== 0) return t.skip('needs root to mount a small tmpfs');
	const mnt = tmpdir('df-full');
	const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mnt], {encoding: 'utf8'});
	if (m.status !== 0) return t.skip(`cannot mount a tmpfs here: ${m.stderr.trim()}`);
	let srv;
	try {
		const data = path.join(mnt, 'data');
		assert.equal(run(['import', fixtureZip('sco12'), '--data', data]).status, 0);
		srv = await start(['--data', data, '--simulate-learners']);
		const l = await launch(srv);
		assert.equal((await commit(srv, l, 1, 'before')).status, 200);
		// Fill the disk.
		const filler = path.join(mnt, 'filler');
		const fd = fs.openSync(filler, 'w');
		const block = Buffer.alloc(64 * 1024, 1);
		try {
			for (;;) fs.writeSync(fd, block);
		} catch (e) {
			assert.equal(e.code, 'ENOSPC');
		}
		try {
			for (;;) fs.writeSync(fd, block, 0, 512);
		} catch {
			/* full to the last block */
		}
		fs.closeSync(fd);
		// Commits big enough to need new pages fail, saying why.
		const big = 'x'.repeat(3000);
		let refused;
		for (let seq = 2; seq < 60 && !refused; seq++) {
			const r = await commit(srv, l, seq, `${big}-${seq}`);
			if (r.status !== 200) refused = {seq, ...r};
		}
		assert.ok(refused, 'no commit failed on a full disk');
		assert.equal(refused.status, 503);
		assert.match(refused.json.detail, /no space left on the data folder/);
		for (let i = 0; i < 100 && !/postcard: .*no space left/.test(srv.stderr()); i++)
			await new Promise((r) => setTimeout(r, 20)); /* the log arrives through a pipe */
		assert.match(srv.stderr(), /postcard: .*no space left on the data folder/);
		const health = await fetch(`${srv.url}/healthz`);
		assert.equal(health.status, 503);
		assert.match((await health.json()).detail, /no space left on the data folder/);
		// Reading still works: the server's records and the CLI's export.
		const api = await fetch(`${srv.url}/api/records`, {headers: {Cookie: 'pc_learner=ann'}});
		assert.equal(api.status, 200);
		const csv = run(['records', '--data', data, '--format', 'csv']);
		assert.equal(csv.status, 0, csv.stderr);
		assert.match(csv.stdout, /ann/);
		// Space returns: the same commit goes through, health is ok again.
		fs.rmSync(filler);
		assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
		const again = await commit(srv, l, refused.seq, `${big}-${refused.seq}`);
		assert.equal(again.status, 200, JSON.stringify(again.json));
		const after = await commit(srv, l, refused.seq + 1, 'after');
		assert.equal(after.status, 200);
		await stop(srv);
		srv = null;
		const rec = JSON.parse(run(['records', '--data', data, '--format', 'json']).stdout).records;
		assert.equal(rec.find((r) => r.learner === 'ann').location, 'after');
	} finally {
		if (srv) await stop(srv, 'SIGKILL');
		spawnSync('umount', [mnt]);
		fs.rmSync(mnt, {recursive: true, force: true});
	}
});
