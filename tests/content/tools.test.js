// Tests of the content-check tools themselves: the syllable heuristic on known words, the Flesch
// formula on texts with known scores, the Markdown scanner, and every lint rule on inputs that
// break it (so a rule that stopped working would fail here, not pass silently on good content).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { countWord, fleschReadingEase, tokenise } = require('./lib/readability');
const { scanMarkdown } = require('./lib/markdown');
const { parseXml } = require('./lib/xml');
const C = require('./lib/content');

// Dictionary syllable counts (Collins / Cambridge, British pronunciation).
const KNOWN = {
  cat: 1, the: 1, make: 1, makes: 1, table: 2, tables: 2, simple: 2, while: 1, knowledge: 2,
  mobilisation: 5, review: 2, team: 1, learning: 2, before: 2, after: 2, during: 2, peer: 1,
  assist: 2, inquiry: 3, asked: 1, wanted: 2, shared: 1, agreed: 2, used: 1, needed: 2,
  notes: 1, changes: 2, places: 2, boxes: 2, wishes: 2, goes: 1, rules: 1, types: 1, studies: 2,
  free: 1, issue: 2, true: 1, continue: 3, value: 2, guide: 1, media: 3, previous: 3, various: 3,
  special: 2, action: 2, social: 2, actual: 3, usual: 3, quality: 3, language: 2, evaluate: 4,
  going: 2, doing: 2, saying: 2, seeing: 2, somewhere: 2, framework: 2, useful: 2, careful: 2,
  timeline: 2, therefore: 2, sometimes: 2, healthcare: 2, people: 2, patient: 2, patients: 2,
  discharge: 2, ward: 1, clinic: 2, practice: 2, project: 2, library: 3, service: 2, board: 1,
  facilitator: 5, question: 2, questions: 2, experience: 4, organisation: 5, meeting: 2,
  together: 3, minutes: 2, lessons: 2, success: 2, improve: 2, problem: 2, nurse: 1, doctor: 2,
  staff: 1, trust: 1, someone: 2, tacit: 2, explicit: 3, evidence: 3, community: 4,
  retrospect: 3, harvesting: 3, appreciative: 4, yes: 1, year: 1, beyond: 2, period: 3,
  create: 2, idea: 3, everyone: 3, tackled: 2, played: 1, themes: 1, what: 1, why: 1,
};

test('syllable heuristic: at least 90% of known words exact, none off by more than one', () => {
  let exact = 0;
  const misses = [];
  for (const [word, n] of Object.entries(KNOWN)) {
    const got = countWord(word);
    if (got === n) exact++;
    else misses.push(`${word}: got ${got}, dictionary ${n}`);
    assert.ok(Math.abs(got - n) <= 1, `${word}: got ${got}, dictionary ${n}`);
  }
  const share = exact / Object.keys(KNOWN).length;
  console.log(`syllables: ${exact}/${Object.keys(KNOWN).length} exact (${(share * 100).toFixed(1)}%)${misses.length ? '; misses: ' + misses.join(', ') : ''}`);
  assert.ok(share >= 0.9, `only ${(share * 100).toFixed(1)}% exact: ${misses.join('; ')}`);
});

test('syllable heuristic: core rules', () => {
  assert.equal(countWord('make'), 1, 'silent final e');
  assert.equal(countWord('table'), 2, 'consonant + le');
  assert.equal(countWord('asked'), 1, 'silent -ed');
  assert.equal(countWord('wanted'), 2, '-ed after t');
  assert.equal(countWord('notes'), 1, 'silent -es');
  assert.equal(countWord('changes'), 2, '-es after g');
  assert.equal(countWord('media'), 3, 'ia said as two');
  assert.equal(countWord('action'), 2, '-tion is one');
  assert.equal(countWord('NHS'), 3, 'acronyms letter by letter');
  assert.equal(countWord('GP'), 2);
  assert.equal(countWord('WWW'), 9, 'W is three syllables');
  assert.equal(countWord('15'), 2, 'numbers: one per digit');
  assert.equal(countWord("team's"), 1, 'apostrophes ignored');
  assert.equal(countWord('follow-up'), 3, 'hyphenated words add their parts');
  assert.equal(countWord('Knowledge'), 2, 'case does not matter for ordinary words');
});

