// Builds test pages the way the contract in author/web/README.md says `postcard build` fills
// sco.html: {{lang}} and {{title}} escaped, {{assets}} a relative folder, {{cards}} one
// <section class="card"> per card with an <h2> title, {{data}} the JSON with <, >, & escaped.
// Used while the compiler is not on main, and to drive the player with hand-made edge cases.
import { readFileSync, mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
export const WEB = join(here, '..', '..', 'author', 'web');
const require = createRequire(import.meta.url);
export const core = require(join(WEB, 'postcard.js'));

const escText = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s) => escText(s).replace(/"/g, '&quot;');
const jsonForScript = (v) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

// The module every browser test uses: five cards and every question type.
export function fixtureModule() {
  return {
    module: { id: 'peer-assist', version: '1.2.0', title: 'Peer Assist & you', lang: 'en-GB', phase: 'before',
      summary: 'Learn from people who have done similar work, before you start.' },
    cards: [
      { id: 'what', title: 'What a Peer Assist is', body: '<p>A meeting where a team asks peers for advice <em>before</em> starting.</p>' },
      { id: 'when', title: 'When to use one', body: '<p>Before a project that others have done before.</p><ul><li>New service</li><li>Big change</li></ul>' },
      { id: 'who', title: 'Who to invite', body: '<p>Six to eight people with relevant experience.</p>' },
      { id: 'how', title: 'How to run it', body: '<h3>On the day</h3><p>Set the scene, listen, then ask.</p>' },
      { id: 'after', title: 'Afterwards', body: '<p>Write up the lessons and thank the peers. <a href="#card-what">Back to the start</a>.</p>' },
    ],
    quiz: {
      id: 'check', pass: 80,
      questions: [
        { id: 'q-choice', type: 'choice', prompt: 'When should a Peer Assist happen?',
          options: [{ text: 'Before the work starts', feedback: 'Yes: that is when advice can still change the plan.' },
            { text: 'After the work ends', feedback: 'That is a retrospect.' }, { text: 'Never' }],
          correct: [0], feedback: { correct: 'Well done.', incorrect: 'A Peer Assist comes first.' } },
        { id: 'q-multiple', type: 'multiple', prompt: 'Who could you invite?',
          options: [{ text: 'Peers who did similar work', feedback: 'They bring experience.' }, { text: 'Nobody' },
            { text: 'A facilitator', feedback: 'Someone keeps time.' }, { text: 'Only your manager' }],
          correct: [0, 2] },
        { id: 'q-tf', type: 'true-false', prompt: 'A Peer Assist is a kind of audit.', answer: false,
          feedback: { correct: 'Right: it is about learning, not judging.', incorrect: 'It is about learning, not judging.' } },
        { id: 'q-fill', type: 'fill-in', prompt: 'What do you call the meeting held after the work ends?',
          answers: ['Retrospect', 'After action review'], maxlength: 40 },
        { id: 'q-numeric', type: 'numeric', prompt: 'How many people would you invite, at most?', min: '6', max: '8' },
        { id: 'q-match', type: 'matching', prompt: 'Match each technique to its phase.',
          pairs: [{ source: 'Peer Assist', target: 'Before' }, { source: 'After action review', target: 'During' },
            { source: 'Retrospect', target: 'After' }], targetOrder: [2, 0, 1] },
        { id: 'q-order', type: 'ordering', prompt: 'Put the steps of a Peer Assist in order.',
          steps: ['Set the scene', 'Listen to the peers', 'Agree actions'], shownOrder: [2, 0, 1] },
        { id: 'q-likert', type: 'likert', prompt: 'How confident are you to run a Peer Assist?',
          options: [{ text: 'Not confident', feedback: 'The KMF toolkit can help.' }, { text: 'Quite confident' }, { text: 'Very confident' }] },
      ],
    },
    reflection: { id: 'plan', prompt: 'Which piece of work coming up could use a Peer Assist?', maxlength: 500 },
    reading: [{ href: 'https://example.org/kmf', text: 'The Knowledge Mobilisation Framework' }],
  };
}

// The data JSON and the cards HTML for a module, as the compiler writes them.
export function dataAndCards(mod, { scorm = '1.2', lms = 'generic' } = {}) {
  const data = { format: 1, scorm, lms, module: mod.module,
    cards: mod.cards.map((c) => ({ id: c.id, title: c.title })) };
  if (mod.quiz) data.quiz = mod.quiz;
  if (mod.reflection) data.reflection = mod.reflection;
  data.reading = mod.reading || [];
  data.suspendBudget = core.worstCaseLength(data);
  const cards = mod.cards.map((c) =>
    `<section class="card" id="card-${c.id}" data-card="${c.id}">\n<h2>${escText(c.title)}</h2>\n${c.body}\n</section>`).join('\n');
  return { data, cards };
}

export function fillTemplate(template, { lang, title, assets, cards, data }) {
  const values = { lang: escAttr(lang), title: escText(title), assets, cards, data: jsonForScript(data) };
  // One pass: replacement text is never scanned again for placeholders.
  return template.replace(/\{\{(lang|title|assets|cards|data)\}\}/g, (m, k) => values[k]);
}

// Writes DIR/sco/index.html and DIR/assets/postcard.{js,css}; returns the data JSON.
export function writePackage(dir, mod, opts = {}) {
  const { data, cards } = dataAndCards(mod, opts);
  const template = readFileSync(join(WEB, 'sco.html'), 'utf8');
  mkdirSync(join(dir, 'sco'), { recursive: true });
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'sco', 'index.html'),
    fillTemplate(template, { lang: mod.module.lang, title: mod.module.title, assets: '../assets/', cards, data }));
  for (const f of ['postcard.js', 'postcard.css']) copyFileSync(join(WEB, f), join(dir, 'assets', f));
  return data;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, scorm = '1.2', lms = 'generic'] = process.argv.slice(2);
  if (!dir) { console.error('usage: node fixture.mjs OUTDIR [1.2|2004-3rd|2004-4th] [lms]'); process.exit(2); }
  const data = writePackage(dir, fixtureModule(), { scorm, lms });
  console.log(`wrote ${dir}/sco/index.html (suspendBudget ${data.suspendBudget})`);
}
