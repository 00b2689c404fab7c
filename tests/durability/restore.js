// What a power cut leaves of a folder watched by libpowercut.so (see powercut.c): every file as
// of its last sync (its shadow in DIR/.powercut); a file never synced is gone. With `random`,
// each 4 KiB block written after the last sync survives or not by a coin toss, and so does the
// file's new length, as a disk that wrote back some of the page cache before the power went
// (unsynced blocks that survive are whole blocks: a sector is written entirely or not at all).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const BLOCK = 4096;

function walk(root, rel = '', out = new Set()) {
	let entries;
	try {
		entries = fs.readdirSync(path.join(root, rel), {withFileTypes: true});
	} catch {
		return out;
	}
	for (const e of entries) {
		const r = rel ? `${rel}/${e.name}` : e.name;
		if (!rel && e.name === '.powercut') continue;
		if (e.isDirectory()) walk(root, r, out);
		else if (e.isFile()) out.add(r);
	}
	return out;
}

// A small seeded generator, so a failing round can be replayed.
function rng(seed) {
	let x = seed >>> 0 || 1;
	return () => {
		x ^= x << 13; x >>>= 0;
		x ^= x >>> 17;
		x ^= x << 5; x >>>= 0;
		return x / 4294967296;
	};
}

// Returns what was done, per file: 'lost', 'restored', 'mixed' (random blocks), 'same'.
function restore(dir, {seed = 0} = {}) {
	const shadowRoot = path.join(dir, '.powercut');
	const files = walk(dir);
	const shadows = walk(shadowRoot);
	const rand = seed ? rng(seed) : null;
	const report = {};
	for (const rel of new Set([...files, ...shadows])) {
		const file = path.join(dir, rel);
		const shadowFile = path.join(shadowRoot, rel);
		if (!shadows.has(rel)) {
			fs.rmSync(file, {force: true});
			report[rel] = 'lost';
			continue;
		}
		const synced = fs.readFileSync(shadowFile);
		const now = files.has(rel) ? fs.readFileSync(file) : Buffer.alloc(0);
		let out = synced;
		if (rand && !now.equals(synced)) {
			const len = rand() < 0.5 ? synced.length : Math.max(now.length, synced.length);
			out = Buffer.alloc(len);
			for (let off = 0; off < len; off += BLOCK) {
				const keepNew = rand() < 0.5;
				const from = keepNew ? now : synced;
				if (off < from.length) from.copy(out, off, off, Math.min(off + BLOCK, len, from.length));
			}
		}
		fs.mkdirSync(path.dirname(file), {recursive: true});
		fs.writeFileSync(file, out);
		report[rel] = out.equals(now) ? 'same' : out === synced ? 'restored' : 'mixed';
	}
	fs.rmSync(shadowRoot, {recursive: true, force: true});
	return report;
}

module.exports = {restore};
