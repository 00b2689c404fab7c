// The player's pure parts for issue 15 (label js): the order options are shown in (stable per
// learner, fixed options kept in place, other types untouched, answers and patterns unchanged),
// the start screen's model, SCORM names shown as people write them, and the certificate's model.
import test from 'node:test';
import assert from 'node:assert/strict';
import { core } from './fixture.mjs';

const q = (n, fixed = []) => ({ id: 'q1', type: 'choice', options: Array.from({ length: n }, (_, i) => ({ text: `o${i}`, fixed: fixed.includes(i) || undefined })), correct: [0] });
const isPermutation = (a, n) => a.length === n && [...a].sort((x, y) => x - y).every((v, i) => v === i);

test('shuffledOrder: a permutation, the same for the same learner, different across learners', () => {
  const question = q(4);
  const orders = new Map();
  for (let l = 0; l < 200; l++) {
    const key = core.shuffleKey({ module: { id: 'peer-assist', version: '1.2.0' } }, `learner-${l}`);
    const a = core.shuffledOrder(question, key);
    assert.ok(isPermutation(a, 4), String(a));
    assert.deepEqual(core.shuffledOrder(question, key), a, 'stable for one learner (resume shows the same order)');
    orders.set(a.join(''), (orders.get(a.join('')) || 0) + 1);
  }
  // 24 orders of 4 options: 200 learners see most of them, none of them dominates.
  assert.ok(orders.size >= 20, `${orders.size} different orders`);
  assert.ok(Math.max(...orders.values()) < 30, `one order shown to ${Math.max(...orders.values())} of 200`);
  // The right option (index 0) is first for roughly a quarter of learners, not for all.
  const first = [...orders].filter(([k]) => k[0] === '0').reduce((s, [, v]) => s + v, 0);
  assert.ok(first > 25 && first < 75, `right option first for ${first} of 200`);
});

test('shuffledOrder: fixed options keep their place; other question types keep the source order', () => {
  for (let l = 0; l < 100; l++) {
    const a = core.shuffledOrder(q(5, [4]), `k${l}`);
    assert.equal(a[4], 4, '"None of these" stays last');
    assert.ok(isPermutation(a, 5));
    const b = core.shuffledOrder(q(4, [0, 2]), `k${l}`);
    assert.equal(b[0], 0);
    assert.equal(b[2], 2);
  }
  assert.deepEqual(core.shuffledOrder(q(3, [0, 1, 2]), 'anyone'), [0, 1, 2], 'all fixed: no shuffle');
  const likert = { id: 'l', type: 'likert', options: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] };
  assert.deepEqual(core.shuffledOrder(likert, 'anyone'), [0, 1, 2], 'a scale keeps its order');
  const multiple = { ...q(6), type: 'multiple' };
  assert.ok([...Array(20).keys()].some((l) => core.shuffledOrder(multiple, `m${l}`).join('') !== '012345'), 'multiple questions are shuffled');
});

test('startModel, personName and certificateModel', () => {
  const data = { module: { id: 'm', version: '1.0.0', title: 'After Action Review', lang: 'en-GB', phase: 'during', summary: 'S.', outcomes: ['A', 'B'], minutes: 20 }, quiz: { pass: 80 } };
  assert.deepEqual(core.startModel(data), { summary: 'S.', outcomes: ['A', 'B'], minutes: 'About 20 minutes', phase: 'Learning During: use it while the work is under way' });
  assert.equal(core.startModel({ module: { ...data.module, minutes: 1 } }).minutes, 'About 1 minute');
  assert.equal(core.personName('Learner, Test'), 'Test Learner');
  assert.equal(core.personName('  Smith ,  Jane '), 'Jane Smith');
  assert.equal(core.personName('Jane Smith'), 'Jane Smith');
  assert.equal(core.personName('a, b, c'), 'a, b, c', 'not a "Family, Given" name: shown as it is');
  assert.equal(core.personName(''), '');
  const c = core.certificateModel(data, 'Smith, Jane', { scored: 7, correct: 6 }, new Date(Date.UTC(2026, 11, 7, 12)));
  assert.deepEqual(c, { name: 'Jane Smith', module: 'After Action Review', score: '86%', pass: '80%', date: '7 December 2026' });
});