test('sentences: split at full stops, question and exclamation marks, and at block ends', () => {
  const t = tokenise(['One sentence here. Another one? Yes! And "quoted." Then more', 'A list item']);
  assert.equal(t.sentences, 6);
  assert.deepEqual(t.words.slice(0, 3), ['One', 'sentence', 'here']);
  assert.equal(tokenise(['   ']).sentences, 0);
});

test('Flesch Reading Ease: known values', () => {
  // 6 words, 6 syllables, 1 sentence: 206.835 - 1.015*6 - 84.6*1 = 116.145
  const easy = fleschReadingEase(['The cat sat on the mat.']);
  assert.equal(easy.words, 6);
  assert.equal(easy.syllables, 6);
  assert.ok(Math.abs(easy.score - 116.145) < 1e-9, String(easy.score));
  // A long sentence of long words scores far below 50.
  const hard = fleschReadingEase(['Organisational knowledge mobilisation necessitates comprehensive institutional implementation of evidence-informed methodologies, facilitating interprofessional collaboration.']);
  assert.ok(hard.score < 0, `hard text scored ${hard.score}`);
  // Plain English in short sentences scores above 60.
  const plain = fleschReadingEase(['Meet as a team before you start. Ask what you want to achieve. Ask who has done this before. Write down what you learn.']);
  assert.ok(plain.score > 70, `plain text scored ${plain.score}`);
  assert.ok(Number.isNaN(fleschReadingEase(['']).score));
});

test('markdown (markdown-it, CommonMark): headings, links, images, html, setext, bare URLs and prose', () => {
  const md = scanMarkdown([
    '# Title with a [link](https://example.org/a)',
    '',
    'Some *emphasis* and **strong** text with `code` and a [useful guide](https://example.org/g "t").',
    'An image ![A ward team at a whiteboard](media/team.png) sits here.',
    '',
    '## Steps',
    '',
    '- First step',
    '- Second step',
    '  continues here',
    '1. Numbered',
    '',
    '> A quote',
    '',
    '```',
    'ignored code',
    '```',
    '',
    'See https://example.org/bare and <https://example.org/auto> and <b>bold</b>.',
    '',
    'Underlined',
    '==========',
  ].join('\n'));
  assert.deepEqual(md.headings.map((h) => [h.level, h.text, h.line]), [[1, 'Title with a link', 1], [2, 'Steps', 6], [1, 'Underlined', 21]]);
  assert.deepEqual(md.links.map((l) => l.text), ['link', 'useful guide']);
  assert.equal(md.links[1].href, 'https://example.org/g');
  assert.deepEqual(md.images, [{ alt: 'A ward team at a whiteboard', src: 'media/team.png', line: 4 }]);
  assert.deepEqual(md.bareUrls.map((u) => u.url), ['https://example.org/bare', 'https://example.org/auto']);
  assert.equal(md.html.length, 1);
  assert.equal(md.html[0].line, 19);
  assert.deepEqual(md.setext, [22]);
  assert.equal(md.firstLine, 1);
  assert.equal(md.blocks[0], 'Some emphasis and strong text with code and a useful guide. An image sits here.');
  assert.deepEqual(md.blocks.slice(1, 5), ['First step', 'Second step continues here', 'Numbered', 'A quote']);
  assert.ok(!md.blocks.join(' ').includes('ignored code'));
  assert.ok(!md.blocks.join(' ').includes('https'));
});

