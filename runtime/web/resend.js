/* On the server's other pages (the package list, the records): sends what a player page could
 * not send while it was going away (scorm-api.js stashes it in localStorage), then reloads once
 * so the statuses shown include it. */
(function () {
	'use strict';
	if (!window.createScormAPI || !window.createScormAPI.sendStashed)
		return;
	window.createScormAPI.sendStashed().then(function (answered) {
		if (answered > 0)
			window.location.reload();
	}, function () {});
})();
