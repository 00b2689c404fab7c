// A learner driving the player through the mouse-free Playwright API (clicks and fills), used by
// the browser tests; the keyboard-only learner lives in a11y.test.mjs.

export const RIGHT = { 'q-choice': 0, 'q-multiple': [0, 2], 'q-tf': false, 'q-fill': 'retrospect', 'q-numeric': '7',
  'q-match': [0, 1, 2], 'q-order': [0, 1, 2], 'q-likert': 1 };
export const WRONG = { 'q-choice': 1, 'q-multiple': [0, 1], 'q-tf': true, 'q-fill': 'a lessons log', 'q-numeric': '12.5',
  'q-match': [2, 1, 0], 'q-order': [2, 0, 1], 'q-likert': 0 };

export async function next(frame) { await frame.click('#pc-next'); }

export async function heading(frame) {
  return frame.evaluate(() => {
    const s = document.querySelector('#pc-screen:not([hidden]) h2') ||
      [...document.querySelectorAll('section.card')].find((c) => !c.hidden)?.querySelector('h2');
    return s ? s.textContent : null;
  });
}

// Fills in the answer (not yet checked). `value` is in the player's memory form.
export async function fill(frame, q, value) {
  const id = q.id;
  switch (q.type) {
    case 'choice': case 'likert':
      await frame.check(`#pc-${id}-o${value}`); break;
    case 'true-false':
      await frame.check(`#pc-${id}-o${value ? 0 : 1}`); break;
    case 'multiple':
      for (const k of value) await frame.check(`#pc-${id}-o${k}`);
      break;
    case 'fill-in': case 'numeric':
      await frame.fill(`#pc-${id}-input`, value); break;
    case 'matching':
      for (let s = 0; s < value.length; s++) await frame.selectOption(`#pc-${id}-s${s}`, String(value[s]));
      break;
    case 'ordering': {
      // Move each wanted step up into place with the "Up" buttons.
      let order = q.shownOrder.slice();
      for (let pos = 0; pos < value.length; pos++) {
        let j = order.indexOf(value[pos]);
        while (j > pos) {
          await frame.click(`button[data-step="${value[pos]}"][data-dir="up"]`);
          order.splice(j, 1); order.splice(j - 1, 0, value[pos]); j--;
        }
      }
      break;
    }
    default: throw new Error('unknown type ' + q.type);
  }
}

export async function answer(frame, q, value) {
  await fill(frame, q, value);
  await frame.click('text=Check answer');
  await frame.waitForSelector('.pc-feedback');
}