test('xml reader (xmldom): elements, attributes, entities, comments and errors', () => {
  const root = parseXml('<?xml version="1.0"?>\n<!-- c -->\n<a x="1 &amp; 2">\n  <b y=\'q\'>t &lt; u &#233;</b><c/>\n</a>');
  assert.equal(root.name, 'a');
  assert.equal(root.attrs.x, '1 & 2');
  assert.equal(root.children[0].text, 't < u é');
  assert.equal(root.children[0].line, 4);
  assert.equal(root.children[1].name, 'c');
  assert.throws(() => parseXml('<a><b></a>', 'f.xml'), /^Error: f\.xml:1: /);
  assert.throws(() => parseXml('<!DOCTYPE a [<!ENTITY x "y">]><a/>'), /DOCTYPE/);
  assert.throws(() => parseXml('<a>&bogus;</a>'), /entity not found/);
  assert.throws(() => parseXml('<a x="1" x="2"/>'), /redefined/);
  assert.throws(() => parseXml('<a/>text'), /outside the root/);
  assert.throws(() => parseXml('<a/><b/>'), /:1: /);
});

test('link text rule rejects text that means nothing out of context', () => {
  for (const bad of ['click here', 'Here', 'Read more.', 'link', 'https://learninghub.nhs.uk/x', 'www.nhs.uk', 'nhs.uk', '']) {
    assert.ok(C.linkTextProblem(bad), `accepted "${bad}"`);
  }
  assert.ok(C.linkTextProblem('Toolkit', 3), 'one word is too short for a reading link');
  assert.equal(C.linkTextProblem('Peer Assist in the NHS knowledge mobilisation toolkit', 3), null);
});

test('alt text rule', () => {
  assert.ok(C.altTextProblem(''));
  assert.ok(C.altTextProblem('image'));
  assert.ok(C.altTextProblem('team.png'));
  assert.equal(C.altTextProblem('A discharge team around a table'), null);
});

test('en-GB spelling and Latin abbreviations', () => {
  assert.ok(C.spellingProblems('We organize the program around behavior in the center.').length >= 4);
  assert.ok(C.spellingProblems('The team will analyze it.').length === 1);
  assert.ok(C.spellingProblems('The pediatric ward.').length === 1);
  assert.deepEqual(C.spellingProblems('We organise the programme around behaviour in the centre; the size is right.'), []);
  assert.equal(C.latinAbbreviations('Use a checklist, e.g. this one, etc.').length, 2);
  assert.deepEqual(C.latinAbbreviations('For example, a ward team.'), []);
});

// Scratch folders made by the fixtures below, removed when the file's tests end.
const scratch = [];
const scratchDir = (prefix) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(d);
  return d;
};
test.after(() => { for (const d of scratch) fs.rmSync(d, { recursive: true, force: true }); });

// Builds a throwaway module folder from a module.xml body and card files.
function fixtureModule(xml, cards) {
  const root = scratchDir('postcard-content-');
  const dir = path.join(root, 'demo');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'module.xml'), xml);
  for (const [name, body] of Object.entries(cards)) fs.writeFileSync(path.join(dir, name), body);
  return { root, mod: C.loadModule('demo', root) };
}

const GOOD_CARD = '# A good card\n\nA ward team meets for ten minutes before a new clinic starts. They say what they want to achieve and who has done it before. Then they plan.\n';
const REAL_CARD = '# Examples\n\n## A real case: a team that did it\n\nA ward team met for ten minutes before a new clinic started. They said what they wanted to achieve and who had done it before.\n\nSource: [the team\'s write-up on its blog](https://example.org/case)\n';
const LINKS = '<reading><link href="https://learninghub.nhs.uk/catalogue/Knowledge-Mobilisation-Framework/about">The KMF e-learning on the NHS Learning Hub</link>' +
  '<link href="https://library.hee.nhs.uk/knowledge-mobilisation/knowledge-mobilisation-toolkit/knowledge-mobilisation-toolkit">The NHS knowledge mobilisation toolkit</link></reading>';
const tf = (id, prompt, answer = 'true') => `<true-false id="${id}" card="c1" answer="${answer}"><prompt>${prompt}</prompt><feedback correct="Yes, because." incorrect="No, because."/></true-false>`;

