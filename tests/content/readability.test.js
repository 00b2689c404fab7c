// Readability of every module in modules/: the Flesch Reading Ease of each card's prose (see
// lib/readability.js for the formula and the syllable rules, lib/markdown.js for what counts as
// prose). A card below 50 fails; 60 and above is the aim. Every card's score is printed. The quiz
// prompts and feedback of each module are scored too, as a report only (short feedback sentences
// make the numbers noisy).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const C = require('./lib/content');
const { fleschReadingEase } = require('./lib/readability');

const FAIL_BELOW = 50;
const AIM = 60;

const names = C.listModuleDirs();

test('there are modules to check', () => {
  assert.ok(names.length > 0, `no module folders in ${C.MODULES_DIR}`);
});

const rows = [];

for (const name of names) {
  test(`readability of ${name}`, () => {
    const mod = C.loadModule(name);
    const low = [];
    for (const card of mod.cards) {
      if (!card.md) { low.push(`${card.src}: missing`); continue; }
      const r = fleschReadingEase(card.md.blocks);
      rows.push({ where: `${name}/${card.src}`, ...r });
      if (!(r.score >= FAIL_BELOW)) low.push(`${C.rel(card.file)}: Flesch Reading Ease ${r.score.toFixed(1)} is below ${FAIL_BELOW}`);
    }
    if (mod.quiz) {
      const prompts = mod.quiz.questions.map((q) => q.prompt);
      const feedback = [];
      for (const q of mod.quiz.questions) {
        if (q.feedback) feedback.push(q.feedback.correct || '', q.feedback.incorrect || '');
        for (const o of q.options) feedback.push(o.feedback || '');
      }
      rows.push({ where: `${name} quiz prompts (report only)`, ...fleschReadingEase(prompts) });
      rows.push({ where: `${name} quiz feedback (report only)`, ...fleschReadingEase(feedback) });
    }
    assert.deepEqual(low, [], low.join('\n'));
  });
}

test.after(() => {
  if (!rows.length) return;
  const width = Math.max(...rows.map((r) => r.where.length));
  const lines = rows.map((r) => {
    const flag = r.where.includes('report only') ? '' : r.score < FAIL_BELOW ? '  FAIL' : r.score < AIM ? '  below aim' : '';
    return `${r.where.padEnd(width)}  ${r.score.toFixed(1).padStart(6)}  (${r.words} words, ${r.sentences} sentences, ${r.syllables} syllables)${flag}`;
  });
  const cards = rows.filter((r) => !r.where.includes('report only'));
  const lowest = cards.reduce((a, b) => (b.score < a.score ? b : a), cards[0]);
  lines.push(`lowest card: ${lowest.where} ${lowest.score.toFixed(1)}; cards: ${cards.length}; fail below ${FAIL_BELOW}, aim ${AIM}+`);
  console.log(`Flesch Reading Ease per card\n${lines.join('\n')}`);
});
