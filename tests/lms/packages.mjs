// The packages every LMS test plays, built once: `node packages.mjs DIR` (the CTest fixture
// lms_packages) runs `postcard build` on modules/ (the fourteen KMF modules and the course) for
// each edition and profile the tests need, unzips every package and writes DIR/index.json.
// Tests read the index with `packages(dir)`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..');
export const BIN = process.env.POSTCARD_BIN || join(ROOT, 'build', 'cli', 'postcard');

// [edition, profile]: every edition for the generic packages; 1.2 for the two profiles with doubles.
export const BUILDS = [['1.2', 'generic'], ['2004-3rd', 'generic'], ['2004-4th', 'generic'], ['1.2', 'moodle'], ['1.2', 'learning-hub']];

// The SCOs of a package we built, in manifest order: {item, href, title, masteryScore}.
export function scosOf(manifest) {
  const hrefs = {};
  for (const m of manifest.matchAll(/<resource identifier="([^"]+)"[^>]*\bhref="([^"]+)"/g)) hrefs[m[1]] = m[2];
  const out = [];
  for (const m of manifest.matchAll(/<item identifier="([^"]+)" identifierref="([^"]+)"[^>]*>\s*<title>([^<]*)<\/title>([\s\S]*?)<\/item>/g)) {
    const mastery = /<adlcp:masteryscore>(\d+)<\/adlcp:masteryscore>/.exec(m[4]);
    out.push({ item: m[1], href: hrefs[m[2]], title: m[3], masteryScore: mastery ? mastery[1] : null });
  }
  return out;
}

function build(out) {
  rmSync(out, { recursive: true, force: true });
  const index = [];
  for (const [scorm, lms] of BUILDS) {
    const zips = join(out, 'zip', `${scorm}-${lms}`);
    execFileSync(BIN, ['build', join(ROOT, 'modules'), '-o', zips, '--scorm', scorm, '--lms', lms, '-q'], { stdio: ['ignore', 'inherit', 'inherit'] });
    for (const f of readdirSync(zips).filter((z) => z.endsWith('.zip')).sort()) {
      const dir = join(out, 'pkg', `${scorm}-${lms}`, f.replace(/\.zip$/, ''));
      mkdirSync(dir, { recursive: true });
      execFileSync('unzip', ['-q', join(zips, f), '-d', dir]);
      const manifest = readFileSync(join(dir, 'imsmanifest.xml'), 'utf8');
      const id = /^(.*)-\d+\.\d+\.\d+-scorm/.exec(f)[1];
      index.push({ id, scorm, lms, zip: join(zips, f), dir, course: id === 'course' || scosOf(manifest).length > 1, scos: scosOf(manifest) });
    }
  }
  writeFileSync(join(out, 'index.json'), JSON.stringify(index, null, 1));
  return index;
}

// The index of the packages in `dir` (built by the fixture), or built now when it is missing
// (a test file run on its own).
export function packages(dir = process.env.LMS_PACKAGES || join(ROOT, 'build', 'tests', 'lms', 'packages')) {
  const file = join(dir, 'index.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : build(dir);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] || join(ROOT, 'build', 'tests', 'lms', 'packages'));
  const index = build(out);
  console.log(`${index.length} packages in ${out}`);
}
