/* The shared conformance vectors (the JSON files in tests/vectors) against the browser adapter
 * (the built runtime/web/scorm-api.js, with the C table in it). The same files run against the
 * C model (test_vectors.c): both must pass every case. */
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');

const adapterPath = process.env.POSTCARD_SCORM_API;
const vectorsDir = process.env.POSTCARD_VECTORS || path.join(__dirname, '..', 'vectors');
assert.ok(adapterPath, 'POSTCARD_SCORM_API must name the built scorm-api.js');
const {createScormAPI} = require(adapterPath);

/* The LMS side of a case: commits always succeed, unless the case makes the storage fail. */
function transportFor(fail) {
	return {
		initialize() {
			if (fail.includes('initialize'))
				throw new Error('storage failure');
		},
		send(body) {
			const b = JSON.parse(body);
			if (b.terminate ? fail.includes('terminate') : fail.includes('commit'))
				throw new Error('storage failure');
			return Promise.resolve({result: true, errorCode: 0, seq: b.seq, applied: b.from + b.changes.length});
		},
	};
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

async function runCase(file, version, c) {
	const problems = [];
	const opts = {version, initial: c.initial || {}, transport: transportFor(c.fail || []), events: null};
	let api = createScormAPI(opts);
	for (let i = 0; i < c.calls.length; i++) {
		const [fn, args, ret, err] = c.calls[i];
		if (fn === '#relaunch') {
			api.$end();
			api = api.$next();
			continue;
		}
		if (fn === '#get') {
			const got = api.$get(args[0]);
			if (got !== ret)
				problems.push(`call ${i} #get(${args[0]}): got ${JSON.stringify(got)}, want ${JSON.stringify(ret)}`);
			continue;
		}
		if (typeof api[fn] !== 'function') {
			problems.push(`call ${i}: no function ${fn}`);
			continue;
		}
		const got = api[fn](...args);
		const last = Object.keys(api).find((k) => /GetLastError$/.test(k));
		const code = Number(api[last]());
		const diag = api[Object.keys(api).find((k) => /GetDiagnostic$/.test(k))]('');
		if (ret !== null && got !== ret)
			problems.push(`call ${i} ${fn}(${String(args[0]).slice(0, 60)}): returned ${JSON.stringify(String(got).slice(0, 80))}, want ${JSON.stringify(ret.slice(0, 80))} (error ${code}: ${diag})`);
		if (err !== null && code !== err)
			problems.push(`call ${i} ${fn}(${String(args[0]).slice(0, 60)}): error ${code}, want ${err} (${diag})`);
		await tick(); /* let commits be answered, as they would be between two calls of real content */
	}
	return problems.map((p) => `${file}: ${c.name}: ${p}`);
}

const files = fs.readdirSync(vectorsDir).filter((f) => f.endsWith('.json')).sort();

test('there are vectors', () => {
	assert.ok(files.length >= 10);
	const cases = files.reduce((n, f) => n + JSON.parse(fs.readFileSync(path.join(vectorsDir, f), 'utf8')).cases.length, 0);
	assert.ok(cases >= 600, `${cases} cases`);
});

for (const file of files) {
	test(file, async () => {
		const doc = JSON.parse(fs.readFileSync(path.join(vectorsDir, file), 'utf8'));
		const problems = [];
		for (const c of doc.cases)
			problems.push(...await runCase(file, doc.version, c));
		assert.deepStrictEqual(problems, [], `${problems.length} mismatches:\n${problems.slice(0, 40).join('\n')}`);
	});
}
