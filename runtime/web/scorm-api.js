/* Postcard SCORM API adapter: window.API (SCORM 1.2) and window.API_1484_11 (SCORM 2004) for the
 * player page. It answers content synchronously from its own copy of the data model and sends the
 * changes to the server, which checks every one again with the C model (runtime/cmi/cmi_*.c, the
 * authority). The element rules come from a table generated from the C table at build time
 * (inserted below at the CMI_TABLE marker); only the type checkers are written here a second
 * time. Works as a classic <script> (defines window.createScormAPI) and under node's require()
 * (module.exports = {createScormAPI, ...}).
 *
 * ---- createScormAPI(options) -> api ----------------------------------------------------------
 *   version    "1.2" | "2004" (= "2004-4th") | "2004-3rd"                       (required)
 *   initial    {element: value, ...}: what the LMS seeds at launch (learner id and name, credit,
 *              mode, entry, launch data, mastery score, max time allowed, time limit action,
 *              completion threshold, scaled passing score, manifest objective ids) and a resumed
 *              attempt's stored values, e.g. {"cmi.core.student_id": "u1",
 *              "cmi.core.entry": "resume", "cmi.suspend_data": "..."}. Rows of collections are
 *              given by their elements ("cmi.objectives.0.id"); counts follow. Every value is
 *              checked like a SetValue (type, format, range, length; not access): a bad one
 *              makes createScormAPI throw. The server's cmi_state_initial_json() gives exactly
 *              this object. 4th Edition shared data: "adl.data.n.id" (the map's targetID),
 *              "adl.data.n.store" (the bucket's value, when there is one) and the map's
 *              permissions as the LMS-only elements "adl.data.n.readSharedData" and
 *              "adl.data.n.writeSharedData" ("true" | "false", default "true"): content cannot
 *              see them (401), and "false" makes GetValue / SetValue of that row's store answer
 *              405 / 404.
 *   transport  where commits go (see below). Omitted: changes stay in memory (api.$pending()).
 *   session    the server's cmi_state_session(), echoed in every commit (an integer; the C
 *              side refuses commits of another session).
 *   events     EventTarget to listen on for "pagehide" and "visibilitychange" (default: window
 *              when there is one). Pass null to not listen.
 *   retryDelays  array of ms between attempts of a failed send (default [1000, 2000, 4000, 8000,
 *              15000, 30000]; the last repeats until the page goes away).
 *   onUnsent   function(bodies): called on pagehide with the envelopes that could neither be
 *              sent nor stashed (see "Leaving the page").
 * Returns the API object: the eight functions of the version (LMSInitialize, LMSFinish,
 * LMSGetValue, LMSSetValue, LMSCommit, LMSGetLastError, LMSGetErrorString, LMSGetDiagnostic for
 * 1.2; Initialize, Terminate, GetValue, SetValue, Commit, GetLastError, GetErrorString,
 * GetDiagnostic for 2004), each answering strings as the specification says, plus helpers whose
 * names start with "$" (not part of SCORM):
 *   api.$values()   a copy of the current values, in `initial`'s shape
 *   api.$pending()  the changes not yet acknowledged by the server, [[element, value], ...]
 *   api.$flush(unloading)  send now (unloading: true uses keepalive / sendBeacon)
 *   api.$state()    "not-initialized" | "running" | "terminated"
 *   api.$unsent()   envelopes the last pagehide could neither send nor stash (0 normally)
 * Arguments are converted with String(), except undefined which counts as "" (C callers cannot
 * pass "no argument", and content that writes LMSInitialize() means LMSInitialize("")).
 *
 * ---- transport --------------------------------------------------------------------------------
 * An object with
 *   send(body, {keepalive})  body is the JSON text below. Returns a Promise of the server's parsed
 *                            answer (an object); rejects when the request failed (network, 5xx).
 *                            Throwing synchronously means "cannot send now" and fails the call
 *                            that sent it at once (Commit 391 / 101, Terminate 111 / 101).
 *   beacon(body)             optional, used on pagehide: returns true when the browser queued it.
 *   stash(bodies)            optional, used on pagehide: keeps these request bodies (an array of
 *                            JSON texts, in order) where the next page can send them; returns true
 *                            when kept. unstash() forgets them once everything was acknowledged.
 *   initialize()             optional, called by Initialize; throwing fails it (2004 102 / 1.2 101).
 * createScormAPI.fetchTransport(url, {headers, fetch, sendBeacon}) builds one over fetch():
 * POST with Content-Type application/json; on pagehide fetch(..., {keepalive: true}) with
 * Content-Type text/plain (CORS-safelisted: no preflight while the page is going away), falling
 * back to navigator.sendBeacon (also text/plain). The server must accept both content types.
 * Browsers allow 64 KiB of keepalive and beacon bodies in flight per page, in total (Chromium
 * counts fetch keepalive and sendBeacon together, and a keepalive fetch over the quota fails
 * later, not at once): the transport counts its own bytes in flight and does not start a
 * keepalive request that would pass the quota. Its stash() keeps bodies in localStorage
 * (key "postcard.unsent:" + url); createScormAPI.sendStashed() sends them, in order, from the
 * next page (the player does before launching, so they belong to the session they were made in).
 *
 * ---- Leaving the page ---------------------------------------------------------------------------
 * On pagehide (and visibilitychange to hidden) every unacknowledged entry goes out as one or more
 * requests ("envelopes") of at most 64000 bytes each, in journal order, each with its own seq
 * and the journal index of its first change as "from"; only the last carries terminate. The
 * envelopes leave by beacon() (or send with keepalive) until the browser refuses one; all of them
 * are also given to stash(), so what the browser would not send (the quota) or lost is sent by
 * the next page. Repeats are harmless (the server applies each journal index once), so the stash
 * holds everything unacknowledged rather than guessing what left. When there is no stash either,
 * the entries stay in the queue ($pending()), the unsent count shows in $unsent() and the
 * `onUnsent(bodies)` option is called: nothing is dropped silently. While the page lives, changes
 * also go out without waiting for Commit once more than 32 KiB are waiting, so little is left to
 * send when the page goes away.
 *
 * ---- Wire format (protocol 1) -----------------------------------------------------------------
 * Request body, one JSON object:
 *   {"protocol": 1,
 *    "version": "1.2" | "2004-3rd" | "2004-4th",
 *    "session": <the session option, or null>,
 *    "seq": 7,               request number, 1, 2, 3 ... per API instance: every request gets a
 *                            new one, retries included (a retry is a new request carrying every
 *                            entry still unacknowledged)
 *    "from": 40,             journal index of changes[0]
 *    "changes": [["cmi.core.lesson_location", "p3"], ...],
 *    "terminate": false}     true once the SCO called Terminate / LMSFinish successfully
 * The journal is every successful SetValue of this session, in call order, numbered from 0.
 * Before sending, unsent entries are compacted: a SetValue of an element outside any collection
 * replaces an unsent earlier one of the same element (such elements depend on nothing and
 * nothing depends on them). Entries of collections are kept in order, since ids, types and
 * row creation depend on it. A request carries every entry not yet acknowledged, so a retry or
 * a pagehide beacon may repeat entries the server already has: the server applies entry i only
 * when i >= the number it has applied ("applied"), which makes every request idempotent and
 * lets requests arrive in any order. A request whose "from" is past "applied" (a lost request in
 * between) applies nothing and answers result false with "applied" so the adapter resends.
 * Terminate sends terminate: true (with any pending changes); the server then computes what the
 * LMS computes at the end of a session (total time, entry, evaluated statuses, mastery).
 *
 * Answer, one JSON object (HTTP 200 whenever the body was a commit):
 *   {"result": true, "errorCode": 0, "seq": 7, "applied": 43}
 *   {"result": false, "errorCode": 391, "seq": 7, "applied": 43,         (1.2 uses 101)
 *    "rejected": [{"index": 41, "element": "cmi.score.raw", "errorCode": 406,
 *                  "diagnostic": "..."}]}      changes the server's model refused (not applied)
 *   {"result": false, "errorCode": 391, "error": "why the body is not a commit"}  (HTTP 400)
 * The adapter drops every entry below "applied". Rejected entries are never retried; the next
 * Commit/Terminate returns "false" with 391 / 101 and a diagnostic naming the element. A failed
 * request (transport rejected) is retried with backoff; while it keeps failing, Commit returns
 * "false" with 391 / 101 (the changes stay queued and are still sent later, and on pagehide).
 */
