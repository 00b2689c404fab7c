// Lint of every module in modules/ and of modules/course.xml: schema validity, cards (headings,
// alt text, link text, no raw HTML, not empty, en-GB spelling), quizzes (6-10 questions, pass 80,
// feedback on every option and answer, no repeated question anywhere in the set, right answers not
// in a pattern a learner could spot), a reflection,
// further reading, and a course that lists every module exactly once in its phase group.
// The rules live in lib/content.js and are tested on broken inputs in tools.test.js.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const C = require('./lib/content');

const names = C.listModuleDirs();
const modules = [];
const show = (findings) => `\n${findings.join('\n')}\n`;

test('there are modules to check', () => {
  assert.ok(names.length > 0, `no module folders in ${C.MODULES_DIR}`);
});

for (const name of names) {
  test(`module ${name}`, async (t) => {
    await t.test('module.xml is valid against schemas/postcard-module.xsd', () => {
      const f = C.xsdFindings(`${C.MODULES_DIR}/${name}/module.xml`, 'postcard-module.xsd');
      assert.deepEqual(f, [], show(f));
    });
    const mod = C.loadModule(name);
    modules.push(mod);
    await t.test('cards, quiz, reflection and reading follow the house rules', () => {
      const f = C.lintModule(mod);
      assert.deepEqual(f, [], show(f));
    });
  });
}

// The technique-specific NHS resources ../shared/reference/kmf-postcards.md lists: each module
// names or links its own, so a learner knows where to go next. One the reference gives no address
// for is named, not linked (an address made up here could be wrong).
const RESOURCES = {
  'randomised-coffee-trials': [/lihnnhs\.info\/maptoolkit/, /NHS Horizons[^.]*resource pack/, /The Christie/],
  'fishbowl': [/learn\.nes\.nhs\.scot\/85129/, /Macmillan[^.]*case study/],
  'knowledge-harvesting': [/knowledge-mobilisation-toolkit\/knowledge-harvesting/, /learn\.nes\.nhs\.scot\/85129/],
  'appreciative-inquiry': [/introductory guide/, /East London NHS Foundation Trust/],
  'communities-of-practice': [/Enabling change through communities of practice/],
  'overview': [/Find your NHS library and knowledge service/],
};

test('each module names or links the NHS resources the reference lists for its technique', () => {
  const fs = require('node:fs');
  const path = require('node:path');
  const missing = [];
  for (const [name, wanted] of Object.entries(RESOURCES)) {
    const dir = path.join(C.MODULES_DIR, name);
    const text = fs.readdirSync(dir).filter((f) => /\.(md|xml)$/.test(f))
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n').replace(/\s+/g, ' ');
    for (const re of wanted) if (!re.test(text)) missing.push(`${name}: ${re}`);
  }
  assert.deepEqual(missing, []);
});

test('no question repeats another anywhere in the set', () => {
  const f = C.lintRepeatedPrompts(modules);
  assert.deepEqual(f, [], show(f));
});

test('the right option is not usually the longest across the set', () => {
  const f = C.lintLongestInSet(modules);
  assert.deepEqual(f, [], show(f));
});

test('every question type is used somewhere in the set', () => {
  const used = new Set(modules.flatMap((m) => (m.quiz ? m.quiz.questions.map((q) => q.type) : [])));
  const unused = C.QUESTION_TYPES.filter((t) => !used.has(t));
  assert.deepEqual(unused, [], `not used by any module: ${unused.join(', ')}`);
});

test('modules/course.xml', async (t) => {
  const course = C.loadCourse();
  assert.ok(course, 'modules/course.xml is missing');
  await t.test('is valid against schemas/postcard-course.xsd', () => {
    const f = C.xsdFindings(course.file, 'postcard-course.xsd');
    assert.deepEqual(f, [], show(f));
  });
  const phase = new Map(modules.map((m) => [m.name, m.phase]));
  const { findings, missing } = C.lintCourse(course, names, (n) => phase.get(n));
  await t.test('lists every module once, overview first, then Before, During and After', () => {
    assert.deepEqual(findings, [], show(findings));
  });
  await t.test('every module the course names exists', () => {
    assert.deepEqual(missing.map((e) => `${e.src} (course.xml line ${e.line})`), [], 'no module folder for these course entries');
  });
});
