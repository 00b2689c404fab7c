// Several `serve` nodes on one PostgreSQL behind nginx (round robin), run by
// tests/store/pg-cluster.sh (POSTCARD_TEST_PG). Learners launch and commit through nginx, so
// consecutive commits of one learner land on different nodes (each caching CMI states), and
// they relaunch now and then (a new session begun on whichever node). One node is SIGKILLed in
// the middle; its learners carry on through the others (a commit that got no answer is sent
// again, as the adapter does). Afterwards: every acknowledged commit is in the journal exactly
// once, each session's sequence numbers run 1..n without gaps or repeats, every learner's stored
// state is the last one acknowledged to them (no node overwrote it with an older one), and
// records are the same on every node and from `postcard records`.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const {spawn, spawnSync} = require('node:child_process');
const {packFixture} = require('./lib/zip');
const {tmpdir, run, start, stop, launchPart, freePort} = require('./lib/server');

const PG = process.env.POSTCARD_TEST_PG;
const NODES = 3;
const LEARNERS = 12;
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));

function psql(sql) {
	const r = spawnSync('psql', [PG, '-XAtq', '-c', sql], {encoding: 'utf8'});
	assert.equal(r.status, 0, r.stderr);
	return r.stdout.trim();
}

async function startNginx(dir, upstreams) {
	const port = await freePort();
	for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(dir, d), {recursive: true});
	const conf = `${process.getuid() === 0 ? 'user root;\n' : ''}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream nodes {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n')}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 4m;
    location / {
      proxy_pass http://nodes;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_next_upstream error timeout;
    }
  }
}
`;
	fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
	const proc = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {stdio: ['ignore', 'ignore', 'pipe']});
	let err = '';
	proc.stderr.on('data', (d) => (err += d));
	for (let i = 0; i < 100; i++) {
		const ok = await new Promise((resolve) => {
			const c = net.connect(port, '127.0.0.1', () => c.end(() => resolve(true)));
			c.on('error', () => resolve(false));
		});
		if (ok) return {proc, url: `http://127.0.0.1:${port}`};
		if (proc.exitCode !== null) break;
		await new Promise((r) => setTimeout(r, 100));
	}
	proc.kill('SIGKILL');
	throw new Error(`nginx did not start: ${err} ${fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : ''}`);
}

test('three nodes behind nginx: fenced writers, one node killed, nothing lost', async (t) => {
	assert.ok(PG, 'no PostgreSQL cluster: run under tests/store/pg-cluster.sh');
	assert.ok(NGINX, 'nginx is not installed (make deps installs it)');
	const work = tmpdir('multinode');
	const zip = path.join(work, 'sco12.zip');
	packFixture(path.join(__dirname, 'fixtures', 'sco12'), zip);
	// Imported through one node's CLI: the package file goes into the database, and the other
	// nodes fetch it from there into their own data folders.
	assert.equal(run(['import', zip, '--data', path.join(work, 'node0'), '--db', PG]).status, 0);
	const nodes = [];
	for (let i = 0; i < NODES; i++)
		nodes.push(await start(['--data', path.join(work, `node${i}`), '--db', PG, '--quiet',
			'--simulate-learners']));
	let lb = null;
	try {
		lb = await startNginx(path.join(work, 'nginx'), nodes.map((n) => n.port));
		await loadAndCheck(t, work, nodes, lb);
	} finally {
		if (lb) lb.proc.kill('SIGKILL');
		for (const n of nodes) await stop(n, 'SIGKILL');
	}
	fs.rmSync(work, {recursive: true, force: true});
});

