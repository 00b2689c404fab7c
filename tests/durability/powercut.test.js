// Durability against power loss, for the SQLite store: `postcard serve` runs under
// libpowercut.so (powercut.c), which keeps each file of the data folder as of its last sync and
// cuts the power (SIGKILL inside an fsync, before it counts) at a random sync. Learners commit
// concurrently until the cut; then the folder is put back to what the disk had (restore.js:
// unsynced writes lost, and in every other round a random part of the unsynced 4 KiB blocks
// kept), and the next round starts the server on it. After every round: PRAGMA integrity_check
// is ok, every acknowledged commit is in the journal, and each learner's stored state holds at
// least the last value acknowledged to them. With synchronous=OFF, or the acknowledgement sent
// before COMMIT, this test fails (see the README: "Durability").
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {spawn, spawnSync} = require('node:child_process');
const {packFixture} = require('../server/lib/zip');
const {BIN, tmpdir, run, launchPart} = require('../server/lib/server');
const {restore} = require('./restore');
const {commitUntilCut, assertLatestKept} = require('./commits');

const LIB = process.env.POWERCUT_LIB;
const ROUNDS = Number(process.env.POWERCUT_ROUNDS || 12);
const LEARNERS = 6;

function sqlite(db, sql) {
	const r = spawnSync('sqlite3', [db, sql], {encoding: 'utf8'});
	assert.equal(r.status, 0, r.stderr);
	return r.stdout.trim();
}

// Starts serve under the shim. Resolves {url, proc, exited} or, when the power went during
// start-up, {proc: null}.
function startCut(data, cutAt) {
	return new Promise((resolve, reject) => {
		const proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--data', data, '--quiet',
			'--simulate-learners'], {
			env: {...process.env, LD_PRELOAD: LIB, POWERCUT_DIR: data, POWERCUT_AT: String(cutAt)},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '', err = '', ready = false;
		const exited = new Promise((r) => proc.on('exit', (code, sig) => r({code, sig})));
		const timer = setTimeout(() => reject(new Error('server did not start: ' + err)), 30000);
		proc.stdout.on('data', (d) => {
			out += d;
			const m = out.match(/http:\/\/postcard\.localhost:(\d+)\//);
			if (m && !ready) {
				ready = true;
				clearTimeout(timer);
				resolve({url: `http://127.0.0.1:${m[1]}`, proc, exited, stderr: () => err});
			}
		});
		proc.stderr.on('data', (d) => (err += d));
		exited.then(({sig}) => {
			if (ready) return;
			clearTimeout(timer);
			if (sig === 'SIGKILL') resolve({proc: null});
			else reject(new Error(`server exited before it was ready: ${err}`));
		});
	});
}

test('acknowledged commits survive a power cut at any sync', {skip: !LIB && 'POWERCUT_LIB not set'}, async (t) => {
	const data = tmpdir('powercut');
	const zip = path.join(tmpdir('powercut-pkg'), 'sco12.zip');
	packFixture(path.join(__dirname, '..', 'server', 'fixtures', 'sco12'), zip);
	assert.equal(run(['import', zip, '--data', data]).status, 0);
	const db = path.join(data, 'postcard.db');
	const acked = new Map(); // "attempt:seq" -> value, over all rounds
	const lastAcked = new Map(); // learner -> {round, value}
	let seed = Number(process.env.POWERCUT_SEED || Date.now() % 100000);
	const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
	let cuts = 0, totalAcked = 0, atSync = 0, mixed = 0;

	for (let round = 1; round <= ROUNDS; round++) {
		const cutAt = 1 + Math.floor(rand() * 150);
		const srv = await startCut(data, cutAt);
		let down = !srv.proc;
		if (srv.proc) {
			srv.exited.then(() => (down = true));
			const sessions = [];
			for (let i = 0; i < LEARNERS && !down; i++) {
				try {
					const l = await launchPart(srv, 'test-sco12', {cookie: `pc_learner=learner${i}`});
					sessions.push({i, l, attempt: Number(sqlite(db, `SELECT a.id FROM attempts a JOIN learners l ON l.id = a.learner_id WHERE l.ident = 'learner${i}'`))});
				} catch {
					break; // the power went during a launch
				}
			}
			// The power goes at sync `cutAt`, or else after a few seconds of load.
			let timedOut = false;
			const timer = setTimeout(() => {
				timedOut = true;
				srv.proc.kill('SIGKILL');
			}, 6000);
			await commitUntilCut(sessions, round, () => down, (key, i, value) => {
				acked.set(key, value);
				lastAcked.set(i, value);
				totalAcked++;
			});
			clearTimeout(timer);
			if (!timedOut) atSync++; /* the shim cut the power inside a sync */
			const how = await srv.exited;
			assert.equal(how.sig, 'SIGKILL');
		}
		cuts++;
		const report = restore(data, {seed: round % 2 ? 0 : Math.floor(rand() * 1e9) + 1});
		if (Object.values(report).includes('mixed')) mixed++;
		assert.ok(!('postcard.db' in report) || report['postcard.db'] !== 'lost', 'the database was never synced');

		assert.equal(sqlite(db, 'PRAGMA integrity_check'), 'ok', `round ${round}`);
		const journal = new Set(sqlite(db,
			"SELECT c.attempt_id || ':' || json_extract(c.request, '$.session') || ':' || c.seq FROM commits c")
			.split('\n'));
		const missing = [...acked.keys()].filter((k) => !journal.has(k));
		assert.deepEqual(missing, [], `round ${round} (cut at sync ${cutAt}, seed ${seed}): acknowledged commits lost`);
		// Each learner's stored location is the last acknowledged value or a later one.
		const rows = sqlite(db, "SELECT l.ident || '|' || s.location FROM sco_states s JOIN attempts a ON a.id = s.attempt_id JOIN learners l ON l.id = a.learner_id")
			.split('\n').filter(Boolean);
		assertLatestKept(rows, lastAcked);
	}
	t.diagnostic(`${cuts} power cuts (${atSync} inside a sync, ${mixed} keeping some unsynced blocks), ${totalAcked} commits acknowledged`);
	assert.ok(totalAcked > ROUNDS * LEARNERS, `only ${totalAcked} commits acknowledged in ${cuts} cuts`);
	assert.ok(atSync >= ROUNDS / 2, `only ${atSync} of ${ROUNDS} cuts came inside a sync`);
	// And the server starts on what is left and answers.
	const again = spawnSync(BIN, ['records', '--data', data, '--format', 'json'], {encoding: 'utf8'});
	assert.equal(again.status, 0, again.stderr);
	fs.rmSync(data, {recursive: true, force: true});
});
