// Starting and stopping `postcard serve` for tests: a scratch data folder, port 0, the address
// read from its first line of output.
'use strict';
const {spawn, spawnSync} = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const BIN = process.env.POSTCARD_BIN || path.resolve(__dirname, '../../../build/cli/postcard');

function tmpdir(tag) {
	return fs.mkdtempSync(path.join(os.tmpdir(), `postcard-${tag}-`));
}

function run(args, opts = {}) {
	return spawnSync(BIN, args, {encoding: 'utf8', ...opts});
}

// Starts the server; resolves {url, port, proc, stderr()} once it prints its address.
function start(args, {env} = {}) {
	return new Promise((resolve, reject) => {
		const proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', ...args], {
			env: {...process.env, ...env},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '', err = '';
		const timer = setTimeout(() => {
			proc.kill('SIGKILL');
			reject(new Error('server did not start: ' + err));
		}, 15000);
		proc.stdout.on('data', (d) => {
			out += d;
			const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
			if (m) {
				clearTimeout(timer);
				resolve({url: `http://127.0.0.1:${m[1]}`, port: Number(m[1]), proc, stderr: () => err});
			}
		});
		proc.stderr.on('data', (d) => (err += d));
		proc.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited ${code}: ${err}`));
		});
	});
}

function stop(srv, signal = 'SIGTERM') {
	return new Promise((resolve) => {
		if (srv.proc.exitCode !== null || srv.proc.signalCode !== null) return resolve();
		srv.proc.removeAllListeners('exit');
		srv.proc.on('exit', (code, sig) => resolve({code, sig}));
		srv.proc.kill(signal);
	});
}

module.exports = {BIN, tmpdir, run, start, stop};
