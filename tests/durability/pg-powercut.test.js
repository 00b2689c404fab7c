// Durability against power loss, for the PostgreSQL store: a throwaway cluster runs under
// libpowercut.so (powercut.c) while `postcard serve` commits into it. The shim keeps every file of
// the data directory as of its last sync, in memory shared by the postmaster and every backend
// it forks (a sync makes durable what any process wrote), and cuts the power inside a random
// sync of a WAL file: the whole process group is SIGKILLed there, holding the shim's lock, so no
// other process's sync lands afterwards. restore.js then puts back what the disk would hold
// (unsynced writes lost; in every other round random unsynced 4 KiB blocks kept, torn 8 KiB
// pages included), PostgreSQL starts on it without the shim (crash recovery), and every
// commit `serve` acknowledged must be in the journal, each learner's stored state at least the
// last value acknowledged to them.
//
// The settings are the ones that make a commit durable (fsync=on, synchronous_commit=on,
// full_page_writes=on), with wal_sync_method=fdatasync named: it is PostgreSQL's default on
// Linux, and a sync the shim can see (open_datasync would make every WAL write a sync, which
// the shim does not model). PG_POWERCUT_SETTINGS adds settings, to show the test fails when
// durability is broken: "synchronous_commit=off" or "fsync=off" (see the README: "Durability").
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {spawn, spawnSync} = require('node:child_process');
const {packFixture} = require('../server/lib/zip');
const {tmpdir, run, start, stop, launchPart, freePort} = require('../server/lib/server');
const {restore} = require('./restore');
const {commitUntilCut, assertLatestKept} = require('./commits');

const LIB = process.env.POWERCUT_LIB;
const ROUNDS = Number(process.env.PG_POWERCUT_ROUNDS || 3);
const LEARNERS = 6;
const EXTRA = (process.env.PG_POWERCUT_SETTINGS || '').split(/\s+/).filter(Boolean);

function pgBin() {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => b - a) : [];
	for (const v of versions) {
		const bin = path.join(root, v, 'bin');
		if (fs.existsSync(path.join(bin, 'postgres')) && fs.existsSync(path.join(bin, 'initdb'))) return bin;
	}
	return null;
}

// PostgreSQL refuses to run as root: as root, the cluster runs as the Debian package's user.
function runAs() {
	if (process.getuid() !== 0) return {};
	for (const user of ['postgres', 'nobody']) {
		const r = spawnSync('id', ['-u', user], {encoding: 'utf8'});
		const g = spawnSync('id', ['-g', user], {encoding: 'utf8'});
		if (r.status === 0) return {uid: Number(r.stdout), gid: Number(g.stdout)};
	}
	throw new Error('no user to run PostgreSQL as');
}

