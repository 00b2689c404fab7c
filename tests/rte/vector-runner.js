/* Runs the shared conformance vectors (tests/vectors/*.json, format in its README) against the
 * browser adapter: the same code in node (vectors.test.js) and in Chromium
 * (vectors.chromium.test.js), so both check the one adapter the same way. The C model runs them
 * in test_vectors.c. Works as a classic <script> (window.runVectorFile) and under require(). */
(function (root, factory) {
	'use strict';
	var lib = factory();
	if (typeof module === 'object' && module.exports)
		module.exports = lib;
	else
		root.runVectorFile = lib.runVectorFile;
})(typeof self !== 'undefined' ? self : this, function () {
	'use strict';

	/* The LMS side of a case: commits always succeed, unless the case makes the storage fail. */
	function transportFor(fail) {
		return {
			initialize: function () {
				if (fail.indexOf('initialize') >= 0)
					throw new Error('storage failure');
			},
			send: function (body) {
				var b = JSON.parse(body);
				if (b.terminate ? fail.indexOf('terminate') >= 0 : fail.indexOf('commit') >= 0)
					throw new Error('storage failure');
				return Promise.resolve({result: true, errorCode: 0, seq: b.seq, applied: b.from + b.changes.length});
			}
		};
	}

	/* A turn of the event loop, so commits are answered between two calls as they would be
	 * between two calls of real content (no 4 ms clamp in browsers: a message, not a timer). */
	var tick = typeof setImmediate === 'function'
		? function () { return new Promise(function (resolve) { setImmediate(resolve); }); }
		: function () {
			return new Promise(function (resolve) {
				var ch = new MessageChannel();
				ch.port1.onmessage = function () { resolve(); };
				ch.port2.postMessage(0);
			});
		};

	function fnNamed(api, suffix) {
		return api[Object.keys(api).filter(function (k) { return k.slice(-suffix.length) === suffix; })[0]];
	}

	function show(x, n) { return JSON.stringify(String(x).slice(0, n)); }

	async function runCase(createScormAPI, file, version, c) {
		var problems = [];
		var api = createScormAPI({version: version, initial: c.initial || {}, transport: transportFor(c.fail || []),
			events: null});
		for (var i = 0; i < c.calls.length; i++) {
			var fn = c.calls[i][0], args = c.calls[i][1], ret = c.calls[i][2], err = c.calls[i][3];
			if (fn === '#relaunch') {
				api.$end();
				api = api.$next(); /* stored as JSON and read back, as the server does */
				continue;
			}
			if (fn === '#get') {
				var v = api.$get(args[0]);
				if (v !== ret)
					problems.push('call ' + i + ' #get(' + args[0] + '): got ' + JSON.stringify(v) + ', want ' + JSON.stringify(ret));
				continue;
			}
			if (typeof api[fn] !== 'function') {
				problems.push('call ' + i + ': no function ' + fn);
				continue;
			}
			var got = api[fn].apply(api, args);
			var code = Number(fnNamed(api, 'GetLastError')());
			var diag = fnNamed(api, 'GetDiagnostic')('');
			var what = 'call ' + i + ' ' + fn + '(' + String(args[0]).slice(0, 60) + ')';
			if (ret !== null && got !== ret)
				problems.push(what + ': returned ' + show(got, 80) + ', want ' + show(ret, 80) + ' (error ' + code + ': ' + diag + ')');
			if (err !== null && code !== err)
				problems.push(what + ': error ' + code + ', want ' + err + ' (' + diag + ')');
			await tick();
		}
		return problems.map(function (p) { return file + ': ' + c.name + ': ' + p; });
	}

	/* Every case of one vector file ({version, cases}); resolves {cases, calls, problems}. */
	async function runVectorFile(createScormAPI, file, doc) {
		var problems = [], calls = 0;
		for (var k = 0; k < doc.cases.length; k++) {
			calls += doc.cases[k].calls.length;
			problems = problems.concat(await runCase(createScormAPI, file, doc.version, doc.cases[k]));
		}
		return {cases: doc.cases.length, calls: calls, problems: problems};
	}

	return {runVectorFile: runVectorFile};
});