function moduleXml({ cards = 4, questions, pass = '80', reflection = true, reading = LINKS, id = 'demo', outcomes = ['Do one thing', 'Do another'], postcard = true } = {}) {
  const qs = questions || [1, 2, 3, 4, 5, 6].map((i) => tf(`q${i}`, `Statement number ${i} about the topic.`, i % 2 ? 'true' : 'false')).join('');
  return `<module xmlns="urn:postcard:module:1" id="${id}" version="1.0.0" lang="en-GB"><title>Demo</title><phase>before</phase><summary>S.</summary>` +
    (outcomes ? `<outcomes>${outcomes.map((o) => `<outcome>${o}</outcome>`).join('')}</outcomes>` : '') +
    Array.from({ length: cards }, (_, i) => `<card id="c${i}" src="c${i}.md"/>`).join('') +
    `<quiz id="check" pass="${pass}">${qs}</quiz>` +
    (reflection ? `<reflection id="plan"><prompt>${reflection === true ? 'What will you do, by when, and with whom?' : reflection}</prompt></reflection>` : '') + reading +
    (postcard ? `<postcard><when>Before the work.</when><who>The team.</who><time>15 minutes</time><how><step>One</step><step>Two</step></how>${postcard === 'no-questions' ? '' : '<questions><question>What do we want?</question></questions>'}</postcard>` : '') + '</module>';
}
const cardsFor = (n, body = GOOD_CARD) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}.md`, i === 0 ? REAL_CARD : body]));

test('lintModule accepts a well-formed module', () => {
  const { mod } = fixtureModule(moduleXml(), cardsFor(4));
  assert.deepEqual(C.lintModule(mod), []);
});

test('lintModule catches each broken module rule', () => {
  const cases = [
    [moduleXml({ cards: 3 }), cardsFor(3), /3 cards/],
    [moduleXml({ cards: 7 }), cardsFor(7), /7 cards/],
    [moduleXml({ pass: '70' }), cardsFor(4), /pass mark is 70/],
    [moduleXml({ questions: tf('a', 'One.') + tf('b', 'Two.') }), cardsFor(4), /2 questions/],
    [moduleXml({ reflection: false }), cardsFor(4), /no reflection/],
    [moduleXml({ outcomes: null }), cardsFor(4), /no learning outcomes/],
    [moduleXml({ postcard: false }), cardsFor(4), /no <postcard>/],
    [moduleXml({ postcard: 'no-questions' }), cardsFor(4), /the postcard has no <questions>/],
    [moduleXml({ outcomes: ['One', 'Two', 'Three', 'Four'] }), cardsFor(4), /4 learning outcomes/],
    [moduleXml({ questions: [1, 2, 3, 4, 5].map((i) => tf(`q${i}`, `S ${i}.`)).join('') + tf('nocard', 'S 6.').replace(' card="c1"', '') }), cardsFor(4), /question "nocard" names no card/],
    [moduleXml({ reflection: 'Which piece of work could use this technique?' }), cardsFor(4), /what the learner will do, by when and with whom/],
    [moduleXml({ reflection: 'What will you do, and by when?' }), cardsFor(4), /by when and with whom/],
    [moduleXml({ reading: LINKS.replace('</reading>', '<link href="https://library.hee.nhs.uk/knowledge-mobilisation/knowledge-mobilisation-toolkit/elicitation-interview">Appreciative Inquiry in the NHS knowledge mobilisation toolkit</link></reading>') }), cardsFor(4), /does not name its page elicitation-interview \(missing: elicitation, interview\)/],
    [moduleXml({ questions: [1, 2, 3, 4, 5].map((i) => tf(`q${i}`, `S ${i}.`)).join('') + '<true-false id="z" answer="true"><prompt>The Coffee Trials pair people.</prompt><feedback correct="a" incorrect="b"/></true-false>' }), cardsFor(4), /"Coffee Trials": call it "Randomised Coffee Trials"/],
    [moduleXml({ reading: '' }), cardsFor(4), /no further reading/],
    [moduleXml({ reading: '<reading><link href="https://learninghub.nhs.uk/x">click here</link></reading>' }), cardsFor(4), /does not make sense|no link to the NHS knowledge mobilisation toolkit/],
    [moduleXml({ id: 'other' }), cardsFor(4), /differs from its folder/],
    [moduleXml({ questions: [1, 2, 3, 4, 5].map((i) => tf(`q${i}`, `Statement ${i}.`)).join('') + tf('q6', 'statement 1') }), cardsFor(4), /repeats the prompt/],
    [moduleXml({ questions: [1, 2, 3, 4, 5].map((i) => tf(`q${i}`, `S ${i}.`)).join('') + '<choice id="c"><prompt>P?</prompt><option correct="true" feedback="Yes.">A</option><option>B</option></choice>' }), cardsFor(4), /option "B" of "c" has no feedback/],
    [moduleXml({ questions: [1, 2, 3, 4, 5].map((i) => tf(`q${i}`, `S ${i}.`)).join('') + '<true-false id="t" answer="true"><prompt>P.</prompt></true-false>' }), cardsFor(4), /needs <feedback/],
    [moduleXml({ questions: [1, 2, 3, 4, 5].map((i) => tf(`q${i}`, `S ${i}.`)).join('') + '<fill-in id="f" maxlength="200"><prompt>P?</prompt><answer>x</answer><feedback correct="a" incorrect="b"/></fill-in>' }), cardsFor(4), /maxlength 200/],
    [moduleXml({ questions: [1, 2, 3, 4, 5].map((i) => tf(`q${i}`, `S ${i}.`)).join('') + '<choice id="c"><prompt>P?</prompt><option correct="true" feedback="a">A</option><option correct="true" feedback="b">B</option></choice>' }), cardsFor(4), /2 correct options/],
    [moduleXml({ questions: [1, 2, 3, 4, 5].map((i) => tf(`q${i}`, `S ${i}.`)).join('') + '<true-false id="z" answer="true"><prompt>We organize it.</prompt><feedback correct="a" incorrect="b"/></true-false>' }), cardsFor(4), /use -ise/],
  ];
  for (const [xml, cards, re] of cases) {
    const { mod } = fixtureModule(xml, cards);
    const found = C.lintModule(mod);
    assert.ok(found.some((f) => re.test(f)), `expected ${re} in:\n${found.join('\n')}`);
  }
});

test('feedback that sends the learner back for a retry they do not get is reported; explanations are not', () => {
  const five = [1, 2, 3, 4, 5].map((i) => tf(`q${i}`, `S ${i}.`)).join('');
  const matching = (incorrect) => `<matching id="m"><prompt>Match them.</prompt><pair><source>A</source><target>1</target></pair><pair><source>B</source><target>2</target></pair><pair><source>C</source><target>3</target></pair><feedback correct="Yes." incorrect="${incorrect}"/></matching>`;
  const lint = (q) => C.lintModule(fixtureModule(moduleXml({ questions: five + q }), cardsFor(4)).mod).filter((f) => /answer is locked/.test(f));
  for (const bad of ['Look again. A goes with 1.', 'Not quite. Think about what each part is for.', 'Try again with the card in mind.', 'Have another go.', 'Re-read the how-to card.']) {
    assert.equal(lint(matching(bad)).length, 1, bad);
  }
  for (const good of ['A goes with 1, because it comes first. B goes with 2 and C with 3.', 'The question helps Sam think about his own problem.']) {
    assert.deepEqual(lint(matching(good)), [], good);
  }
  // Likert feedback is advice about next steps, never a verdict: "Think about…" is fine there.
  assert.deepEqual(lint('<likert id="l"><prompt>How sure?</prompt><option feedback="Think about who could help.">Not sure</option><option feedback="Good.">Sure</option></likert>'), []);
});

test('the right option may not usually be the longest: per module (more than half) and across the set (more than a third)', () => {
  const choice = (id, right, lengths) => `<choice id="${id}"><prompt>Choice ${id}?</prompt>` +
    lengths.map((n, i) => `<option${i === right ? ' correct="true"' : ''} feedback="Because.">${'x'.repeat(n - 1)}${i}</option>`).join('') + '</choice>';
  const mod = (qs) => fixtureModule(moduleXml({ questions: qs.join('') + [1, 2, 3, 4].map((i) => tf(`t${i}`, `S ${i}.`, i % 2 ? 'true' : 'false')).join('') }), cardsFor(4)).mod;
  const longest = choice('a', 0, [40, 20, 30]);
  const notLongest = choice('b', 1, [40, 20, 30]);
  const tie = choice('c', 0, [30, 30, 20]); // a tie is not "longest"
  assert.ok(C.rightIsLongest(mod([longest]).quiz.questions[0]));
  assert.ok(!C.rightIsLongest(mod([tie]).quiz.questions[0]));
  assert.match(C.lintLongestInModule(mod([longest, choice('d', 2, [10, 20, 30])])).join(), /longest in 2 of 2 choice questions \(a, d\)/);
  assert.deepEqual(C.lintLongestInModule(mod([longest, notLongest])), [], 'one of two is allowed');
  assert.deepEqual(C.lintLongestInModule(mod([longest])), [], 'a single choice question is left to the set-wide rule');
  const set = [mod([longest, notLongest]), mod([tie, notLongest])]; // 1 of 4
  assert.deepEqual(C.lintLongestInSet(set), []);
  const bad = [mod([longest, notLongest]), mod([choice('e', 0, [50, 10]), notLongest])]; // 2 of 4 > 1/3
  assert.match(C.lintLongestInSet(bad).join(), /longest in 2 of 4 choice questions across the set \(at most 1\)/);
});

test('examples: made up and labelled as such, or real and cited; one real case per technique module', () => {
  const lint = (card, name = 'demo') => {
    const { mod } = fixtureModule(moduleXml(), { ...cardsFor(4), 'c0.md': card });
    mod.name = name;
    return C.lintExamples(mod);
  };
  const body = 'A ward team met for ten minutes before a new clinic started. They said what they wanted to achieve.';
  const made = (extra = '') => `# Examples\n\n## A made-up example: a clinic\n\n${body}${extra}\n`;
  assert.deepEqual(lint(REAL_CARD), []);
  assert.match(lint(`# An NHS example: a clinic\n\n${body}\n`).join('\n'), /"An NHS example": say whether/);
  assert.match(lint(`# Example: a clinic\n\n${body}\n`).join('\n'), /does not say whether the example is made up or real/);
  assert.match(lint(made()).join('\n'), /0 sections headed "A real case"/);
  assert.deepEqual(lint(made(), 'before-action-review'), [], 'techniques without a real case in the reference may have none');
  assert.match(lint('# Examples\n\n## A real case: a team\n\n' + body + '\n').join('\n'), /links to no source/);
  for (const claim of [' Sickness has started to fall.', ' Delayed discharges have dropped.', ' The list saved her a month.', ' Waits fell by a third.']) {
    assert.match(lint(REAL_CARD.replace('# Examples', '# Examples') + '\n' + made(claim).replace('# Examples\n\n', '')).join('\n'), /made-up example claims a result/, claim);
  }
  assert.deepEqual(lint(REAL_CARD + '\n' + made(' They plan to meet again in six weeks.').replace('# Examples\n\n', '')), []);
});

