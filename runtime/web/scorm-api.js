/* Postcard SCORM API adapter: window.API (SCORM 1.2) and window.API_1484_11 (SCORM 2004) for the
 * player page. The data model is the C model itself (runtime/cmi/cmi_*.c, the server's authority)
 * compiled to WebAssembly (cmi.wasm, beside this file): every API call is answered synchronously
 * by it, and this file adds only what a browser needs around it: the journal of changes, sending
 * them to the server (which replays them through the same C model), retries, and leaving the page.
 * Works as a classic <script> (defines window.createScormAPI) and under node's require()
 * (module.exports = {createScormAPI, fetchTransport, sendStashed}; node loads cmi.wasm from this
 * file's folder at once).
 *
 * ---- createScormAPI.load([source]) -> Promise --------------------------------------------------
 * In a browser the module must be loaded before an API is created: load() fetches and compiles
 * it (source: its URL, default "cmi.wasm" beside this script, served as application/wasm; or its
 * bytes, or a WebAssembly.Module) and resolves once createScormAPI can answer. The player calls
 * it first thing, while it asks the server for the launch, and loads the content frame only
 * afterwards, so the content always meets an API that answers at once. Calling it again returns
 * the same promise. createScormAPI.ready() is true once loaded.
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
 *   onSaving   function(state): called when saving stops working and when it works again, so the
 *              page can tell the learner (the content hears of it only through Commit's error):
 *              {saved: false, status, retryAfter} after each failed send (status: the HTTP
 *              status, e.g. 429 too many commits or 507 the learner's storage is full, or 0
 *              when the request did not reach the server; retryAfter: the server's
 *              Retry-After in seconds, or null), {saved: true} once a send succeeds after a
 *              failure. The changes stay queued and are retried all the while; a Retry-After
 *              longer than the next delay of retryDelays is waited instead (at most 10 minutes).
 *   onSuperseded  function(changes): called once when the server answers that a newer launch
 *              of this SCO (another tab or device) took the session over ({"superseded": true}):
 *              from then on nothing is sent, Commit and Terminate fail saying why, and the
 *              changes not acknowledged ([[element, value], ...], also api.$pending()) stay for
 *              the page to offer (the player carries them into a new launch on request).
 *   nav        SCORM 2004 navigation (docs/seams.md §3): {valid(request), request(request)}.
 *              GetValue("adl.nav.request_valid.continue" | ".previous" | ".choice.{target=ID}" |
 *              ".jump.{target=ID}") answers valid("continue" | "previous" | "{target=ID}choice"
 *              | "{target=ID}jump") when it returns "true", "false" or "unknown" ("unknown"
 *              without the option); request(value) is called, after Terminate has returned,
 *              when the session ended with adl.nav.request set to something else than "_none_".
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
 *   api.$superseded()  true once a newer launch of this SCO took the session over
 *   api.$get(element)  what the LMS reads (cmi_state_get): the value, or null
 *   api.$end()      ends the session as the LMS does (cmi_session_end): {exit, navRequest,
 *                   suspended, attemptEnded}
 *   api.$next([options])  the API for the next launch, made as the server makes it: the state
 *                   stored as JSON and read back (cmi_state_to_json / cmi_state_from_json), then
 *                   cmi_session_begin (a new attempt after an ended 2004 one)
 * Arguments are converted with String(), except undefined which counts as "" (C callers cannot
 * pass "no argument", and content that writes LMSInitialize() means LMSInitialize("")). Text the
 * C side cannot hold is refused like any bad value: a lone surrogate anywhere, and U+0000 in a
 * value, are type errors (2004 406, 1.2 405); such a character in an element name makes it an
 * unknown element.
 *
 * ---- transport --------------------------------------------------------------------------------
 * An object with
 *   send(body, {keepalive})  body is the JSON text below. Returns a Promise of the server's parsed
 *                            answer (an object); rejects when the request failed (network, 5xx).
 *                            Throwing synchronously means "cannot send now" and fails the call
 *                            that sent it at once (Commit 391 / 101, Terminate 111 / 101). A
 *                            rejection's error may carry `status` (HTTP) and `retryAfter`
 *                            (seconds): onSaving passes them on.
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
 *   {"result": false, "errorCode": 391, "seq": 7, "applied": 2, "error": "...",
 *    "superseded": true}   a newer launch of the SCO (another tab, another device) took over:
 *                          "applied" is that session's; see onSuperseded
 * The adapter drops every entry below "applied" (except in a superseded answer). Rejected entries are never retried; the next
 * Commit/Terminate returns "false" with 391 / 101 and a diagnostic naming the element. A failed
 * request (transport rejected) is retried with backoff; while it keeps failing, Commit returns
 * "false" with 391 / 101 (the changes stay queued and are still sent later, and on pagehide).
 */
