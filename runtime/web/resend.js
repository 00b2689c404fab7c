/* On the server's other pages (the package list, the records): sends what a player page could
 * not send while it was going away (scorm-api.js stashes it in localStorage). The page is not
 * reloaded afterwards: the learner may already be on the way to another page, and the player
 * sends the stash again before launching (repeats are harmless). */
(function () {
	'use strict';
	if (window.createScormAPI && window.createScormAPI.sendStashed)
		window.createScormAPI.sendStashed().then(null, function () {});
})();