test('module files: every template is offered from a card, linked files exist, SVG diagrams are accessible and inert', () => {
  const { mod } = fixtureModule(moduleXml(), { ...cardsFor(4), 'c1.md': GOOD_CARD + '\n[Download the sheet (text file)](templates/sheet.txt)\n\n[Download the plan (text file)](templates/missing.txt)\n' });
  fs.mkdirSync(path.join(mod.dir, 'templates'));
  fs.writeFileSync(path.join(mod.dir, 'templates', 'sheet.txt'), 'Questions\n');
  fs.writeFileSync(path.join(mod.dir, 'templates', 'orphan.txt'), 'Nobody links me\n');
  const files = C.lintModuleFiles(mod);
  assert.equal(files.length, 1, files.join('\n'));
  assert.match(files[0], /orphan\.txt:1: template is not offered from any card/);
  assert.match(C.lintCard(mod.cards[1], mod.dir).join('\n'), /linked file templates\/missing\.txt does not exist/);
  assert.ok(!C.lintCard(mod.cards[1], mod.dir).some((f) => /sheet\.txt/.test(f)));

  const svg = (body, attrs = 'role="img"') => {
    const f = path.join(mod.dir, 'd.svg');
    fs.writeFileSync(f, `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ${attrs}>${body}</svg>`);
    return C.svgProblems(f).join('\n');
  };
  const named = '<title>The loop</title><desc>Three boxes in a circle, joined by arrows, one for each phase of the work.</desc>';
  assert.equal(svg(named), '');
  assert.match(svg(named, ''), /needs role="img"/);
  assert.match(svg('<desc>Three boxes in a circle, joined by arrows, one for each phase of the work.</desc>'), /needs a <title>/);
  assert.match(svg('<title>The loop</title><desc>A loop.</desc>'), /needs a <desc>/);
  assert.match(svg(named + '<script>alert(1)</script>'), /<script> is not allowed/);
  assert.match(svg(named + '<rect onclick="x()"/>'), /event attribute onclick/);
  assert.match(svg(named + '<image href="https://example.org/a.png"/>'), /points outside the diagram/);
  assert.match(svg(named + '<use xlink:href="https://example.org/a.svg#x"/>'), /points outside the diagram/);
  assert.equal(svg(named + '<use href="#local"/>'), '');
});

