// Real packages for the browser tests: `postcard build` compiles a test module from modules/ into
// a zip, which is unpacked into a temporary folder the test LMS serves. The data JSON the compiler
// wrote (shuffles, suspendBudget) is read back from the page so tests use the compiler's numbers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..');
export const BIN = process.env.POSTCARD_BIN || join(ROOT, 'build', 'cli', 'postcard');
export const MODULES = join(here, 'modules');

// The data JSON of a built SCO page.
export function pageData(html) {
  const m = /<script type="application\/json" id="postcard-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no postcard-data in the page');
  return JSON.parse(m[1]);
}

// Builds `src` (a folder under tests/package/modules, or any path) and unpacks the one package.
// Returns { dir, zip, data, html, sco, cleanup }.
export function buildPackage(src, { scorm = '1.2', lms = 'generic' } = {}) {
  if (!existsSync(BIN)) throw new Error(`postcard binary not found at ${BIN} (set POSTCARD_BIN)`);
  const out = mkdtempSync(join(tmpdir(), 'postcard-pkg-'));
  const path = existsSync(join(MODULES, src)) ? join(MODULES, src) : src;
  execFileSync(BIN, ['build', path, '-o', join(out, 'zip'), '--scorm', scorm, '--lms', lms, '-q'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const zips = readdirSync(join(out, 'zip')).filter((f) => f.endsWith('.zip'));
  if (zips.length !== 1) throw new Error(`expected one package, got ${zips.join(', ')}`);
  const dir = join(out, 'pkg');
  execFileSync('unzip', ['-q', join(out, 'zip', zips[0]), '-d', dir]);
  const sco = 'index.html';
  const html = readFileSync(join(dir, sco), 'utf8');
  return { dir, zip: join(out, 'zip', zips[0]), sco, html, data: pageData(html),
    cleanup: () => rmSync(out, { recursive: true, force: true }) };
}
