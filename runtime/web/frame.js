/* The player frame, on the package's own content origin (runtime/server/origin.c, content.c):
 * hosts the SCORM API the content finds in its parent, and frames the content. It sends what
 * earlier pages of this package stashed, starts the session (POST launch, relative to its own
 * address /l/TOKEN/) while the API's data model (cmi.wasm) loads, creates the API with commits
 * going to the server, then loads the content.
 *
 * The app's page around it (player.js) is another origin: the two talk only by postMessage, and
 * the app page trusts nothing in these messages beyond their type (a package's script runs on
 * this origin too and can send the same). Messages to the parent:
 *   {type: "height", value: px}       the height this frame needs to show the content whole
 *   {type: "nav", request: "continue"|"previous"|"exit"|...}  a 2004 SCO ended with this request
 *                                     (a package the server does not sequence: the page follows)
 *   {type: "navigated", ended: bool}  a sequenced SCO's request has been run (POST nav): the
 *                                     page asks for what comes next (ended: the course session
 *                                     is over, nothing comes next)
 *   {type: "left"}                    answer to "leave": the content is unloaded, changes sent
 *   {type: "error", text: "..."}      the part cannot start
 *   {type: "superseded", unsaved: n}  another tab or device launched this part since: nothing
 *                                     more is saved from here; n changes are not saved
 *   {type: "kept"}                    answer to "keep": the unsaved changes are put aside
 *   {type: "saving", saved: false, status: n, retryAfter: s|null}  a save failed (HTTP status,
 *                                     0 when the server was not reached); the changes are
 *                                     kept and sent again (in s seconds when the server said)
 *   {type: "saving", saved: true}     a save worked again
 * and from the parent: {type: "leave"} before the page moves on; {type: "keep"} when the
 * learner chose to continue in this tab: the changes not saved are put aside (localStorage of
 * this package's origin, for this part) and the page launches again with "#takeover" after the
 * frame's address; that launch applies them on top of what the other tab saved, as this
 * content's first changes after its Initialize. A launch without "#takeover" forgets any. */
