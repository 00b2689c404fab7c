// Every KMF module and the course, in one SCORM edition (LMS_EDITION: 1.2, 2004-3rd or 2004-4th),
// played by the same learner (journey.mjs) under two LMS sides nobody shares code with: scorm-again
// (npm, pinned in package-lock.json: Scorm12API / Scorm2004API in host.html) and Postcard's own
// runtime (`postcard serve`: the adapter and the C model behind it). Under scorm-again no call may
// leave an error code; both sides must hold the statuses, scores, interactions and resume position
// the journey expects, and the two records must be the same at every point (times aside).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { packages } from './packages.mjs';
import { launchBrowser, hostSide, runtimeSide } from './sides.mjs';
import { journey } from './journey.mjs';

const EDITION = process.env.LMS_EDITION || '1.2';
const ONLY = process.env.LMS_ONLY ? process.env.LMS_ONLY.split(',') : null; // module ids, while developing
const all = packages().filter((p) => p.scorm === EDITION && p.lms === 'generic' && (!ONLY || ONLY.includes(p.id)));

let browser, again, runtime;
before(async () => {
  browser = await launchBrowser();
  again = hostSide(browser, 'scorm-again', dirname(dirname(all[0].dir)));
  runtime = await runtimeSide(browser, all);
});
after(async () => {
  if (runtime) await runtime.close();
  if (browser) await browser.close();
});

// What a record holds, without the values that differ by nature between two sessions.
// (Before content sets a score, scorm-again's SCORM 1.2 answers cmi.core.score.max "100" and the
// runtime "": an LMS default, not something the content wrote.)
const comparable = (v) => ({ ...v, score: v.score[0] === '' ? [] : v.score, interactions: v.interactions.map(({ time, ...rest }) => rest) });

for (const pkg of all) {
  test(`SCORM ${EDITION} ${pkg.id}: scorm-again and the Postcard runtime hold the same records`, async () => {
    for (const sco of pkg.scos) {
      const learner = `l-${pkg.id}-${pkg.scos.indexOf(sco)}`;
      const a = await journey(again, pkg, sco, learner);
      const r = await journey(runtime, pkg, sco, learner);
      for (const k of ['left', 'failed', 'passed']) {
        assert.deepEqual(comparable(r[k]), comparable(a[k]), `${pkg.id} ${sco.href}: the two LMSs differ ${k}`);
      }
      assert.equal(a.passed.comment, a.text, `${pkg.id}: the reflection is in the learner's comments`);
      if (EDITION !== '1.2') assert.equal(a.passed.commentTime, true, `${pkg.id}: the comment has a valid timestamp`);
      // scorm-again: not one call the SCO made left an error code.
      const calls = await again.calls(learner);
      const refused = calls.filter((c) => c.error !== '0');
      assert.deepEqual(refused, [], `${pkg.id}: calls scorm-again refused`);
      assert.ok(calls.length > 50, `${pkg.id}: the calls were logged`);
      assert.deepEqual(await again.errors(learner), [], 'script errors under scorm-again');
      assert.deepEqual(await runtime.errors(learner), [], 'script errors under the runtime');
    }
    assert.deepEqual(browser.outside, [], 'requests that left the package');
  });
}
