// `postcard records` on a store whose report is larger than the server's response limit
// (HTTP_MAX_RESPONSE, 32 MiB): the command prints all of it, in every format, while
// GET /api/records answers with the clear error and still serves a smaller question.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const {spawn, spawnSync} = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const {packFixture} = require('./lib/zip');
const {BIN, tmpdir, run, start, stop} = require('./lib/server');

const FILL = process.env.RECORDS_FILL ||
	path.resolve(__dirname, '../../build/tests/server/records_fill');
const ITEMS = 36, PER = 256, LEN = 4000; // 36.9 MB of answers

// Runs `postcard records ARGS` and counts what it prints without keeping it all as a string.
function records(args) {
	return new Promise((resolve, reject) => {
		const p = spawn(BIN, ['records', ...args], {stdio: ['ignore', 'pipe', 'pipe']});
		let bytes = 0, lines = 0, err = '', tail = '';
		p.stdout.on('data', (d) => {
			bytes += d.length;
			for (const b of d) if (b === 10) lines++;
			tail = (tail + d.toString('latin1')).slice(-6000);
		});
		p.stderr.on('data', (d) => (err += d));
		p.on('error', reject);
		p.on('close', (code) => resolve({code, bytes, lines, err, tail}));
	});
}

test('postcard records lists a store larger than the server sends at once', async () => {
	const data = tmpdir('records');
	try {
		const zip = path.join(data, 'sco12.zip');
		packFixture(path.join(__dirname, 'fixtures', 'sco12'), zip);
		const imp = run(['import', zip, '--data', data]);
		assert.equal(imp.status, 0, imp.stderr);
		const fill = spawnSync(FILL, [data, 'test-sco12', 'bulk', ITEMS, PER, LEN].map(String),
			{encoding: 'utf8'});
		assert.equal(fill.status, 0, fill.stderr);

		const csv = await records(['--data', data, '--interactions', '--format', 'csv']);
		assert.equal(csv.code, 0, csv.err);
		assert.ok(csv.bytes > 32 * 1024 * 1024, `printed ${csv.bytes} bytes`);
		// Header, one row per SCO, a blank line, header, one row per answer.
		assert.equal(csv.lines, 1 + ITEMS + 1 + 1 + ITEMS * PER);
		assert.match(csv.tail, /,q255,long-fill-in,,[a-z]+,,neutral,,,,,\n$/); // no question or answer text: not Postcard-built
		const json = await records(['--data', data, '--interactions', '--format', 'json',
			'--learner', 'bulk']);
		assert.equal(json.code, 0, json.err);
		assert.ok(json.bytes > 32 * 1024 * 1024);
		assert.match(json.tail, /"timestamp":null,"scorm_timestamp":null,"question":null,"answer":null\}\n\]\}\n$/);
		const table = await records(['--data', data, '--interactions']);
		assert.equal(table.code, 0, table.err);
		assert.ok(table.bytes > 32 * 1024 * 1024);

		// The server keeps its limit, and says what to do instead.
		const srv = await start(['--data', data, '--quiet', '--simulate-learners']);
		try {
			const cookie = {headers: {Cookie: 'pc_learner=bulk'}};
			const big = await fetch(`${srv.url}/api/records?interactions=1`, cookie);
			assert.equal(big.status, 500);
			const e = await big.json();
			assert.match(e.detail, /larger than the 32 MiB this server sends at once/);
			assert.match(e.detail, /postcard records/);
			const small = await fetch(`${srv.url}/api/records`, cookie);
			assert.equal(small.status, 200);
			assert.equal((await small.json()).records.length, ITEMS);
		} finally {
			await stop(srv);
		}
	} finally {
		fs.rmSync(data, {recursive: true, force: true});
	}
});

test('records refuses a data folder that does not exist and a title given as --package; options that do nothing are not offered', () => {
	const parent = tmpdir('recmissing');
	const missing = path.join(parent, 'no-such-folder');
	const r = run(['records', '--data', missing]);
	assert.equal(r.status, 2);
	assert.match(r.stderr, /there are no records in .*no-such-folder.*is --data right\?/);
	assert.equal(fs.existsSync(missing), false, 'records created the folder');
	const nodb = run(['records', '--db', path.join(parent, 'none.db')]);
	assert.equal(nodb.status, 2);
	assert.match(nodb.stderr, /there is no database at/);

	const data = path.join(parent, 'data');
	const imp = run(['import', path.join(__dirname, 'fixtures', 'sco12'), '--data', data]);
	assert.equal(imp.status, 0, imp.stderr);
	const byTitle = run(['records', '--data', data, '--package', 'api test (scorm 1.2)']);
	assert.equal(byTitle.status, 2);
	assert.match(byTitle.stderr, /'api test \(scorm 1\.2\)' is a package's title, not its identifier: use --package test-sco12/);
	const byId = run(['records', '--data', data, '--package', 'test-sco12']);
	assert.equal(byId.status, 0, byId.stderr);

	// --learner means something to serve only (the local learner) and to records (a filter).
	for (const cmd of ['import', 'user'])
		assert.doesNotMatch(run([cmd, '--help']).stdout, /--learner/, `${cmd} --help`);
	assert.match(run(['serve', '--help']).stdout, /--learner ID/);
	const imp2 = run(['import', path.join(__dirname, 'fixtures', 'sco12'), '--data', data, '--learner', 'x']);
	assert.equal(imp2.status, 2);
	assert.match(imp2.stderr, /--learner/);
	fs.rmSync(parent, {recursive: true, force: true});
});
