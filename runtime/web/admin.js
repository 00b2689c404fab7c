/* The admin packages page: sends the chosen zip as the request body (the server parses nothing
 * but the zip) and shows what the import said, in a live region. */
(function () {
	'use strict';
	var form = document.getElementById('upload');
	if (!form)
		return;
	var out = document.getElementById('upload-result');
	function line(tag, text) {
		var el = document.createElement(tag);
		el.textContent = text;
		out.appendChild(el);
		return el;
	}
	form.addEventListener('submit', function (e) {
		e.preventDefault();
		var file = document.getElementById('package').files[0];
		if (!file)
			return;
		out.textContent = '';
		line('p', 'Importing ' + file.name + '…');
		fetch('/admin/packages', {
			method: 'POST', body: file, credentials: 'same-origin',
			headers: {'Content-Type': 'application/zip', 'X-CSRF-Token': form.getAttribute('data-csrf')}
		}).then(function (r) {
			return r.json();
		}).then(function (j) {
			out.textContent = '';
			line('p', j.imported ? 'Imported: ' + j.title + (j.updated ? ' (a new version; every learner\'s records are kept)' : '')
				: 'Not imported: ' + (j.error || j.detail || 'the server refused it'));
			if (j.findings)
				line('pre', j.findings);
			if (j.imported) {
				var a = line('a', 'Show the updated list');
				a.href = '/admin/packages';
			}
		}).catch(function (err) {
			out.textContent = '';
			line('p', 'The import failed: ' + err.message);
		});
	});
})();
