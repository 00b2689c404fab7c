// Team mode end to end in headless Chromium: the first admin is made on the command line; in the
// browser the admin adds a manager and two learners (one by the form, the others from CSV),
// makes a group, imports a KMF module and assigns it; a learner sets a password with their link,
// plays the module (answers and a reflection) and signs out; the manager sets a password, sees
// the learner's record with the answers as the options' text and the reflection, filters it and
// downloads it as CSV. A sequenced SCORM 2004 package the learner also finishes shows on the
// team page and in the CSV with its package-level row (sequencing's roll-up of the attempt).
// Every admin and team form on the way is completed with the keyboard only (Tab, Shift-Tab,
// typing, Space, Enter), each focused element visibly so: a group, a person (the invitation),
// people from CSV, a new sign-in link (password reset), an erasure, a role, the package import,
// a member, the assignment, the set-password form, the team filters. Learners cannot reach the manager's or the admin's pages. Every page passes axe (WCAG 2.2 AA)
// and fits a phone's width. Then, on a server with low quotas, the player tells the learner
// when saves are refused (429, 507) and nothing they did is lost. One browser for the file.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {tmpdir, run, start, stop} = require('./lib/server');
const {launch, axe, contentFrame} = require('./lib/browser');
const {zipBuffer} = require('./lib/zip');

const ROOT = path.resolve(__dirname, '../..');
const PASSWORD = 'correct horse battery staple';

let browser;
test.before(async () => { browser = await launch(); });
test.after(async () => { await browser.close(); });

// The pre-test scenario package (tests/sn/scenarios) as a zip, imported into `data`.
function importPretest(data) {
	const zip = path.join(data, 'pretest-pass.zip');
	fs.writeFileSync(zip, zipBuffer([
		['imsmanifest.xml', fs.readFileSync(path.join(ROOT, 'tests/sn/scenarios/packages/pretest-pass/imsmanifest.xml'))],
		['sco.html', fs.readFileSync(path.join(__dirname, 'fixtures/seq/sco.html'))],
	]));
	const imp = run(['import', zip, '--data', data]);
	assert.equal(imp.status, 0, imp.stderr);
}

async function clean(page, what) {
	assert.deepEqual(await axe(page), [], `${what}: axe`);
	const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
	assert.equal(wide, false, `${what} scrolls sideways`);
}

// Moves the focus with `key` (Tab or Shift+Tab) until it is on `selector` (whose text includes
// `text`, when given); every element the focus lands on on the way must show it (an outline or
// a box shadow, not a transparent one).
async function tabTo(page, selector, key = 'Tab', text = '') {
	for (let i = 0; i < 300; i++) {
		await page.keyboard.press(key);
		const f = await page.evaluate(([sel, text]) => {
			const e = document.activeElement;
			if (!e || e === document.body)
				return null;
			const cs = getComputedStyle(e);
			const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 &&
				cs.outlineColor !== 'rgba(0, 0, 0, 0)';
			return {match: e.matches(sel) && e.textContent.includes(text), visible: outline || cs.boxShadow !== 'none',
				what: e.outerHTML.slice(0, 120)};
		}, [selector, text]);
		if (!f)
			continue;
		assert.ok(f.visible, `the focus does not show on ${f.what}`);
		if (f.match)
			return;
	}
	assert.fail(`${selector} is not reached with ${key}`);
}

// Tabs to a field and types into it (a select takes it as typeahead).
async function typeInto(page, selector, text) {
	await tabTo(page, selector);
	await page.keyboard.type(text);
}

// Presses `key` on the focused element and waits for the page it leads to.
async function submitWith(page, key) {
	await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
}

// The sign-in form, by keyboard.
async function signIn(page, base, email, password) {
	await page.goto(`${base}/login`);
	await typeInto(page, '#email', email);
	await typeInto(page, '#password', password);
	await submitWith(page, 'Enter');
}