test('lintAnswerPositions: right answers in a pattern within a module fail it; the same by chance in a few questions does not', () => {
  const opts = (n, right) => Array.from({ length: n }, (_, i) =>
    `<option${right.includes(i) ? ' correct="true"' : ''} feedback="Because ${i}.">Option ${i}</option>`).join('');
  const choice = (id, right, n = 4) => `<choice id="${id}"><prompt>Choice ${id}?</prompt>${opts(n, [right])}</choice>`;
  const multi = (id, right, n = 4) => `<multiple id="${id}"><prompt>Multiple ${id}?</prompt>${opts(n, right)}</multiple>`;
  const tfq = (id, answer) => tf(id, `Statement ${id}.`, answer);
  const lint = (qs) => C.lintAnswerPositions(fixtureModule(moduleXml({ questions: qs.join('') }), cardsFor(4)).mod);
  const fails = [
    [[choice('a', 1), choice('b', 1), choice('c', 1, 3)], /all 3 choice questions \(a, b, c\) have their right option at position 2/],
    [[choice('a', 0), choice('b', 0), choice('c', 0), choice('d', 0), tfq('t', 'true')], /all 4 choice questions .* at position 1/],
    [[multi('m', [0, 1])], /the multiple question \(m\) lists its right options first/],
    [[multi('m', [0]), multi('n', [0, 1, 2]), choice('a', 2)], /all 2 multiple questions \(m, n\) list their right options first/],
    [[tfq('t1', 'false'), tfq('t2', 'false'), tfq('t3', 'false')], /all 3 true-false questions \(t1, t2, t3\) have the answer false: make some true/],
    [[tfq('t1', 'true'), tfq('t2', '1'), tfq('t3', 'true'), tfq('t4', 'true')], /all 4 true-false questions .* have the answer true/],
  ];
  for (const [qs, re] of fails) {
    const found = lint(qs);
    assert.equal(found.length, 1, `one finding for ${re}:\n${found.join('\n')}`);
    assert.match(found[0], re);
    assert.match(found[0], /demo\/module\.xml:\d+: /, 'says where to look');
  }
  const passes = [
    [choice('a', 0), choice('b', 0)], // two choice questions may share a position by chance
    [choice('a', 1), choice('b', 1), choice('c', 2)],
    [multi('m', [0, 2])],
    [multi('m', [1])],
    [multi('m', [0, 1]), multi('n', [1, 3])], // not every multiple question
    [multi('m', [0, 1, 2, 3])], // every option right: lintQuestion reports that, not this rule
    [tfq('t1', 'true'), tfq('t2', 'true')],
    [tfq('t1', 'true'), tfq('t2', 'false'), tfq('t3', 'true')],
    [choice('a', 0), choice('b', 1), choice('c', 2), multi('m', [1, 3]), tfq('t1', 'true'), tfq('t2', 'false'), tfq('t3', 'true')],
  ];
  for (const qs of passes) assert.deepEqual(lint(qs), [], qs.join('\n'));
  // Part of the module lint, so it fails the lint of modules/.
  const { mod } = fixtureModule(moduleXml({ questions: [choice('a', 3), choice('b', 3), choice('c', 3), tfq('t1', 'true'), tfq('t2', 'false'), tfq('t3', 'true')].join('') }), cardsFor(4));
  assert.ok(C.lintModule(mod).some((f) => /all 3 choice questions \(a, b, c\) have their right option at position 4/.test(f)));
});

