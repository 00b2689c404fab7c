// What both power-cut tests (SQLite, PostgreSQL) do with their learners: commit until the power
// goes, and afterwards check what the store kept against what was acknowledged.
'use strict';
const assert = require('node:assert/strict');

// Each session ({i, l: launched part, attempt}) commits cmi.core.lesson_location values
// "r<round>-l<i>-<seq>" one after another while !isDown(); each acknowledged commit is passed to
// ack("attempt:session:seq", i, value). A commit that gets no answer is not acknowledged and
// ends that learner's run; so does an error answer when `errorsEnd` (a store that went away),
// else it fails the test.
async function commitUntilCut(sessions, round, isDown, ack, {errorsEnd = false} = {}) {
	await Promise.all(sessions.map(async ({i, l: part, attempt}) => {
		for (let seq = 1; !isDown() && seq < 100000; seq++) {
			const value = `r${round}-l${i}-${seq}`;
			const body = JSON.stringify({protocol: 1, version: '1.2', session: part.session, seq,
				from: seq - 1, changes: [['cmi.core.lesson_location', value]], terminate: false});
			let r;
			try {
				const res = await part.commit(body);
				r = {status: res.status, json: await res.json()};
			} catch {
				return; // no answer: not acknowledged
			}
			if (r.status !== 200 && errorsEnd) return;
			assert.equal(r.status, 200, JSON.stringify(r.json));
			assert.equal(r.json.result, true, JSON.stringify(r.json));
			ack(`${attempt}:${part.session}:${seq}`, i, value);
		}
	}));
}

// Every learner's stored location (rows "learnerN|location") is the last value acknowledged to
// them (lastAcked: i -> value) or a later one.
function assertLatestKept(rows, lastAcked) {
	const order = (v) => /r(\d+)-l\d+-(\d+)$/.exec(v)?.slice(1).map(Number);
	for (const [i, value] of lastAcked) {
		const [ar, as] = order(value);
		const held = rows.filter((r) => r.startsWith(`learner${i}|`)).map(order).filter(Boolean);
		assert.ok(held.some(([r, s]) => r > ar || (r === ar && s >= as)),
			`learner${i}: acknowledged ${value}, stored ${JSON.stringify(held)}`);
	}
}

module.exports = {commitUntilCut, assertLatestKept};