// The processes of a cluster started under the shim (the postmaster and its children, which
// are not one process group: each backend calls setsid): those whose environment names `dir`.
function clusterPids(dir) {
	const marker = `POWERCUT_DIR=${dir}\0`;
	const pids = [];
	for (const p of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(p)) continue;
		try {
			if (fs.readFileSync(`/proc/${p}/environ`).includes(marker)) pids.push(Number(p));
		} catch {
			// gone meanwhile
		}
	}
	return pids;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('acknowledged PostgreSQL commits survive a power cut inside a WAL sync', {skip: !LIB && 'POWERCUT_LIB not set'}, async (t) => {
	const bin = pgBin();
	assert.ok(bin, "PostgreSQL's server is not installed (Debian package 'postgresql'; 'make deps' installs it)");
	const as = runAs();
	const work = tmpdir('pg-powercut');
	fs.chmodSync(work, 0o755);
	// The shim is copied beside the cluster: the postgres user may not be able to read the
	// build folder (a checkout under /root, or in a private temporary folder).
	const lib = path.join(work, 'libpowercut.so');
	fs.copyFileSync(LIB, lib);
	fs.chmodSync(lib, 0o755);
	const data = path.join(work, 'pgdata');
	fs.mkdirSync(data, {mode: 0o700});
	if (as.uid !== undefined) fs.chownSync(data, as.uid, as.gid);
	const init = spawnSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8',
		'--locale=C', '--no-sync'], {encoding: 'utf8', cwd: work, ...as});
	assert.equal(init.status, 0, init.stderr);
	// Whatever a failed assertion leaves running is stopped: the cluster (immediate shutdown, which
	// takes its backends along) and serve.
	let pg = null, srv = null;
	t.after(async () => {
		if (srv) await stop(srv, 'SIGKILL');
		if (pg?.proc && pg.proc.exitCode === null && pg.proc.signalCode === null) {
			process.kill(pg.pid, 'SIGQUIT');
			await pg.exited;
		}
		for (const p of clusterPids(data)) process.kill(p, 'SIGKILL');
	});
	const port = await freePort();
	const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
	const log = path.join(work, 'postgres.log');
	const psql = (sql) => {
		const r = spawnSync(path.join(bin, 'psql'), [url, '-XAtq', '-c', sql], {encoding: 'utf8'});
		assert.equal(r.status, 0, r.stderr);
		return r.stdout.trim();
	};

	// Starts the postmaster in its own process group; resolves {proc, pid, exited} once it takes
	// connections, or {proc: null} when the power went before.
	async function startPg({cutAt = 0} = {}) {
		const env = {...process.env};
		if (cutAt) Object.assign(env, {LD_PRELOAD: lib, POWERCUT_DIR: data, POWERCUT_AT: String(cutAt),
			POWERCUT_IN: 'pg_wal/', POWERCUT_GROUP: '1'});
		const out = fs.openSync(log, 'a');
		const proc = spawn(path.join(bin, 'postgres'), ['-D', data, '-c', 'listen_addresses=127.0.0.1',
			'-c', `port=${port}`, '-c', 'unix_socket_directories=', '-c', 'fsync=on', '-c', 'synchronous_commit=on',
			'-c', 'full_page_writes=on', '-c', 'wal_sync_method=fdatasync', '-c', 'max_connections=50',
			...EXTRA.flatMap((s) => ['-c', s])], {env, cwd: work, detached: true, stdio: ['ignore', out, out], ...as});
		fs.closeSync(out);
		let down = false;
		const exited = new Promise((r) => proc.on('exit', (code, sig) => { down = true; r({code, sig}); }));
		for (let i = 0; i < 300 && !down; i++) {
			const r = spawnSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q']);
			if (r.status === 0) return {proc, pid: proc.pid, exited};
			await sleep(100);
		}
		if (down && cutAt) {
			while (clusterPids(data).length) await sleep(20);
			return {proc: null};
		}
		throw new Error(`PostgreSQL did not start:\n${fs.readFileSync(log, 'utf8').slice(-2000)}`);
	}
	async function stopPg(pg) {
		process.kill(pg.pid, 'SIGINT'); // fast shutdown: a checkpoint, every file synced
		await pg.exited;
	}
	// The power goes now (not inside a sync): as the shim does, the postmaster is stopped so
	// that it neither forks nor restarts anything, its children are killed, then it.
	function powerOff(pid) {
		process.kill(pid, 'SIGSTOP');
		for (const p of clusterPids(data)) if (p !== pid) process.kill(p, 'SIGKILL');
		process.kill(pid, 'SIGKILL');
	}

	// The schema and a package, on a cluster that is not cut.
	const serveData = path.join(work, 'serve');
	const zip = path.join(work, 'sco12.zip');
	packFixture(path.join(__dirname, '..', 'server', 'fixtures', 'sco12'), zip);
	pg = await startPg();
	const imp = run(['import', zip, '--data', serveData, '--db', url]);
	assert.equal(imp.status, 0, imp.stderr);
	await stopPg(pg);

	const acked = new Map(); // "attempt:session:seq" -> value, over all rounds
	const lastAcked = new Map(); // learner -> value
	let seed = Number(process.env.POWERCUT_SEED || Date.now() % 100000);
	const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
	let totalAcked = 0, atSync = 0, mixed = 0;
	for (let round = 1; round <= ROUNDS; round++) {
		const cutAt = 20 + Math.floor(rand() * 300);
		pg = await startPg({cutAt});
		let timedOut = false;
		if (pg.proc) {
			let down = false;
			pg.exited.then(() => (down = true));
			// The power goes at WAL sync `cutAt`, or else after a few seconds of load.
			const timer = setTimeout(() => {
				timedOut = true;
				powerOff(pg.pid);
			}, 8000);
			srv = null;
			try {
				srv = await start(['--data', serveData, '--db', url, '--quiet', '--simulate-learners']);
			} catch {
				assert.ok(down, 'serve did not start while PostgreSQL was up');
			}
			const sessions = [];
			for (let i = 0; srv && i < LEARNERS && !down; i++) {
				try {
					const l = await launchPart(srv, 'test-sco12', {cookie: `pc_learner=learner${i}`});
					sessions.push({i, l, attempt: Number(psql(`SELECT a.id FROM attempts a JOIN learners l ON l.id = a.learner_id WHERE l.ident = 'learner${i}' ORDER BY a.id DESC LIMIT 1`))});
				} catch {
					break; // the power went during a launch
				}
			}
			await commitUntilCut(sessions, round, () => down, (key, i, value) => {
				acked.set(key, value);
				lastAcked.set(i, value);
				totalAcked++;
			}, {errorsEnd: true}); // the store went away: not acknowledged
			await pg.exited;
			clearTimeout(timer);
			while (clusterPids(data).length) await sleep(20);
			if (srv) await stop(srv, 'SIGKILL');
			srv = null;
		}
		if (!timedOut) atSync++;
		const report = restore(data, {seed: round % 2 ? 0 : Math.floor(rand() * 1e9) + 1});
		if (Object.values(report).includes('mixed')) mixed++;
		// After a reboot no process holds the PID a stale postmaster.pid names; here one might.
		fs.rmSync(path.join(data, 'postmaster.pid'), {force: true});
		if (as.uid !== undefined) spawnSync('chown', ['-R', `${as.uid}:${as.gid}`, data]);

		pg = await startPg(); // crash recovery: the cluster must start on what the disk held
		const journal = new Set(psql(
			"SELECT c.attempt_id || ':' || (c.request::json->>'session') || ':' || c.seq FROM commits c").split('\n'));
		const missing = [...acked.keys()].filter((k) => !journal.has(k));
		assert.deepEqual(missing, [], `round ${round} (cut at WAL sync ${cutAt}, seed ${seed}): acknowledged commits lost`);
		const rows = psql("SELECT l.ident || '|' || s.location FROM sco_states s JOIN attempts a ON a.id = s.attempt_id JOIN learners l ON l.id = a.learner_id")
			.split('\n').filter(Boolean);
		assertLatestKept(rows, lastAcked);
		await stopPg(pg);
	}
	t.diagnostic(`${ROUNDS} power cuts (${atSync} inside a WAL sync, ${mixed} keeping some unsynced blocks), ${totalAcked} commits acknowledged`);
	assert.ok(totalAcked > ROUNDS * LEARNERS, `only ${totalAcked} commits acknowledged in ${ROUNDS} cuts`);
	assert.ok(atSync >= ROUNDS / 2, `only ${atSync} of ${ROUNDS} cuts came inside a WAL sync`);
	fs.rmSync(work, {recursive: true, force: true});
});