(function (root, factory) {
	'use strict';
	var node = typeof module === 'object' && module.exports && typeof require === 'function';
	var lib = factory(node ? function () {
		/* node: the module beside this file, compiled at once */
		return require('fs').readFileSync(require('path').join(__dirname, 'cmi.wasm'));
	} : null);
	if (node)
		module.exports = lib;
	else
		root.createScormAPI = lib.createScormAPI;
})(typeof self !== 'undefined' ? self : this, function (nodeWasm) {
	'use strict';

	/* ---- the module -----------------------------------------------------------------------------
	 * The C model's exports (runtime/cmi/cmi_wasm.h) and its memory. Strings go in as UTF-8 in
	 * memory the module allocates, and come back as NUL-terminated UTF-8. */
	var C = null, heap = null;
	var sessions = {};     /* state pointer -> Session, for the LMS hook */
	var loading = null;    /* the promise load() returned */
	/* cmi_wasm.h: enum cmi_wasm_op, and cmi_lms_event */
	var OP = {init: 0, term: 1, get: 2, commit: 3, lastError: 4, errorString: 5, diagnostic: 6};
	var EV_INITIALIZE = 0, EV_COMMIT = 1, EV_TERMINATE = 2;
	var STATE_NAMES = ['not-initialized', 'running', 'terminated'];
	var MAX_CHANGES = 0;
	var decoder = typeof TextDecoder !== 'undefined' ? new TextDecoder('utf-8', {ignoreBOM: true}) : null;
	/* the directory this script was loaded from, for the default module URL */
	var scriptBase = typeof document !== 'undefined' && document.currentScript && document.currentScript.src
		? document.currentScript.src : null;

	var imports = {
		env: {
			/* the LMS's side of Initialize, Commit, Terminate: 0 to go on, or a reason (C frees it) */
			lms: function (st, ev) {
				var s = sessions[st], why = s ? s.lms(ev) : null;
				return why === null ? 0 : cstr(why, false);
			}
		},
		/* the C library's stdio, linked but never used: the model does no I/O (52: ENOSYS) */
		wasi_snapshot_preview1: {
			fd_write: function () { return 52; },
			fd_seek: function () { return 52; },
			fd_close: function () { return 52; }
		}
	};

	function started(instance) {
		C = instance.exports;
		if (typeof C._initialize === 'function')
			C._initialize();
		MAX_CHANGES = C.cmi_wasm_max_changes();
	}

	function bytes() {
		if (heap === null || heap.buffer !== C.memory.buffer)
			heap = new Uint8Array(C.memory.buffer); /* the memory grew: the old view is detached */
		return heap;
	}

	/* A copy of s in the module's memory, NUL-terminated; the caller frees it (C.cmi_wasm_free).
	 * UTF-8, except that a lone surrogate becomes 0xFF (never valid UTF-8: the model refuses it
	 * as text), and so does U+0000 unless keepNul (a SetValue value, passed with its length). */
	function cstr(s, keepNul) {
		var p = C.cmi_wasm_alloc(s.length * 3 + 1), h = bytes(), o = p;
		for (var i = 0; i < s.length; i++) {
			var c = s.charCodeAt(i);
			if (c < 0x80) {
				h[o++] = c === 0 && !keepNul ? 0xFF : c;
			} else if (c < 0x800) {
				h[o++] = 0xC0 | (c >> 6);
				h[o++] = 0x80 | (c & 0x3F);
			} else if (c >= 0xD800 && c <= 0xDFFF) {
				var d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
				if (c <= 0xDBFF && d >= 0xDC00 && d <= 0xDFFF) {
					var cp = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
					h[o++] = 0xF0 | (cp >> 18);
					h[o++] = 0x80 | ((cp >> 12) & 0x3F);
					h[o++] = 0x80 | ((cp >> 6) & 0x3F);
					h[o++] = 0x80 | (cp & 0x3F);
					i++;
				} else {
					h[o++] = 0xFF;
				}
			} else {
				h[o++] = 0xE0 | (c >> 12);
				h[o++] = 0x80 | ((c >> 6) & 0x3F);
				h[o++] = 0x80 | (c & 0x3F);
			}
		}
		h[o] = 0;
		cstr.len = o - p;
		return p;
	}

	/* The NUL-terminated UTF-8 text at p (null for a NULL pointer). */
	function text(p) {
		if (!p)
			return null;
		var h = bytes(), e = p;
		while (h[e] !== 0)
			e++;
		if (decoder)
			return decoder.decode(h.subarray(p, e));
		var out = '';
		for (var i = p; i < e; i++)
			out += String.fromCharCode(h[i]);
		return decodeURIComponent(escape(out));
	}

	/* Calls fn(pointers...) with each string argument copied in, then frees them. */
	function withStrings(args, fn) {
		var ps = args.map(function (a) { return cstr(a, false); });
		try {
			return fn.apply(null, ps);
		} finally {
			ps.forEach(function (p) { C.cmi_wasm_free(p); });
		}
	}

	function utf8Len(s) {
		var n = 0;
		for (var i = 0; i < s.length; i++) {
			var c = s.charCodeAt(i);
			if (c < 0x80) n += 1;
			else if (c < 0x800) n += 2;
			else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xFC00) === 0xDC00) { n += 4; i++; }
			else n += 3;
		}
		return n;
	}

	/* States are freed when their API object is collected. */
	var finalizer = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry(function (st) {
		delete sessions[st];
		C.cmi_wasm_close(st);
	}) : null;

	/* ---- the API ----------------------------------------------------------------------------------- */
	function arg(x) { return x === undefined || x === null ? '' : String(x); }

	function describe(err) {
		return err && err.message ? String(err.message) : String(err);
	}

	/* Leaving the page: the keepalive quota (Fetch: 64 KiB of keepalive bodies in flight per
	 * page) and the envelope size under it, leaving room for a little else in flight. */
	var KEEPALIVE_QUOTA = 65536, ENVELOPE_MAX = 64000;
	/* Changes waiting past this many bytes go out without waiting for Commit. */
	var EAGER_BYTES = 32768;
	/* Why Commit and Terminate fail once another launch has taken this SCO over. */
	var SUPERSEDED = 'this part was opened again in another tab or on another device: ' +
		'changes made here are not saved';

	function Session(st, opts) {
		this.st = st;
		this.version = text(C.cmi_wasm_version(st));
		this.v12 = this.version === '1.2';
		this.opts = opts;
		this.transport = opts.transport || null;
		this.entries = [];       /* {el, v, idx (null until sent), scalar} not yet acknowledged */
		this.nextIndex = 0;
		this.seq = 0;
		this.applied = 0;
		this.inFlight = false;
		this.again = false;
		this.failure = null;     /* a request failed (network): reported until one succeeds */
		this.failing = false;    /* onSaving was told of a failure and not yet of a success */
		this.notice = null;      /* the server refused changes or the request: reported once */
		this.superseded = false; /* a newer launch of this SCO took over: nothing more is sent */
		this.terminateRequested = false;
		this.terminateAcked = false;
		this.retryAttempt = 0;
		this.timer = null;
		this.delays = opts.retryDelays || [1000, 2000, 4000, 8000, 15000, 30000];
		this.unsentBytes = 0;    /* bytes of entries never sent (idx null) */
		this.unsent = 0;         /* envelopes the last pagehide could neither send nor stash */
		sessions[st] = this;
	}

	Session.prototype.call = function (op, a) {
		var st = this.st;
		return withStrings([a], function (p) { return text(C.cmi_wasm_call(st, op, p)); });
	};

	/* The LMS's side of a call the model accepted (the model's hook): null to let it succeed, or
	 * why it fails (the model then answers 102/391/111, 1.2 101, with this in the diagnostic). */
	Session.prototype.lms = function (ev) {
		var t = this.transport, prior, sent;
		if (ev === EV_INITIALIZE) {
			if (t && typeof t.initialize === 'function') {
				try {
					t.initialize();
				} catch (err) {
					return describe(err);
				}
			}
			return null;
		}
		prior = this.takeFailure();
		if (ev === EV_COMMIT) {
			sent = this.transmit(false);
			return prior !== null ? prior : sent !== true ? sent : null;
		}
		if (prior !== null) {
			this.transmit(false);
			return prior;
		}
		this.terminateRequested = true;
		sent = this.transmit(true);
		if (sent !== true) {
			this.terminateRequested = false;
			return sent;
		}
		return null;
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

	Session.prototype.setValue = function (el, v) {
		var st = this.st, r;
		var pe = cstr(el, false), pv = cstr(v, true), vlen = cstr.len;
		try {
			r = C.cmi_wasm_set(st, pe, pv, vlen);
		} finally {
			C.cmi_wasm_free(pe);
			C.cmi_wasm_free(pv);
		}
		if (!r)
			return 'false';
		this.journal(el, v, r === 1);
		if (this.unsentBytes > EAGER_BYTES && !this.inFlight && this.failure === null)
			this.transmit(false);
		return 'true';
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
		var max = MAX_CHANGES, changes = [], all = true;
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
		if (this.superseded)
			return SUPERSEDED;
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
			function (err) { self.failed(err); });
		return true;
	};

	/* Tells the page whether saving works (opts.onSaving); reporting only. */
	Session.prototype.tellSaving = function (state) {
		this.failing = !state.saved;
		if (typeof this.opts.onSaving === 'function') {
			try {
				this.opts.onSaving(state);
			} catch (err) { /* reporting only */ }
		}
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
		if (answer.superseded === true) {
			/* Another tab or device launched this SCO since: its session is the one saved now.
			 * Nothing here is acknowledged (answer.applied counts the other session's changes):
			 * what this page changed stays pending, and the page is told, once. */
			var first = !this.superseded;
			this.superseded = true;
			this.failure = null;
			this.again = false;
			if (this.timer !== null) {
				clearTimeout(this.timer);
				this.timer = null;
			}
			if (first && typeof this.opts.onSuperseded === 'function') {
				try {
					this.opts.onSuperseded(this.entries.map(function (e) { return [e.el, e.v]; }));
				} catch (err) { /* reporting only */ }
			}
			return;
		}
		this.acknowledge(answer.applied);
		if (this.failing)
			this.tellSaving({saved: true});
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

	/* Longest wait a Retry-After may ask for: past it, the retry schedule goes on. */
	var RETRY_AFTER_MAX = 600;

	Session.prototype.failed = function (err) {
		var self = this;
		this.inFlight = false;
		this.failure = 'the request failed: ' + describe(err);
		var status = err && typeof err.status === 'number' ? err.status : 0;
		var after = err && typeof err.retryAfter === 'number' && isFinite(err.retryAfter) && err.retryAfter >= 0 ?
			Math.min(err.retryAfter, RETRY_AFTER_MAX) : null;
		if (this.timer === null) {
			var delay = this.delays[Math.min(this.retryAttempt, this.delays.length - 1)];
			if (after !== null && after * 1000 > delay)
				delay = after * 1000;
			this.retryAttempt++;
			this.timer = setTimeout(function () {
				self.timer = null;
				if (self.pendingWork())
					self.transmit(false);
			}, delay);
		}
		this.tellSaving({saved: false, status: status, retryAfter: after});
	};

	/* The unacknowledged entries as envelopes of at most ENVELOPE_MAX bytes of JSON each, in
	 * journal order (an entry too big for any envelope goes alone). Only the last carries
	 * terminate. */
	Session.prototype.envelopes = function () {
		var max = MAX_CHANGES, out = [], cur = null, size = 0, self = this;
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
		if (!t || !this.pendingWork() || this.superseded)
			return; /* superseded: the server refuses this session's changes (see answered) */
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

	/* "adl.nav.request_valid.X" as the navigation request it asks about, or null. */
	function navValidRequest(el) {
		var m = /^adl\.nav\.request_valid\.(?:(continue|previous)|(choice|jump)\.(\{target=[^}]*\}))$/.exec(el);
		return m ? (m[1] || m[3] + m[2]) : null;
	}

	/* ---- building API objects ------------------------------------------------------------------------ */
	function build(st, opts) {
		var s = new Session(st, opts), api = {};
		var fns = s.v12
			? ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSGetLastError', 'LMSGetErrorString', 'LMSGetDiagnostic']
			: ['Initialize', 'Terminate', 'GetValue', 'SetValue', 'Commit', 'GetLastError', 'GetErrorString', 'GetDiagnostic'];
		api[fns[0]] = function (a) { return s.call(OP.init, arg(a)); };
		/* Navigation belongs to the player (docs/seams.md §3): it answers request_valid and
		 * follows the request a session ended with. */
		var nav = !s.v12 && opts.nav ? opts.nav : null;
		api[fns[1]] = function (a) {
			var r = s.call(OP.term, arg(a));
			var req = r === 'true' && nav && typeof nav.request === 'function' ? api.$get('adl.nav.request') : null;
			if (req && req !== '_none_')
				setTimeout(function () { nav.request(req); }, 0); /* after the content's call */
			return r;
		};
		api[fns[2]] = function (el) {
			var e = arg(el), v = s.call(OP.get, e);
			var q = v !== '' && nav && typeof nav.valid === 'function' ? navValidRequest(e) : null;
			if (q !== null) {
				var answer = String(nav.valid(q));
				if (answer === 'true' || answer === 'false' || answer === 'unknown')
					v = answer;
			}
			return v;
		};
		api[fns[3]] = function (el, v) { return s.setValue(arg(el), arg(v)); };
		api[fns[4]] = function (a) { return s.call(OP.commit, arg(a)); };
		api[fns[5]] = function () { return s.call(OP.lastError, ''); };
		api[fns[6]] = function (c) { return s.call(OP.errorString, arg(c)); };
		api[fns[7]] = function (c) { return s.call(OP.diagnostic, arg(c)); };
		api.$values = function () { return JSON.parse(text(C.cmi_wasm_values(st))); };
		api.$pending = function () { return s.entries.map(function (e) { return [e.el, e.v]; }); };
		api.$flush = function (unloading) {
			if (unloading)
				s.flushUnloading();
			else if (s.pendingWork())
				s.transmit(false);
		};
		api.$state = function () { return STATE_NAMES[C.cmi_wasm_api_state(st)]; };
		api.$unsent = function () { return s.unsent; };
		api.$superseded = function () { return s.superseded; };
		api.$get = function (el) {
			return withStrings([arg(el)], function (p) { return text(C.cmi_wasm_peek(st, p)); });
		};
		api.$end = function () {
			var r = text(C.cmi_wasm_end(st));
			if (r === null)
				throw new Error('scorm-api.js: out of memory');
			return JSON.parse(r);
		};
		api.$next = function (nextOpts) {
			var next = C.cmi_wasm_relaunch(st);
			if (!next)
				throw new Error('scorm-api.js: ' + text(C.cmi_wasm_error()));
			return build(next, nextOpts || opts);
		};
		if (finalizer)
			finalizer.register(api, st);
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
		if (C === null)
			throw new Error('scorm-api.js: the data model (cmi.wasm) is not loaded yet: wait for createScormAPI.load()');
		var initial = JSON.stringify(opts.initial || {});
		var st = withStrings([typeof opts.version === 'string' ? opts.version : '', initial], function (pv, pi) {
			return C.cmi_wasm_open(pv, pi, utf8Len(initial));
		});
		if (!st)
			throw new Error('scorm-api.js: ' + text(C.cmi_wasm_error()));
		return build(st, opts);
	}

	/* Loads the module (see the top of this file). */
	function load(source) {
		if (loading !== null)
			return loading;
		if (source === undefined || source === null)
			source = scriptBase ? new URL('cmi.wasm', scriptBase).href : 'cmi.wasm';
		var p;
		if (source instanceof WebAssembly.Module) {
			p = WebAssembly.instantiate(source, imports);
		} else if (typeof source !== 'string') {
			p = WebAssembly.instantiate(source, imports).then(function (r) { return r.instance; });
		} else if (typeof WebAssembly.instantiateStreaming === 'function') {
			p = WebAssembly.instantiateStreaming(fetch(source, {credentials: 'same-origin'}), imports)
				.then(function (r) { return r.instance; });
		} else {
			p = fetch(source, {credentials: 'same-origin'}).then(function (r) { return r.arrayBuffer(); })
				.then(function (b) { return WebAssembly.instantiate(b, imports); })
				.then(function (r) { return r.instance; });
		}
		loading = p.then(started, function (err) {
			loading = null; /* let a later call try again */
			throw err;
		});
		return loading;
	}

	if (nodeWasm) {
		started(new WebAssembly.Instance(new WebAssembly.Module(nodeWasm()), imports));
		loading = Promise.resolve();
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
		/* A failed answer as an error with its status and Retry-After (delay-seconds; a date
		 * form is not sent by this server and is ignored) for onSaving. */
		function httpError(res, detail) {
			var e = new Error('HTTP ' + res.status + (detail === null ? '' : ': ' + detail.slice(0, 300)));
			e.status = res.status;
			var after = res.headers && typeof res.headers.get === 'function' ? res.headers.get('Retry-After') : null;
			e.retryAfter = after !== null && /^\s*\d{1,9}\s*$/.test(after) ? Number(after) : null;
			return e;
		}
		function answerOf(res) {
			return res.text().then(function (text) {
				var answer = null;
				try { answer = JSON.parse(text); } catch (e) { answer = null; }
				if (answer && typeof answer === 'object' && typeof answer.errorCode === 'number' &&
				    (res.ok || answer.result === false))
					return answer;
				/* The server's error shape ({code, error, detail}): its words reach GetDiagnostic
				 * (a quota says what to do). */
				if (answer && typeof answer === 'object' && typeof answer.code === 'number' &&
				    typeof answer.detail === 'string')
					throw httpError(res, answer.detail);
				throw httpError(res, null);
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
	createScormAPI.load = load;
	createScormAPI.ready = function () { return C !== null; };
	return {
		createScormAPI: createScormAPI,
		fetchTransport: fetchTransport,
		sendStashed: sendStashed,
		load: load
	};
});
