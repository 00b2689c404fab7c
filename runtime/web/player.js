/* The player page: creates the SCORM API (scorm-api.js) for the launched SCO, with commits going
 * to the server, then loads the content into the iframe, so the content always finds the API.
 * When a 2004 SCO ends with a navigation request (continue, previous, exit), follows it. In
 * preview mode, reloads when a rebuild finishes and shows build errors. */
(function () {
	'use strict';
	var page = JSON.parse(document.getElementById('pc-launch').textContent);
	var frame = document.getElementById('content-frame');

	function say(text) {
		var p = document.createElement('p');
		p.className = 'notice';
		p.setAttribute('role', 'alert');
		p.textContent = text;
		frame.parentNode.parentNode.insertBefore(p, frame.parentNode);
	}

	function link(rel) {
		var a = document.querySelector('a[rel="' + rel + '"]');
		return a ? a.href : null;
	}

	var api;
	function start(launch) {
		try {
			api = window.createScormAPI({
				version: launch.version,
				initial: launch.initial,
				session: launch.session,
				transport: window.createScormAPI.fetchTransport(launch.commitUrl),
				events: null /* the page-leaving order is handled below */
			});
		} catch (e) {
			say('This content cannot be started: ' + e.message);
			return;
		}
		if (launch.version === '1.2')
			window.API = api;
		else
			window.API_1484_11 = api;
		frame.src = launch.contentUrl;
		if (launch.version !== '1.2')
			followNavigation();
		/* Leaving the page: the player's pagehide comes before the content's, so the content
		 * would call LMSFinish/Terminate after the final save had left, in a request the
		 * browser then cancels. Unloading the content first lets its last calls in; then
		 * everything goes in one keepalive request. */
		window.addEventListener('pagehide', function (e) {
			if (frame.parentNode)
				frame.parentNode.removeChild(frame);
			api.$flush(true);
			if (e.persisted)
				window.addEventListener('pageshow', function () { window.location.reload(); });
		});
		document.addEventListener('visibilitychange', function () {
			if (document.visibilityState === 'hidden')
				api.$flush(true);
		});
	}

	/* The session starts now, not when the page was served: by now the page this one replaced
	 * has sent its final save, and what it could not send (more than a leaving page may) was
	 * stashed and goes first, while its session is still the current one. */
	window.createScormAPI.sendStashed()
		.then(function () {
			return fetch(page.launchUrl, {method: 'POST', cache: 'no-store', credentials: 'same-origin'});
		}, function () {
			return fetch(page.launchUrl, {method: 'POST', cache: 'no-store', credentials: 'same-origin'});
		})
		.then(function (r) {
			return r.json().then(function (j) {
				if (!r.ok)
					throw new Error(j.detail || ('HTTP ' + r.status));
				return j;
			});
		})
		.then(start)
		.catch(function (e) {
			say('This content cannot be started: ' + e.message);
		});

	/* 2004: after Terminate, a navigation request decides where to go. */
	function followNavigation() {
		var timer = setInterval(function () {
			if (api.$state() !== 'terminated')
				return;
			clearInterval(timer);
			var req = String(api.$values()['adl.nav.request'] || '_none_');
			var target = null;
			if (req === 'continue')
				target = link('next');
			else if (req === 'previous')
				target = link('prev');
			else if (/^(exit|exitAll|suspendAll|abandon|abandonAll)$/.test(req))
				target = '/';
			if (target) {
				api.$flush(true);
				window.location.href = target;
			}
		}, 250);
	}

	if (page.preview) {
		var generation = null;
		setInterval(function () {
			fetch('/api/preview', {cache: 'no-store'}).then(function (r) {
				return r.json();
			}).then(function (s) {
				if (generation !== null && s.generation !== generation) {
					if (api)
						api.$flush(true);
					window.location.reload();
				}
				generation = s.generation;
			}).catch(function () {});
		}, 1000);
	}
})();
