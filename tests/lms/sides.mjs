// The LMS sides the same learner plays under: `hostSide(browser, impl)` (scorm-again or one of the
// doubles, in host.html, served from memory on http://lms.test) and `runtimeSide(browser, dir)`
// (Postcard's own runtime: `postcard serve` on the packages, the player page, the C model behind
// it). Each side answers the same questions:
//   launch(pkg, sco, learner) -> the SCO's frame, once the player shows its first screen
//   leave()                   the SCO's page goes away (its pagehide is the final save)
//   record(pkg, sco, learner, until) -> the learner's record of that SCO as flat SCORM values
//                             ({"cmi.core.lesson_status": ...}); `until(values)` waits until it holds
//   calls(learner)            every API call with the error code it left (host sides only)
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname, normalize, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, ROOT } from './packages.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const here = dirname(fileURLToPath(import.meta.url));
export const ORIGIN = 'http://lms.test';
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml', '.xsd': 'application/xml', '.xml': 'application/xml' };
const FILES = {
  '/host.html': join(here, 'host.html'), '/host.js': join(here, 'host.js'), '/lms.js': join(ROOT, 'tests', 'package', 'lms.js'),
  '/moodle-rules.js': join(here, 'moodle-rules.js'), '/hub-rules.js': join(here, 'hub-rules.js'),
  '/scorm-again/scorm12.min.js': join(ROOT, 'node_modules', 'scorm-again', 'dist', 'scorm12.min.js'),
  '/scorm-again/scorm2004.min.js': join(ROOT, 'node_modules', 'scorm-again', 'dist', 'scorm2004.min.js'),
};

// One Chromium per test file (the project's flags).
export async function launchBrowser() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'postcard-lms-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1024, height: 800 },
  });
  const outside = [];
  // http://lms.test is answered from disk; the runtime (on *.localhost: the app and each package
  // on its own origin) goes to the network; anything else is recorded (a package must load
  // nothing from outside) and refused.
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname.endsWith('.localhost')) return route.continue();
    if (url.origin !== ORIGIN) { outside.push(url.href); return route.abort(); }
    let file = FILES[url.pathname] || null;
    if (!file && url.pathname.startsWith('/pkg/') && context.pkgRoot) {
      const rel = normalize(decodeURIComponent(url.pathname.slice(5)));
      if (!rel.startsWith('..')) file = join(context.pkgRoot, rel);
    }
    if (!file || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, contentType: TYPES[extname(file)] || 'application/octet-stream', body: readFileSync(file) });
  });
  return { context, outside, async close() { await context.close(); rmSync(userDataDir, { recursive: true, force: true }); } };
}

async function playerShown(frame) {
  await frame.waitForSelector('#pc-nav:not([hidden])', { timeout: 30000 });
  return frame;
}

// scorm-again or a double in host.html: one page for every learner (records are kept per learner
// and SCO), so the LMS scripts load once.
export function hostSide(browser, impl, pkgRoot) {
  browser.context.pkgRoot = pkgRoot;
  let page = null;
  const open = async () => {
    if (!page) {
      page = await browser.context.newPage();
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(String(e)));
      await page.goto(`${ORIGIN}/host.html?impl=${impl}`);
    }
    return page;
  };
  const path = (pkg, sco) => `${pkg.scorm}-${pkg.lms}/${pkg.dir.split('/').pop()}/${sco.href}`;
  const key = (pkg, sco, learner) => `${learner} ${path(pkg, sco)}`;
  return {
    name: impl,
    async launch(pkg, sco, learner) {
      const p = await open();
      const version = pkg.scorm === '1.2' ? '1.2' : '2004';
      await p.evaluate(([v, k, url, seed]) => window.host.launch(v, k, url, seed),
        [version, key(pkg, sco, learner), `/pkg/${path(pkg, sco)}`, { learner, name: 'Learner, Test', masteryScore: sco.masteryScore }]);
      return playerShown(await (await p.$('#sco')).contentFrame());
    },
    async leave() { await (await open()).evaluate(() => window.host.leave()); },
    async record(pkg, sco, learner, until = () => true) {
      const data = await (await open()).evaluate((k) => window.host.data(k), key(pkg, sco, learner));
      const flat = impl === 'scorm-again' ? flatten(data, 'cmi') : impl === 'hub' ? hubFlat(data) : testLmsFlat(data);
      if (!until(flat)) throw new Error(`${impl}: the record does not hold what was expected: ${JSON.stringify(flat).slice(0, 2000)}`);
      return flat;
    },
    // Every call the SCO made for `learner` (all SCOs), with the error code it left.
    async calls(learner) {
      return (await open()).evaluate((l) => window.host.calls.filter((c) => c.key.startsWith(l + ' ')), learner);
    },
    async errors() { return (await open()).errors; },
    page: open,
  };
}

// scorm-again's JSON (nested objects, collections as {"0": {...}}) as flat SCORM element names.
export function flatten(o, prefix, out = {}) {
  for (const [k, v] of Object.entries(o || {})) {
    const name = `${prefix}.${k}`;
    if (v !== null && typeof v === 'object') flatten(v, name, out);
    else out[name] = String(v);
  }
  return out;
}

// The strict test LMS's record (tests/package/lms.js) as flat values.
function testLmsFlat(rec) {
  if (!rec) return {};
  const out = { ...rec.values };
  const v12 = rec.version === '1.2';
  rec.interactions.forEach((it, n) => {
    for (const [k, v] of Object.entries(it)) {
      if (k === 'correct') v.forEach((p, m) => { out[`cmi.interactions.${n}.correct_responses.${m}.pattern`] = p; });
      else out[`cmi.interactions.${n}.${k}`] = v;
    }
  });
  if (!v12) rec.comments.forEach((c, n) => { for (const [k, v] of Object.entries(c)) if (k !== 'correct') out[`cmi.comments_from_learner.${n}.${k}`] = v; });
  return out;
}

