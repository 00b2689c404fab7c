// End to end with real KMF modules built by `postcard build`: a learner reads every card of
// Peer Assist, fails the quiz, leaves, comes back to a new attempt and passes; then leaves
// Retrospect half-way and resumes it after a reload. `postcard records` must show exactly that.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {tmpdir, run, start, stop} = require('./lib/server');
const {launch, contentFrame: browserContentFrame} = require('./lib/browser');

const ROOT = path.resolve(__dirname, '../..');
const LEARNER = 'kmf-e2e';

// Right and wrong answers in the player's memory form, worked out from the module's own data.
function answers(q) {
	const n = (q.options || q.pairs || q.steps || []).length;
	const seq = [...Array(n).keys()];
	switch (q.type) {
	case 'choice': return {right: q.correct[0], wrong: (q.correct[0] + 1) % n};
	case 'multiple': return {right: q.correct, wrong: [seq.find((i) => !q.correct.includes(i))]};
	case 'true-false': return {right: q.answer, wrong: !q.answer};
	case 'fill-in': return {right: q.answers[0], wrong: 'not the answer'};
	case 'numeric': {
		const v = q.min ?? q.max;
		return {right: v, wrong: String(Number(q.max ?? q.min) + 1000)};
	}
	case 'matching': case 'ordering': return {right: seq, wrong: seq.slice().reverse()};
	case 'likert': return {right: 0, wrong: 0};
	default: throw new Error('unknown question type ' + q.type);
	}
}

function contentFrame(page) {
	return browserContentFrame(page, '#pc-main');
}

function records(data, pkg) {
	const r = run(['records', '--data', data, '--format', 'json', '--interactions', '--package', pkg,
		'--learner', LEARNER]);
	assert.equal(r.status, 0, r.stderr);
	return JSON.parse(r.stdout);
}

async function until(data, pkg, ok, what) {
	let last;
	// Up to 30 s: commits travel after the page has moved on, and CI machines can be busy.
	for (let i = 0; i < 300; i++) {
		last = records(data, pkg);
		if (ok(last)) return last;
		await new Promise((r) => setTimeout(r, 100));
	}
	const journal = require('node:child_process').spawnSync('sqlite3', [path.join(data, 'postcard.db'),
		'SELECT seq, received_at, substr(request, 1, 300), response FROM commits ORDER BY id DESC LIMIT 8'],
	{encoding: 'utf8'}).stdout;
	assert.fail(`timed out waiting for ${what}: ${JSON.stringify(last.records)}\nlatest commits:\n${journal}`);
}

