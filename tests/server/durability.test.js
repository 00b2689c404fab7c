// Durability: several learners commit concurrently; the server is killed with SIGKILL in the
// middle of the load and started again. Every commit that was acknowledged must be in the
// journal, the SCO state must hold at least the last acknowledged value, the database must pass
// PRAGMA integrity_check, and the server must start cleanly.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {spawnSync} = require('node:child_process');
const {packFixture} = require('./lib/zip');
const {tmpdir, run, start, stop, launchPart} = require('./lib/server');

const LEARNERS = 8;

function sqlite(db, sql) {
	const r = spawnSync('sqlite3', [db, sql], {encoding: 'utf8'});
	assert.equal(r.status, 0, r.stderr);
	return r.stdout.trim();
}

function attemptOf(db, learner) {
	return Number(sqlite(db, `SELECT a.id FROM attempts a JOIN learners l ON l.id = a.learner_id
		WHERE l.ident = '${learner}'`));
}

test('acknowledged commits survive SIGKILL', async () => {
	const data = tmpdir('durable');
	const zip = path.join(data, 'sco12.zip');
	packFixture(path.join(__dirname, 'fixtures', 'sco12'), zip);
	assert.equal(run(['import', zip, '--data', data]).status, 0);
	const db = path.join(data, 'postcard.db');

	const srv = await start(['--data', data, '--quiet', '--simulate-learners']);
	const acked = []; // [attemptId, seq, value]
	let killed = false;
	const learners = await Promise.all(Array.from({length: LEARNERS},
		(_, i) => launchPart(srv, 'test-sco12', {cookie: `pc_learner=learner${i}`})));
	const attempts = learners.map((_, i) => attemptOf(db, `learner${i}`));
	assert.equal(new Set(attempts).size, LEARNERS);

	async function learnerLoop(i) {
		const l = learners[i];
		for (let seq = 1; !killed; seq++) {
			const value = `l${i}-${seq}`;
			const body = JSON.stringify({protocol: 1, version: '1.2', session: l.session, seq, from: seq - 1,
				changes: [['cmi.core.lesson_location', value]], terminate: false});
			try {
				const r = await l.commit(body);
				const j = await r.json();
				if (r.status === 200 && j.result === true) acked.push([attempts[i], seq, value, i]);
				else assert.fail(`commit refused: ${r.status} ${JSON.stringify(j)}`);
			} catch (e) {
				if (!killed) throw e;
				return; // the connection died with the server: not acknowledged
			}
		}
	}
	const loops = learners.map((_, i) => learnerLoop(i));
	// Let the load run (at least 200 acknowledged commits, at most 15 s: sanitizer builds are
	// slow), then kill the server mid-flight.
	for (let t = 0; t < 300 && acked.length < 200; t++) await new Promise((r) => setTimeout(r, 50));
	killed = true;
	const how = await stop(srv, 'SIGKILL');
	assert.equal(how.sig, 'SIGKILL');
	await Promise.all(loops);
	assert.ok(acked.length >= LEARNERS, `only ${acked.length} commits acknowledged`);

	assert.equal(sqlite(db, 'PRAGMA integrity_check'), 'ok');
	const journal = new Set(sqlite(db, 'SELECT attempt_id || \':\' || seq FROM commits').split('\n'));
	const missing = acked.filter(([a, s]) => !journal.has(`${a}:${s}`));
	assert.deepEqual(missing, [], 'acknowledged commits missing from the journal');

	// The server starts cleanly on the same data and reports every learner's latest value.
	const again = await start(['--data', data, '--quiet']);
	const health = await (await fetch(`${again.url}/healthz`)).json();
	assert.equal(health.status, 'ok');
	await stop(again);
	const records = JSON.parse(run(['records', '--data', data, '--format', 'json']).stdout).records;
	for (let i = 0; i < LEARNERS; i++) {
		const mine = acked.filter((a) => a[3] === i);
		const last = mine[mine.length - 1];
		const rec = records.find((r) => r.learner === `learner${i}`);
		const stored = Number(rec.location.split('-')[1]);
		assert.ok(stored >= last[1], `learner${i}: stored ${rec.location}, acknowledged ${last[2]}`);
	}
	fs.rmSync(data, {recursive: true});
});