test('lintCard catches each broken card rule', () => {
  const cases = [
    ['', /card is empty/],
    ['Text before the heading.\n\n# Title\n\n' + GOOD_CARD.split('\n')[2], /starts with one top-level heading/],
    ['## Second level first\n\n' + GOOD_CARD.split('\n')[2], /starts with one top-level heading/],
    [GOOD_CARD + '\n# Another title\n', /only one top-level heading/],
    [GOOD_CARD + '\n### Skipped\n\nMore text.\n', /skips a level/],
    [GOOD_CARD + '\nUnderlined\n---\n', /setext/],
    [GOOD_CARD + '\n![](media/x.png)\n', /no alt text/],
    [GOOD_CARD + '\n![A picture of a ward](media/missing.png)\n', /does not exist/],
    [GOOD_CARD + '\nFor more, [click here](https://example.org).\n', /does not make sense/],
    [GOOD_CARD + '\nSee https://example.org for more.\n', /bare address/],
    [GOOD_CARD + '\n<div>Raw</div>\n', /raw HTML/],
    ['# Title\n\nToo short.\n', /only 2 words/],
    [GOOD_CARD + '\nUse a template, e.g. this one.\n', /write it out/],
    [GOOD_CARD + '\nThe color of the form.\n', /-our/],
  ];
  for (const [body, re] of cases) {
    const { mod } = fixtureModule(moduleXml(), { ...cardsFor(4), 'c0.md': body });
    const found = C.lintCard(mod.cards[0], mod.dir);
    assert.ok(found.some((f) => re.test(f)), `expected ${re} for:\n${body}\ngot:\n${found.join('\n')}`);
  }
});

