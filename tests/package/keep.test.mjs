// What a learner can keep from a real KMF module, in Chromium: printing the module prints every
// card (not just the one on screen) and none of the quiz; the templates a card offers download
// (they never replace the module in its frame) and are the files in the module's templates/
// folder; the SVG diagrams carry a text alternative and pass axe-core.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { buildPackage, ROOT } from './package.mjs';
import { launch, openLMS } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const KMF = join(ROOT, 'modules');

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

async function axe(frame, label) {
  if (!(await frame.evaluate(() => typeof window.axe === 'object'))) await frame.addScriptTag({ content: AXE });
  const result = await frame.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), TAGS);
  const problems = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(problems, [], `axe violations in "${label}"`);
}

// Which cards are laid out (display not none) and whether the quiz screen and navigation are.
const layout = (frame) => frame.evaluate(() => {
  const shown = (e) => !!e && getComputedStyle(e).display !== 'none';
  return {
    cards: [...document.querySelectorAll('section.card')].map((c) => (shown(c) ? c.dataset.card : null)),
    screen: shown(document.getElementById('pc-screen')),
    nav: shown(document.getElementById('pc-nav')),
  };
});

test('printing the module prints every card and no quiz; the screen shows one card', async (t) => {
  const { dir, data, cleanup } = buildPackage(join(KMF, 'after-action-review'));
  t.after(cleanup);
  const { page, frame } = await openLMS(b, dir);
  t.after(() => page.close());
  const ids = data.cards.map((c) => c.id);
  const onScreen = await layout(frame);
  assert.deepEqual(onScreen.cards.filter(Boolean), [ids[0]], 'one card on screen');
  await page.emulateMedia({ media: 'print' });
  const printed = await layout(frame);
  assert.deepEqual(printed.cards, ids, 'every card, in order, on paper');
  assert.equal(printed.nav, false);
  await page.emulateMedia({ media: 'screen' });
  // Also from the middle of the quiz: the question is not printed, every card is.
  for (let i = 0; i < ids.length; i++) await frame.click('#pc-next');
  await frame.waitForSelector('#pc-screen:not([hidden]) fieldset, #pc-screen:not([hidden]) input');
  await page.emulateMedia({ media: 'print' });
  const mid = await layout(frame);
  assert.deepEqual(mid.cards, ids);
  assert.equal(mid.screen, false, 'the quiz is not printed');
  await page.emulateMedia({ media: 'screen' });
});

for (const [name, card] of [['after-action-review', 'how'], ['randomised-coffee-trials', 'who']]) {
  test(`${name}: the templates on the "${card}" card download, and are the module's templates`, async (t) => {
    const { dir, data, cleanup } = buildPackage(join(KMF, name));
    t.after(cleanup);
    const { page, frame } = await openLMS(b, dir);
    t.after(() => page.close());
    const want = readdirSync(join(KMF, name, 'templates')).sort();
    for (let i = 0; i < data.cards.findIndex((c) => c.id === card); i++) await frame.click('#pc-next');
    const links = await frame.$$eval(`#card-${card} a[href^="templates/"]`, (as) => as.map((a) => ({
      href: a.getAttribute('href'), download: a.hasAttribute('download'), target: a.getAttribute('target'), text: a.textContent })));
    assert.deepEqual(links.map((l) => l.href.slice('templates/'.length)).sort(), want);
    for (const l of links) {
      assert.ok(l.download, `${l.href} has the download attribute`);
      assert.equal(l.target, '_blank', `${l.href} never replaces the module in its frame`);
      assert.match(l.text, /^Download /);
      assert.ok(existsSync(join(dir, l.href)), `${l.href} is in the package`);
      assert.deepEqual(readFileSync(join(dir, l.href)), readFileSync(join(KMF, name, l.href)));
    }
    const [download] = await Promise.all([page.waitForEvent('download'), frame.click(`#card-${card} a[href="${links[0].href}"]`)]);
    assert.equal(download.suggestedFilename(), links[0].href.slice('templates/'.length));
    assert.equal(await frame.evaluate(() => document.getElementById('postcard-data') !== null), true, 'the module is still there');
    await axe(frame, `${name} ${card} card`);
  });
}

for (const [name, card, file] of [['overview', 'phases', 'learning-loop.svg'], ['appreciative-inquiry', 'how', 'four-d-cycle.svg'],
  ['fishbowl', 'how', 'fishbowl-chairs.svg']]) {
  test(`${name}: the ${file} diagram has a text alternative and passes axe`, async (t) => {
    const { dir, data, cleanup } = buildPackage(join(KMF, name));
    t.after(cleanup);
    const { page, frame } = await openLMS(b, dir);
    t.after(() => page.close());
    for (let i = 0; i < data.cards.findIndex((c) => c.id === card); i++) await frame.click('#pc-next');
    const img = await frame.$eval(`#card-${card} img[src="media/${file}"]`, (i) => ({ alt: i.alt, w: i.naturalWidth, shown: i.getBoundingClientRect().width }));
    assert.ok(img.alt.split(/\s+/).length >= 8, `alt text says what the diagram shows: "${img.alt}"`);
    assert.ok(img.w > 0 && img.shown > 0, 'the diagram loads and is shown');
    const svg = readFileSync(join(dir, 'media', file), 'utf8');
    assert.match(svg, /role="img"/);
    assert.match(svg, /<title[^>]*>[^<]+<\/title>/);
    assert.match(svg, /<desc[^>]*>[^<]{40,}<\/desc>/);
    await axe(frame, `${name} ${card} card`);
  });
}