// The invitation: the set-password form, by keyboard.
async function setPassword(page, link) {
	await page.goto(link);
	await clean(page, 'the set-password page');
	await typeInto(page, '#password', PASSWORD);
	await typeInto(page, '#again', PASSWORD);
	await submitWith(page, 'Enter');
}

test('an admin sets up a team, a learner does a module, the manager sees it', {timeout: 300000}, async () => {
	const data = tmpdir('team');
	const built = path.join(data, 'built');
	const b = run(['build', path.join(ROOT, 'modules', 'peer-assist'), '-o', built]);
	assert.equal(b.status, 0, b.stderr);
	const zip = path.join(built, fs.readdirSync(built).find((f) => f.endsWith('.zip')));
	const add = run(['user', 'add', 'admin@example.org', '--admin', '--name', 'Ada Admin', '--data', data],
		{input: PASSWORD + '\n'});
	assert.equal(add.status, 0, add.stderr);
	// A sequenced package (a pre-test that, passed, ends the course).
	importPretest(data);
	const srv = await start(['--data', data, '--quiet']);
	try {
		const base = srv.pageUrl;
		const page = await browser.context.newPage();
		await page.setViewportSize({width: 375, height: 740});
		// Not signed in: every page sends to the sign-in form, which comes back after.
		await page.goto(`${base}/records`);
		assert.equal(new URL(page.url()).pathname, '/login');
		await clean(page, 'the sign-in page');
		await typeInto(page, '#email', 'admin@example.org');
		await typeInto(page, '#password', 'not the password');
		await submitWith(page, 'Enter');
		assert.match(await page.textContent('.error-summary'), /not right/);
		await clean(page, 'the sign-in page with its error');
		await typeInto(page, '#password', PASSWORD);
		await submitWith(page, 'Enter');
		assert.equal(new URL(page.url()).pathname, '/records');

		// The admin page: a manager by the form, two learners from CSV.
		await page.goto(`${base}/admin`);
		await clean(page, 'the admin page');
		// By keyboard only: Tab from the top of the page to the group's name, type, Enter.
		await page.evaluate(() => document.activeElement && document.activeElement.blur());
		let tabs = 0;
		while (await page.evaluate(() => document.activeElement.id) !== 'group-name' && tabs < 200) {
			await page.keyboard.press('Tab');
			tabs++;
		}
		assert.ok(tabs < 200, 'the group form is not reached with Tab');
		await page.keyboard.type('Ward 7');
		await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
		const groupUrl = page.url();
		// A manager by the form (the invitation link): typing into the fields, the selects by
		// typeahead.
		await page.goto(`${base}/admin`);
		await typeInto(page, '#new-email', 'Manny@Example.org');
		await typeInto(page, '#new-name', 'Manny Manager');
		await typeInto(page, '#new-role', 'manager');
		await typeInto(page, '#new-group', 'Ward 7');
		assert.deepEqual(await page.evaluate(() => [document.getElementById('new-role').value,
			document.getElementById('new-group').selectedOptions[0].textContent]), ['manager', 'Ward 7']);
		await tabTo(page, 'form[action="/admin/people"] button');
		await submitWith(page, 'Enter');
		await clean(page, 'the links page');
		const managerLink = (await page.textContent('code.link')).trim();
		assert.match(managerLink, /\/invite\/[A-Za-z0-9_-]{43}$/);
		// Many from CSV: typed into the text area (Enter is a new line there), sent with Space.
		await page.goto(`${base}/admin`);
		await typeInto(page, '#csv', 'email,name\nlee@example.org,Lee Learner,,Ward 7\n"lou@example.org","Lou, Learner",learner,Ward 7\n' +
			'gone@example.org,Gone Soon\nnot-an-email,Nobody\n');
		await tabTo(page, 'form[action="/admin/people/csv"] button');
		await submitWith(page, 'Space');
		await clean(page, 'the links page of the CSV');
		const rows = await page.$$eval('tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
		assert.equal(rows.length, 4);
		assert.equal(rows[0][0], 'lee@example.org');
		assert.match(rows[0][1], /\/invite\//);
		assert.match(rows[1][1], /\/invite\//);
		assert.match(rows[3][1], /line 5: .*not an email address/);
		const firstLeeLink = rows[0][1];

		// A new sign-in link for Lee (what a forgotten password needs): back up the people table
		// with Shift+Tab from the end of the page.
		await page.goto(`${base}/admin`);
		await tabTo(page, 'form[action$="/link"] button', 'Shift+Tab', 'for Lee Learner');
		await submitWith(page, 'Enter');
		await clean(page, 'the new link page');
		const leeLink = (await page.textContent('code.link')).trim();
		assert.match(leeLink, /\/invite\/[A-Za-z0-9_-]{43}$/);
		assert.notEqual(leeLink, firstLeeLink);

		// Erasing a person: the link, the confirmation's checkbox with Space, the button.
		await page.goto(`${base}/admin`);
		await tabTo(page, 'a[href$="/erase"]', 'Tab', 'Gone Soon');
		await submitWith(page, 'Enter');
		await clean(page, 'the erase confirmation');
		await tabTo(page, '#confirm');
		await page.keyboard.press('Space');
		assert.equal(await page.isChecked('#confirm'), true);
		await tabTo(page, 'main button[type=submit]');
		await submitWith(page, 'Enter');
		await clean(page, 'the page after the erasure');
		const people = await page.goto(`${base}/admin`);
		assert.equal(people.status(), 200);
		assert.doesNotMatch(await page.textContent('#people + .table-wrap'), /Gone Soon/);

		// A role, by keyboard: Lou becomes a manager (the select by typeahead).
		const louRole = await page.$eval('label:text-is("Role of Lou, Learner")', (l) => l.htmlFor);
		await tabTo(page, `#${louRole}`);
		await page.keyboard.type('manager');
		await tabTo(page, 'form[action$="/role"] button', 'Tab', 'the role of Lou, Learner');
		await submitWith(page, 'Enter');
		await clean(page, 'the admin page after a role change');
		await page.goto(`${base}/admin`);
		assert.equal(await page.inputValue(`#${louRole}`), 'manager');

		// Import the module (the file chooser opened with Space), assign it to the group.
		await page.goto(`${base}/admin/packages`);
		await clean(page, 'the packages page');
		await tabTo(page, '#package');
		const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
		await chooser.setFiles(zip);
		await tabTo(page, '#upload button');
		await page.keyboard.press('Enter');
		await page.waitForSelector('#upload-result a');
		await clean(page, 'the packages page after the import');
		assert.match(await page.textContent('#upload-result'), /Imported: Peer Assist/);
		await page.goto(groupUrl);
		await clean(page, 'the group page');
		assert.match(await page.textContent('main'), /Manny Manager[\s\S]*manager/);
		assert.match(await page.textContent('main'), /Lee Learner/);
		// A member by email, by keyboard (the admin, not as a manager).
		await typeInto(page, '#member-email', 'admin@example.org');
		await tabTo(page, 'form[action$="/add"] button');
		await submitWith(page, 'Enter');
		await clean(page, 'the group page after adding a member');
		assert.match(await page.textContent('main'), /Ada Admin/);
		// The assignment, by keyboard: the module's checkbox with Space, then the button.
		await tabTo(page, 'input[name=package]:not([value="postcard-pretest-pass"])');
		await page.keyboard.press('Space');
		await tabTo(page, 'form[action$="/assign"] button');
		await submitWith(page, 'Enter');
		await clean(page, 'the group page after the assignment');
		assert.equal(await page.isChecked('input[name=package]:not([value="postcard-pretest-pass"])'), true);
		assert.equal(await page.isChecked('input[value="postcard-pretest-pass"]'), false);
		await Promise.all([page.waitForNavigation(), page.click('.signout button')]);
		assert.equal(new URL(page.url()).pathname, '/login');

		// The learner: sets a password, sees the assigned module, does it, reflects, leaves.
		await setPassword(page, leeLink);
		assert.equal(new URL(page.url()).pathname, '/');
		await clean(page, 'the package list');
		assert.match(await page.textContent('#assigned + ul'), /Peer Assist[\s\S]*assigned to Ward 7/);
		assert.match(await page.textContent('main'), /About \d+ minutes/);
		await page.click('#assigned + ul a');
		const {answer, next} = await import(path.join(ROOT, 'tests/package/learner.mjs'));
		const frame = await contentFrame(page, '#pc-main');
		await clean(page, 'the player page');
		const mod = await frame.evaluate(() => JSON.parse(document.getElementById('postcard-data').textContent));
		while (!(await frame.$('#pc-screen:not([hidden]) fieldset, #pc-screen:not([hidden]) .pc-question')))
			await next(frame);
		const first = mod.quiz.questions[0];
		for (const q of mod.quiz.questions) {
			const v = q.type === 'choice' || q.type === 'likert' ? 0 : q.type === 'true-false' ? true
				: q.type === 'multiple' ? [0] : q.type === 'fill-in' ? 'something' : q.type === 'numeric' ? '1'
					: q.type === 'matching' ? q.pairs.map((_, i) => i) : q.steps.map((_, i) => i);
			await answer(frame, q, v);
			await next(frame);
		}
		for (let i = 0; i < 5 && !(await frame.isVisible('#pc-reflection')); i++)
			await next(frame); /* the result, then the reflection */
		await frame.fill('#pc-reflection', 'I will ask the ward team for a Peer Assist next month.');
		await next(frame);
		await Promise.all([page.waitForURL(`${base}/`), page.click('a.exit')]);
		// The sequenced package: the pre-test passed, the course is over.
		await page.goto(`${base}/play/postcard-pretest-pass`);
		const pre = await contentFrame(page, 'body[data-act="1"]');
		await Promise.all([page.waitForURL(`${base}/`),
			pre.evaluate(() => window.sco.finish({success: 'passed', completion: 'completed', nav: 'continue'}))]);
		// A learner cannot reach the team's or the admin's pages.
		for (const p of ['/team', '/admin', '/admin/packages'])
			assert.equal((await page.goto(base + p)).status(), 403, p);
		await page.goto(`${base}/`);
		await Promise.all([page.waitForNavigation(), page.click('.signout button')]);

		// The manager: the record, the answers as text, the reflection, the CSV.
		await setPassword(page, managerLink);
		await page.goto(`${base}/team`);
		await clean(page, 'the team records page');
		assert.match(await page.textContent('tbody'), /Lee Learner[\s\S]*Peer Assist/);
		// The filters, by keyboard: the selects by typeahead, the dates typed, Enter on Show.
		await typeInto(page, '#f-group', 'Ward 7');
		await typeInto(page, '#f-status', 'failed');
		await typeInto(page, '#f-from', '01012020');
		await tabTo(page, '.filters button');
		await submitWith(page, 'Enter');
		await clean(page, 'the filtered team records');
		const q = new URL(page.url()).searchParams;
		assert.deepEqual([q.get('status'), q.get('from')], ['failed', '2020-01-01']);
		assert.match(await page.$eval('#f-group', (e) => e.selectedOptions[0].textContent), /Ward 7/);
		const filtered = await page.$$('tbody tr');
		const statusNow = await page.textContent('main');
		assert.ok(filtered.length === 1 || /0 records/.test(statusNow), statusNow);
		// The sequenced package on the page: the pre-test's row, then "Whole package" (a row
		// header) with the rolled-up status.
		await page.goto(`${base}/team?package=postcard-pretest-pass`);
		await clean(page, 'the team records page with a package row');
		const seqRows = await page.$$eval('tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.tagName + ':' + c.textContent.trim())));
		assert.equal(seqRows.length, 2, JSON.stringify(seqRows));
		assert.equal(seqRows[0][0], 'TD:Lee Learner');
		assert.equal(seqRows[1][0], 'TD:Lee Learner');
		assert.equal(seqRows[1][2], 'TH:Whole package');
		assert.equal(seqRows[1][3], 'TD:1 (finished)');
		assert.equal(seqRows[1][4], 'TD:completed, passed');
		assert.match(await page.textContent('main'), /2 records\./);
		await page.goto(`${base}/team`);
		await Promise.all([page.waitForNavigation(), page.click('tbody a:text("Lee Learner")')]);
		await clean(page, 'a learner\'s page');
		const learnerPage = await page.textContent('main');
		assert.ok(learnerPage.includes(first.prompt), 'the question is shown');
		if (first.type === 'choice')
			assert.ok(learnerPage.includes(first.options[0].text), 'the answer is the option\'s text');
		assert.match(learnerPage, /I will ask the ward team for a Peer Assist next month\./);
		// The sequenced package's attempt as a whole, after its part.
		const sections = await page.$$eval('section.attempt h2', (hs) => hs.map((h) => h.textContent));
		const whole = sections.indexOf('Pre-test passed, attempt 1: the whole package');
		assert.ok(whole > 0, JSON.stringify(sections));
		assert.match(sections[whole - 1], /^Pre-test passed: .*, attempt 1$/);
		assert.match(await page.textContent('section.whole p'), /^completed, passed; \d+ min \d\d s; last activity .* \(finished\)$/);
		const csv = await page.evaluate(async () => (await fetch('/team.csv')).text());
		assert.match(csv.split('\n')[0], /^learner,email,package,.*,last_activity,level$/);
		assert.match(csv, /Lee Learner,lee@example.org,/);
		// The sequenced package: its SCO's row, then the attempt's package row (no part, no raw
		// score, the scaled one and the level column "package").
		const seqLines = csv.split('\n').filter((l) => l.includes(',postcard-pretest-pass,'));
		assert.equal(seqLines.length, 2, csv);
		assert.match(seqLines[0], /^Lee Learner,lee@example.org,postcard-pretest-pass,[^,]*,[^,]+,1,yes,.*,sco$/);
		assert.match(seqLines[1], /^Lee Learner,lee@example.org,postcard-pretest-pass,[^,]*,,1,yes,completed,passed,,[^,]*,\d+,[^,]+,package$/);
		assert.ok(csv.split('\n').slice(1).filter(Boolean).every((l) => /,(sco|package)$/.test(l)), csv);
		// The admin page is not the manager's.
		assert.equal((await page.goto(`${base}/admin`)).status(), 403);

		// `postcard records` (beside the running server) says the same: the package's title,
		// the reflection, the question and the answer as the option's text, the time as h:mm:ss.
		const rec = run(['records', '--data', data, '--format', 'json', '--interactions', '--learner',
			JSON.parse(run(['records', '--data', data, '--format', 'json']).stdout).records[0].learner]);
		assert.equal(rec.status, 0, rec.stderr);
		const j = JSON.parse(rec.stdout);
		assert.equal(j.records[0].title, 'Peer Assist');
		assert.equal(j.records[0].reflection, 'I will ask the ward team for a Peer Assist next month.');
		assert.match(j.records[0].total_time, /^\d+:\d\d:\d\d$/);
		const q1 = j.interactions.find((x) => x.question === first.prompt);
		assert.ok(q1, `the first question by its text: ${JSON.stringify(j.interactions[0])}`);
		if (first.type === 'choice')
			assert.equal(q1.answer, first.options[0].text);
		const csv2 = run(['records', '--data', data, '--format', 'csv']);
		assert.match(csv2.stdout.split('\n')[0], /^learner,package,title,item,.*,reflection$/);
	} finally {
		await stop(srv);
		fs.rmSync(data, {recursive: true, force: true});
	}
});

test('the player says when saves are refused on a quota, until one works; nothing is lost', {timeout: 200000}, async () => {
	const data = tmpdir('quota');
	importPretest(data);
	for (const [email, role] of [['admin@example.org', '--admin'], ['lee@example.org', null]]) {
		const add = run(['user', 'add', email, ...(role ? [role] : []), '--data', data], {input: PASSWORD + '\n'});
		assert.equal(add.status, 0, add.stderr);
	}
	// 20 commits a minute (one more every 3 s), 1 MiB of records per learner.
	const srv = await start(['--data', data, '--quiet', '--commits-per-minute', '20', '--learner-quota', '1']);
	const page = await browser.context.newPage();
	try {
		const base = srv.pageUrl;
		await signIn(page, base, 'lee@example.org', PASSWORD);
		await page.goto(`${base}/play/postcard-pretest-pass`);
		const sco = await contentFrame(page, 'body[data-act="1"]');
		const notice = page.locator('#pc-saving');
		assert.equal(await notice.isHidden(), true, 'no notice while saves work');
		// Commits, each waited for, until one is not acknowledged: the rate limit.
		const steps = await sco.evaluate(async () => {
			const api = window.parent.API_1484_11;
			for (let i = 1; i <= 40; i++) {
				api.SetValue('cmi.location', 'step ' + i);
				api.Commit('');
				const until = Date.now() + 1500;
				while (api.$pending().length && Date.now() < until)
					await new Promise((r) => setTimeout(r, 20));
				if (api.$pending().length)
					return i;
			}
			return 0;
		});
		assert.ok(steps > 10, `the rate limit came at commit ${steps}`);
		await notice.waitFor({state: 'visible'});
		assert.equal(await notice.getAttribute('role'), 'alert');
		assert.match(await notice.textContent(), /^Your progress is not being saved at the moment: this part is saving more often than the server allows\. Your work is kept in this page and will be saved in about \d+ seconds?\. Keep this page open/);
		assert.deepEqual(await axe(page), [], 'axe with the notice');
		// The adapter waits as the server asked (Retry-After) and sends again: the notice goes.
		await notice.waitFor({state: 'hidden', timeout: 30000});
		assert.equal(await sco.evaluate(() => window.parent.API_1484_11.$pending().length), 0);
		const rec = run(['records', '--data', data, '--format', 'json']);
		const row = JSON.parse(rec.stdout).records.find((r) => r.level === 'sco');
		assert.equal(row.location, `step ${steps}`, 'the refused commit was saved in the end');

		// More than the learner's 1 MiB: 507, said plainly, and the changes stay in the page.
		await sco.evaluate(() => {
			const api = window.parent.API_1484_11;
			const text = 'x'.repeat(4000);
			for (let i = 0; i < 250; i++)
				api.SetValue(`cmi.comments_from_learner.${i}.comment`, text);
			api.SetValue('cmi.suspend_data', 'y'.repeat(64000));
			api.Commit('');
		});
		await page.waitForFunction(() => /storage space on this server is full/.test(document.getElementById('pc-saving').textContent), null, {timeout: 60000});
		assert.equal(await notice.isVisible(), true);
		assert.match(await notice.textContent(), /^Your progress is not being saved: your storage space on this server is full\. Your work is kept in this page .* ask your administrator to make room/);
		assert.deepEqual(await axe(page), [], 'axe with the storage notice');
		const kept = await sco.evaluate(() => window.parent.API_1484_11.$pending().length);
		assert.ok(kept >= 1, 'the refused changes are kept');
		assert.match(await sco.evaluate(() => { const a = window.parent.API_1484_11; a.Commit(''); return a.GetDiagnostic(''); }),
			/reached their limit of 1 MiB/, 'the content still gets the server\'s words');
	} finally {
		await page.close();
		await stop(srv);
		fs.rmSync(data, {recursive: true, force: true});
	}
});
