// The deployment files in docs/deploy work as the README says: nginx accepts the TLS config
// (with a throwaway certificate in place of the real one), the systemd unit starts `serve` with
// options it has, and backup.sh copies a data folder that `postcard records` then reads.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {spawnSync} = require('node:child_process');
const {packFixture} = require('./lib/zip');
const {tmpdir, run} = require('./lib/server');

const DEPLOY = path.resolve(__dirname, '../../docs/deploy');
const NGINX = fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

test('nginx accepts docs/deploy/nginx-postcard.conf', () => {
	const dir = tmpdir('nginx');
	const key = path.join(dir, 'privkey.pem'), cert = path.join(dir, 'fullchain.pem');
	const ssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
		'-subj', '/CN=lms.example.org', '-keyout', key, '-out', cert], {encoding: 'utf8'});
	assert.equal(ssl.status, 0, ssl.stderr);
	const site = fs.readFileSync(path.join(DEPLOY, 'nginx-postcard.conf'), 'utf8')
		.replace('/etc/ssl/lms.example.org/fullchain.pem', cert)
		.replace('/etc/ssl/lms.example.org/privkey.pem', key);
	assert.ok(site.includes(cert) && site.includes(key), 'the certificate paths are where the test expects');
	fs.writeFileSync(path.join(dir, 'site.conf'), site);
	fs.writeFileSync(path.join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\n` +
		`events {}\nhttp {\n\tinclude /etc/nginx/mime.types;\n\tinclude ${dir}/site.conf;\n}\n`);
	const t = spawnSync(NGINX, ['-t', '-e', path.join(dir, 'error.log'), '-p', dir, '-c', path.join(dir, 'nginx.conf')],
		{encoding: 'utf8'});
	assert.equal(t.status, 0, t.stderr);
	assert.match(t.stderr, /syntax is ok/);
	fs.rmSync(dir, {recursive: true, force: true});
});

test('the systemd unit runs serve with options serve has', () => {
	const unit = fs.readFileSync(path.join(DEPLOY, 'postcard.service'), 'utf8');
	const exec = /^ExecStart=(.*(?:\\\n.*)*)$/m.exec(unit)[1].replace(/\\\n\s*/g, ' ');
	const args = exec.split(/\s+/).filter(Boolean);
	assert.match(args[0], /\/postcard$/);
	assert.equal(args[1], 'serve');
	const help = run(['help', 'serve']).stdout;
	for (const a of args.filter((x) => x.startsWith('--')))
		assert.ok(help.includes(a), `${a} is not an option of serve`);
	// Its commented set-up names commands that exist.
	assert.match(unit, /postcard user add --admin/);
	assert.match(run(['user', '--help']).stdout, /postcard user add EMAIL .*--admin/);
});

test('backup.sh copies a data folder that records then reads', () => {
	const data = tmpdir('backup-src');
	packFixture(path.join(__dirname, 'fixtures', 'sco12'), path.join(data, 'p.zip'));
	assert.equal(run(['import', path.join(data, 'p.zip'), '--data', data]).status, 0);
	const dest = path.join(tmpdir('backup-dest'), 'copy');
	const b = spawnSync('sh', [path.join(DEPLOY, 'backup.sh'), data, dest], {encoding: 'utf8'});
	assert.equal(b.status, 0, b.stderr);
	assert.match(b.stdout, /backed up/);
	const zips = fs.readdirSync(path.join(dest, 'packages')).filter((f) => f.endsWith('.zip'));
	assert.deepEqual(zips, fs.readdirSync(path.join(data, 'packages')).filter((f) => f.endsWith('.zip')));
	const r = run(['records', '--data', dest, '--format', 'json']);
	assert.equal(r.status, 0, r.stderr);
	assert.deepEqual(JSON.parse(r.stdout).records, []);
	fs.rmSync(data, {recursive: true, force: true});
	fs.rmSync(path.dirname(dest), {recursive: true, force: true});
});
