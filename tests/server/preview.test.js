// `postcard preview`: builds a module, serves it, rebuilds when a source changes; a broken build
// shows in the terminal, in /api/preview and in the page (which keeps the last build that
// worked), and clears when the source is fixed; warnings of a build that worked show too.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {spawn} = require('node:child_process');
const {BIN, tmpdir} = require('./lib/server');

const ROOT = path.resolve(__dirname, '../..');

async function waitFor(fn, what, ms = 30000) {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > end) assert.fail('timed out waiting for ' + what);
		await new Promise((r) => setTimeout(r, 200));
	}
}

test('preview builds, serves, rebuilds on change and shows build errors', async () => {
	const dir = tmpdir('preview');
	const mod = path.join(dir, 'peer-assist');
	fs.cpSync(path.join(ROOT, 'modules', 'peer-assist'), mod, {recursive: true});
	const proc = spawn(BIN, ['preview', mod, '--listen', '127.0.0.1:0'], {stdio: ['ignore', 'pipe', 'pipe']});
	let out = '', err = '';
	proc.stdout.on('data', (d) => (out += d));
	proc.stderr.on('data', (d) => (err += d));
	try {
		const url = await waitFor(() => out.match(/http:\/\/postcard\.localhost:(\d+)\/play\/(\S+)/), 'the address');
		const base = `http://127.0.0.1:${url[1]}`, id = url[2];
		const status = async () => (await fetch(`${base}/api/preview`)).json();
		const first = await status();
		assert.equal(first.preview, true);
		assert.equal(first.error, null);
		const page = await (await fetch(`${base}/play/${id}`)).text();
		assert.match(page, /"preview":true/);
		assert.doesNotMatch(page, /The build failed/);

		// Break module.xml: the error is printed, served, and shown in the page.
		const xml = path.join(mod, 'module.xml');
		const good = fs.readFileSync(xml, 'utf8');
		fs.writeFileSync(xml, good.replace('</title>', '</titel>'));
		const broken = await waitFor(async () => {
			const s = await status();
			return s.generation !== first.generation && s.error ? s : null;
		}, 'the failed build');
		assert.match(broken.error, /module\.xml:\d+:\d+: error:/);
		assert.match(err, /module\.xml:\d+:\d+: error:/);
		// The page says so and keeps playing the last build that worked.
		const brokenPage = await (await fetch(`${base}/play/${id}`)).text();
		assert.match(brokenPage, /The build failed[\s\S]*module\.xml[\s\S]*last build that worked/);
		assert.match(brokenPage, /<iframe [^>]*title="[^"]+"/);

		// Fixed: the next build clears it.
		fs.writeFileSync(xml, good);
		const fixed = await waitFor(async () => {
			const s = await status();
			return s.generation !== broken.generation && s.error === null ? s : null;
		}, 'the fixed build');
		assert.equal(fixed.warnings, null);

		// A build that works with warnings: shown in /api/preview and in the page, not only errors.
		const card = path.join(mod, fs.readdirSync(mod).find((f) => f.endsWith('.md')));
		const text = fs.readFileSync(card, 'utf8');
		fs.writeFileSync(card, text + '\n<b>raw HTML</b>\n');
		const warned = await waitFor(async () => {
			const s = await status();
			return s.generation !== fixed.generation && s.warnings ? s : null;
		}, 'the build with warnings');
		assert.equal(warned.error, null);
		assert.match(warned.warnings, /\.md:\d+:\d+: warning: raw HTML is not allowed/);
		const warnedPage = await (await fetch(`${base}/play/${id}`)).text();
		assert.match(warnedPage, /The build has warnings[\s\S]*raw HTML is not allowed/);
		assert.doesNotMatch(warnedPage, /The build failed/);
		fs.writeFileSync(card, text);
	} finally {
		proc.kill('SIGTERM');
		await new Promise((r) => proc.on('exit', r));
		fs.rmSync(dir, {recursive: true, force: true});
	}
	assert.match(err, /built \(1 package\)/);
});