test('lintRepeatedPrompts catches a prompt repeated in another module', () => {
  const a = fixtureModule(moduleXml(), cardsFor(4)).mod;
  const b = { ...fixtureModule(moduleXml(), cardsFor(4)).mod, name: 'other' };
  assert.deepEqual(C.lintRepeatedPrompts([a]), []);
  const found = C.lintRepeatedPrompts([a, b]);
  assert.equal(found.length, 6);
  assert.match(found[0], /repeats the prompt of demo\/q1/);
});

test('lintCourse: listing, order, groups and phases', () => {
  const course = (body) => {
    const root = scratchDir('postcard-course-');
    fs.writeFileSync(path.join(root, 'course.xml'), `<course xmlns="urn:postcard:course:1" id="kmf" version="1.0.0" lang="en-GB"><title>T</title><summary>S</summary>${body}</course>`);
    return C.loadCourse(root);
  };
  const phases = { overview: 'overview', a: 'before', b: 'during', c: 'after' };
  const phaseOf = (n) => phases[n];
  const good = course('<module src="overview"/><group id="before"><title>B</title><module src="a"/></group><group id="during"><title>D</title><module src="b"/></group><group id="after"><title>A</title><module src="c"/></group>');
  assert.deepEqual(C.lintCourse(good, ['a', 'b', 'c', 'overview'], phaseOf), { findings: [], missing: [] });
  const r1 = C.lintCourse(good, ['a', 'b', 'overview', 'z'], phaseOf);
  assert.deepEqual(r1.missing.map((e) => e.src), ['c']);
  assert.ok(r1.findings.some((f) => /modules\/z is not in the course/.test(f)));
  const wrong = course('<group id="before"><title>B</title><module src="c"/><module src="overview"/></group><group id="after"><title>A</title><module src="a"/><module src="a"/></group>');
  const found = C.lintCourse(wrong, ['a', 'c', 'overview'], phaseOf).findings.join('\n');
  assert.match(found, /starts with the overview/);
  assert.match(found, /expected \[before, during, after\]/);
  assert.match(found, /has phase "after" but sits in group "before"/);
  assert.match(found, /listed twice/);
});
