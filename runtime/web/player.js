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
 *   saving -> a save failed (a quota: 429 too many commits, 507 the learner's storage full; or
 *            the server out of reach): says in #pc-saving that progress is not being saved,
 *            why, and what to do, until a save works again (saved: true) and it goes away
 *   navigated -> (sequenced) the SCO's request ran on the server: ask what comes next (or,
 *            when it ended the course, go back to the packages)
 * Before following a link out of the page, it asks the frame to unload the content and send its
 * last changes ("leave"), and goes once the frame answers ("left") or after a few seconds.
 *
 * Sequenced packages (SCORM 2004, page.sequencing): the launch answer says what sequencing
 * delivered and carries the player's view (runtime/sn sn_ui_json); this page draws the buttons
 * the course allows and the list of parts from it, and sends every learner request (the
 * buttons, a part chosen from the list) through the launch endpoint, after the content has
 * been taken away and its last changes sent. The view is the app's own answer (same origin).
 * In preview mode, reloads when a rebuild finishes. */
(function () {
	'use strict';
	var page = JSON.parse(document.getElementById('pc-launch').textContent);
	var frame = document.getElementById('player-frame');
	var origin = null, leaving = null;
	var current = '', busy = false, afterLeave = null, leaveTimer = null;
	/* sequenced: requests go to the package's launch address, without a part */
	var launchBase = page.sequencing ? '/api/launch/' + page.home.slice('/play/'.length) : null;

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

	/* What the learner is told while saves fail, by the status the frame reports (the words are
	 * this page's own: the frame may run the package's script). Nothing is lost meanwhile: the
	 * frame keeps every change and sends it again. */
	var SAVING = {
		429: function (after) {
			return 'Your progress is not being saved at the moment: this part is saving more often than ' +
				'the server allows. Your work is kept in this page and will be saved ' +
				(after ? 'in about ' + after + (after === 1 ? ' second' : ' seconds') : 'shortly') +
				'. Keep this page open until this message goes away.';
		},
		507: function () {
			return 'Your progress is not being saved: your storage space on this server is full. Your work ' +
				'is kept in this page and saving is tried again regularly. Keep this page open and ' +
				'ask your administrator to make room; this message goes away once your work is saved.';
		},
		other: function () {
			return 'Your progress is not being saved at the moment: the server cannot be reached or did not ' +
				'accept it. Your work is kept in this page and saving is tried again. Keep this page open ' +
				'until this message goes away.';
		}
	};
	function saving(m) {
		var box = document.getElementById('pc-saving');
		if (!box)
			return;
		if (m.saved === true) {
			box.hidden = true;
			box.textContent = '';
			return;
		}
		var after = typeof m.retryAfter === 'number' && isFinite(m.retryAfter) ?
			Math.max(0, Math.min(Math.round(m.retryAfter), 600)) : 0;
		var words = Object.prototype.hasOwnProperty.call(SAVING, m.status) ? SAVING[m.status] : SAVING.other;
		var text = words(after);
		box.hidden = false;
		if (box.textContent !== text)
			box.textContent = text;
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

	/* Sequenced: runs `fn` once the content is unloaded and its changes sent (or after 6 s). */
	function leaveThen(fn) {
		if (!origin || !frame.contentWindow || !frame.getAttribute('src')) {
			fn();
			return;
		}
		afterLeave = fn;
		frame.contentWindow.postMessage({type: 'leave'}, origin);
		leaveTimer = setTimeout(left, 6000);
	}

	function left() {
		var fn = afterLeave;
		afterLeave = null;
		clearTimeout(leaveTimer);
		if (fn)
			fn();
	}

	window.addEventListener('message', function (e) {
		if (e.origin !== origin || e.source !== frame.contentWindow || !e.data || typeof e.data !== 'object')
			return;
		var m = e.data;
		if (m.type === 'height' && typeof m.value === 'number' && isFinite(m.value)) {
			var h = Math.max(320, Math.min(Math.round(m.value), 100000));
			frame.style.height = h + 'px';
		} else if (m.type === 'left' && afterLeave) {
			left();
		} else if (m.type === 'left' && leaving) {
			window.location.href = leaving;
		} else if (m.type === 'navigated' && page.sequencing) {
			/* the SCO's own request ran: what comes next, or the course is over */
			if (m.ended === true)
				window.location.href = '/';
			else
				request(null);
		} else if (m.type === 'nav' && typeof m.request === 'string' && !page.sequencing) {
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
		} else if (m.type === 'saving' && typeof m.saved === 'boolean') {
			saving(m);
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

	function post(url) {
		return fetch(url, {method: 'POST', cache: 'no-store', credentials: 'same-origin',
			headers: page.csrf ? {'X-CSRF-Token': page.csrf} : {}})
			.then(function (r) {
				return r.json().then(function (j) {
					if (!r.ok)
						throw new Error(j.detail || ('HTTP ' + r.status));
					return j;
				});
			});
	}

	/* ---- sequenced packages ----------------------------------------------------------------- */

	function el(tag, cls, text) {
		var n = document.createElement(tag);
		if (cls)
			n.className = cls;
		if (text !== undefined)
			n.textContent = text;
		return n;
	}

	/* Buttons carry their request in data-nav (and data-target for a choice). */
	function navButton(label, request, enabled, target, cls) {
		var b = el('button', cls || 'button-secondary', label);
		b.type = 'button';
		b.setAttribute('data-nav', request);
		if (target !== undefined)
			b.setAttribute('data-target', target);
		b.disabled = !enabled;
		return b;
	}

	var CONTROLS = [
		['previous', 'Previous', 'previous'],
		['continue', 'Continue', 'continue'],
		['suspendAll', 'Save and leave', null],
		['exitAll', 'Finish course', null],
	];

	function drawControls(v) {
		var ul = document.querySelector('#pc-controls ul');
		var exit = ul.querySelector('a.exit').parentNode;
		while (ul.firstChild)
			ul.removeChild(ul.firstChild);
		var hide = v.hide || [];
		CONTROLS.forEach(function (c) {
			if (hide.indexOf(c[0]) >= 0)
				return; /* hideLMSUI */
			var ok = c[2] ? v[c[2]] === true : v.current !== null;
			var li = el('li');
			li.appendChild(navButton(c[1], c[0], ok));
			ul.appendChild(li);
		});
		ul.appendChild(exit);
	}

	function statusText(it) {
		var out = [];
		if (it.completion === 'completed' || it.completion === 'incomplete')
			out.push(it.completion);
		if (it.success === 'passed' || it.success === 'failed')
			out.push(it.success);
		return out.join(', ');
	}

	/* The parts the learner may see, as nested lists by depth (the root is the page's heading):
	 * hidden ones (isvisible="false", not selected, hidden from choice) are left out with what
	 * they hold; a part that can be chosen is a button, the one shown is marked (when none is
	 * shown, the current one can be chosen again), a disabled one says why. */
	function drawToc(v, shown) {
		var nav = document.getElementById('pc-toc');
		while (nav.childNodes.length > 1)
			nav.removeChild(nav.lastChild);
		var items = v.items || [], lists = [], skipBelow = -1, leaves = 0;
		var top = el('ol');
		nav.appendChild(top);
		lists[0] = top;
		/* A lone section holding everything (a course's title) is the heading already. */
		var first = 1, base = 1;
		if (items.length > 2 && !items[1].leaf &&
		    items.filter(function (x) { return x.depth === 1; }).length === 1)
			first = base = 2;
		for (var i = first; i < items.length; i++) {
			var it = items[i], d = it.depth - base;
			if (skipBelow >= 0 && d > skipBelow)
				continue;
			skipBelow = -1;
			if (!it.visible || it.hidden) {
				skipBelow = d;
				continue;
			}
			while (d > 0 && !lists[d])
				d--;
			lists.length = d + 1;
			var li = el('li'), label;
			if (it.current && shown) {
				label = el('span', '', it.title);
				label.setAttribute('aria-current', 'step');
				label.appendChild(el('span', 'visually-hidden', ' (this part)'));
			} else if (it.choice) {
				label = navButton(it.title, 'choice', true, it.id, 'toc-choice');
			} else {
				label = el('span', 'toc-label', it.title);
			}
			li.appendChild(label);
			var status = it.leaf ? statusText(it) : '';
			if (status)
				li.appendChild(el('span', 'toc-status', ' (' + status + ')'));
			if (it.disabled && it.reason)
				li.appendChild(el('span', 'toc-why', ' (' + it.reason + ')'));
			lists[d].appendChild(li);
			if (!it.leaf) {
				var sub = el('ol');
				li.appendChild(sub);
				lists[d + 1] = sub;
			} else {
				leaves++;
			}
		}
		nav.hidden = leaves < 2;
	}

	/* "Part 2 of 5: Title" over the parts the learner can see. */
	function partText(v, id) {
		var n = 0, at = 0, title = '';
		(v.items || []).forEach(function (it) {
			if (it.leaf && it.visible && !it.hidden) {
				n++;
				if (it.id === id) {
					at = n;
					title = it.title;
				}
			}
		});
		return at && n > 1 ? 'Part ' + at + ' of ' + n + ': ' + title : title;
	}

	function show(l) {
		var msg = document.getElementById('pc-message');
		msg.textContent = l.message || '';
		msg.hidden = !l.message;
		if (l.outcome === 'ended') {
			window.location.href = '/'; /* the course session ended: back to the packages */
			return;
		}
		var v = l.view;
		current = v.current || '';
		drawControls(v);
		drawToc(v, !!l.item);
		var had = document.activeElement && document.activeElement !== document.body;
		var part = document.getElementById('pc-part');
		part.textContent = l.item ? partText(v, l.item) || l.title : '';
		if (l.item) {
			origin = l.origin;
			frame.title = l.title;
			frame.parentNode.hidden = false;
			frame.src = l.frameUrl;
			document.title = l.title + ' – Postcard';
		} else {
			origin = null;
			frame.removeAttribute('src');
			frame.parentNode.hidden = true;
		}
		if (window.history && window.history.replaceState)
			window.history.replaceState(null, '', page.home);
		/* Focus was on a button this drawing replaced: put it where the new part is said. */
		if (had && (!document.activeElement || document.activeElement === document.body)) {
			var target = l.message ? msg : part;
			target.setAttribute('tabindex', '-1');
			target.focus();
		}
	}

	/* A learner's request (null: none, what comes next), after the content went away. */
	function request(nav, target) {
		if (busy)
			return;
		busy = true;
		document.body.setAttribute('aria-busy', 'true');
		leaveThen(function () {
			var q = [];
			if (nav)
				q.push('nav=' + encodeURIComponent(target !== undefined ? '{target=' + target + '}' + nav : nav));
			if (nav)
				q.push('from=' + encodeURIComponent(current));
			post(launchBase + (q.length ? '?' + q.join('&') : '')).then(show).catch(function (e) {
				say('This did not work: ' + e.message);
			}).then(function () {
				busy = false;
				document.body.removeAttribute('aria-busy');
			});
		});
	}

	if (page.sequencing) {
		document.addEventListener('click', function (e) {
			var b = e.target.closest ? e.target.closest('button[data-nav]') : null;
			if (!b || b.disabled)
				return;
			var t = b.getAttribute('data-target');
			request(b.getAttribute('data-nav'), t === null ? undefined : t);
		});
	}

	post(page.launchUrl)
		.then(function (l) {
			if (page.sequencing) {
				show(l);
				return;
			}
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