(function (root, factory) {
	'use strict';
	var CMI_TABLE = /*@CMI_TABLE@*/ null;
	var lib = factory(CMI_TABLE);
	if (typeof module === 'object' && module.exports)
		module.exports = lib;
	else
		root.createScormAPI = lib.createScormAPI;
})(typeof self !== 'undefined' ? self : this, function (CMI_TABLE) {
	'use strict';

	/* ---- the table ------------------------------------------------------------------------------
	 * Everything about elements comes from the C table; this only indexes it for one model. */
	var preparedCache = [];

	function prepare(table, model) {
		for (var c = 0; c < preparedCache.length; c++)
			if (preparedCache[c].table === table && preparedCache[c].model === model)
				return preparedCache[c].P;
		var P = {
			table: table,
			model: model,
			v12: model === table.models['1.2'],
			elements: [],
			colls: [],
			itypes: [],
			errors: model === table.models['1.2'] ? table.errors['1.2'] : table.errors['2004'],
			fail: table.fail,
			diags: table.diags,
			limits: table.limits
		};
		table.elements.forEach(function (e) {
			if (!(e.models & model))
				return;
			var flags = {};
			e.flags.forEach(function (f) { flags[f] = true; });
			P.elements.push({name: e.name, kind: e.kind, access: e.access, type: e.type, spm: e.spm,
				vocab: e.vocab, lo: e.lo, hi: e.hi, flags: flags, dflt: e.dflt, text: e.text,
				desc: e.desc, range: e.range});
		});
		table.collections.forEach(function (c) { if (c.models & model) P.colls.push(c); });
		table.itypes.forEach(function (t) { if (t.models & model) P.itypes.push(t); });
		preparedCache.push({table: table, model: model, P: P});
		return P;
	}

	/* ---- text ----------------------------------------------------------------------------------
	 * The C side counts code points of UTF-8 text; here strings are UTF-16. A lone surrogate is
	 * what invalid UTF-8 is in C: refused. U+0000 cannot cross the wire (jansson refuses it). */
	function isHigh(c) { return c >= 0xD800 && c <= 0xDBFF; }
	function isLow(c) { return c >= 0xDC00 && c <= 0xDFFF; }

	function validText(s) {
		for (var i = 0; i < s.length; i++) {
			var c = s.charCodeAt(i);
			if (c === 0)
				return false;
			if (isHigh(c)) {
				if (i + 1 >= s.length || !isLow(s.charCodeAt(i + 1)))
					return false;
				i++;
			} else if (isLow(c)) {
				return false;
			}
		}
		return true;
	}

	function cps(s) {
		var n = 0;
		for (var i = 0; i < s.length; i++, n++)
			if (isHigh(s.charCodeAt(i)) && i + 1 < s.length && isLow(s.charCodeAt(i + 1)))
				i++;
		return n;
	}

	function utf8Len(s) {
		var n = 0;
		for (var i = 0; i < s.length; i++) {
			var c = s.charCodeAt(i);
			if (c < 0x80) n += 1;
			else if (c < 0x800) n += 2;
			else if (isHigh(c) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) { n += 4; i++; }
			else n += 3;
		}
		return n;
	}

	/* Lone surrogates become U+FFFD (C: invalid UTF-8 bytes do). */
	function sanitize(s) {
		var out = '';
		for (var i = 0; i < s.length; i++) {
			var c = s.charCodeAt(i);
			if (isHigh(c) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
				out += s.charAt(i) + s.charAt(i + 1);
				i++;
			} else if (isHigh(c) || isLow(c)) {
				out += '\uFFFD';
			} else {
				out += s.charAt(i);
			}
		}
		return out;
	}

	function cutCodePoints(s, max) {
		var n = 0, i = 0;
		while (i < s.length && n < max) {
			i += (isHigh(s.charCodeAt(i)) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) ? 2 : 1;
			n++;
		}
		return s.slice(0, i);
	}

	/* ---- type checkers (the same as runtime/cmi/cmi_types.c, which explains the choices) ------------- */
	var OK = 0, FORMAT = 1, RANGE = 2, TOO_LONG = 3, TOO_MANY = 4;
	var CS_CAP = 1e15;

	function isDigit(c) { return c >= '0' && c <= '9' && c.length === 1; }
	function isAlpha(c) { return c.length === 1 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')); }
	function isAlnum(c) { return isDigit(c) || isAlpha(c); }
	function isHex(c) { return isDigit(c) || (c.length === 1 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))); }
	function isChar12(c) { return isDigit(c) || (c.length === 1 && c >= 'a' && c <= 'z'); }

	function isDecimal(v) { return /^-?[0-9]+(\.[0-9]+)?$/.test(v); }
	function isInteger(v) { return /^-?[0-9]+$/.test(v); }
	function occurrences(v, sep) { return v.split(sep).length - 1; }

	function decSplit(s) {
		var neg = s.charAt(0) === '-', i = neg ? 1 : 0;
		while (i < s.length && s.charAt(i) === '0')
			i++;
		var j = i;
		while (j < s.length && isDigit(s.charAt(j)))
			j++;
		var ip = s.slice(i, j);
		var fp = s.charAt(j) === '.' ? s.slice(j + 1) : s.slice(j);
		fp = fp.replace(/0+$/, '');
		if (!ip && !fp)
			neg = false;
		return {neg: neg, ip: ip, fp: fp};
	}

	function decCmp(a, b) {
		var x = decSplit(a), y = decSplit(b), m = 0;
		if (x.neg !== y.neg)
			return x.neg ? -1 : 1;
		if (x.ip.length !== y.ip.length)
			m = x.ip.length < y.ip.length ? -1 : 1;
		else if (x.ip !== y.ip)
			m = x.ip < y.ip ? -1 : 1;
		else {
			var n = Math.max(x.fp.length, y.fp.length);
			for (var i = 0; i < n && !m; i++) {
				var p = i < x.fp.length ? x.fp.charAt(i) : '0', q = i < y.fp.length ? y.fp.charAt(i) : '0';
				if (p !== q)
					m = p < q ? -1 : 1;
			}
		}
		return x.neg ? -m : m;
	}

	function inRange(e, v) {
		if (e.lo !== null && decCmp(v, e.lo) < 0)
			return false;
		if (e.hi !== null && decCmp(v, e.hi) > 0)
			return false;
		return true;
	}

	function time12(v) { return /^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,2})?$/.test(v); }
	function timespan12(v) { return /^[0-9]{2,4}:[0-5][0-9]:[0-5][0-9](\.[0-9]{1,2})?$/.test(v); }

	/* n digits at i within [lo, hi]: the position after them, or -1. */
	function digitsAt(v, i, n, lo, hi) {
		var x = 0;
		for (var k = 0; k < n; k++) {
			if (i + k >= v.length || !isDigit(v.charAt(i + k)))
				return -1;
			x = x * 10 + (v.charCodeAt(i + k) - 48);
		}
		return x < lo || x > hi ? -1 : i + n;
	}

	function fractionAt(v, i) {
		if (i >= v.length || v.charAt(i) !== '.')
			return i;
		var k = i + 1, f = k;
		while (k < v.length && isDigit(v.charAt(k)) && k - f < 2)
			k++;
		return k === f ? -1 : k;
	}

	function daysIn(y, m) {
		var d = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
		if (m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))
			return 29;
		return d[m - 1];
	}

	function time04(v) {
		var len = v.length, i;
		if (len < 4 || (i = digitsAt(v, 0, 4, 1970, 2038)) < 0)
			return false;
		var y = parseInt(v.slice(0, 4), 10);
		if (i === len) return true;
		if (v.charAt(i) !== '-' || (i = digitsAt(v, i + 1, 2, 1, 12)) < 0) return false;
		var m = parseInt(v.slice(i - 2, i), 10);
		if (i === len) return true;
		if (v.charAt(i) !== '-' || (i = digitsAt(v, i + 1, 2, 1, daysIn(y, m))) < 0) return false;
		if (i === len) return true;
		if (v.charAt(i) !== 'T' || (i = digitsAt(v, i + 1, 2, 0, 23)) < 0) return false;
		if (i === len) return true;
		if (v.charAt(i) !== ':' || (i = digitsAt(v, i + 1, 2, 0, 59)) < 0) return false;
		if (i === len) return true;
		var secs = i + 3; /* where a fraction would start */
		if (v.charAt(i) !== ':' || (i = digitsAt(v, i + 1, 2, 0, 59)) < 0 || (i = fractionAt(v, i)) < 0)
			return false;
		if (i === len) return true;
		if (i === secs) return false; /* a time zone only after fractional seconds (RTE 4.1.1.6) */
		if (v.charAt(i) === 'Z') return i + 1 === len;
		if (v.charAt(i) !== '+' && v.charAt(i) !== '-') return false;
		if ((i = digitsAt(v, i + 1, 2, 0, 23)) < 0) return false;
		if (i === len) return true;
		if (v.charAt(i) !== ':' || (i = digitsAt(v, i + 1, 2, 0, 59)) < 0) return false;
		return i === len;
	}

	/* Saturating arithmetic; every value stays below 2^53, so it is exact (as int64 in C). */
	function satDigit(v, d) { return v > Math.floor((CS_CAP - d) / 10) ? CS_CAP : v * 10 + d; }
	function satMul(v, f) { return v > Math.floor(CS_CAP / f) ? CS_CAP : v * f; }
	function satAdd(a, b) { return a > CS_CAP - b ? CS_CAP : a + b; }

	function durationCs(v) {
		var len = v.length, st = {i: 1, cs: 0, seen: false, tseen: false};
		function component(letter, frac, unit, t) {
			var k = st.i, n = 0, f = 0;
			while (k < len && isDigit(v.charAt(k)))
				n = satDigit(n, v.charCodeAt(k++) - 48);
			if (k === st.i)
				return;
			if (frac && k < len && v.charAt(k) === '.') {
				var s = ++k;
				while (k < len && isDigit(v.charAt(k)) && k - s < 2)
					f = f * 10 + (v.charCodeAt(k++) - 48);
				if (k === s)
					return;
				if (k - s === 1)
					f *= 10;
			}
			if (k >= len || v.charAt(k) !== letter)
				return;
			st.cs = satAdd(st.cs, satAdd(satMul(n, unit), f));
			st.i = k + 1;
			if (t) st.tseen = true; else st.seen = true;
		}
		if (!len || v.charAt(0) !== 'P')
			return -1;
		component('Y', false, 365 * 86400 * 100, false);
		component('M', false, 30 * 86400 * 100, false);
		component('D', false, 86400 * 100, false);
		if (st.i < len && v.charAt(st.i) === 'T') {
			st.i++;
			component('H', false, 360000, true);
			component('M', false, 6000, true);
			component('S', true, 100, true);
			if (!st.tseen)
				return -1;
		}
		if (st.i !== len || !(st.seen || st.tseen))
			return -1;
		return st.cs;
	}

	function timespan12Cs(v) {
		if (!timespan12(v))
			return -1;
		var parts = v.split(':'), sec = parts[2].split('.');
		var f = sec.length > 1 ? (sec[1].length === 1 ? +sec[1] * 10 : +sec[1]) : 0;
		return +parts[0] * 360000 + +parts[1] * 6000 + +sec[0] * 100 + f;
	}

	function pad(n, w) { var s = String(n); while (s.length < w) s = '0' + s; return s; }

	function timespan12Format(cs) {
		var cap = 9999 * 360000 + 59 * 6000 + 59 * 100 + 99;
		if (cs > cap)
			cs = cap;
		return pad(Math.floor(cs / 360000), 4) + ':' + pad(Math.floor(cs / 6000) % 60, 2) + ':' +
			pad(Math.floor(cs / 100) % 60, 2) + '.' + pad(cs % 100, 2);
	}

	function durationFormat(cs) {
		return 'PT' + Math.floor(cs / 360000) + 'H' + (Math.floor(cs / 6000) % 60) + 'M' +
			(Math.floor(cs / 100) % 60) + (cs % 100 ? '.' + pad(cs % 100, 2) : '') + 'S';
	}

	function uriAscii(c) { return isAlnum(c) || "-._~:/?#[]@!$&'()*+,;=".indexOf(c) >= 0; }

	function identifier04(v, spm) {
		if (!v.length)
			return [FORMAT, 0];
		for (var i = 0; i < v.length;) {
			var cp = v.codePointAt(i);
			if (cp === 0x25) {
				if (i + 2 >= v.length || !isHex(v.charAt(i + 1)) || !isHex(v.charAt(i + 2)))
					return [FORMAT, 0];
			} else if (cp < 0x80 ? !uriAscii(v.charAt(i)) : cp < 0xA0) {
				return [FORMAT, 0];
			}
			i += cp > 0xFFFF ? 2 : 1;
		}
		if (/^[uU][rR][nN]:/.test(v)) {
			var nid = 4;
			while (nid < v.length && v.charAt(nid) !== ':') {
				if (!isAlnum(v.charAt(nid)) && v.charAt(nid) !== '-')
					return [FORMAT, 0];
				nid++;
			}
			if (nid === v.length || nid === 4 || nid - 4 > 31 || v.charAt(4) === '-' || nid + 1 === v.length)
				return [FORMAT, 0];
		}
		return cps(v) > spm ? [TOO_LONG, spm] : [OK, 0];
	}

	function identifier12(v) {
		if (!v.length)
			return FORMAT;
		for (var i = 0; i < v.length;) {
			var cp = v.codePointAt(i);
			if (cp <= 0x20 || (cp >= 0x7F && cp < 0xA0))
				return FORMAT;
			i += cp > 0xFFFF ? 2 : 1;
		}
		return OK;
	}

	function language(v) { return /^([A-Za-z]{2,3}|[iIxX])(-[A-Za-z0-9]{1,8})*$/.test(v); }

	function localized(v, spm) {
		if (v.slice(0, 6) === '{lang=') {
			var close = v.indexOf('}', 6);
			if (close < 0 || !language(v.slice(6, close)) || cps(v.slice(6, close)) > 250)
				return [FORMAT, 0];
			v = v.slice(close + 1);
		}
		return cps(v) > spm ? [TOO_LONG, spm] : [OK, 0];
	}

	function charstring(v, spm) { return spm && cps(v) > spm ? [TOO_LONG, spm] : [OK, 0]; }

	var MOD_CASE = 1, MOD_ORDER = 2;

	function modifiers(v, allowed) {
		var i = 0, seen = 0;
		for (;;) {
			var which, name;
			if (v.startsWith('{case_matters=', i)) { which = MOD_CASE; name = 14; }
			else if (v.startsWith('{order_matters=', i)) { which = MOD_ORDER; name = 15; }
			else return i;
			if (!(allowed & which) || (seen & which))
				return -1;
			var close = v.indexOf('}', i + name);
			if (close < 0)
				return -1;
			var val = v.slice(i + name, close);
			if (val !== 'true' && val !== 'false')
				return -1;
			seen |= which;
			i = close + 1;
		}
	}

	function eachItem(v, item, ctx) {
		var result = OK, limit = 0, count = 0, start = 0;
		for (;;) {
			var end = v.indexOf('[,]', start);
			if (end < 0)
				end = v.length;
			var r = item(v.slice(start, end), ctx);
			count++;
			if (r[0] === FORMAT)
				return {r: FORMAT, count: count, limit: 0};
			if (r[0] !== OK && result === OK) {
				result = r[0];
				limit = r[1];
			}
			if (end === v.length)
				return {r: result, count: count, limit: limit};
			start = end + 3;
		}
	}

	function itemShortId(v) { return identifier04(v, 250); }
	function itemLocalized250(v) { return localized(v, 250); }

	function itemPair(v) {
		if (occurrences(v, '[.]') !== 1)
			return [FORMAT, 0];
		var dot = v.indexOf('[.]');
		var a = identifier04(v.slice(0, dot), 250), b = identifier04(v.slice(dot + 3), 250);
		if (a[0] === FORMAT || b[0] === FORMAT)
			return [FORMAT, 0];
		if (a[0] !== OK || b[0] !== OK)
			return [TOO_LONG, 250];
		return [OK, 0];
	}

	function realOrEmpty(v) { return v === '' || isDecimal(v); }

	function numericRange(v) {
		if (occurrences(v, '[:]') !== 1)
			return false;
		var c = v.indexOf('[:]'), lo = v.slice(0, c), hi = v.slice(c + 3);
		if (!realOrEmpty(lo) || !realOrEmpty(hi))
			return false;
		return !(lo && hi) || decCmp(lo, hi) <= 0;
	}

	function itemStep(v, pattern) {
		if (occurrences(v, '[.]') !== 1)
			return [FORMAT, 0];
		var dot = v.indexOf('[.]'), ans = v.slice(dot + 3), r = OK;
		if (dot === 0 && ans === '')
			return [FORMAT, 0];
		if (dot > 0) {
			r = identifier04(v.slice(0, dot), 250)[0];
			if (r === FORMAT)
				return [FORMAT, 0];
		}
		if (pattern && occurrences(ans, '[:]')) {
			if (!numericRange(ans))
				return [FORMAT, 0];
		} else if (cps(ans) > 250) {
			r = TOO_LONG;
		}
		return [r, r !== OK ? 250 : 0];
	}

	function distinctItems(v) {
		var items = v.split('[,]');
		for (var a = 0; a < items.length; a++)
			for (var b = a + 1; b < items.length; b++)
				if (items[a] === items[b])
					return false;
		return true;
	}

	function listCheck(v, item, ctx, max) {
		var r = eachItem(v, item, ctx);
		if (r.r !== OK)
			return [r.r, r.limit];
		return r.count > max ? [TOO_MANY, max] : [OK, 0];
	}

	function response04(itype, pattern, v) {
		var at;
		switch (itype) {
		case 'true-false':
			return [v === 'true' || v === 'false' ? OK : FORMAT, 0];
		case 'choice':
			if (!v)
				return [OK, 0];
			var r = eachItem(v, itemShortId);
			if (r.r === FORMAT)
				return [FORMAT, 0];
			if (r.count > 36)
				return [TOO_MANY, 36];
			if (!distinctItems(v))
				return [FORMAT, 0];
			return [r.r, r.limit];
		case 'fill-in':
			at = modifiers(v, pattern ? MOD_CASE | MOD_ORDER : 0);
			return at < 0 ? [FORMAT, 0] : listCheck(v.slice(at), itemLocalized250, null, 10);
		case 'long-fill-in':
			at = modifiers(v, pattern ? MOD_CASE : 0);
			return at < 0 ? [FORMAT, 0] : localized(v.slice(at), 4000);
		case 'likert':
			return identifier04(v, 250);
		case 'matching':
			return v ? listCheck(v, itemPair, null, 36) : [FORMAT, 0];
		case 'performance':
			at = modifiers(v, pattern ? MOD_ORDER : 0);
			if (at < 0 || at === v.length)
				return [FORMAT, 0];
			return listCheck(v.slice(at), itemStep, pattern, pattern ? 125 : 250);
		case 'sequencing':
			return v ? listCheck(v, itemShortId, null, 36) : [FORMAT, 0];
		case 'numeric':
			if (pattern && occurrences(v, '[:]'))
				return [numericRange(v) ? OK : FORMAT, 0];
			return [isDecimal(v) ? OK : FORMAT, 0];
		default: /* other */
			return charstring(v, 4000);
		}
	}

	function choiceSame(a, b) {
		var ia = a ? a.split('[,]') : [], ib = b ? b.split('[,]') : [];
		if (ia.length !== ib.length)
			return false;
		for (var i = 0; i < ia.length; i++)
			if (ib.indexOf(ia[i]) < 0)
				return false;
		return true;
	}

	function list12(v, braces, ok) {
		if (braces && v.length && v.charAt(0) === '{') {
			if (v.length < 2 || v.charAt(v.length - 1) !== '}')
				return false;
			v = v.slice(1, -1);
		}
		return v.split(',').every(ok);
	}
	function oneChar12(v) { return v.length === 1 && isChar12(v); }
	function pair12(v) { return v.length === 3 && isChar12(v.charAt(0)) && v.charAt(1) === '.' && isChar12(v.charAt(2)); }

	function feedback12(itype, v) {
		switch (itype) {
		case null: return true;
		case 'true-false': return ['0', '1', 't', 'f', 'true', 'false'].indexOf(v) >= 0;
		case 'choice': return list12(v, true, oneChar12);
		case 'numeric': return isDecimal(v);
		case 'likert': return v === '' || oneChar12(v);
		case 'matching': return list12(v, true, pair12);
		case 'sequencing': return list12(v, false, oneChar12);
		default: return true; /* fill-in, performance */
		}
	}

	var NAV_PLAIN = ['continue', 'previous', 'exit', 'exitAll', 'abandon', 'abandonAll', 'suspendAll', '_none_'];

	function navreq(P, v) {
		if (NAV_PLAIN.indexOf(v) >= 0)
			return true;
		if (v.slice(0, 8) !== '{target=')
			return false;
		var close = v.indexOf('}', 8);
		if (close < 0 || identifier04(v.slice(8, close), 250)[0] !== OK)
			return false;
		var rest = v.slice(close + 1);
		return rest === 'choice' || (P.model === P.table.models['2004-4th'] && rest === 'jump');
	}

	/* [result, limit] for value v of element e; itype is the interaction's type or null. */
	function checkValue(P, e, itype, v) {
		var r;
		switch (e.type) {
		case 'CMIString':
		case 'characterstring':
			return charstring(v, e.spm);
		case 'CMIIdentifier':
			r = identifier12(v);
			return r ? [r, 0] : charstring(v, e.spm);
		case 'CMIDecimal':
		case 'real':
			if (v === '' && e.flags.blank)
				return [OK, 0];
			if (!isDecimal(v))
				return [FORMAT, 0];
			return [inRange(e, v) ? OK : RANGE, 0];
		case 'CMISInteger':
			if (!isInteger(v))
				return [FORMAT, 0];
			return [inRange(e, v) ? OK : RANGE, 0];
		case 'CMIVocabulary':
		case 'state':
			return [e.vocab.indexOf(v) >= 0 ? OK : FORMAT, 0];
		case 'CMITime':
			return [time12(v) ? OK : FORMAT, 0];
		case 'CMITimespan':
			return [timespan12(v) ? OK : FORMAT, 0];
		case 'CMIFeedback':
			if (!feedback12(itype, v))
				return [FORMAT, 0];
			return charstring(v, e.spm);
		case 'CMIResult':
		case 'result':
			return [e.vocab.indexOf(v) >= 0 || isDecimal(v) ? OK : FORMAT, 0];
		case 'localized_string':
			return localized(v, e.spm);
		case 'long_identifier':
		case 'short_identifier':
			return identifier04(v, e.spm);
		case 'time':
			return [time04(v) ? OK : FORMAT, 0];
		case 'timeinterval':
			return [durationCs(v) >= 0 ? OK : FORMAT, 0];
		case 'language':
			if (v === '')
				return [e.flags.blank ? OK : FORMAT, 0];
			if (!language(v))
				return [FORMAT, 0];
			return charstring(v, e.spm);
		case 'pattern':
		case 'response':
			if (itype === null)
				return [FORMAT, 0];
			return response04(itype, e.type === 'pattern', v);
		case 'nav_request':
			return [navreq(P, v) ? OK : FORMAT, 0];
		default:
			return [FORMAT, 0];
		}
	}

	/* ---- the data model (the same steps as runtime/cmi/cmi_model.c) ---------------------------------- */
	var R_OK = 0, R_UNKNOWN = 1, R_UNKNOWN_CATEGORY = 2, R_BAD_INDEX = 3, R_NO_CHILDREN = 4,
		R_NO_COUNT = 5, R_BAD_VERSION = 6;

	function parseIndex(s) {
		if (!s.length || (s.charAt(0) === '0' && s.length > 1))
			return -1;
		var v = 0;
		for (var i = 0; i < s.length; i++) {
			if (!isDigit(s.charAt(i)))
				return -1;
			v = v >= indexMax / 10 ? indexMax : v * 10 + (s.charCodeAt(i) - 48);
		}
		return v;
	}
	var indexMax = 1000000000; /* from the table's limits (CMI_INDEX_MAX) */

	function validTarget(s) {
		if (s.length < 10 || s.slice(0, 8) !== '{target=' || s.charAt(s.length - 1) !== '}' || !validText(s))
			return false;
		return identifier04(s.slice(8, -1), 250)[0] === OK;
	}

	function match(pat, name, ref) {
		var k = 0, p = 0, n = 0;
		ref.idx = [];
		ref.full = false;
		ref.bad = false;
		for (;;) {
			var pe = pat.indexOf('.', p), ne = name.indexOf('.', n);
			var pseg = pat.slice(p, pe < 0 ? pat.length : pe), nseg = name.slice(n, ne < 0 ? name.length : ne);
			if (pseg === '{target}') {
				if (!validTarget(name.slice(n)))
					return k;
				ref.full = true;
				return k + 1;
			}
			if (pseg === 'n' || pseg === 'm') {
				var x = parseIndex(nseg);
				if (x < 0) {
					ref.bad = true;
					return k;
				}
				ref.idx.push(x);
			} else if (pseg !== nseg) {
				return k;
			}
			k++;
			if (pe < 0 || ne < 0) {
				ref.full = pe < 0 && ne < 0;
				return k;
			}
			p = pe + 1;
			n = ne + 1;
		}
	}

	/* lms: the LMS's own elements (flag lms) resolve too; the SCO never sees them. */
	function resolve(P, name, lms) {
		var best = 0, bestBad = false;
		for (var i = 0; i < P.elements.length; i++) {
			if (P.elements[i].flags.lms && !lms)
				continue;
			var r = {}, k = match(P.elements[i].name, name, r);
			if (r.full)
				return {r: R_OK, e: P.elements[i], idx: r.idx};
			if (k > best) {
				best = k;
				bestBad = r.bad;
			} else if (k === best && r.bad) {
				bestBad = true;
			}
		}
		var nseg = name.split('.').length, dot = name.lastIndexOf('.');
		var last = dot >= 0 ? name.slice(dot + 1) : name;
		if (dot >= 0 && best + 1 >= nseg) {
			if (last === '_children') return {r: R_NO_CHILDREN};
			if (last === '_count') return {r: R_NO_COUNT};
			if (last === '_version') return {r: R_BAD_VERSION};
		}
		if (best === 0) return {r: R_UNKNOWN_CATEGORY};
		if (bestBad) return {r: R_BAD_INDEX};
		if (best + 1 >= nseg) return {r: R_UNKNOWN};
		return {r: R_UNKNOWN_CATEGORY};
	}

	function instance(P, ref, level) {
		var segs = ref.e.name.split('.'), out = [], pat = [], seen = 0;
		for (var i = 0; i < segs.length; i++) {
			var s = segs[i];
			if (s === 'n' || s === 'm') {
				if (seen === level)
					break;
				out.push(String(ref.idx[seen]));
				seen++;
			} else {
				out.push(s);
			}
			pat.push(s);
		}
		var name = pat.join('.'), coll = null;
		for (var c = 0; c < P.colls.length; c++)
			if (P.colls[c].name === name)
				coll = P.colls[c];
		return {inst: out.join('.'), coll: coll};
	}

	function sibling(ref, j) {
		var segs = ref.e.name.split('.'), out = [], seen = 0;
		for (var i = 0; i < segs.length; i++) {
			if (segs[i] === 'n' || segs[i] === 'm') {
				out.push(String(seen === ref.idx.length - 1 ? j : ref.idx[seen]));
				seen++;
			} else {
				out.push(segs[i]);
			}
		}
		return out.join('.');
	}

	function isCountKey(k) { return k.length > 7 && k.slice(-7) === '._count'; }

	function fail(kind, diag, n, c, detail) { return {kind: kind, diag: diag, n: n || 0, c: c || 0, detail: detail || null}; }

	function Model(P) {
		this.P = P;
		this.values = new Map();
		this.bytes = 0;
		this.lastError = 0;
		this.diag = '';
		this.active = false;
		this.ended = false;
		this.attemptEnded = false;
		this.report = null;
	}

	Model.prototype.stored = function (k) {
		var v = this.values.get(k);
		return v === undefined ? null : v;
	};

	Model.prototype.storeValue = function (k, v) {
		var old = this.values.get(k);
		if (!isCountKey(k))
			this.bytes += utf8Len(v) - (old === undefined ? 0 : utf8Len(old));
		this.values.set(k, v);
	};

	Model.prototype.dropValue = function (k) {
		var old = this.values.get(k);
		if (old === undefined)
			return;
		if (!isCountKey(k))
			this.bytes -= utf8Len(old);
		this.values.delete(k);
	};

	Model.prototype.countOf = function (inst) {
		var v = this.values.get(inst + '._count');
		return v === undefined ? 0 : parseInt(v, 10);
	};

	Model.prototype.initName = function () { return this.P.v12 ? 'LMSInitialize' : 'Initialize'; };
	Model.prototype.terminateName = function () { return this.P.v12 ? 'LMSFinish' : 'Terminate'; };

	Model.prototype.clearError = function () {
		this.lastError = 0;
		this.diag = '';
	};

	Model.prototype.setCode = function (code, diag, fn, element, n, c, detail) {
		var t = this.P.diags[diag], out = '';
		this.lastError = code;
		for (var i = 0; i < t.length; i++) {
			if (t.charAt(i) === '{' && i + 2 < t.length && t.charAt(i + 2) === '}') {
				switch (t.charAt(i + 1)) {
				case 'e': out += sanitize(element || ''); break;
				case 'f': out += sanitize(fn || ''); break;
				case 'i': out += this.initName(); break;
				case 't': out += this.terminateName(); break;
				case 'n': out += String(n || 0); break;
				case 'c': out += String(c || 0); break;
				case 'd': out += sanitize(detail || ''); break;
				default: out += t.slice(i, i + 3); break;
				}
				i += 2;
			} else {
				out += t.charAt(i);
			}
		}
		this.diag = cutCodePoints(out, this.P.limits.diagMax);
	};

	Model.prototype.setError = function (f, fn, element) {
		this.setCode(this.P.fail[f.kind][this.P.v12 ? 0 : 1], f.diag, fn, element, f.n, f.c, f.detail);
	};

	function resolveFail(r, set) {
		switch (r) {
		case R_UNKNOWN_CATEGORY: return fail('unknown_category', 'unknown_category');
		case R_BAD_INDEX: return fail('bad_index', 'bad_index');
		case R_NO_CHILDREN: return set ? fail('keyword_set', 'keyword') : fail('no_children', 'no_children');
		case R_NO_COUNT: return set ? fail('keyword_set', 'keyword') : fail('no_count', 'no_count');
		case R_BAD_VERSION: return set ? fail('keyword_set', 'keyword') : fail('bad_version', 'bad_version');
		default: return fail('unknown', 'unknown');
		}
	}

	Model.prototype.interactionType = function (n) { return this.stored('cmi.interactions.' + n + '.type'); };

	Model.prototype.evaluated = function (e) {
		if (e.flags.evalCompletion) {
			var thr = this.stored('cmi.completion_threshold');
			if (thr !== null) {
				var pm = this.stored('cmi.progress_measure');
				if (pm === null)
					return 'unknown';
				return decCmp(pm, thr) >= 0 ? 'completed' : 'incomplete';
			}
		}
		if (e.flags.evalSuccess) {
			var sps = this.stored('cmi.scaled_passing_score');
			if (sps !== null) {
				var sc = this.stored('cmi.score.scaled');
				if (sc === null)
					return 'unknown';
				return decCmp(sc, sps) >= 0 ? 'passed' : 'failed';
			}
		}
		return null;
	};

	Model.prototype.rowsExist = function (ref, levels) {
		for (var l = 0; l < levels; l++) {
			var c = this.countOf(instance(this.P, ref, l).inst);
			if (ref.idx[l] >= c)
				return fail('no_row', 'no_row', ref.idx[l], c);
		}
		return null;
	};

	Model.prototype.valueOf = function (ref, name) {
		var e = ref.e;
		if (e.kind === 'children' || e.kind === 'version')
			return e.text;
		if (e.kind === 'count') {
			var c = this.stored(name);
			return c === null ? '0' : c;
		}
		var v = this.evaluated(e);
		if (v !== null)
			return v;
		v = this.stored(name);
		return v !== null ? v : e.dflt;
	};

	/* Shared data (cmi_model.c guard_denies): true when the row of a guarded element has a
	 * permission element with flag `perm` set to "false". */
	Model.prototype.guardDenies = function (ref, name, perm) {
		var e = ref.e, dot = name.lastIndexOf('.'), edot = e.name.lastIndexOf('.');
		if (!e.flags.guarded || dot < 0 || edot < 0 || dot > 120)
			return false;
		var prefix = e.name.slice(0, edot + 1);
		for (var i = 0; i < this.P.elements.length; i++) {
			var g = this.P.elements[i];
			if (!g.flags[perm] || g.name.slice(0, prefix.length) !== prefix || g.name.indexOf('.', prefix.length) >= 0)
				continue;
			if (this.stored(name.slice(0, dot + 1) + g.name.slice(prefix.length)) === 'false')
				return true;
		}
		return false;
	};

	/* GetValue on the model: the value, or null with the error set. */
	Model.prototype.get = function (name, fn) {
		var f = null, ref = null, v = null;
		if (name === '') {
			f = fail('empty_get', 'empty_element');
		} else {
			ref = resolve(this.P, name);
			if (ref.r !== R_OK)
				f = resolveFail(ref.r, false);
			else if (ref.e.access === 'wo')
				f = fail('write_only', 'write_only');
			else if (this.guardDenies(ref, name, 'readPerm'))
				f = fail('write_only', 'shared_no_read');
			else if (ref.e.kind !== 'children')
				f = this.rowsExist(ref, ref.idx.length);
			if (!f) {
				v = this.valueOf(ref, name);
				if (v === null) {
					if (this.P.v12)
						v = '';
					else
						f = fail('no_value', 'no_value');
				}
			}
		}
		if (f) {
			this.setError(f, fn, name);
			return null;
		}
		this.clearError();
		return v;
	};

	/* The effective value for the LMS (cmi_state_get), or null. */
	Model.prototype.peek = function (name) {
		var ref = resolve(this.P, name, true);
		if (ref.r !== R_OK)
			return null;
		if (ref.e.kind !== 'children' && this.rowsExist(ref, ref.idx.length))
			return null;
		return this.valueOf(ref, name);
	};

	var MODE_SCO = 0, MODE_SEED = 1;

	Model.prototype.patternsMax = function (itype) {
		if (this.P.v12)
			return 10;
		for (var i = 0; i < this.P.itypes.length; i++)
			if (this.P.itypes[i].name === itype)
				return this.P.itypes[i].max;
		return 0;
	};

	/* Whether interaction n's stored patterns and response are valid for type itype. */
	Model.prototype.responsesFit = function (n, itype) {
		var P = this.P, pat = resolve(P, 'cmi.interactions.' + n + '.correct_responses.0.pattern');
		if (pat.r !== R_OK)
			return true;
		var rkey = 'cmi.interactions.' + n + '.' + (P.v12 ? 'student_response' : 'learner_response');
		var resp = resolve(P, rkey), v = this.stored(rkey);
		if (resp.r !== R_OK || (v !== null && checkValue(P, resp.e, itype, v)[0] !== OK))
			return false;
		var inst = 'cmi.interactions.' + n + '.correct_responses', c = this.countOf(inst);
		if (c > this.patternsMax(itype))
			return false;
		for (var m = 0; m < c; m++) {
			v = this.stored(inst + '.' + m + '.pattern');
			if (v !== null && checkValue(P, pat.e, itype, v)[0] !== OK)
				return false;
			for (var k = 0; v !== null && !P.v12 && itype === 'choice' && k < m; k++) {
				var w = this.stored(inst + '.' + k + '.pattern');
				if (w !== null && choiceSame(v, w))
					return false;
			}
		}
		return true;
	};

	/* Every check of a SetValue or a seed, then the store: null, or the failure. ref_out gets the
	 * resolved name on success. */
	Model.prototype.set = function (name, value, mode, refOut) {
		var P = this.P, v2004 = !P.v12, sco = mode === MODE_SCO, l, i;
		if (name === '')
			return fail('empty_set', 'empty_element');
		var ref = resolve(P, name, !sco);
		if (ref.r !== R_OK)
			return resolveFail(ref.r, true);
		var e = ref.e, nidx = ref.idx.length;
		if (e.kind !== 'leaf')
			return fail('keyword_set', 'keyword');
		if (sco && e.access === 'ro')
			return fail('read_only', 'read_only');
		if (sco && this.guardDenies(ref, name, 'writePerm'))
			return fail('read_only', 'shared_no_write');

		var inst = [], create = [];
		for (l = 0; l < nidx; l++) {
			var I = instance(P, ref, l), c = this.countOf(I.inst);
			inst[l] = I.inst;
			if (ref.idx[l] < c)
				continue;
			if (ref.idx[l] > c || (v2004 && sco && I.coll && I.coll.lmsOnly))
				return fail('gap', 'gap', ref.idx[l], c);
			if (v2004 && sco && (l < nidx - 1 || !e.flags.creates))
				return fail('dependency', 'need_id');
			var max = I.coll ? I.coll.max : 0;
			if (I.coll && max === 0) {
				var t = this.interactionType(ref.idx[0]);
				/* no type: only reachable when seeding (the SCO gets 408 first); the type decides later */
				max = t === null ? 10 : this.patternsMax(t);
			}
			if (c >= max)
				return fail('full', 'full', 0, c);
			create[l] = true;
		}

		var itype = null, responseType = e.type === 'pattern' || e.type === 'response' || e.type === 'CMIFeedback';
		if (responseType) {
			itype = this.interactionType(ref.idx[0]);
			if (v2004 && itype === null)
				return fail('dependency', 'need_type', ref.idx[0]);
		}

		var ck = validText(value) ? checkValue(P, e, itype, value) : [FORMAT, 0];
		if (ck[0] !== OK && !sco && e.dflt !== null && e.dflt === value)
			ck = [OK, 0];
		var desc = e.desc;
		if (itype !== null && responseType)
			for (i = 0; i < P.itypes.length; i++)
				if (P.itypes[i].name === itype)
					desc = P.itypes[i].desc;
		switch (ck[0]) {
		case OK: break;
		case RANGE: return fail('range', 'range', 0, 0, e.range);
		case TOO_LONG: return fail('spm', 'too_long', ck[1]);
		case TOO_MANY: return fail('spm', 'too_many', ck[1]);
		default: return fail('type', 'type', 0, 0, desc);
		}

		if (e.flags.interactionType && sco && !this.responsesFit(ref.idx[0], value))
			return fail('conflict', 'type_conflict');

		if (v2004 && sco) {
			var old = this.stored(name);
			if (e.flags.once && old !== null && old !== value)
				return fail('unique', 'id_fixed');
			var choice = e.type === 'pattern' && itype === 'choice';
			if (e.flags.unique || choice) {
				var count = this.countOf(inst[nidx - 1]), dup = false;
				for (var j = 0; j < count && !dup; j++) {
					if (j === ref.idx[nidx - 1])
						continue;
					var other = this.stored(sibling(ref, j));
					if (other !== null)
						dup = choice ? choiceSame(other, value) : other === value;
				}
				if (dup)
					return fail('unique', choice ? 'duplicate_pattern' : 'not_unique');
			}
		}

		var prev = this.stored(name);
		if (this.bytes - (prev === null ? 0 : utf8Len(prev)) + utf8Len(value) > P.limits.stateMaxBytes)
			return fail('state_full', 'state_full', P.limits.stateMaxBytes);

		this.storeValue(name, value);
		for (l = 0; l < nidx; l++)
			if (create[l])
				this.storeValue(inst[l] + '._count', String(ref.idx[l] + 1));
		if (refOut)
			refOut.ref = ref;
		return null;
	};

	/* A seed: 0 or the SCORM code refusing it. */
	Model.prototype.seed = function (name, value) {
		var f = this.set(name, value, MODE_SEED);
		return f ? this.P.fail[f.kind][this.P.v12 ? 0 : 1] : 0;
	};

	/* The load order of cmi_model.c's natural_cmp: numbers as numbers, "type" first. */
	function naturalCmp(a, b) {
		var as = a.split('.'), bs = b.split('.');
		for (var i = 0; i < as.length && i < bs.length; i++) {
			var x = as[i], y = bs[i], c;
			if (/^[0-9]+$/.test(x) && /^[0-9]+$/.test(y))
				c = x.length !== y.length ? (x.length < y.length ? -1 : 1) : (x < y ? -1 : x > y ? 1 : 0);
			else if ((x === 'type') !== (y === 'type'))
				c = x === 'type' ? -1 : 1;
			else
				c = x < y ? -1 : x > y ? 1 : 0;
			if (c)
				return c;
		}
		return as.length - bs.length;
	}

	/* Loads {element: value} as cmi_seed_json does; throws on a refused value. */
	Model.prototype.load = function (obj) {
		var self = this;
		Object.keys(obj).sort(naturalCmp).forEach(function (k) {
			if (typeof obj[k] !== 'string')
				throw new Error('scorm-api.js: initial ' + k + ': the value must be a string');
			var code = self.seed(k, obj[k]);
			if (code)
				throw new Error('scorm-api.js: initial ' + k + ': refused with error ' + code);
		});
	};

	Model.prototype.snapshot = function () {
		var out = {};
		this.values.forEach(function (v, k) {
			if (!isCountKey(k))
				out[k] = v;
		});
		return out;
	};

	/* ---- what the LMS computes (runtime/cmi/cmi_lms.c) ------------------------------------------------ */
	Model.prototype.reportFill = function () {
		var v12 = this.P.v12, exit = this.stored(v12 ? 'cmi.core.exit' : 'cmi.exit') || '';
		var nav = v12 ? '' : this.peek('adl.nav.request'), tok = nav || '';
		if (tok.charAt(0) === '{' && tok.indexOf('}') >= 0)
			tok = tok.slice(tok.indexOf('}') + 1);
		var suspended = exit === 'suspend' || tok === 'suspendAll';
		return {exit: exit, navRequest: tok, suspended: suspended, attemptEnded: !suspended};
	};

	Model.prototype.addSessionTime = function () {
		var v12 = this.P.v12, key = v12 ? 'cmi.core.total_time' : 'cmi.total_time';
		var session = this.stored(v12 ? 'cmi.core.session_time' : 'cmi.session_time');
		if (session === null)
			return;
		var total = this.peek(key);
		var a = v12 ? timespan12Cs(total) : durationCs(total), b = v12 ? timespan12Cs(session) : durationCs(session);
		if (a < 0) a = 0;
		if (b < 0) b = 0;
		var sum = a > CS_CAP - b ? CS_CAP : a + b;
		this.storeValue(key, v12 ? timespan12Format(sum) : durationFormat(sum));
	};

	Model.prototype.sessionEnd = function () {
		if (this.ended)
			return this.report;
		var v12 = this.P.v12, r = this.reportFill();
		this.addSessionTime();
		if (v12) {
			var mastery = this.stored('cmi.student_data.mastery_score'), raw = this.stored('cmi.core.score.raw');
			var credit = this.peek('cmi.core.credit');
			if (mastery && raw && credit === 'credit') {
				this.storeValue('cmi.core.lesson_status', decCmp(raw, mastery) >= 0 ? 'passed' : 'failed');
			} else if (this.stored('cmi.core.lesson_status') === null) {
				this.storeValue('cmi.core.lesson_status', this.peek('cmi.core.lesson_mode') === 'browse' ? 'browsed' : 'completed');
			}
		} else {
			if (this.stored('cmi.completion_threshold') !== null)
				this.storeValue('cmi.completion_status', this.peek('cmi.completion_status'));
			if (this.stored('cmi.scaled_passing_score') !== null)
				this.storeValue('cmi.success_status', this.peek('cmi.success_status'));
		}
		this.storeValue(v12 ? 'cmi.core.entry' : 'cmi.entry', r.suspended ? 'resume' : '');
		this.report = r;
		this.ended = true;
		this.attemptEnded = r.attemptEnded;
		return r;
	};

	/* ---- the API ----------------------------------------------------------------------------------- */
	var NOT_INITIALIZED = 0, RUNNING = 1, TERMINATED = 2;
	var STATE_NAMES = ['not-initialized', 'running', 'terminated'];
	var BEFORE_INIT = {term: [301, 112], get: [301, 122], set: [301, 132], commit: [301, 142]};
	var AFTER_TERM = {term: [101, 113], get: [101, 123], set: [101, 133], commit: [101, 143]};
	var NAMES = {
		init: ['LMSInitialize', 'Initialize'], term: ['LMSFinish', 'Terminate'], get: ['LMSGetValue', 'GetValue'],
		set: ['LMSSetValue', 'SetValue'], commit: ['LMSCommit', 'Commit']
	};

	function arg(x) { return x === undefined || x === null ? '' : String(x); }

	function describe(err) {
		return err && err.message ? String(err.message) : String(err);
	}

	/* Leaving the page: the keepalive quota (Fetch: 64 KiB of keepalive bodies in flight per
	 * page) and the envelope size under it, leaving room for a little else in flight. */
	var KEEPALIVE_QUOTA = 65536, ENVELOPE_MAX = 64000;
	/* Changes waiting past this many bytes go out without waiting for Commit. */
	var EAGER_BYTES = 32768;

	function Session(P, model, version, opts, seeds) {
		this.P = P;
		this.model = model;
		this.version = version;
		this.opts = opts;
		this.seeds = seeds;
		this.api = NOT_INITIALIZED;
		this.transport = opts.transport || null;
		this.entries = [];       /* {el, v, idx (null until sent), scalar} not yet acknowledged */
		this.nextIndex = 0;
		this.seq = 0;
		this.applied = 0;
		this.inFlight = false;
		this.again = false;
		this.failure = null;     /* a request failed (network): reported until one succeeds */
		this.notice = null;      /* the server refused changes or the request: reported once */
		this.terminateRequested = false;
		this.terminateAcked = false;
		this.retryAttempt = 0;
		this.timer = null;
		this.delays = opts.retryDelays || [1000, 2000, 4000, 8000, 15000, 30000];
		this.unsentBytes = 0;    /* bytes of entries never sent (idx null) */
		this.unsent = 0;         /* envelopes the last pagehide could neither send nor stash */
	}

	Session.prototype.fn = function (call) { return NAMES[call][this.P.v12 ? 0 : 1]; };

	Session.prototype.running = function (call) {
		var v = this.P.v12 ? 0 : 1;
		if (this.api === NOT_INITIALIZED) {
			this.model.setCode(BEFORE_INIT[call][v], 'before_init', this.fn(call));
			return false;
		}
		if (this.api === TERMINATED) {
			this.model.setCode(AFTER_TERM[call][v], 'after_terminate', this.fn(call));
			return false;
		}
		return true;
	};

	Session.prototype.emptyArg = function (a, call) {
		if (a !== '') {
			this.model.setCode(201, 'bad_arg', this.fn(call));
			return false;
		}
		return true;
	};

	Session.prototype.initialize = function (a) {
		var m = this.model, v12 = this.P.v12;
		if (this.api === RUNNING) {
			m.setCode(v12 ? 101 : 103, 'init_twice', this.fn('init'));
			return 'false';
		}
		if (this.api === TERMINATED) {
			m.setCode(v12 ? 101 : 104, 'init_after_terminate', this.fn('init'));
			return 'false';
		}
		if (!this.emptyArg(a, 'init'))
			return 'false';
		if (this.transport && typeof this.transport.initialize === 'function') {
			try {
				this.transport.initialize();
			} catch (err) {
				m.setCode(v12 ? 101 : 102, 'init_failed', this.fn('init'), null, 0, 0, describe(err));
				return 'false';
			}
		}
		this.api = RUNNING;
		m.active = true;
		m.clearError();
		return 'true';
	};

	/* A failure to report now: the refusal notice (once), else a failing transport. */
	Session.prototype.takeFailure = function () {
		if (this.notice !== null) {
			var n = this.notice;
			this.notice = null;
			return n;
		}
		return this.failure;
	};

	Session.prototype.commit = function (a) {
		var m = this.model;
		if (!this.running('commit') || !this.emptyArg(a, 'commit'))
			return 'false';
		var prior = this.takeFailure(), sent = this.transmit(false);
		if (prior !== null || sent !== true) {
			m.setCode(this.P.v12 ? 101 : 391, 'commit_failed', this.fn('commit'), null, 0, 0, prior !== null ? prior : sent);
			return 'false';
		}
		m.clearError();
		return 'true';
	};

	Session.prototype.terminate = function (a) {
		var m = this.model, code = this.P.v12 ? 101 : 111;
		if (!this.running('term') || !this.emptyArg(a, 'term'))
			return 'false';
		var prior = this.takeFailure();
		if (prior !== null) {
			this.transmit(false);
			m.setCode(code, 'terminate_failed', this.fn('term'), null, 0, 0, prior);
			return 'false';
		}
		this.terminateRequested = true;
		var sent = this.transmit(true);
		if (sent !== true) {
			this.terminateRequested = false;
			m.setCode(code, 'terminate_failed', this.fn('term'), null, 0, 0, sent);
			return 'false';
		}
		this.api = TERMINATED;
		m.sessionEnd(); /* what the LMS computes at the end of a session; the server does it too */
		m.clearError();
		return 'true';
	};

	Session.prototype.getValue = function (el) {
		if (!this.running('get'))
			return '';
		var v = this.model.get(el, this.fn('get'));
		return v === null ? '' : v;
	};

	Session.prototype.setValue = function (el, v) {
		var m = this.model, out = {};
		if (!this.running('set'))
			return 'false';
		var f = m.set(el, v, MODE_SCO, out);
		if (f) {
			m.setError(f, this.fn('set'), el);
			return 'false';
		}
		m.clearError();
		this.journal(el, v, out.ref.idx.length === 0);
		if (this.unsentBytes > EAGER_BYTES && !this.inFlight && this.failure === null)
			this.transmit(false);
		return 'true';
	};

	Session.prototype.errorString = function (code) {
		var c = /^(0|[1-9][0-9]{0,3})$/.test(code) ? code : null;
		return c !== null && Object.prototype.hasOwnProperty.call(this.P.errors, c) ? this.P.errors[c] : '';
	};

	/* The last error explained when `code` is "" or names it; otherwise the code's error string,
	 * "No error" included (ADL's tests want a non-empty text for every code); unknown codes "". */
	Session.prototype.diagnostic = function (code) {
		var m = this.model;
		var c = code === '' ? String(m.lastError) : code;
		if (c !== '0' && /^[1-9][0-9]{0,3}$/.test(c) && +c === m.lastError && m.diag)
			return m.diag;
		return this.errorString(c);
	};

	/* ---- the journal and the transport ------------------------------------------------------------ */
	Session.prototype.journal = function (el, v, scalar) {
		if (scalar)
			for (var i = 0; i < this.entries.length; i++)
				if (this.entries[i].idx === null && this.entries[i].el === el) {
					this.unsentBytes -= this.entries[i].bytes;
					this.entries.splice(i, 1);
					break;
				}
		var bytes = utf8Len(el) + utf8Len(v) + 8;
		this.unsentBytes += bytes;
		this.entries.push({el: el, v: v, idx: null, scalar: scalar, bytes: bytes});
	};

	Session.prototype.body = function () {
		var max = this.P.limits.commitMaxChanges, changes = [], all = true;
		this.unsentBytes = 0;
		for (var i = 0; i < this.entries.length; i++) {
			if (this.entries[i].idx === null)
				this.entries[i].idx = this.nextIndex++;
			if (changes.length < max)
				changes.push([this.entries[i].el, this.entries[i].v]);
			else
				all = false;
		}
		var from = this.entries.length ? this.entries[0].idx : this.nextIndex;
		return {
			protocol: 1, version: this.version, session: this.opts.session === undefined ? null : this.opts.session,
			seq: ++this.seq, from: from, changes: changes, terminate: this.terminateRequested && all
		};
	};

	Session.prototype.pendingWork = function () {
		return this.entries.length > 0 || (this.terminateRequested && !this.terminateAcked);
	};

	/* Sends what is pending. Returns true, or the reason text when the transport refused at once
	 * (it threw): that failure belongs to the calling Commit/Terminate only. `force` sends even
	 * while another request is on its way (Terminate's final request). */
	Session.prototype.transmit = function (force) {
		var t = this.transport, self = this;
		if (!t || typeof t.send !== 'function')
			return true;
		if (this.inFlight && !force) {
			this.again = true;
			return true;
		}
		var body = this.body(), p;
		try {
			p = t.send(JSON.stringify(body), {keepalive: false});
		} catch (err) {
			return describe(err);
		}
		this.inFlight = true;
		Promise.resolve(p).then(function (answer) { self.answered(body, answer); },
			function (err) { self.failed(describe(err)); });
		return true;
	};

	Session.prototype.acknowledge = function (applied) {
		if (typeof applied !== 'number' || applied < this.applied)
			return;
		this.applied = applied;
		while (this.entries.length && this.entries[0].idx !== null && this.entries[0].idx < applied)
			this.entries.shift();
		var t = this.transport;
		if (!this.pendingWork() && t && typeof t.unstash === 'function') {
			try { t.unstash(); } catch (err) { /* nothing kept, nothing to forget */ }
		}
	};

	Session.prototype.answered = function (body, answer) {
		this.inFlight = false;
		if (!answer || typeof answer !== 'object') {
			this.failed('the LMS answered something that is not a commit answer');
			return;
		}
		this.acknowledge(answer.applied);
		if (answer.result === true) {
			this.failure = null;
			this.retryAttempt = 0;
			if (this.timer !== null) {
				clearTimeout(this.timer);
				this.timer = null;
			}
			if (body.terminate)
				this.terminateAcked = true;
		} else if (Array.isArray(answer.rejected) && answer.rejected.length) {
			var r = answer.rejected[0];
			this.failure = null;
			this.notice = 'refused ' + arg(r.element) + ' (' + arg(r.errorCode) + ')';
			if (body.terminate)
				this.terminateAcked = true;
		} else {
			this.notice = 'refused the commit: ' + arg(answer.error);
		}
		if (this.again) {
			this.again = false;
			if (this.pendingWork())
				this.transmit(false);
		}
	};

	Session.prototype.failed = function (why) {
		var self = this;
		this.inFlight = false;
		this.failure = 'the request failed: ' + why;
		if (this.timer === null) {
			var delay = this.delays[Math.min(this.retryAttempt, this.delays.length - 1)];
			this.retryAttempt++;
			this.timer = setTimeout(function () {
				self.timer = null;
				if (self.pendingWork())
					self.transmit(false);
			}, delay);
		}
	};

	/* The unacknowledged entries as envelopes of at most ENVELOPE_MAX bytes of JSON each, in
	 * journal order (an entry too big for any envelope goes alone). Only the last carries
	 * terminate. */
	Session.prototype.envelopes = function () {
		var max = this.P.limits.commitMaxChanges, out = [], cur = null, size = 0, self = this;
		var session = this.opts.session === undefined ? null : this.opts.session;
		function open(from) {
			cur = {protocol: 1, version: self.version, session: session, seq: ++self.seq, from: from,
				changes: [], terminate: false};
			size = utf8Len(JSON.stringify(cur)) + 8;
			out.push(cur);
		}
		this.unsentBytes = 0;
		for (var i = 0; i < this.entries.length; i++) {
			var e = this.entries[i];
			if (e.idx === null)
				e.idx = this.nextIndex++;
			var n = utf8Len(JSON.stringify([e.el, e.v])) + 1;
			if (cur === null || (cur.changes.length && (size + n > ENVELOPE_MAX || cur.changes.length >= max)))
				open(e.idx);
			cur.changes.push([e.el, e.v]);
			size += n;
		}
		if (cur === null)
			open(this.nextIndex);
		cur.terminate = this.terminateRequested;
		return out;
	};

	/* The page is going away: whatever is not acknowledged goes now, by beacon or keepalive, in
	 * envelopes that fit the browser's quota, and is stashed for the next page as well. */
	Session.prototype.flushUnloading = function () {
		var t = this.transport, self = this;
		if (!t || !this.pendingWork())
			return;
		var bodies = this.envelopes().map(function (b) { return JSON.stringify(b); });
		var stashed = false, sent = 0;
		if (typeof t.stash === 'function') {
			try { stashed = t.stash(bodies) === true; } catch (err) { stashed = false; }
		}
		for (; sent < bodies.length; sent++) {
			var ok = false;
			try {
				if (typeof t.beacon === 'function') {
					ok = t.beacon(bodies[sent]) === true;
				} else if (typeof t.send === 'function') {
					Promise.resolve(t.send(bodies[sent], {keepalive: true})).then(function (answer) {
						if (answer && typeof answer === 'object')
							self.acknowledge(answer.applied);
					}, function () {});
					ok = true;
				}
			} catch (err) {
				ok = false; /* nothing else can be done while the page unloads */
			}
			if (!ok)
				break; /* later envelopes need this one first: they wait in the stash */
		}
		this.unsent = stashed ? 0 : bodies.length - sent;
		if (this.unsent && typeof this.opts.onUnsent === 'function') {
			try { this.opts.onUnsent(bodies.slice(sent)); } catch (err) { /* reporting only */ }
		}
	};

	/* ---- building API objects ------------------------------------------------------------------------ */
	function normalizeVersion(v) {
		if (v === '1.2') return '1.2';
		if (v === '2004' || v === '2004-4th') return '2004-4th';
		if (v === '2004-3rd') return '2004-3rd';
		throw new Error('scorm-api.js: version must be "1.2", "2004", "2004-3rd" or "2004-4th"');
	}

	function build(P, model, version, opts, seeds) {
		var s = new Session(P, model, version, opts, seeds), api = {};
		var fns = P.v12
			? ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSGetLastError', 'LMSGetErrorString', 'LMSGetDiagnostic']
			: ['Initialize', 'Terminate', 'GetValue', 'SetValue', 'Commit', 'GetLastError', 'GetErrorString', 'GetDiagnostic'];
		api[fns[0]] = function (a) { return s.initialize(arg(a)); };
		api[fns[1]] = function (a) { return s.terminate(arg(a)); };
		api[fns[2]] = function (el) { return s.getValue(arg(el)); };
		api[fns[3]] = function (el, v) { return s.setValue(arg(el), arg(v)); };
		api[fns[4]] = function (a) { return s.commit(arg(a)); };
		api[fns[5]] = function () { return String(model.lastError); };
		api[fns[6]] = function (c) { return s.errorString(arg(c)); };
		api[fns[7]] = function (c) { return s.diagnostic(arg(c)); };
		api.$values = function () { return model.snapshot(); };
		api.$pending = function () { return s.entries.map(function (e) { return [e.el, e.v]; }); };
		api.$flush = function (unloading) {
			if (unloading)
				s.flushUnloading();
			else if (s.pendingWork())
				s.transmit(false);
		};
		api.$state = function () { return STATE_NAMES[s.api]; };
		api.$unsent = function () { return s.unsent; };
		api.$get = function (el) { return model.peek(arg(el)); };
		/* What the LMS computes when the session ends (cmi_session_end): the report. */
		api.$end = function () {
			var r = model.sessionEnd();
			return {exit: r.exit, navRequest: r.navRequest, suspended: r.suspended, attemptEnded: r.attemptEnded};
		};
		/* The API for the next launch (cmi_session_begin): same options, values carried over. */
		api.$next = function (nextOpts) {
			if (model.active && !model.ended)
				model.sessionEnd();
			var m = new Model(P), o = nextOpts || opts;
			if (!P.v12 && model.ended && model.attemptEnded)
				m.load(seeds);
			else
				model.values.forEach(function (v, k) { m.storeValue(k, v); });
			m.dropValue(P.v12 ? 'cmi.core.exit' : 'cmi.exit');
			m.dropValue(P.v12 ? 'cmi.core.session_time' : 'cmi.session_time');
			if (!P.v12)
				m.dropValue('adl.nav.request');
			return build(P, m, version, o, seeds);
		};
		var events = opts.events !== undefined ? opts.events : (typeof window !== 'undefined' ? window : null);
		if (events && typeof events.addEventListener === 'function') {
			events.addEventListener('pagehide', function () { s.flushUnloading(); });
			events.addEventListener('visibilitychange', function () {
				var d = typeof document !== 'undefined' ? document : events.document;
				if (d && d.visibilityState === 'hidden')
					s.flushUnloading();
			});
		}
		return api;
	}

	function createScormAPI(options) {
		var opts = options || {};
		var table = opts.table || CMI_TABLE;
		if (!table)
			throw new Error('scorm-api.js: no CMI table: use the built copy (build/runtime/cmi-web) or pass options.table');
		var version = normalizeVersion(opts.version);
		var P = prepare(table, table.models[version]);
		indexMax = table.limits.indexMax;
		CS_CAP = table.limits.csCap;
		var model = new Model(P), seeds = {};
		var initial = opts.initial || {};
		Object.keys(initial).forEach(function (k) { seeds[k] = initial[k]; });
		model.load(seeds);
		return build(P, model, version, opts, seeds);
	}

	var STASH_PREFIX = 'postcard.unsent:';

	function storage(o) {
		if ('localStorage' in o)
			return o.localStorage;
		try {
			return typeof localStorage !== 'undefined' ? localStorage : null;
		} catch (e) {
			return null; /* storage disabled: reading the property throws */
		}
	}

	/* A transport over fetch() for the player page. */
	function fetchTransport(url, options) {
		var o = options || {};
		var doFetch = 'fetch' in o ? o.fetch : (typeof fetch === 'function' ? fetch.bind(null) : null);
		var beacon = 'sendBeacon' in o ? o.sendBeacon :
			(typeof navigator !== 'undefined' && navigator.sendBeacon ? navigator.sendBeacon.bind(navigator) : null);
		var store = storage(o);
		var inflight = 0; /* bytes of our keepalive requests not finished yet */
		function headers(type) {
			var h = {'Content-Type': type};
			Object.keys(o.headers || {}).forEach(function (k) { h[k] = o.headers[k]; });
			return h;
		}
		/* A keepalive POST, or null when it would pass the quota (the browser would fail it
		 * later, silently). */
		function keepalive(body) {
			var n = utf8Len(body);
			if (inflight + n > KEEPALIVE_QUOTA)
				return null;
			var p = doFetch(url, {method: 'POST', body: body, keepalive: true, credentials: 'same-origin',
				headers: headers('text/plain;charset=UTF-8')});
			inflight += n;
			var done = function () { inflight -= n; };
			Promise.resolve(p).then(done, done);
			return p;
		}
		function answerOf(res) {
			return res.text().then(function (text) {
				var answer = null;
				try { answer = JSON.parse(text); } catch (e) { answer = null; }
				if (answer && typeof answer === 'object' && typeof answer.errorCode === 'number' &&
				    (res.ok || answer.result === false))
					return answer;
				throw new Error('HTTP ' + res.status);
			});
		}
		return {
			send: function (body, how) {
				if (how && how.keepalive) {
					var p = keepalive(body);
					return p ? p.then(answerOf) : Promise.reject(new Error('over the 64 KiB keepalive quota'));
				}
				return doFetch(url, {
					method: 'POST', body: body, keepalive: false, credentials: 'same-origin',
					headers: headers('application/json')
				}).then(answerOf);
			},
			beacon: function (body) {
				if (doFetch) {
					/* keepalive fetch first: it can carry headers (cookies, CSRF) */
					try {
						var p = keepalive(body);
						if (p) {
							p.catch(function () {});
							return true;
						}
					} catch (e) { /* fall back to the beacon */ }
				}
				if (!beacon)
					return false;
				return beacon(url, typeof Blob !== 'undefined' ? new Blob([body], {type: 'text/plain;charset=UTF-8'}) : body) === true;
			},
			stash: function (bodies) {
				if (!store)
					return false;
				try {
					store.setItem(STASH_PREFIX + url, JSON.stringify({url: url, bodies: bodies, at: Date.now()}));
					return true;
				} catch (e) {
					return false; /* full or disabled */
				}
			},
			unstash: function () {
				if (store)
					store.removeItem(STASH_PREFIX + url);
			}
		};
	}

	/* Sends what earlier pages stashed (fetchTransport's stash), each page's envelopes in order,
	 * one request at a time. A stash is forgotten once the server answered all of its envelopes
	 * (applied, or refused for good: another session, a finished one); one that meets a network
	 * failure stays for the next page. Resolves with the number of envelopes the server answered. */
	function sendStashed(options) {
		var o = options || {};
		var doFetch = 'fetch' in o ? o.fetch : (typeof fetch === 'function' ? fetch.bind(null) : null);
		var store = storage(o), keys = [], answered = 0;
		if (!store || !doFetch)
			return Promise.resolve(0);
		try {
			for (var i = 0; i < store.length; i++) {
				var k = store.key(i);
				if (k && k.slice(0, STASH_PREFIX.length) === STASH_PREFIX)
					keys.push(k);
			}
		} catch (e) {
			return Promise.resolve(0);
		}
		function post(url, body) {
			return doFetch(url, {method: 'POST', body: body, credentials: 'same-origin',
				headers: {'Content-Type': 'application/json'}}).then(function (res) {
				if (res.status >= 500 && res.status !== 501)
					throw new Error('HTTP ' + res.status); /* try again from another page */
				answered++;
			});
		}
		return keys.reduce(function (chain, key) {
			return chain.then(function () {
				var rec = null;
				try { rec = JSON.parse(store.getItem(key)); } catch (e) { rec = null; }
				if (!rec || typeof rec.url !== 'string' || !Array.isArray(rec.bodies)) {
					store.removeItem(key);
					return null;
				}
				return rec.bodies.reduce(function (c, body) {
					return c.then(function () { return post(rec.url, body); });
				}, Promise.resolve()).then(function () {
					/* a newer stash of the same page may have replaced it meanwhile */
					if (store.getItem(key) !== null && JSON.parse(store.getItem(key)).at === rec.at)
						store.removeItem(key);
				}, function () { /* kept */ });
			});
		}, Promise.resolve()).then(function () { return answered; });
	}

	createScormAPI.fetchTransport = fetchTransport;
	createScormAPI.sendStashed = sendStashed;
	return {
		createScormAPI: createScormAPI,
		fetchTransport: fetchTransport,
		sendStashed: sendStashed,
		table: CMI_TABLE,
		/* the checkers, for tests */
		internals: {durationCs: durationCs, timespan12Cs: timespan12Cs, decCmp: decCmp, cps: cps, utf8Len: utf8Len}
	};
});