test('KMF modules: fail then pass in a new attempt, leave half-way and resume', async () => {
	const {answer, next, heading} = await import(path.join(ROOT, 'tests/package/learner.mjs'));
	const data = tmpdir('kmf');
	const out = path.join(data, 'built');
	for (const m of ['peer-assist', 'retrospect']) {
		const b = run(['build', path.join(ROOT, 'modules', m), '-o', out]);
		assert.equal(b.status, 0, b.stderr);
	}
	const zips = fs.readdirSync(out).filter((f) => f.endsWith('.zip')).map((f) => path.join(out, f));
	assert.equal(zips.length, 2);
	const imp = run(['import', ...zips, '--data', data]);
	assert.equal(imp.status, 0, imp.stderr);
	const ids = [...imp.stdout.matchAll(/imported (\S+) "/g)].map((m) => m[1]);
	const peer = ids.find((i) => i.includes('peer-assist'));
	const retro = ids.find((i) => i.includes('retrospect'));
	const srv = await start(['--data', data, '--learner', LEARNER, '--quiet']);
	const browser = await launch();
	try {
		const page = await browser.context.newPage();
		// Attempt 1: every card, every question answered wrongly, then leave.
		await page.goto(`${srv.pageUrl}/play/${peer}`);
		let frame = await contentFrame(page);
		const mod = await frame.evaluate(() => JSON.parse(document.getElementById('postcard-data').textContent));
		const qs = mod.quiz.questions;
		assert.equal(await heading(frame), 'About this module'); // the start screen
		await next(frame);
		for (let i = 0; i < mod.cards.length; i++) {
			assert.equal(await heading(frame), mod.cards[i].title);
			await next(frame);
		}
		for (const q of qs) {
			await answer(frame, q, answers(q).wrong);
			await next(frame);
		}
		assert.equal(await heading(frame), 'Your result');
		assert.match(await frame.textContent('#pc-screen'), /did not pass/);
		await page.goto(`${srv.pageUrl}/`); // pagehide: the final save
		// The session has ended once its final save (with the exit) is in.
		const failed = await until(data, peer, (j) => j.records[0]?.status === 'failed' &&
			j.records[0].exit !== null, 'the failed attempt');
		const marked = qs.filter((q) => q.type !== 'likert').length;
		const wrongScore = Math.round(100 * qs.filter((q) => q.type === 'likert' ? false :
			JSON.stringify(answers(q).wrong) === JSON.stringify(answers(q).right)).length / marked);
		assert.equal(failed.records[0].score_raw, String(wrongScore));

		// The content keeps a failed attempt suspended (for "Try the quiz again"); the learner
		// chooses "Start a new attempt" on the package list instead, and starts from card one.
		await page.click(`form[action="/attempts/${peer}/new"] button`);
		await page.waitForURL(`${srv.pageUrl}/play/${peer}`);
		frame = await contentFrame(page);
		assert.equal(await heading(frame), 'About this module');
		await next(frame);
		assert.equal(await heading(frame), mod.cards[0].title);
		for (let i = 0; i < mod.cards.length; i++) await next(frame);
		for (const q of qs) {
			await answer(frame, q, answers(q).right);
			await next(frame);
		}
		assert.equal(await heading(frame), 'Your result');
		assert.match(await frame.textContent('#pc-screen'), /You passed/);
		await page.goto(`${srv.pageUrl}/`);
		const both = await until(data, peer, (j) => j.records.length === 2 && j.records[1].status === 'passed' &&
			j.records[1].exit !== null, 'the passed attempt');
		assert.deepEqual(both.records.map((r) => [r.attempt, r.status, r.score_raw]),
			[[1, 'failed', String(wrongScore)], [2, 'passed', '100']]);
		assert.equal(both.records[0].finished, true);
		assert.equal(both.records[1].finished, true); // passed and not suspended
		for (const r of both.records) assert.ok(r.seconds > 0 && r.seconds < 600, `time ${r.total_time}`);
		// One interaction per question and attempt, with the result the learner earned.
		for (const attempt of [1, 2]) {
			const mine = both.interactions.filter((i) => i.attempt === attempt);
			assert.deepEqual(mine.map((i) => i.id), qs.map((q) => `${mod.module.id}_${q.id}`));
			for (const [k, i] of mine.entries()) {
				const want = qs[k].type === 'likert' ? 'neutral' : attempt === 1 ? 'wrong' : 'correct';
				assert.equal(i.result, want, `attempt ${attempt} ${i.id}`);
			}
		}

		// Retrospect: the start screen and two cards, then a reload: the learner is back on the third card.
		await page.goto(`${srv.pageUrl}/play/${retro}`);
		frame = await contentFrame(page);
		const rmod = await frame.evaluate(() => JSON.parse(document.getElementById('postcard-data').textContent));
		await next(frame);
		await next(frame);
		await next(frame);
		await page.reload();
		frame = await contentFrame(page);
		assert.equal(await heading(frame), rmod.cards[2].title);
		const half = await until(data, retro, (j) => j.records[0]?.exit === 'suspend', 'the suspended session');
		assert.equal(half.records[0].status, 'incomplete');
		assert.equal(half.records[0].finished, false);
		assert.equal(half.records[0].attempt, 1);
		assert.deepEqual(half.interactions, []);

		// The table says the same.
		const table = run(['records', '--data', data, '--learner', LEARNER]).stdout.trim().split('\n');
		assert.equal(table.length, 4);
		assert.match(table[1], new RegExp(`^${LEARNER}\\s+${peer}\\s+Peer Assist\\s+\\S+\\s+1 done\\s+failed\\s+failed\\s+${wrongScore}\\s+\\d+:\\d\\d:\\d\\d `));
		assert.match(table[2], new RegExp(`^${LEARNER}\\s+${peer}\\s+Peer Assist\\s+\\S+\\s+2 done\\s+passed\\s+passed\\s+100\\s+\\d+:\\d\\d:\\d\\d `));
		assert.match(table[3], new RegExp(`^${LEARNER}\\s+${retro}\\s+.+?\\s+\\S+\\s+1\\s+incomplete\\s+-\\s+-\\s+\\d+:\\d\\d:\\d\\d `));
	} finally {
		await browser.close();
		await stop(srv);
		fs.rmSync(data, {recursive: true, force: true});
	}
});
