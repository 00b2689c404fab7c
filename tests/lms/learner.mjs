// The learner of the LMS tests: the same driver plays a Postcard SCO under any LMS side (scorm-again,
// Postcard's runtime, the Moodle-rules and Learning-Hub-rules doubles). It works inside the SCO's
// page: one `frame.evaluate` per step clicks the player's own buttons and fills its own inputs
// (checking each is shown and enabled first, as a person could), so a whole quiz costs one round
// trip instead of dozens. The keyboard and the mouse are covered by tests/package (flow, a11y).

// Right, wrong and "partly wrong" answers in the player's memory form (author/render/web/README.md),
// worked out from the module's own data.
export function rightAnswer(q) {
  const n = (q.options || q.pairs || q.steps || []).length;
  const seq = [...Array(n).keys()];
  switch (q.type) {
    case 'choice': return q.correct[0];
    case 'multiple': return q.correct.slice();
    case 'true-false': return q.answer;
    case 'fill-in': return q.answers[0];
    case 'numeric': return q.min ?? q.max ?? '0';
    case 'matching': case 'ordering': return seq;
    case 'likert': return 0;
    default: throw new Error('unknown question type ' + q.type);
  }
}

// A wrong answer; for numeric questions a negative number where the range allows one (the
// Learning Hub refuses negative responses: the tests want to meet that case).
export function wrongAnswer(q) {
  const n = (q.options || q.pairs || q.steps || []).length;
  const seq = [...Array(n).keys()];
  switch (q.type) {
    case 'choice': return (q.correct[0] + 1) % n;
    case 'multiple': return [seq.find((i) => !q.correct.includes(i))];
    case 'true-false': return !q.answer;
    case 'fill-in': return 'not the answer';
    case 'numeric':
      if (q.min !== undefined && q.min !== null) return String(Math.floor(Number(q.min)) - 1000);
      return String(Math.ceil(Number(q.max)) + 1000);
    case 'matching': case 'ordering': return seq.slice().reverse();
    case 'likert': return n - 1;
    default: throw new Error('unknown question type ' + q.type);
  }
}

// The "partly wrong" attempt: the first half (rounded up) of the marked questions wrong, the rest
// right, so the score is at most 50% and the attempt fails whatever the pass mark above 50%.
export function partlyWrong(questions) {
  const marked = questions.filter((q) => q.type !== 'likert').length;
  let wrongLeft = Math.ceil(marked / 2);
  return questions.map((q) => {
    if (q.type === 'likert') return wrongAnswer(q);
    if (wrongLeft > 0) { wrongLeft--; return wrongAnswer(q); }
    return rightAnswer(q);
  });
}

// The quiz result the player must report for `answers` (exact integers, as the player decides).
export function expectedScore(questions, answers, pass) {
  let scored = 0, correct = 0;
  questions.forEach((q, i) => {
    if (q.type === 'likert') return;
    scored++;
    if (JSON.stringify(answers[i]) === JSON.stringify(rightAnswer(q))) correct++;
  });
  return { raw: String(Math.round(correct * 10000 / scored) / 100), scaled: String(Math.round(correct * 10000 / scored) / 10000),
    passed: correct * 100 >= pass * scored, scored, correct };
}