async function loadAndCheck(t, work, nodes, lb) {
	let stopAll = false;
	const acked = []; // {learner, attempt, session, seq, value}
	const last = new Map();
	let retries = 0, relaunches = 0;

	async function learner(i) {
		const who = `learner${i}`;
		let l = null, seq = 0, attempt = 0;
		for (let n = 0; !stopAll; n++) {
			if (!l || n % 5 === 4) {
				let part;
				try {
					part = await launchPart(lb, 'test-sco12', {cookie: `pc_learner=${who}`});
				} catch (e) {
					// The node died under it. The launch may have begun a session before it
					// went (the old session is over either way): launch again elsewhere.
					// (nginx answers 502 with an HTML page while the node is going.)
					assert.match(e.message, /: (0|502|503|504) |ECONNRESET|socket hang up|not valid JSON|Unexpected token/,
						`${who} launch`);
					retries++;
					l = null;
					continue;
				}
				if (l) relaunches++;
				l = part;
				// The state handed to the page is the latest: whichever node launches, it
				// holds the last acknowledged commit (a node starting from its own older
				// copy would hand out, and store, a state without the commits made elsewhere).
				const mine = last.get(who);
				if (mine) {
					assert.equal(l.initial['cmi.core.lesson_location'], mine.value, `${who}: launched with an old state`);
					assert.ok(l.session > mine.session, `${who}: session ${l.session} handed out again`);
				}
				seq = 0;
				attempt = Number(psql(`SELECT a.id FROM attempts a JOIN learners l ON l.id = a.learner_id WHERE l.ident = '${who}' AND a.closed = 0`));
			}
			seq++;
			const value = `${who}-s${l.session}-${seq}`;
			const body = JSON.stringify({protocol: 1, version: "1.2", session: l.session, seq, from: 2 * (seq - 1),
				changes: [['cmi.core.lesson_location', value], ['cmi.suspend_data', `${value}:${'d'.repeat(200)}`]],
				terminate: false});
			for (let tries = 0; ; tries++) {
				const r = await l.commit(body).then(async (res) => ({status: res.status, text: await res.text()}),
					() => ({status: 0, text: ''}));
				if (r.status === 200) {
					r.json = JSON.parse(r.text);
					assert.equal(r.json.result, true, `${who} seq ${seq}: ${r.text}`);
					acked.push({who, attempt, session: l.session, seq, value});
					last.set(who, {value, session: l.session, seq});
					break;
				}
				// 502/503 from nginx while a node dies, or no answer: send it again.
				assert.ok([0, 502, 503, 504].includes(r.status), `${who} seq ${seq}: ${r.status} ${r.text}`);
				assert.ok(tries < 50, `${who} seq ${seq}: still failing: ${r.status} ${r.text}`);
				retries++;
				await new Promise((res) => setTimeout(res, 20));
			}
		}
	}
	// A failing learner stops the others, so the test ends instead of loading on.
	const failures = [];
	const loops = Array.from({length: LEARNERS}, (_, i) => learner(i).catch((e) => {
		stopAll = true;
		failures.push(e);
	}));
	const waitAcked = async (n) => {
		for (let k = 0; k < 400 && acked.length < n && !stopAll; k++) await new Promise((r) => setTimeout(r, 50));
	};
	await waitAcked(200);
	const before = acked.length;
	await stop(nodes[1], 'SIGKILL'); // mid-load
	await waitAcked(before + 200);
	stopAll = true;
	await Promise.all(loops);
	if (failures.length) throw failures[0];
	t.diagnostic(`${acked.length} commits acknowledged (${before} before the kill), ${relaunches} relaunches, ${retries} retries`);
	assert.ok(acked.length >= before + 50, `only ${acked.length - before} commits after the kill`);

	// Every acknowledged commit is journaled, exactly once.
	const journal = psql("SELECT attempt_id || ':' || (request::json->>'session') || ':' || seq, count(*) FROM commits GROUP BY 1")
		.split('\n').map((l) => l.split('|'));
	const counts = new Map(journal.map(([k, c]) => [k, Number(c)]));
	for (const a of acked) {
		const k = `${a.attempt}:${a.session}:${a.seq}`;
		assert.equal(counts.get(k), 1, `${a.who}: commit ${k} journaled ${counts.get(k) || 0} times`);
	}
	// Each session's sequence numbers run 1..n, no gap, no repeat.
	const bySession = psql("SELECT attempt_id || ':' || (request::json->>'session'), count(*), count(DISTINCT seq), max(seq) FROM commits GROUP BY 1")
		.split('\n').map((l) => l.split('|').map((x, j) => (j ? Number(x) : x)));
	for (const [k, n, distinct, max] of bySession) {
		assert.equal(distinct, n, `session ${k}: repeated sequence numbers`);
		assert.equal(max, n, `session ${k}: gaps in the sequence numbers`);
	}
	// The stored state is the last one acknowledged: no node wrote an older state over it.
	const stored = new Map(psql("SELECT l.ident, s.location, s.seq, s.commits, (SELECT count(*) FROM commits c WHERE c.attempt_id = s.attempt_id AND c.item = s.item) FROM sco_states s JOIN attempts a ON a.id = s.attempt_id JOIN learners l ON l.id = a.learner_id")
		.split('\n').map((l) => l.split('|')).map(([who, loc, seq, commits, journaled]) => [who, {loc, seq: Number(seq), commits: Number(commits), journaled: Number(journaled)}]));
	for (const [who, l] of last) {
		const s = stored.get(who);
		assert.equal(s.loc, l.value, `${who}: stored ${s.loc}, last acknowledged ${l.value}\n` +
			psql(`SELECT a.id, a.number, s.seq, s.rev, s.location FROM sco_states s JOIN attempts a ON a.id = s.attempt_id JOIN learners l ON l.id = a.learner_id WHERE l.ident = '${who}'`) + '\n' +
			psql(`SELECT c.id, c.attempt_id, c.request::json->>'session', c.seq, c.received_at FROM commits c JOIN attempts a ON a.id = c.attempt_id JOIN learners l ON l.id = a.learner_id WHERE l.ident = '${who}' ORDER BY c.id DESC LIMIT 8`));
		assert.equal(s.seq, l.seq);
		assert.equal(s.commits, s.journaled, `${who}: the state counts ${s.commits} commits, the journal ${s.journaled}`);
	}
	// Records agree on every live node and with the CLI.
	const views = [];
	for (const n of [nodes[0], nodes[2]])
		for (let i = 0; i < LEARNERS; i++) {
			const r = await fetch(`${n.url}/api/records`, {headers: {Cookie: `pc_learner=learner${i}`}});
			assert.equal(r.status, 200);
			views.push(JSON.stringify((await r.json()).records));
		}
	for (let i = 0; i < LEARNERS; i++) assert.equal(views[i], views[LEARNERS + i], `learner${i}: the nodes disagree`);
	const cli = JSON.parse(run(['records', '--db', PG, '--data', path.join(work, 'node2'), '--format', 'json']).stdout).records;
	for (const [who, l] of last) assert.equal(cli.find((r) => r.learner === who).location, l.value);

}
