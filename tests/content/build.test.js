// Builds every module in modules/ and the course for all three SCORM editions with the real
// `postcard build`, then checks the packages:
//   default mode        every package is written, and each SCORM 1.2 SCO's worst-case suspend_data
//                       (the "suspendBudget" the compiler writes into the page data, see
//                       author/render/web/README.md) fits 4096 characters
//   --validate          `postcard validate` accepts every package
//   --official-xsd DIR  each package's imsmanifest.xml is valid against the official ADL/IMS schemas
//                       (DIR/wrappers/<edition>.xsd, from ../shared/scorm-schemas; a test oracle only)
// usage: node build.test.js POSTCARD_BIN [--validate | --official-xsd SCHEMA_DIR]
// Exits 77 (CTest: skipped, not passed) when the binary has no `build` command (or, with
// --validate, no `validate` command) yet, or in XSD mode when the official schemas are not beside
// the checkout; under CI each of those fails instead (tests/oracle.js).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const C = require('./lib/content');

const SUSPEND_LIMIT_12 = 4096; // SCORM 1.2 cmi.suspend_data: CMIString4096
const EDITIONS = [
  { scorm: '1.2', suffix: 'scorm12', wrapper: 'scorm12.xsd' },
  { scorm: '2004-3rd', suffix: 'scorm2004-3rd', wrapper: 'scorm2004-3rd.xsd' },
  { scorm: '2004-4th', suffix: 'scorm2004-4th', wrapper: 'scorm2004-4th.xsd' },
];

const [bin, mode, schemaDir] = process.argv.slice(2);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });

const skip = require('../oracle.js').exitMissing;
if (!bin || !fs.existsSync(bin)) skip(`postcard binary not found (${bin})`);
if (run(bin, ['help', 'build']).status !== 0) skip('this postcard has no build command yet');
const officialXsd = mode === '--official-xsd';
const validate = mode === '--validate';
if (validate && run(bin, ['help', 'validate']).status !== 0) skip('this postcard has no validate command yet');
if (officialXsd && !(schemaDir && fs.existsSync(path.join(schemaDir, 'wrappers')))) {
  skip(`official SCORM schemas not found in ${schemaDir} (they live in ../shared beside the checkout)`);
}

const names = C.listModuleDirs();
const mods = names.map((n) => C.loadModule(n));
const course = C.loadCourse();
// Package names: ID-VERSION-EDITION.zip (`postcard help build`).
const expected = [...mods.map((m) => `${m.id}-${m.version}`), ...(course ? [`${course.id}-${course.version}`] : [])];

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'postcard-content-build-'));
test.after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const zipEntries = (zip) => run('unzip', ['-Z1', zip]).stdout.split('\n').filter(Boolean);
const zipRead = (zip, entry) => {
  const r = run('unzip', ['-p', zip, entry]);
  assert.equal(r.status, 0, `unzip -p ${zip} ${entry}: ${r.stderr}`);
  return r.stdout;
};

test('there are modules and a course to build', () => {
  assert.ok(mods.length > 0, 'no modules');
  assert.ok(course, 'no modules/course.xml');
});

for (const ed of EDITIONS) {
  test(`SCORM ${ed.scorm}: build every module and the course`, async (t) => {
    const out = path.join(scratch, ed.suffix);
    const built = run(bin, ['build', C.MODULES_DIR, '-q', '-o', out, '--scorm', ed.scorm]);
    assert.equal(built.status, 0, `postcard build --scorm ${ed.scorm} exited ${built.status}:\n${built.stderr}`);
    const zips = expected.map((base) => path.join(out, `${base}-${ed.suffix}.zip`));
    await t.test('one package per module and one for the course', () => {
      const missing = zips.filter((z) => !fs.existsSync(z)).map((z) => path.basename(z));
      assert.deepEqual(missing, [], `not written: ${missing.join(', ')}; folder has ${fs.readdirSync(out).join(', ')}`);
    });

    if (officialXsd) {
      await t.test(`manifests are valid against the official ${ed.scorm} schemas`, () => {
        const bad = [];
        for (const zip of zips) {
          const dir = path.join(scratch, `${ed.suffix}-${path.basename(zip, '.zip')}`);
          fs.mkdirSync(dir, { recursive: true });
          fs.writeFileSync(path.join(dir, 'imsmanifest.xml'), zipRead(zip, 'imsmanifest.xml'));
          const r = run('xmllint', ['--noout', '--nonet', '--schema', path.join(schemaDir, 'wrappers', ed.wrapper),
            path.join(dir, 'imsmanifest.xml')]);
          if (r.error) throw r.error;
          if (r.status !== 0) bad.push(`${path.basename(zip)}:\n${r.stderr}`);
        }
        assert.deepEqual(bad, [], bad.join('\n'));
      });
      return;
    }

    if (validate) {
      await t.test('postcard validate accepts every package', () => {
        const v = run(bin, ['validate', ...zips]);
        assert.equal(v.status, 0, `postcard validate exited ${v.status}:\n${v.stdout}${v.stderr}`);
      });
      return;
    }

    if (ed.scorm === '1.2') {
      await t.test(`worst-case suspend_data of every SCO fits ${SUSPEND_LIMIT_12} characters`, () => {
        const report = [];
        const over = [];
        for (const zip of zips) {
          const pages = zipEntries(zip).filter((e) => e.endsWith('.html'));
          let found = 0;
          for (const page of pages) {
            const m = /"suspendBudget"\s*:\s*(\d+)/.exec(zipRead(zip, page));
            if (!m) continue;
            found++;
            const budget = Number(m[1]);
            report.push(`${path.basename(zip)} ${page}: ${budget}`);
            if (budget > SUSPEND_LIMIT_12) over.push(`${path.basename(zip)} ${page}: ${budget}`);
          }
          assert.ok(found > 0, `${path.basename(zip)}: no page carries a suspendBudget`);
        }
        console.log(`worst-case suspend_data (SCORM 1.2, limit ${SUSPEND_LIMIT_12}):\n${report.join('\n')}`);
        assert.deepEqual(over, [], `over ${SUSPEND_LIMIT_12}: ${over.join(', ')}`);
      });
    }
  });
}