// The Hub double's stored record as flat values.
function hubFlat(rec) {
  if (!rec) return {};
  const out = { ...rec.values, 'hub.entry': rec.entry, 'hub.sessions': String(rec.sessionTimes.length) };
  rec.interactions.forEach((it, n) => {
    if (!it) return;
    for (const [k, v] of Object.entries(it)) {
      if (k === 'correct_responses') v.forEach((p, m) => { out[`cmi.interactions.${n}.correct_responses.${m}.pattern`] = p; });
      else out[`cmi.interactions.${n}.${k}`] = v;
    }
  });
  return out;
}

// Postcard's runtime: `postcard serve` on a data folder with every package imported once.
export async function runtimeSide(browser, index) {
  const data = mkdtempSync(join(tmpdir(), 'postcard-lms-runtime-'));
  const imp = spawnSync(BIN, ['import', ...index.map((p) => p.zip), '--data', data], { encoding: 'utf8' });
  if (imp.status !== 0) throw new Error('import failed: ' + imp.stderr);
  // "PATH: imported ID "TITLE" (...)": the package id of each zip.
  const idOf = new Map(index.map((p) => {
    const m = new RegExp(`^${p.zip.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (?:imported )?(\\S+) "`, 'm').exec(imp.stdout);
    if (!m) throw new Error(`no package id for ${p.zip} in: ${imp.stdout}`);
    return [p.zip, m[1]];
  }));
  const srv = await serve(data);
  let page = null;
  const open = async () => {
    if (!page) {
      page = await browser.context.newPage();
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(String(e)));
    }
    return page;
  };
  return {
    name: 'postcard-runtime', url: srv.pageUrl, data,
    async launch(pkg, sco, learner) {
      const p = await open();
      // The pc_learner cookie says who the learner is (local mode has no accounts).
      await browser.context.addCookies([{ name: 'pc_learner', value: learner, url: srv.pageUrl }]);
      await p.goto(`${srv.pageUrl}/play/${idOf.get(pkg.zip)}/${sco.item}`);
      // The player page holds the package's player frame (its own origin, /l/...), which holds
      // the content (/c/...) once the launch is answered.
      for (let i = 0; i < 600; i++) {
        try {
          const outer = await p.waitForSelector('#player-frame');
          const pf = await outer.contentFrame();
          const inner = pf && pf.url().includes('/l/') ? await pf.$('#content-frame') : null;
          const f = inner ? await inner.contentFrame() : null;
          if (f && f.url().includes('/c/')) return playerShown(f);
        } catch (e) {
          if (!/detached|not attached|closed|navigat/i.test(String(e))) throw e;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the content did not load');
    },
    async leave() { await (await open()).goto(`${srv.pageUrl}/`); },
    // The values of the learner's latest attempt of the SCO, from the store (commits travel
    // after the page moved on: waits up to 30 s for `until`).
    async record(pkg, sco, learner, until = () => true) {
      let flat = {};
      for (let i = 0; i < 300; i++) {
        const q = spawnSync('sqlite3', ['-json', join(data, 'postcard.db'),
          `SELECT s.state FROM sco_states s JOIN attempts a ON a.id = s.attempt_id JOIN learners l ON l.id = a.learner_id
           WHERE l.ident = '${learner}' AND s.item = '${sco.item}' ORDER BY a.number DESC LIMIT 1`], { encoding: 'utf8' });
        const rows = q.stdout.trim() ? JSON.parse(q.stdout) : [];
        const state = rows.length ? JSON.parse(rows[0].state) : null;
        flat = state ? { ...state.values, $ended: String(state.api === 'terminated') } : {};
        if (until(flat)) return flat;
        await new Promise((r) => setTimeout(r, 100));
      }
      const have = spawnSync('sqlite3', [join(data, 'postcard.db'), `SELECT l.ident, a.number, s.item FROM sco_states s
        JOIN attempts a ON a.id = s.attempt_id JOIN learners l ON l.id = a.learner_id`], { encoding: 'utf8' }).stdout;
      throw new Error(`runtime: the record of ${learner} ${sco.item} does not hold what was expected: ` +
        `${JSON.stringify(flat).slice(0, 2000)}\nrecords held (learner|attempt|item):\n${have}${srv.stderr()}`);
    },
    async errors() { return (await open()).errors; },
    async close() { await stop(srv); rmSync(data, { recursive: true, force: true }); },
  };
}

function serve(data) {
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--data', data, '--quiet', '--simulate-learners'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error('server did not start: ' + err)); }, 30000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/postcard\.localhost:(\d+)\//);
      // Browsers use postcard.localhost (packages get their own *.localhost origins).
      if (m) { clearTimeout(timer); resolvePromise({ url: `http://127.0.0.1:${m[1]}`, pageUrl: `http://postcard.localhost:${m[1]}`, proc, stderr: () => err }); }
    });
    proc.stderr.on('data', (d) => { err += d; });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${err}`)); });
  });
}

function stop(srv) {
  return new Promise((r) => {
    if (srv.proc.exitCode !== null) return r();
    srv.proc.removeAllListeners('exit');
    srv.proc.on('exit', () => r());
    srv.proc.kill('SIGTERM');
  });
}