(function () {
	'use strict';
	var frame = document.getElementById('content-frame');
	var status = document.getElementById('frame-status');
	var base = window.location.pathname.replace(/[^/]*$/, ''); /* "/l/TOKEN/" */
	var api = null, left = false, item = null;
	var takeover = window.location.hash === '#takeover';
	var CARRY = 'postcard.takeover:'; /* + item: changes put aside by a superseded page */

	function storage() {
		try {
			return window.localStorage;
		} catch (e) {
			return null;
		}
	}

	/* The learner continues here: what this page could not save is put aside for the next
	 * launch of this part in this tab. */
	function keep() {
		var s = storage();
		if (s && api && item !== null) {
			try {
				s.setItem(CARRY + item, JSON.stringify({at: Date.now(), changes: api.$pending()}));
			} catch (e) { /* full or refused: nothing to carry */ }
		}
		tell({type: 'kept'});
	}

	/* The changes a superseded page put aside, if this launch is its "continue here" (and they
	 * are fresh); forgotten either way. */
	function carried() {
		var s = storage(), got = null;
		if (!s || item === null)
			return null;
		try {
			got = JSON.parse(s.getItem(CARRY + item) || 'null');
			s.removeItem(CARRY + item);
		} catch (e) {
			got = null;
		}
		if (!takeover || !got || !Array.isArray(got.changes) || !(Date.now() - got.at < 3600000))
			return null;
		return got.changes.filter(function (c) {
			return Array.isArray(c) && c.length === 2 && typeof c[0] === 'string' && typeof c[1] === 'string';
		});
	}

	/* Applies carried changes right after the content's Initialize succeeds, as its own first
	 * SetValue calls (so they are journaled and sent like any), then sends them. */
	function applyAfterInitialize(changes, version) {
		var names = version === '1.2' ? ['LMSInitialize', 'LMSSetValue'] : ['Initialize', 'SetValue'];
		var init = api[names[0]];
		api[names[0]] = function (a) {
			var r = init(a);
			if (r === 'true' && changes) {
				for (var i = 0; i < changes.length; i++)
					api[names[1]](changes[i][0], changes[i][1]);
				changes = null;
				api.$flush(false);
			}
			return r;
		};
	}

	function tell(msg) {
		if (window.parent !== window)
			window.parent.postMessage(msg, '*'); /* nothing secret: see the top of this file */
	}

	function say(text) {
		status.textContent = text;
		tell({type: 'error', text: text});
	}

	/* The height the content needs: where its last element ends (not the document's scroll
	 * height, which is never below the frame's own and would only ever grow). */
	function contentHeight() {
		try {
			var doc = frame.contentDocument;
			if (!doc || !doc.body)
				return 0;
			var body = doc.body, bottom = 0;
			for (var i = 0; i < body.children.length; i++) {
				var r = body.children[i].getBoundingClientRect();
				if (r.bottom > bottom)
					bottom = r.bottom;
			}
			var cs = doc.defaultView.getComputedStyle(body);
			var scroll = doc.defaultView.scrollY || 0;
			return Math.ceil(bottom + scroll + parseFloat(cs.marginBottom || 0) + parseFloat(cs.paddingBottom || 0));
		} catch (e) {
			return 0; /* the content went to another origin: keep the last height */
		}
	}

	var lastHeight = 0;
	function resize() {
		var h = contentHeight();
		if (h > 0 && Math.abs(h - lastHeight) > 1) {
			lastHeight = h;
			frame.style.height = h + 'px';
		}
		var total = Math.ceil(document.documentElement.getBoundingClientRect().height);
		tell({type: 'height', value: total});
	}

	function watchSize() {
		var observer = typeof ResizeObserver === 'function' ? new ResizeObserver(resize) : null;
		frame.addEventListener('load', function () {
			resize();
			try {
				if (observer)
					observer.observe(frame.contentDocument.body);
			} catch (e) { /* another origin */ }
		});
		window.addEventListener('resize', resize);
	}

	/* Sequenced packages: the SCO's adl.nav.request goes to the server once the terminating
	 * commit is acknowledged, then the page asks what comes next. A request made while the page
	 * takes the content away for the learner's own is dropped: the learner's wins. */
	function sequenced(req) {
		if (left)
			return;
		api.$flush(false);
		var until = Date.now() + 5000;
		(function wait() {
			if (left)
				return;
			if (api.$pending().length !== 0 && Date.now() < until) {
				setTimeout(wait, 50);
				return;
			}
			var done = function (a) { tell({type: 'navigated', ended: !!a && a.outcome === 'ended'}); };
			fetch(base + 'nav', {method: 'POST', cache: 'no-store', credentials: 'omit',
					     headers: {'Content-Type': 'text/plain'}, body: req})
				.then(function (r) { return r.json(); }).then(done, function () { done(null); });
		})();
	}

	/* adl.nav.request_valid.* from the launch answer's tentative runs. */
	function validity(table) {
		return function (req) {
			if (req === 'continue' || req === 'previous')
				return table[req] ? 'true' : 'false';
			/* every activity is listed (a large course lists none: "unknown") */
			var m = /^\{target=([^}]*)\}(choice|jump)$/.exec(req);
			var kind = m ? table[m[2]] : null;
			if (!kind)
				return 'unknown';
			return Object.prototype.hasOwnProperty.call(kind, m[1]) && kind[m[1]] ? 'true' : 'false';
		};
	}

	function follow() {
		var timer = setInterval(function () {
			if (api.$state() !== 'terminated')
				return;
			clearInterval(timer);
			var req = String(api.$values()['adl.nav.request'] || '_none_');
			if (req !== '_none_') {
				api.$flush(true);
				tell({type: 'nav', request: req});
			}
		}, 250);
	}

	/* Before the page moves on: unload the content first, so its last calls (LMSFinish,
	 * Terminate) reach the API, then wait (at most a few seconds) for the server to acknowledge
	 * everything, so the next page shows the state after this save. */
	function leave() {
		if (left)
			return;
		left = true;
		if (frame.parentNode)
			frame.parentNode.removeChild(frame);
		if (!api) {
			tell({type: 'left'});
			return;
		}
		api.$flush(false);
		var until = Date.now() + 5000;
		(function wait() {
			if (api.$pending().length === 0 || Date.now() > until) {
				tell({type: 'left'});
				return;
			}
			setTimeout(wait, 50);
		})();
	}

	window.addEventListener('message', function (e) {
		if (e.source === window.parent && e.data && e.data.type === 'leave')
			leave();
		else if (e.source === window.parent && e.data && e.data.type === 'keep')
			keep();
	});

	function start(launch) {
		item = typeof launch.item === 'string' ? launch.item : null;
		var changes = carried();
		try {
			api = window.createScormAPI({
				version: launch.version,
				initial: launch.initial,
				session: launch.session,
				transport: window.createScormAPI.fetchTransport(launch.commitUrl),
				events: null, /* the page-leaving order is handled below */
				onSaving: function (state) {
					tell(state.saved ? {type: 'saving', saved: true} :
						{type: 'saving', saved: false, status: state.status, retryAfter: state.retryAfter});
				},
				onSuperseded: function (pending) {
					tell({type: 'superseded', unsaved: pending.length});
				},
				nav: launch.requestValid ? {valid: validity(launch.requestValid), request: sequenced} : undefined
			});
		} catch (e) {
			say('This content cannot be started: ' + e.message);
			return;
		}
		if (changes && changes.length)
			applyAfterInitialize(changes, launch.version);
		if (launch.version === '1.2')
			window.API = api;
		else
			window.API_1484_11 = api;
		watchSize();
		frame.src = launch.contentUrl;
		if (launch.version !== '1.2' && !launch.requestValid)
			follow();
		/* Leaving: this frame's pagehide comes before the content's, so the content would call
		 * LMSFinish/Terminate after the final save had left. Unloading the content first lets
		 * its last calls in; then everything goes in keepalive requests. */
		window.addEventListener('pagehide', function () {
			if (frame.parentNode)
				frame.parentNode.removeChild(frame);
			api.$flush(true);
		});
		document.addEventListener('visibilitychange', function () {
			if (document.visibilityState === 'hidden')
				api.$flush(true);
		});
	}

	function launch() {
		return fetch(base + 'launch', {method: 'POST', cache: 'no-store', credentials: 'omit'});
	}

	/* The data model (the C model as WebAssembly, /static/cmi.wasm) is fetched and compiled
	 * while the launch is asked for; the content is loaded only once both are there, so the
	 * content's first call is answered at once. */
	var model = window.createScormAPI.load();

	/* What earlier pages of this package could not send goes first, while the session it
	 * belongs to is still the current one; then this launch starts. */
	window.createScormAPI.sendStashed()
		.then(launch, launch)
		.then(function (r) {
			return r.json().then(function (j) {
				if (!r.ok)
					throw new Error(j.detail || ('HTTP ' + r.status));
				return j;
			});
		})
		.then(function (launched) {
			return model.then(function () { return launched; });
		})
		.then(start)
		.catch(function (e) {
			say('This content cannot be started: ' + e.message);
		});
})();
