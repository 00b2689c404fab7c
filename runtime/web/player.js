/* The player page: creates the SCORM API (scorm-api.js) for the launched SCO, with commits going
 * to the server, then loads the content into the iframe, so the content always finds the API.
 * When a 2004 SCO ends with a navigation request (continue, previous, exit), follows it. In
 * preview mode, reloads when a rebuild finishes and shows build errors. */
(function () {
	'use strict';
	var launch = JSON.parse(document.getElementById('pc-launch').textContent);
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
	try {
		api = window.createScormAPI({
			version: launch.version,
			initial: launch.initial,
			session: launch.session,
			transport: window.createScormAPI.fetchTransport(launch.commitUrl)
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

	/* 2004: after Terminate, a navigation request decides where to go. */
	if (launch.version !== '1.2') {
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

	if (launch.preview) {
		var generation = null;
		setInterval(function () {
			fetch('/api/preview', {cache: 'no-store'}).then(function (r) {
				return r.json();
			}).then(function (s) {
				if (generation !== null && s.generation !== generation) {
					api.$flush(true);
					window.location.reload();
				}
				generation = s.generation;
			}).catch(function () {});
		}, 1000);
	}
})();