// Runs inside the SCO page (serialised by Playwright): defines window.__learner.
function install() {
  if (window.__learner) return;
  const $ = (sel) => document.querySelector(sel);
  const shown = (e) => !!e && !e.disabled && !e.closest('[hidden]') && e.getClientRects().length > 0;
  const press = (e, what) => {
    if (!shown(e)) throw new Error(`cannot press ${what}: not shown or disabled`);
    e.click();
  };
  const button = (text) => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === text);
  const heading = () => {
    const s = document.querySelector('#pc-screen:not([hidden]) h2') ||
      [...document.querySelectorAll('section.card')].find((c) => !c.hidden)?.querySelector('h2');
    return s ? s.textContent : null;
  };
  const data = JSON.parse($('#postcard-data').textContent);
  const fill = (q, value) => {
    const id = q.id;
    switch (q.type) {
      case 'choice': case 'likert': press($(`#pc-${id}-o${value}`), id); break;
      case 'true-false': press($(`#pc-${id}-o${value ? 0 : 1}`), id); break;
      case 'multiple': for (const k of value) press($(`#pc-${id}-o${k}`), id); break;
      case 'fill-in': case 'numeric': {
        const input = $(`#pc-${id}-input`);
        if (!shown(input)) throw new Error(`${id}: no input`);
        input.value = value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        break;
      }
      case 'matching':
        value.forEach((t, s) => {
          const sel = $(`#pc-${id}-s${s}`);
          if (!shown(sel)) throw new Error(`${id}: no select ${s}`);
          sel.value = String(t);
          sel.dispatchEvent(new Event('change', { bubbles: true }));
        });
        break;
      case 'ordering': {
        // Move each wanted step up into place with its "Up" button (the list is re-rendered each time).
        const order = () => [...document.querySelectorAll('.pc-order li button[data-dir="up"], .pc-order li button[data-dir="down"]')]
          .reduce((acc, b) => { const s = Number(b.dataset.step); if (!acc.includes(s)) acc.push(s); return acc; }, []);
        for (let pos = 0; pos < value.length; pos++) {
          for (let guard = 0; order().indexOf(value[pos]) > pos && guard < 20; guard++) {
            press($(`button[data-step="${value[pos]}"][data-dir="up"]`), `${id} up`);
          }
        }
        break;
      }
      default: throw new Error('unknown type ' + q.type);
    }
  };
  window.__learner = {
    data: () => data,
    heading,
    status: () => $('#pc-status').textContent,
    next: () => press($('#pc-next'), 'Next'),
    // From the start screen (when the module has one) or the first card to the first question.
    readCards() {
      if (heading() === 'About this module') window.__learner.next();
      const seen = [];
      for (let i = 0; i < data.cards.length; i++) { seen.push(heading()); window.__learner.next(); }
      return seen;
    },
    // Answers questions `from`..`to`-1 (the current screen must be question `from`); moves on after
    // each but the last unless `andNext`. Returns the feedback headings.
    answer(from, to, answers, andNext) {
      const out = [];
      for (let i = from; i < to; i++) {
        const q = data.quiz.questions[i];
        if (heading() !== `Question ${i + 1} of ${data.quiz.questions.length}`) throw new Error(`expected question ${i + 1}, on ${heading()}`);
        fill(q, answers[i]);
        press(button('Check answer'), 'Check answer');
        const fb = $('.pc-feedback h3');
        if (!fb) throw new Error(`${q.id}: no feedback after checking`);
        out.push(fb.textContent.replace(/^\W+/, ''));
        if (i < to - 1 || andNext) window.__learner.next();
      }
      return out;
    },
    result: () => $('#pc-screen').textContent,
    retry: () => press(button('Try the quiz again'), 'Try the quiz again'),
    // On the reflection screen: types the text, saves it where the LMS keeps it (when the player
    // offers to), and says what the screen offers.
    reflect(text) {
      if (heading() !== 'Reflection') throw new Error('not on the reflection screen: ' + heading());
      const area = $('#pc-reflection');
      area.value = text;
      area.dispatchEvent(new Event('input', { bubbles: true }));
      const save = button('Save my reflection');
      if (save) press(save, 'Save my reflection');
      return { hint: $('#pc-reflection-hint').textContent, saved: !!save, status: $('#pc-status').textContent,
        buttons: [...document.querySelectorAll('#pc-screen button')].map((b) => b.textContent.trim()) };
    },
    reflection: () => $('#pc-reflection') && $('#pc-reflection').value,
  };
}

// Installs the driver in `frame` (once per page load) and calls one of its steps.
export async function step(frame, name, ...args) {
  await frame.evaluate(install);
  return frame.evaluate(([n, a]) => window.__learner[n](...a), [name, args]);
}
