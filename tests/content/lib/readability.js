// Flesch Reading Ease for plain English prose, with a rule-based syllable counter.
//
//   FRE = 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)
//
// 60-70 is plain English; 50-60 is fairly difficult; below 50 is hard for a busy reader.
//
// The syllable heuristic (tested in syllables.test.js against a list of known words):
//  1. Words of one to three letters count as one syllable.
//  2. Otherwise count groups of consecutive vowels (a e i o u y; y at the start of a word is a
//     consonant, as in "yes").
//  3. A final silent "e" does not count ("make", "guide"), unless it follows a vowel ("free",
//     "issue") or ends "consonant + le" ("table", "simple").
//  4. "-ed" is silent except after t or d ("asked" 1, "wanted" 2) or in "consonant + led"
//     ("tackled" 2); "-es" is silent except after s, x, z, c, g, h or in "consonant + les"
//     ("notes" 1, "changes" 2, "tables" 2).
//  5. Vowel pairs that are usually said as two syllables add one: "ia" and "io" not after c, t,
//     s, g or x ("media", "previous", but not "special", "action"), "ua" and "uo" not after q or
//     g ("actual", but not "quality", "language"), and "-ing" after a vowel ("being", "going").
//  6. A silent "e" inside a compound that starts with a common word ("some-", "frame-",
//     "care-", "time-", "use-"…) does not count ("somewhere", "framework", "useful").
//  7. Numbers: one syllable per digit (rough, and slightly pessimistic). Acronyms in capitals
//     (two to five letters) are read letter by letter ("NHS" 3, "GP" 2; "W" counts 3), since
//     a newcomer reads them that way.
//  8. A short table of common exceptions that the rules get wrong.
// Every word counts at least one syllable.
'use strict';

const EXCEPTIONS = {
  business: 2, every: 2, everything: 3, everybody: 4, area: 3, areas: 3, idea: 3, ideas: 3,
  create: 2, creates: 2, created: 3, creating: 3, real: 1, really: 2, evening: 2, whereas: 2,
  being: 2, poem: 2, quiet: 2, science: 2, video: 3, videos: 3, people: 2, colleague: 2,
  colleagues: 2, toolkit: 2, cafe: 2, 'café': 2, cafes: 2, 'cafés': 2, fishbowl: 2,
  'one-to-one': 3, someone: 2, anyone: 3, everyone: 3, maybe: 2, lives: 1, aged: 1,
  naive: 2, reuse: 2, reused: 2, ongoing: 3, pre: 1, re: 1,
};

// Words that, at the start of a longer compound, end in a silent "e" (rule 6).
const SILENT_E_HEADS = ['some', 'where', 'there', 'frame', 'care', 'time', 'home', 'life', 'use',
  'safe', 'like', 'whole', 'base', 'make', 'take', 'share', 'wide', 'case', 'line', 'side',
  'place', 'name', 'score', 'store', 'state', 'hope', 'more', 'note', 'tone'];

const LETTER_SYLLABLES = { w: 3 };

function syllablesOfNumber(token) {
  const digits = token.replace(/[^0-9]/g, '');
  return Math.max(1, digits.length);
}

function syllablesOfAcronym(token) {
  let n = 0;
  for (const ch of token.toLowerCase()) n += LETTER_SYLLABLES[ch] || 1;
  return n;
}

function countWord(rawWord) {
  if (/^[0-9][0-9,.]*$/.test(rawWord)) return syllablesOfNumber(rawWord);
  if (/^[A-Z]{2,5}s?$/.test(rawWord) && rawWord !== 'I') {
    return syllablesOfAcronym(rawWord.replace(/s$/, ''));
  }
  const word = rawWord.toLowerCase().replace(/['’]/g, '');
  if (word in EXCEPTIONS) return EXCEPTIONS[word];
  if (word.includes('-')) {
    return word.split('-').filter(Boolean).reduce((n, part) => n + countWord(part), 0) || 1;
  }
  const w = word.replace(/[^a-zé]/g, '').replace(/é/g, 'e');
  if (!w) return 0;
  if (w.length <= 3) return 1;

  const isVowel = (c, i) => 'aeiou'.includes(c) || (c === 'y' && i > 0);
  let groups = 0;
  for (let i = 0; i < w.length; i++) {
    if (isVowel(w[i], i) && (i === 0 || !isVowel(w[i - 1], i - 1))) groups++;
  }
  const at = (i) => w[w.length + i]; // at(-1) is the last letter
  const consonant = (c, i) => c !== undefined && !isVowel(c, i);
  let n = groups;

  // Rule 3: final silent e.
  if (at(-1) === 'e' && n > 1) {
    const prev = at(-2);
    const clE = prev === 'l' && consonant(at(-3), w.length - 3);
    if (!isVowel(prev, w.length - 2) && !clE) n--;
  }
  // Rule 4: -ed and -es.
  if (n > 1 && /[^aeiouy]ed$/.test(w)) {
    const prev = at(-3);
    const cled = prev === 'l' && consonant(at(-4), w.length - 4);
    if (prev !== 't' && prev !== 'd' && !cled) n--;
  } else if (n > 1 && /[^aeiouy]es$/.test(w)) {
    const prev = at(-3);
    const cles = prev === 'l' && consonant(at(-4), w.length - 4);
    if (!'sxzcgh'.includes(prev) && !cles) n--;
  }
  // Rule 5: vowel pairs said as two syllables.
  n += (w.match(/[^ctsgx]i[ao]/g) || []).length;
  n += (w.match(/^i[ao]/g) || []).length;
  n += (w.match(/[^qg]u[ao]/g) || []).length;
  if (/[aeiouy]ing$/.test(w) && w.length > 4) n++;
  // Rule 6: silent e inside a compound.
  for (const head of SILENT_E_HEADS) {
    if (w.startsWith(head) && w.length >= head.length + 3 && !isVowel(w[head.length], 1)) {
      n--;
      break;
    }
  }
  return Math.max(1, n);
}

// Splits prose into sentences and words. Sentences end at . ! ? (also when followed by a closing
// quote or bracket) or at the end of a block; the caller passes blocks (paragraphs, list items)
// separately so a list item without a full stop still counts as one sentence.
function tokenise(blocks) {
  let sentences = 0;
  const words = [];
  for (const block of blocks) {
    const text = block.replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const parts = text.split(/(?<=[.!?]['’"”)\]]?)\s+(?=\S)/);
    for (const part of parts) {
      const ws = part.match(/[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9'’-]*/g) || [];
      if (!ws.length) continue;
      sentences++;
      for (const x of ws) words.push(x.replace(/['’-]+$/, ''));
    }
  }
  return { sentences, words };
}

// Returns { score, sentences, words, syllables } for an array of prose blocks.
function fleschReadingEase(blocks) {
  const { sentences, words } = tokenise(Array.isArray(blocks) ? blocks : [blocks]);
  const syllables = words.reduce((n, w) => n + countWord(w), 0);
  if (!words.length) return { score: NaN, sentences, words: 0, syllables };
  const score = 206.835 - 1.015 * (words.length / sentences) - 84.6 * (syllables / words.length);
  return { score, sentences, words: words.length, syllables };
}

module.exports = { countWord, tokenise, fleschReadingEase };
