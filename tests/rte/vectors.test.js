/* The shared conformance vectors (the JSON files in tests/vectors) against the browser adapter in
 * node: the built runtime/web/scorm-api.js running the C model compiled to WebAssembly. The same
 * files run against the C library (test_vectors.c) and the adapter in Chromium
 * (vectors.chromium.test.js): all three must pass every case. */
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const {runVectorFile} = require('./vector-runner.js');

const adapterPath = process.env.POSTCARD_SCORM_API;
const vectorsDir = process.env.POSTCARD_VECTORS || path.join(__dirname, '..', 'vectors');
assert.ok(adapterPath, 'POSTCARD_SCORM_API must name the built scorm-api.js');
const {createScormAPI} = require(adapterPath);

const files = fs.readdirSync(vectorsDir).filter((f) => f.endsWith('.json')).sort();
let total = 0;

for (const file of files) {
	test(file, async () => {
		const doc = JSON.parse(fs.readFileSync(path.join(vectorsDir, file), 'utf8'));
		const r = await runVectorFile(createScormAPI, file, doc);
		total += r.cases;
		assert.deepStrictEqual(r.problems, [], `${r.problems.length} mismatches:\n${r.problems.slice(0, 40).join('\n')}`);
	});
}

test('every vector ran', () => {
	assert.ok(files.length >= 12, `${files.length} files`);
	const cases = files.reduce((n, f) => n + JSON.parse(fs.readFileSync(path.join(vectorsDir, f), 'utf8')).cases.length, 0);
	assert.ok(cases >= 1600, `${cases} cases`);
	assert.strictEqual(total, cases);
});
