// The player-fixture module (modules/player-fixture) as the data JSON `postcard build` writes for
// it, for the logic tests that run without the binary. contract.test.mjs checks that the compiler
// really writes this data for that source (apart from the shuffles, which are the compiler's).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
export const WEB = join(here, '..', '..', 'author', 'render', 'web');
const require = createRequire(import.meta.url);
export const core = require(join(WEB, 'postcard.js'));

// Five cards and one question of every type.
export function fixtureModule() {
  return {
    module: { id: 'peer-assist', version: '1.2.0', title: 'Peer Assist & you', lang: 'en-GB', phase: 'before',
      summary: 'Learn from people who have done similar work, before you start.' },
    cards: [
      { id: 'what', title: 'What a Peer Assist is' },
      { id: 'when', title: 'When to use one' },
      { id: 'who', title: 'Who to invite' },
      { id: 'how', title: 'How to run it' },
      { id: 'after', title: 'Afterwards' },
    ],
    quiz: {
      id: 'check', pass: 80,
      questions: [
        { id: 'q-choice', type: 'choice', prompt: 'When should a Peer Assist happen?',
          options: [{ text: 'Before the work starts', feedback: 'Yes: that is when advice can still change the plan.', fixed: true },
            { text: 'After the work ends', feedback: 'That is a retrospect.', fixed: true }, { text: 'Never', fixed: true }],
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

// The data JSON for `scorm` and `lms`, with the budget from the player's own formula.
export function dataAndCards(mod, { scorm = '1.2', lms = 'generic' } = {}) {
  const data = { format: 1, scorm, lms, module: mod.module, cards: mod.cards };
  if (mod.quiz) data.quiz = mod.quiz;
  if (mod.reflection) data.reflection = mod.reflection;
  data.reading = mod.reading || [];
  data.suspendBudget = core.worstCaseLength(data);
  return { data };
}
