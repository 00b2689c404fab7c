/* The player page (app origin): asks the server for a launch of this part (/api/launch), then
 * shows the player frame it answers with, which lives on the package's own content origin
 * (frame.js hosts the SCORM API there). The frame is another origin: this page reads only the
 * shape of its messages (a package's script can send the same ones), never a URL or markup:
 *   height -> the frame's height, so the page has one scrollbar and the links stay below it
 *   nav    -> follows a 2004 SCO's continue/previous/exit through this page's own links
 *   error  -> shown as text
 *   superseded -> the part was opened again elsewhere: says so, with the number of changes not
 *            saved here and a button to continue here ("keep" to the frame, then a new launch
 *            with "#takeover", which carries them over)
 * Before following a link out of the page, it asks the frame to unload the content and send its
 * last changes ("leave"), and goes once the frame answers ("left") or after a few seconds.
 * In preview mode, reloads when a rebuild finishes. */
(function () {
	'use strict';
	var page = JSON.parse(document.getElementById('pc-launch').textContent);
	var frame = document.getElementById('player-frame');
	var origin = null, leaving = null;

	function say(text) {
		var p = document.createElement('p');
		p.className = 'notice';
		p.setAttribute('role', 'alert');
		p.textContent = text;
		frame.parentNode.parentNode.insertBefore(p, frame.parentNode);
	}

	/* Another tab or device launched this part: this page's work is no longer saved. Said once,
	 * in words; the learner chooses. */
	var told = false;
	function takenOver(unsaved) {
		if (told)
			return;
		told = true;
		var box = document.createElement('div');
		box.className = 'notice takeover';
		box.setAttribute('role', 'alert');
		var p = document.createElement('p');
		var n = Math.max(0, Math.min(Math.floor(unsaved), 1000000));
		p.textContent = 'This part was opened again in another tab or on another device, which saves it ' +
			'now. ' + (n === 1 ? '1 change made here is not saved yet.' : n + ' changes made here are not saved yet.') +
			' Continue here to save them on top of the other tab\'s work, or close this tab to keep the other.';
		var b = document.createElement('button');
		b.type = 'button';
		b.textContent = 'Continue here';
		b.addEventListener('click', function () {
			b.disabled = true;
			keeping = true;
			frame.contentWindow.postMessage({type: 'keep'}, origin);
			setTimeout(relaunch, 3000); /* the frame did not answer: go anyway */
		});
		box.appendChild(p);
		box.appendChild(b);
		frame.parentNode.parentNode.insertBefore(box, frame.parentNode);
	}
	var keeping = false, relaunched = false;
	function relaunch() {
		if (relaunched)
			return;
		relaunched = true;
		window.location.hash = 'takeover';
		window.location.reload();
	}

	function link(rel) {
		var a = document.querySelector('a[rel="' + rel + '"]');
		return a ? a.href : null;
	}

	/* Goes to `href` once the frame has sent its last changes (or after 6 s). */
	function leaveTo(href) {
		if (leaving)
			return;
		leaving = href;
		if (!origin || !frame.contentWindow) {
			window.location.href = href;
			return;
		}
		frame.contentWindow.postMessage({type: 'leave'}, origin);
		setTimeout(function () { window.location.href = href; }, 6000);
	}

	window.addEventListener('message', function (e) {
		if (e.origin !== origin || e.source !== frame.contentWindow || !e.data || typeof e.data !== 'object')
			return;
		var m = e.data;
		if (m.type === 'height' && typeof m.value === 'number' && isFinite(m.value)) {
			var h = Math.max(320, Math.min(Math.round(m.value), 100000));
			frame.style.height = h + 'px';
		} else if (m.type === 'left' && leaving) {
			window.location.href = leaving;
		} else if (m.type === 'nav' && typeof m.request === 'string') {
			var target = null;
			if (m.request === 'continue')
				target = link('next');
			else if (m.request === 'previous')
				target = link('prev');
			else if (/^(exit|exitAll|suspendAll|abandon|abandonAll)$/.test(m.request))
				target = document.querySelector('a.exit').href;
			if (target)
				window.location.href = target; /* the frame has sent its changes already */
		} else if (m.type === 'superseded' && typeof m.unsaved === 'number' && isFinite(m.unsaved)) {
			takenOver(m.unsaved);
		} else if (m.type === 'kept' && keeping) {
			keeping = false;
			relaunch();
		} else if (m.type === 'error' && typeof m.text === 'string') {
			say(m.text.slice(0, 500));
		}
	});

	/* Links out of the page (previous, next, exit, the parts list, the header) leave through
	 * the frame. */
	document.addEventListener('click', function (e) {
		var a = e.target.closest ? e.target.closest('a[href]') : null;
		if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey ||
		    e.altKey || a.target || a.getAttribute('href').charAt(0) === '#')
			return;
		e.preventDefault();
		leaveTo(a.href);
	});

	window.addEventListener('pageshow', function (e) {
		if (e.persisted)
			window.location.reload(); /* back from the cache: a new launch */
	});

	fetch(page.launchUrl, {method: 'POST', cache: 'no-store', credentials: 'same-origin',
		headers: page.csrf ? {'X-CSRF-Token': page.csrf} : {}})
		.then(function (r) {
			return r.json().then(function (j) {
				if (!r.ok)
					throw new Error(j.detail || ('HTTP ' + r.status));
				return j;
			});
		})
		.then(function (l) {
			origin = l.origin;
			/* "Continue here" after a takeover: the frame carries this tab's unsaved work over. */
			var carry = window.location.hash === '#takeover';
			if (carry)
				history.replaceState(null, '', window.location.pathname + window.location.search);
			frame.src = l.frameUrl + (carry ? '#takeover' : '');
		})
		.catch(function (e) {
			say('This content cannot be started: ' + e.message);
		});

	if (page.preview) {
		var generation = null;
		setInterval(function () {
			fetch('/api/preview', {cache: 'no-store'}).then(function (r) {
				return r.json();
			}).then(function (s) {
				if (generation !== null && s.generation !== generation)
					leaveTo(window.location.href);
				generation = s.generation;
			}).catch(function () {});
		}, 1000);
	}
})();
