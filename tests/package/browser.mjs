// Shared by the browser tests: launches Debian's Chromium through playwright-core, serves the test
// LMS and a package folder from memory on a made-up origin (no port, no server), and logs every
// request so a test can prove nothing left the package.
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, normalize, extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const here = dirname(fileURLToPath(import.meta.url));

export const ORIGIN = 'http://lms.test';
// The runtime's adapter, with the C data model as WebAssembly (cmi.wasm) beside it, as the build
// makes them (tests/CMakeLists passes it).
export const ADAPTER = process.env.POSTCARD_SCORM_API || join(here, '..', '..', 'build', 'runtime', 'cmi-web', 'scorm-api.js');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.svg': 'image/svg+xml', '.gif': 'image/gif',
  '.xsd': 'application/xml', '.xml': 'application/xml', '.json': 'application/json', '.wasm': 'application/wasm' };

export async function launch() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'postcard-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true, // "Save my action plan as a file" on the reflection screen
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1024, height: 800 },
  });
  const requests = [];
  const outside = [];
  // Everything is answered from disk here; anything else is recorded and refused.
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    requests.push(url.href);
    if (url.origin !== ORIGIN) { outside.push(url.href); return route.abort(); }
    let file = null;
    if (url.pathname === '/lms.html') file = join(here, 'harness.html');
    else if (url.pathname === '/lms.js') file = join(here, 'lms.js');
    else if (url.pathname === '/adapter.html') file = join(here, 'adapter-harness.html');
    else if (url.pathname === '/adapter.js') file = ADAPTER;
    else if (url.pathname === '/cmi.wasm') file = join(dirname(ADAPTER), 'cmi.wasm');
    else if (url.pathname.startsWith('/pkg/') && context.pkgDir) {
      const rel = normalize(decodeURIComponent(url.pathname.slice(5)));
      if (!rel.startsWith('..')) file = join(context.pkgDir, rel);
    }
    if (!file || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, contentType: TYPES[extname(file)] || 'application/octet-stream', body: readFileSync(file) });
  });
  return {
    context, requests, outside,
    async close() { await context.close(); rmSync(userDataDir, { recursive: true, force: true }); },
  };
}

// Opens the test LMS on a package folder; returns the page and the SCO frame.
// `seed`: data-model values the learner's record starts with (e.g. a review launch).
export async function openLMS(browser, pkgDir, { version = '1.2', sco = 'index.html', page = null, seed = null } = {}) {
  browser.context.pkgDir = pkgDir;
  page = page || await browser.context.newPage();
  page.on('pageerror', (e) => { (page.jsErrors = page.jsErrors || []).push(String(e)); });
  page.on('console', (m) => { if (m.type() === 'error') (page.jsErrors = page.jsErrors || []).push(m.text()); });
  const extra = seed ? `&seed=${encodeURIComponent(JSON.stringify(seed))}` : '';
  await page.goto(`${ORIGIN}/lms.html?v=${version === '1.2' ? '1.2' : '2004'}&sco=/pkg/${sco}${extra}`);
  const frame = await scoFrame(page);
  return { page, frame };
}

export async function scoFrame(page) {
  const handle = await page.waitForSelector('#sco');
  const frame = await handle.contentFrame();
  await frame.waitForSelector('#pc-nav:not([hidden])');
  return frame;
}

// Reloads the LMS page: the SCO gets pagehide (its final save), then a new launch.
export async function relaunch(page) {
  await page.reload();
  return scoFrame(page);
}

export async function lmsState(page) {
  return page.evaluate(() => ({ calls: JSON.parse(sessionStorage.getItem('lms-calls') || '[]'),
    record: JSON.parse(sessionStorage.getItem('lms-record') || 'null') }));
}
