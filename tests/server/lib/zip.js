// A tiny zip writer (stored entries, no compression) so the tests can make SCORM packages
// without external tools. Deterministic: fixed timestamps, entries in the order given.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const CRC_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

function crc32(buf) {
	let c = 0xffffffff;
	for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

// files: [[name, string|Buffer], ...]
function zipBuffer(files) {
	const locals = [], centrals = [];
	let offset = 0;
	for (const [name, content] of files) {
		const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
		const nameBuf = Buffer.from(name, 'utf8');
		const crc = crc32(data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x0800, 6); // UTF-8 names
		local.writeUInt16LE(0, 8); // stored
		local.writeUInt16LE(0, 10);
		local.writeUInt16LE(0x5021, 12); // 2020-01-01
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(nameBuf.length, 26);
		local.writeUInt16LE(0, 28);
		locals.push(local, nameBuf, data);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x0800, 8);
		central.writeUInt16LE(0, 10);
		central.writeUInt16LE(0, 12);
		central.writeUInt16LE(0x5021, 14);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(nameBuf.length, 28);
		central.writeUInt32LE(offset, 42);
		centrals.push(central, nameBuf);
		offset += 30 + nameBuf.length + data.length;
	}
	const cd = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(files.length, 8);
	end.writeUInt16LE(files.length, 10);
	end.writeUInt32LE(cd.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, cd, end]);
}

// Zips every file under dir (sorted, '/' separated) into out.
function zipDir(dir, out) {
	const files = [];
	(function walk(rel) {
		for (const e of fs.readdirSync(path.join(dir, rel), {withFileTypes: true}).sort((a, b) =>
			a.name < b.name ? -1 : 1)) {
			const r = rel ? rel + '/' + e.name : e.name;
			if (e.isDirectory()) walk(r);
			else files.push([r, fs.readFileSync(path.join(dir, r))]);
		}
	})('');
	// imsmanifest.xml first, as packages conventionally have it.
	files.sort((a, b) => (a[0] === 'imsmanifest.xml' ? -1 : b[0] === 'imsmanifest.xml' ? 1 : 0));
	fs.writeFileSync(out, zipBuffer(files));
}

// Zips a test fixture folder together with the project's SCORM schemas its manifest names
// (schemas/scorm12, or schemas/scorm2004-4th + scorm2004-common), as a real package ships them.
function packFixture(dir, out) {
	const manifest = fs.readFileSync(path.join(dir, 'imsmanifest.xml'), 'utf8');
	const root = path.resolve(__dirname, '../../../schemas');
	const sets = manifest.includes('adlcp_rootv1p2') ? ['scorm12'] : ['scorm2004-4th', 'scorm2004-common'];
	const tmp = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'postcard-fixture-'));
	fs.cpSync(dir, tmp, {recursive: true});
	for (const set of sets)
		for (const f of fs.readdirSync(path.join(root, set)))
			if (f.endsWith('.xsd')) fs.copyFileSync(path.join(root, set, f), path.join(tmp, f));
	zipDir(tmp, out);
	fs.rmSync(tmp, {recursive: true});
}

module.exports = {zipBuffer, zipDir, packFixture, crc32};
