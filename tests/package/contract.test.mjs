// The contract of author/render/web/README.md, checked on what `postcard build` really writes: the page
// template filled (every placeholder, escaped), the player's files shipped unchanged, the data
// JSON the player expects for a module with every question type, and a suspendBudget equal to the
// player's own worst-case formula for the test modules and for every module in modules/.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildPackage, ROOT } from './package.mjs';
import { fixtureModule, dataAndCards, core, WEB } from './fixture.mjs';

// The compiler writes "feedback": {} for a question without feedback; the player treats an empty
// object like an absent one. Shuffles are the compiler's choice: only their shape is the contract.
function normalise(data) {
  const d = JSON.parse(JSON.stringify(data));
  // The reading time is the compiler's estimate (author/source/minutes.c): a whole number of minutes.
  if (d.module.minutes !== undefined) assert.ok(Number.isInteger(d.module.minutes) && d.module.minutes >= 1, `minutes ${d.module.minutes}`);
  delete d.module.minutes;
  for (const q of d.quiz ? d.quiz.questions : []) {
    if (q.feedback && Object.keys(q.feedback).length === 0) delete q.feedback;
    delete q.targetOrder;
    delete q.shownOrder;
  }
  return d;
}

const isPermutation = (a, n) => Array.isArray(a) && a.length === n && [...a].sort((x, y) => x - y).every((v, i) => v === i);

// [--scorm, --lms, the profile the data names, the budget]: scorm-cloud is another name for
// generic; the Learning Hub's budget has room for the player's interaction count ("." + 2 digits).
for (const [scorm, lms, named, budget] of [['1.2', 'generic', 'generic', 164], ['2004-3rd', 'scorm-cloud', 'generic', 164],
  ['2004-4th', 'moodle', 'moodle', 164], ['1.2', 'moodle', 'moodle', 164], ['1.2', 'learning-hub', 'learning-hub', 167]]) {
  test(`postcard build --scorm ${scorm} --lms ${lms} fills the template as the contract says`, (t) => {
    const pkg = buildPackage('player-fixture', { scorm, lms });
    t.after(pkg.cleanup);
    const { html, data } = pkg;
    const { data: want } = dataAndCards(fixtureModule(), { scorm, lms: named });
    assert.deepEqual(normalise(data), normalise(want));
    for (const q of data.quiz.questions) {
      if (q.type === 'matching') assert.ok(isPermutation(q.targetOrder, q.pairs.length), 'targetOrder');
      if (q.type === 'ordering') {
        assert.ok(isPermutation(q.shownOrder, q.steps.length), 'shownOrder');
        assert.ok(q.shownOrder.some((v, i) => v !== i), 'the steps are not shown already in order');
      }
    }
    assert.doesNotMatch(html, /\{\{(lang|title|assets|cards|data)\}\}/);
    assert.match(html, /<html lang="en-GB">/);
    assert.match(html, /<title>Peer Assist &amp; you<\/title>/);
    assert.match(html, /<h1 id="pc-title">Peer Assist &amp; you<\/h1>/);
    assert.match(html, /"title":"Peer Assist \\u0026 you"/, '& escaped inside the data script');
    const css = /<link rel="stylesheet" href="([^"]+)postcard\.css">/.exec(html)[1];
    const js = /<script src="([^"]+)postcard\.js"><\/script>/.exec(html)[1];
    assert.equal(css, js);
    for (const f of ['postcard.js', 'postcard.css']) {
      assert.deepEqual(readFileSync(join(pkg.dir, css, f)), readFileSync(join(WEB, f)), `${f} shipped as written`);
    }
    const sections = [...html.matchAll(/<section class="card" id="card-([a-z0-9-]+)" data-card="\1">\s*<h2>([^<]*)<\/h2>/g)];
    assert.deepEqual(sections.map((m) => [m[1], m[2]]), data.cards.map((c) => [c.id, c.title]));
    assert.equal(data.suspendBudget, core.worstCaseLength(data));
    assert.equal(data.suspendBudget, budget);
    // 1.2 pass marks go in adlcp:masteryscore, except for Moodle (it would turn the player's
    // "completed" back into passed/failed).
    if (scorm === '1.2') {
      const manifest = readFileSync(join(pkg.dir, 'imsmanifest.xml'), 'utf8');
      assert.equal(/<adlcp:masteryscore>80<\/adlcp:masteryscore>/.test(manifest), named !== 'moodle', 'masteryscore');
    }
  });
}

test('suspendBudget of every module in modules/ equals the player\'s worst case and fits SCORM 1.2', (t) => {
  const dir = join(ROOT, 'modules');
  const mods = existsSync(dir) ? readdirSync(dir).filter((m) => existsSync(join(dir, m, 'module.xml'))) : [];
  if (mods.length === 0) { createRequire(import.meta.url)('../oracle.js').missing(t, 'no modules/ in this checkout'); return; }
  const budgets = {};
  for (const m of [...mods, join(ROOT, 'tests', 'package', 'modules', 'worst-case')]) {
    const pkg = buildPackage(mods.includes(m) ? join(dir, m) : m, { scorm: '1.2' });
    try {
      assert.equal(pkg.data.suspendBudget, core.worstCaseLength(pkg.data), m);
      assert.ok(pkg.data.suspendBudget <= 4096, m);
      budgets[pkg.data.module.id] = pkg.data.suspendBudget;
    } finally { pkg.cleanup(); }
  }
  assert.equal(budgets['worst-case'], 995);
  t.diagnostic(`suspendBudget per module: ${JSON.stringify(budgets)}`);
});

test('a module with a <postcard> gives the player its how steps, for the action plan', (t) => {
  const src = join(ROOT, 'modules', 'peer-assist');
  if (!existsSync(src)) { createRequire(import.meta.url)('../oracle.js').missing(t, 'no modules/ in this checkout'); return; }
  const xml = readFileSync(join(src, 'module.xml'), 'utf8');
  const how = /<how>([\s\S]*?)<\/how>/.exec(xml)[1];
  const steps = [...how.matchAll(/<step>([^<]*)<\/step>/g)].map((m) => m[1]);
  assert.ok(steps.length >= 2);
  const pkg = buildPackage(src, { scorm: '1.2' });
  t.after(pkg.cleanup);
  assert.equal(pkg.data.postcard, 'postcard.html');
  assert.deepEqual(pkg.data.postcardSteps, steps);
  // Without <postcard> (the player's test module) neither is written.
  const plain = buildPackage('player-fixture', { scorm: '1.2' });
  t.after(plain.cleanup);
  assert.equal(plain.data.postcard, undefined);
  assert.equal(plain.data.postcardSteps, undefined);
});
