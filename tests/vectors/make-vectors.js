#!/usr/bin/env node
/* Writes the shared conformance vectors (tests/vectors/*.json) from the expectations below.
 * The expectations are written by hand from the SCORM texts (scorm-rte.md) and the readings
 * listed in runtime/cmi/cmi_*.c; they are never computed by either implementation. Run it after
 * changing an expectation: `node tests/vectors/make-vectors.js`, and commit the JSON.
 *
 * A vector file: {"version": "1.2" | "2004-3rd" | "2004-4th", "description", "cases": [case]}
 * A case: {"name", "initial"?: {element: value} (seeded by the LMS), "fail"?: ["initialize" |
 *   "commit" | "terminate"] (the LMS's storage fails those calls), "calls": [call]}
 * A call: [function, [arguments], expected return, expected GetLastError after it]. null means
 *   "not checked". Functions are the API's own names (LMSSetValue, SetValue, ...) and:
 *   "#relaunch"  the LMS ends the session (cmi_session_end) and launches the SCO again
 *                (state saved and reloaded, cmi_session_begin; a 2004 attempt that ended starts
 *                over from `initial`)
 *   "#get"       the value the LMS reads for an element (cmi_state_get), null when none */
'use strict';
const fs = require('fs');
const path = require('path');

const NAMES = {
	'1.2': {init: 'LMSInitialize', term: 'LMSFinish', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit',
		err: 'LMSGetLastError', str: 'LMSGetErrorString', diag: 'LMSGetDiagnostic'},
	'2004': {init: 'Initialize', term: 'Terminate', get: 'GetValue', set: 'SetValue', commit: 'Commit',
		err: 'GetLastError', str: 'GetErrorString', diag: 'GetDiagnostic'},
};

class Suite {
	constructor(file, version, description) {
		this.file = file;
		this.version = version;
		this.description = description;
		this.cases = [];
		this.F = NAMES[version === '1.2' ? '1.2' : '2004'];
	}
	add(name, calls, opts = {}) {
		const c = {name};
		if (opts.initial) c.initial = opts.initial;
		if (opts.fail) c.fail = opts.fail;
		c.calls = calls;
		this.cases.push(c);
	}
	init(ret = 'true', err = 0) { return [this.F.init, [''], ret, err]; }
	term(ret = 'true', err = 0, a = '') { return [this.F.term, [a], ret, err]; }
	commit(ret = 'true', err = 0, a = '') { return [this.F.commit, [a], ret, err]; }
	get(el, ret, err = 0) { return [this.F.get, [el], ret, err]; }
	set(el, v, err = 0) { return [this.F.set, [el, v], err ? 'false' : 'true', err]; }
	diag(text, err, code = '') { return [this.F.diag, [code], text, err]; }
	str(code, text, err) { return [this.F.str, [code], text, err]; }
	last(code) { return [this.F.err, [], String(code), code]; }
	relaunch() { return ['#relaunch', [], null, null]; }
	lms(el, value) { return ['#get', [el], value, null]; }
}

const suites = [];
function suite(file, version, description) {
	const s = new Suite(file, version, description);
	suites.push(s);
	return s;
}

const rep = (c, n) => c.repeat(n);
const short = (v) => {
	const cp = [...v];
	return cp.length > 36 ? JSON.stringify(cp.slice(0, 24).join('')) + `…(${cp.length})` : JSON.stringify(v);
};

/* Element checks: one case per value. `pre` are calls that make the element settable (rows). */
function valid(s, el, v, o = {}) {
	const pre = o.pre || [];
	const back = o.readBack === undefined ? v : o.readBack;
	const calls = [s.init(), ...pre, s.set(el, v)];
	if (back !== null)
		calls.push(s.get(el, back));
	s.add(`${el} accepts ${short(v)}`, calls, {initial: o.initial});
}
function invalid(s, el, v, code, o = {}) {
	const pre = o.pre || [];
	const calls = [s.init(), ...pre, s.set(el, v, code)];
	if (o.after !== undefined && o.after !== null)
		calls.push(s.get(el, o.after[0], o.after[1] || 0));
	s.add(`${el} refuses ${short(v)} with ${code}`, calls, {initial: o.initial});
}
function readOnly(s, el, value, code, o = {}) {
	s.add(`${el} is read-only (${code})`, [s.init(), s.get(el, value, o.getErr || 0), s.set(el, o.try || 'x', code),
		s.get(el, value, o.getErr || 0)], {initial: o.initial});
}
function writeOnly(s, el, v, code, o = {}) {
	const pre = o.pre || [];
	s.add(`${el} is write-only (${code})`, [s.init(), ...pre, s.set(el, v), s.get(el, '', code)], {initial: o.initial});
}

/* ============================================================================================
 * SCORM 1.2
 * ============================================================================================ */
{
	const s = suite('12-api.json', '1.2', 'SCORM 1.2 API: states, arguments, error texts, diagnostics');
	s.add('calls before LMSInitialize answer 301', [
		s.get('cmi.core.lesson_status', '', 301), s.set('cmi.core.lesson_location', 'x', 301),
		s.commit('false', 301), s.term('false', 301), s.last(301),
	]);
	s.add('LMSGetValue before LMSInitialize explains itself', [s.get('cmi.core.student_id', '', 301),
		s.diag('LMSGetValue called before LMSInitialize', 301)]);
	s.add('LMSSetValue before LMSInitialize explains itself', [s.set('cmi.core.lesson_location', 'x', 301),
		s.diag('LMSSetValue called before LMSInitialize', 301)]);
	s.add('LMSCommit before LMSInitialize', [s.commit('false', 301), s.diag('LMSCommit called before LMSInitialize', 301)]);
	s.add('LMSFinish before LMSInitialize', [s.term('false', 301), s.diag('LMSFinish called before LMSInitialize', 301)]);
	s.add('LMSInitialize then LMSFinish', [s.init(), s.term()]);
	s.add('LMSInitialize twice answers 101', [s.init(), s.init('false', 101),
		s.diag('LMSInitialize was already called in this session', 101), s.get('cmi.core.lesson_status', 'not attempted')]);
	s.add('LMSInitialize with an argument answers 201', [[s.F.init, ['x'], 'false', 201],
		s.diag('LMSInitialize takes the empty string "" as its argument', 201), s.get('cmi.core.lesson_status', '', 301), s.init()]);
	s.add('LMSInitialize("true") answers 201', [[s.F.init, ['true'], 'false', 201]]);
	s.add('LMSFinish with an argument answers 201 and keeps running', [s.init(), s.term('false', 201, 'x'),
		s.get('cmi.core.lesson_status', 'not attempted'), s.term()]);
	s.add('LMSCommit with an argument answers 201', [s.init(), s.commit('false', 201, 'x'), s.commit()]);
	s.add('LMSCommit succeeds while running, repeatedly', [s.init(), s.commit(), s.commit(), s.set('cmi.core.lesson_location', 'a'), s.commit(), s.term()]);
	s.add('LMSFinish twice answers 101', [s.init(), s.term(), s.term('false', 101), s.diag('LMSFinish called after LMSFinish', 101)]);
	s.add('calls after LMSFinish answer 101', [s.init(), s.term(), s.get('cmi.core.lesson_status', '', 101),
		s.set('cmi.core.lesson_location', 'x', 101), s.commit('false', 101), s.init('false', 101),
		s.diag('LMSInitialize after LMSFinish: a finished session cannot start again', 101)]);
	s.add('LMSGetValue after LMSFinish explains itself', [s.init(), s.term(), s.get('cmi.core.student_id', '', 101),
		s.diag('LMSGetValue called after LMSFinish', 101)]);
	s.add('a successful call resets the error to 0', [s.init(), s.get('cmi.core.bogus', '', 201),
		s.get('cmi.core.lesson_status', 'not attempted', 0), s.set('cmi.core.score.raw', 'x', 405), s.set('cmi.core.score.raw', '5', 0)]);
	s.add('the getters never change the error', [s.init(), s.get('cmi.core.bogus', '', 201), s.last(201), s.last(201),
		s.str('101', 'General exception', 201), s.diag('cmi.core.bogus is not an element of this data model', 201), s.last(201)]);
	s.add('empty element name: LMSGetValue 201', [s.init(), s.get('', '', 201), s.diag('LMSGetValue needs the name of a data model element', 201)]);
	s.add('empty element name: LMSSetValue 201', [s.init(), s.set('', 'x', 201), s.diag('LMSSetValue needs the name of a data model element', 201)]);
	const texts = {0: 'No error', 101: 'General exception', 201: 'Invalid argument error', 202: 'Element cannot have children',
		203: 'Element not an array - cannot have count', 301: 'Not initialized', 401: 'Not implemented error',
		402: 'Invalid set value, element is a keyword', 403: 'Element is read only', 404: 'Element is write only', 405: 'Incorrect data type'};
	for (const [code, text] of Object.entries(texts))
		s.add(`LMSGetErrorString(${code})`, [s.str(code, text, 0), s.init(), s.str(code, text, 0)]);
	for (const code of ['', '999', '102', '391', 'abc', '0101', ' 101', '-1', '12345'])
		s.add(`LMSGetErrorString(${JSON.stringify(code)}) is empty`, [s.str(code, '', 0)]);
	// ADL's run-time tests want a non-empty diagnostic of at most 255 characters for every code, 0 included.
	s.add('LMSGetDiagnostic of no error says so', [s.init(), s.diag('No error', 0), s.diag('No error', 0, '0')]);
	for (const [code, text] of Object.entries(texts))
		s.add(`LMSGetDiagnostic(${code}) of a code that is not the last error`, [s.diag(text, 0, code), s.init(),
			s.set('cmi.core.student_id', 'x', 403), s.diag(code === '403' ? 'cmi.core.student_id is read-only' : text, 403, code)]);
	s.add('LMSGetDiagnostic with the last code explains it', [s.init(), s.set('cmi.core.student_id', 'x', 403),
		s.diag('cmi.core.student_id is read-only', 403, '403')]);
	s.add('LMSGetDiagnostic with another code gives its text', [s.init(), s.set('cmi.core.student_id', 'x', 403),
		s.diag('Incorrect data type', 403, '405'), s.diag('', 403, '777')]);
	s.add('LMS storage failing at LMSInitialize: 101', [s.init('false', 101),
		s.diag('LMSInitialize: the LMS could not start the session (storage failure)', 101), s.get('cmi.core.lesson_status', '', 301)], {fail: ['initialize']});
	s.add('LMS storage failing at LMSCommit: 101, still running', [s.init(), s.set('cmi.core.lesson_location', 'p1'),
		s.commit('false', 101), s.diag('LMSCommit: the LMS could not store the data (storage failure)', 101),
		s.get('cmi.core.lesson_location', 'p1'), s.term()], {fail: ['commit']});
	s.add('LMS storage failing at LMSFinish: 101, still running', [s.init(), s.term('false', 101),
		s.diag('LMSFinish: the LMS could not end the session (storage failure)', 101), s.get('cmi.core.lesson_status', 'not attempted'),
		s.commit()], {fail: ['terminate']});
	s.add('2004 function names do not exist in 1.2 (the API object has none)', [s.init(), s.get('cmi.learner_id', '', 201)]);
}

{
	const s = suite('12-elements.json', '1.2', 'SCORM 1.2 data model: every element, its type, access and limits');
	const ALL = 'student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time';
	const kw = (el, v) => s.add(`${el} answers ${short(v)} and is a keyword (402)`, [s.init(), s.get(el, v), s.set(el, 'x', 402),
		s.diag(`${el} is a keyword and cannot be set`, 402), s.get(el, v)]);
	kw('cmi._version', '3.4');
	kw('cmi.core._children', ALL);
	kw('cmi.core.score._children', 'raw,min,max');
	kw('cmi.objectives._children', 'id,score,status');
	kw('cmi.objectives._count', '0');
	kw('cmi.student_data._children', 'mastery_score,max_time_allowed,time_limit_action');
	kw('cmi.student_preference._children', 'audio,language,speed,text');
	kw('cmi.interactions._children', 'id,objectives,time,type,correct_responses,weighting,student_response,result,latency');
	kw('cmi.interactions._count', '0');
	kw('cmi.objectives.0.score._children', 'raw,min,max');

	readOnly(s, 'cmi.core.student_id', '', 403);
	readOnly(s, 'cmi.core.student_id', 'u-0042', 403, {initial: {'cmi.core.student_id': 'u-0042'}});
	readOnly(s, 'cmi.core.student_name', 'Doe, Jane', 403, {initial: {'cmi.core.student_name': 'Doe, Jane'}});
	readOnly(s, 'cmi.core.student_name', '', 403);
	readOnly(s, 'cmi.core.credit', 'credit', 403, {try: 'no-credit'});
	readOnly(s, 'cmi.core.credit', 'no-credit', 403, {initial: {'cmi.core.credit': 'no-credit'}, try: 'credit'});
	readOnly(s, 'cmi.core.entry', 'ab-initio', 403, {try: 'resume'});
	readOnly(s, 'cmi.core.entry', 'resume', 403, {initial: {'cmi.core.entry': 'resume'}});
	readOnly(s, 'cmi.core.entry', '', 403, {initial: {'cmi.core.entry': ''}});
	readOnly(s, 'cmi.core.total_time', '0000:00:00.00', 403, {try: '0001:00:00'});
	readOnly(s, 'cmi.core.total_time', '0012:30:00', 403, {initial: {'cmi.core.total_time': '0012:30:00'}});
	readOnly(s, 'cmi.core.lesson_mode', 'normal', 403, {try: 'review'});
	readOnly(s, 'cmi.core.lesson_mode', 'browse', 403, {initial: {'cmi.core.lesson_mode': 'browse'}});
	readOnly(s, 'cmi.core.lesson_mode', 'review', 403, {initial: {'cmi.core.lesson_mode': 'review'}});
	readOnly(s, 'cmi.launch_data', '', 403);
	readOnly(s, 'cmi.launch_data', 'mode=quiz;level=2', 403, {initial: {'cmi.launch_data': 'mode=quiz;level=2'}});
	readOnly(s, 'cmi.comments_from_lms', '', 403);
	readOnly(s, 'cmi.comments_from_lms', 'Well done.', 403, {initial: {'cmi.comments_from_lms': 'Well done.'}});
	readOnly(s, 'cmi.student_data.mastery_score', '', 403, {try: '80'});
	readOnly(s, 'cmi.student_data.mastery_score', '80', 403, {initial: {'cmi.student_data.mastery_score': '80'}});
	readOnly(s, 'cmi.student_data.max_time_allowed', '', 403, {try: '00:30:00'});
	readOnly(s, 'cmi.student_data.max_time_allowed', '0001:00:00', 403, {initial: {'cmi.student_data.max_time_allowed': '0001:00:00'}});
	readOnly(s, 'cmi.student_data.time_limit_action', '', 403, {try: 'exit,message'});
	readOnly(s, 'cmi.student_data.time_limit_action', 'continue,no message', 403, {initial: {'cmi.student_data.time_limit_action': 'continue,no message'}});
	s.add('read-only diagnostic', [s.init(), s.set('cmi.core.credit', 'credit', 403), s.diag('cmi.core.credit is read-only', 403)]);

	for (const v of ['', 'page 3', 'chapter-2/section-4#p7', rep('x', 255), rep('é', 255), rep('😀', 255), 'line\nbreak'])
		valid(s, 'cmi.core.lesson_location', v);
	invalid(s, 'cmi.core.lesson_location', rep('x', 256), 405, {after: ['']});
	invalid(s, 'cmi.core.lesson_location', rep('é', 256), 405, {after: ['']});
	invalid(s, 'cmi.core.lesson_location', rep('😀', 256), 405, {after: ['']});
	s.add('too long: diagnostic', [s.init(), s.set('cmi.core.lesson_location', rep('x', 256), 405),
		s.diag('cmi.core.lesson_location: longer than 255 characters', 405)]);

	for (const v of ['passed', 'completed', 'failed', 'incomplete', 'browsed'])
		valid(s, 'cmi.core.lesson_status', v);
	for (const v of ['not attempted', 'Passed', 'complete', '', 'unknown', ' passed'])
		invalid(s, 'cmi.core.lesson_status', v, 405, {after: ['not attempted']});
	s.add('cmi.core.lesson_status starts as not attempted', [s.init(), s.get('cmi.core.lesson_status', 'not attempted')]);
	s.add('vocabulary diagnostic', [s.init(), s.set('cmi.core.lesson_status', 'not attempted', 405),
		s.diag('cmi.core.lesson_status: not a valid CMIVocabulary (passed, completed, failed, incomplete, browsed)', 405)]);

	for (const el of ['cmi.core.score.raw', 'cmi.core.score.max', 'cmi.core.score.min']) {
		for (const v of ['0', '100', '85', '72.5', '0.0', '100.000', '007', '-0', ''])
			valid(s, el, v);
		for (const v of ['abc', '1e2', '+5', '.5', '5.', ' 5', '5 ', '5,5', '--1', '0x10'])
			invalid(s, el, v, 405, {after: ['']});
		for (const v of ['150', '-1', '100.01', '-0.5', '1000'])
			invalid(s, el, v, 405, {after: ['']});
	}
	s.add('range diagnostic', [s.init(), s.set('cmi.core.score.raw', '150', 405), s.diag('cmi.core.score.raw: outside the range 0..100', 405)]);
	s.add('decimal diagnostic', [s.init(), s.set('cmi.core.score.raw', 'abc', 405),
		s.diag('cmi.core.score.raw: not a valid CMIDecimal or CMIBlank (a number such as 85 or 72.5, or empty)', 405)]);
	s.add('score.raw "" clears it', [s.init(), s.set('cmi.core.score.raw', '85'), s.set('cmi.core.score.raw', ''),
		s.get('cmi.core.score.raw', '')]);

	for (const v of ['time-out', 'suspend', 'logout', ''])
		writeOnly(s, 'cmi.core.exit', v, 404);
	for (const v of ['normal', 'Suspend', 'quit', 'suspend '])
		invalid(s, 'cmi.core.exit', v, 405);
	s.add('write-only diagnostic', [s.init(), s.get('cmi.core.exit', '', 404), s.diag('cmi.core.exit is write-only', 404)]);

	for (const v of ['00:00:00', '0000:00:00.00', '9999:59:59.99', '12:30:00.5', '01:00:00', '123:45:06.7'])
		writeOnly(s, 'cmi.core.session_time', v, 404);
	for (const v of ['1:00:00', '00000:00:00', '00:60:00', '00:00:60', '00:00:00.123', 'PT1H', '', '00:00', '00:00:00.', 'aa:bb:cc', '-01:00:00'])
		invalid(s, 'cmi.core.session_time', v, 405);

	for (const v of ['', 'abc', rep('s', 4096), rep('ü', 4096), '{"cards":[1,2,3]}'])
		valid(s, 'cmi.suspend_data', v);
	invalid(s, 'cmi.suspend_data', rep('s', 4097), 405, {after: ['']});
	invalid(s, 'cmi.suspend_data', rep('s', 64000), 405, {after: ['']});
	for (const v of ['', 'I found this useful.', rep('c', 4096)])
		valid(s, 'cmi.comments', v);
	invalid(s, 'cmi.comments', rep('c', 4097), 405, {after: ['']});

	const pre0 = [s.set('cmi.objectives.0.id', 'obj-0')];
	for (const v of ['obj1', 'urn:x:y', rep('o', 255), 'ziel-ü', 'a.b_c-d', '1'])
		valid(s, 'cmi.objectives.0.id', v);
	for (const v of ['', 'obj 1', 'obj\t1', rep('o', 256), ' obj', 'obj\n'])
		invalid(s, 'cmi.objectives.0.id', v, 405);
	for (const el of ['cmi.objectives.0.score.raw', 'cmi.objectives.0.score.max', 'cmi.objectives.0.score.min']) {
		for (const v of ['0', '55.5', '100', ''])
			valid(s, el, v, {pre: pre0});
		for (const v of ['101', '-1', 'x'])
			invalid(s, el, v, 405, {pre: pre0, after: ['']});
	}
	for (const v of ['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted'])
		valid(s, 'cmi.objectives.0.status', v, {pre: pre0});
	for (const v of ['unknown', '', 'Passed'])
		invalid(s, 'cmi.objectives.0.status', v, 405, {pre: pre0, after: ['']});

	const prefs = {
		'cmi.student_preference.audio': [['-1', '0', '100', '50', '007'], ['101', '-2'], ['1.5', 'abc', '', '+1']],
		'cmi.student_preference.speed': [['-100', '0', '100', '-50'], ['101', '-101'], ['0.5', 'fast']],
		'cmi.student_preference.text': [['-1', '0', '1'], ['2', '-2'], ['on', '0.0']],
	};
	for (const [el, [ok, range, type]] of Object.entries(prefs)) {
		s.add(`${el} starts at 0`, [s.init(), s.get(el, '0')]);
		for (const v of ok) valid(s, el, v);
		for (const v of range) invalid(s, el, v, 405, {after: ['0']});
		for (const v of type) invalid(s, el, v, 405, {after: ['0']});
	}
	s.add('cmi.student_preference.language starts empty', [s.init(), s.get('cmi.student_preference.language', '')]);
	for (const v of ['', 'en', 'English', rep('l', 255)])
		valid(s, 'cmi.student_preference.language', v);
	invalid(s, 'cmi.student_preference.language', rep('l', 256), 405, {after: ['']});

	const i0 = [s.set('cmi.interactions.0.id', 'q1')];
	for (const v of ['q1', 'urn:q:1', rep('q', 255)])
		writeOnly(s, 'cmi.interactions.0.id', v, 404);
	for (const v of ['', 'q 1', rep('q', 256)])
		invalid(s, 'cmi.interactions.0.id', v, 405);
	for (const v of ['obj1', rep('o', 255)])
		writeOnly(s, 'cmi.interactions.0.objectives.0.id', v, 404, {pre: i0});
	invalid(s, 'cmi.interactions.0.objectives.0.id', 'obj 1', 405, {pre: i0});
	for (const v of ['00:00:00', '23:59:59', '12:30:00.5', '12:30:00.25'])
		writeOnly(s, 'cmi.interactions.0.time', v, 404, {pre: i0});
	for (const v of ['24:00:00', '12:60:00', '12:00:60', '1:00:00', '12:00', '12:00:00.123', '', '2024-05-17T10:00:00', '0012:00:00'])
		invalid(s, 'cmi.interactions.0.time', v, 405, {pre: i0});
	for (const v of ['true-false', 'choice', 'fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric'])
		writeOnly(s, 'cmi.interactions.0.type', v, 404, {pre: i0});
	for (const v of ['long-fill-in', 'other', 'Choice', ''])
		invalid(s, 'cmi.interactions.0.type', v, 405, {pre: i0});
	for (const v of ['1', '-5', '0.5', '1000', '0'])
		writeOnly(s, 'cmi.interactions.0.weighting', v, 404, {pre: i0});
	for (const v of ['abc', '', '1e3'])
		invalid(s, 'cmi.interactions.0.weighting', v, 405, {pre: i0});
	for (const v of ['correct', 'wrong', 'unanticipated', 'neutral', '0.5', '-1', '100'])
		writeOnly(s, 'cmi.interactions.0.result', v, 404, {pre: i0});
	for (const v of ['incorrect', 'Correct', '', 'right'])
		invalid(s, 'cmi.interactions.0.result', v, 405, {pre: i0});
	for (const v of ['00:00:05', '0000:01:30.25'])
		writeOnly(s, 'cmi.interactions.0.latency', v, 404, {pre: i0});
	for (const v of ['5', 'PT5S', '00:00:5'])
		invalid(s, 'cmi.interactions.0.latency', v, 405, {pre: i0});
	for (const el of ['student_response', 'correct_responses.0.pattern'])
		writeOnly(s, `cmi.interactions.0.${el}`, 'anything', 404, {pre: i0});
	s.add('cmi.interactions.n.id write-only even when set', [s.init(), s.set('cmi.interactions.0.id', 'q1'),
		s.get('cmi.interactions.0.id', '', 404), s.diag('cmi.interactions.0.id is write-only', 404)]);

	/* names */
	const names = [
		['cmi.core.bogus', 201], ['cmi.bogus', 201], ['cmi.bogus.x', 401], ['bogus', 401], ['bogus.core.student_id', 401],
		['adl.nav.request', 401], ['cmi.learner_id', 201], ['cmi.location', 201], ['cmi.core', 201], ['cmi', 201],
		['cmi.objectives', 201], ['cmi.objectives.0', 201], ['CMI.core.student_id', 401], ['cmi.core.Student_id', 201],
		['cmi.core.student_id.x', 201], ['cmi.core..student_id', 401], ['cmi.core.student_id.', 201], ['.cmi.core.student_id', 401],
		['cmi.objectives.x.id', 201], ['cmi.objectives.01.id', 201], ['cmi.objectives.-1.id', 201], ['cmi.objectives. 0.id', 201],
		['cmi.objectives.0.bogus', 201], ['cmi.interactions.0.bogus', 201], ['cmi.interactions.0.objectives.x.id', 201],
		['cmi.student_data.bogus', 201], ['cmi.core.score.bogus', 201], ['cmi.core.score.raw.x.y', 401],
	];
	for (const [el, code] of names) {
		s.add(`LMSGetValue(${el}) answers ${code}`, [s.init(), s.get(el, '', code)]);
		s.add(`LMSSetValue(${el}) answers ${code}`, [s.init(), s.set(el, '1', code)]);
	}
	s.add('unknown element diagnostic', [s.init(), s.get('cmi.core.bogus', '', 201), s.diag('cmi.core.bogus is not an element of this data model', 201)]);
	s.add('unknown category diagnostic', [s.init(), s.get('cmi.bogus.x', '', 401), s.diag('cmi.bogus.x is not in any category of this data model', 401)]);
	s.add('bad index diagnostic', [s.init(), s.get('cmi.objectives.01.id', '', 201),
		s.diag('cmi.objectives.01.id: collection indexes are written 0, 1, 2, ... (no sign, no leading zero)', 201)]);
	const kwbad = [
		['cmi.core.student_id._children', 202], ['cmi._children', 202], ['cmi.core.score.raw._children', 202],
		['cmi.interactions.0.objectives._children', 202], ['cmi.interactions.0.correct_responses._children', 202],
		['cmi.core._count', 203], ['cmi.core.score._count', 203], ['cmi.student_data._count', 203], ['cmi.objectives.0.score._count', 203],
		['cmi.core._version', 201], ['cmi.objectives._version', 201], ['cmi.core.bogus._children', 401], ['cmi.bogus._count', 401],
	];
	for (const [el, code] of kwbad) {
		s.add(`LMSGetValue(${el}) answers ${code}`, [s.init(), s.get(el, '', code)]);
		s.add(`LMSSetValue(${el}) answers ${code === 202 || code === 203 || (code === 201 && el.endsWith('_version')) ? 402 : code}`,
			[s.init(), s.set(el, '1', code === 202 || code === 203 || (code === 201 && el.endsWith('_version')) ? 402 : code)]);
	}
	s.add('_children diagnostic', [s.init(), s.get('cmi.core.student_id._children', '', 202),
		s.diag('cmi.core.student_id._children: this element has no _children', 202)]);
	s.add('_count diagnostic', [s.init(), s.get('cmi.core._count', '', 203),
		s.diag('cmi.core._count: this element is not a collection and has no _count', 203)]);
	s.add('_version diagnostic', [s.init(), s.get('cmi.core._version', '', 201), s.diag('cmi.core._version: only cmi._version exists', 201)]);
}

{
	const s = suite('12-collections.json', '1.2', 'SCORM 1.2 collections: objectives, interactions, their rows and counts');
	s.add('objectives start empty', [s.init(), s.get('cmi.objectives._count', '0'), s.get('cmi.objectives.0.id', '', 201)]);
	s.add('objective rows are added in order', [s.init(), s.set('cmi.objectives.0.id', 'a'), s.get('cmi.objectives._count', '1'),
		s.set('cmi.objectives.2.id', 'c', 201), s.diag('cmi.objectives.2.id: row 2 cannot be written while _count is 1 (rows are added in order)', 201),
		s.get('cmi.objectives._count', '1'), s.set('cmi.objectives.1.id', 'b'), s.get('cmi.objectives._count', '2'),
		s.get('cmi.objectives.0.id', 'a'), s.get('cmi.objectives.1.id', 'b')]);
	s.add('a 1.2 objective row may start with any element', [s.init(), s.set('cmi.objectives.0.score.raw', '50'),
		s.get('cmi.objectives._count', '1'), s.get('cmi.objectives.0.id', ''), s.get('cmi.objectives.0.status', ''),
		s.get('cmi.objectives.0.score.raw', '50')]);
	s.add('a 1.2 objective row may start with its status', [s.init(), s.set('cmi.objectives.0.status', 'passed'), s.get('cmi.objectives._count', '1')]);
	s.add('reading past the last objective: 201', [s.init(), s.set('cmi.objectives.0.id', 'a'), s.get('cmi.objectives.1.id', '', 201),
		s.diag('cmi.objectives.1.id: row 1 does not exist (_count is 1)', 201), s.get('cmi.objectives.1.score.raw', '', 201)]);
	s.add('objective rows can be rewritten', [s.init(), s.set('cmi.objectives.0.id', 'a'), s.set('cmi.objectives.0.id', 'b'),
		s.get('cmi.objectives.0.id', 'b'), s.get('cmi.objectives._count', '1')]);
	s.add('1.2 objective ids need not be unique', [s.init(), s.set('cmi.objectives.0.id', 'a'), s.set('cmi.objectives.1.id', 'a'), s.get('cmi.objectives._count', '2')]);
	s.add('setting past _count leaves the count alone', [s.init(), s.set('cmi.objectives.5.id', 'x', 201), s.get('cmi.objectives._count', '0')]);
	s.add('objective score children on a row that does not exist yet', [s.init(), s.get('cmi.objectives.3.score._children', 'raw,min,max')]);
	{
		const calls = [s.init()];
		for (let i = 0; i < 100; i++) calls.push(s.set(`cmi.objectives.${i}.id`, `obj${i}`));
		calls.push(s.get('cmi.objectives._count', '100'), s.set('cmi.objectives.100.id', 'one-too-many', 101),
			s.diag('cmi.objectives.100.id: the collection already holds 100 rows, the most this LMS keeps', 101),
			s.get('cmi.objectives._count', '100'), s.set('cmi.objectives.99.id', 'rewrite'));
		s.add('the LMS keeps 100 objectives; the 101st is 101', calls);
	}
	s.add('interactions start empty', [s.init(), s.get('cmi.interactions._count', '0')]);
	s.add('interaction rows are added in order', [s.init(), s.set('cmi.interactions.0.id', 'q1'), s.set('cmi.interactions.0.type', 'choice'),
		s.get('cmi.interactions._count', '1'), s.set('cmi.interactions.2.id', 'q3', 201), s.set('cmi.interactions.1.id', 'q2'),
		s.get('cmi.interactions._count', '2')]);
	s.add('a 1.2 interaction row may start with any element', [s.init(), s.set('cmi.interactions.0.result', 'correct'),
		s.get('cmi.interactions._count', '1'), s.get('cmi.interactions.0.objectives._count', '0'), s.get('cmi.interactions.0.correct_responses._count', '0')]);
	s.add('interaction objectives', [s.init(), s.set('cmi.interactions.0.id', 'q1'), s.get('cmi.interactions.0.objectives._count', '0'),
		s.set('cmi.interactions.0.objectives.0.id', 'o1'), s.set('cmi.interactions.0.objectives.1.id', 'o1'),
		s.get('cmi.interactions.0.objectives._count', '2'), s.set('cmi.interactions.0.objectives.3.id', 'o3', 201),
		s.get('cmi.interactions.0.objectives.0.id', '', 404)]);
	s.add('an interaction objective may create its interaction (1.2)', [s.init(), s.set('cmi.interactions.0.objectives.0.id', 'o1'),
		s.get('cmi.interactions._count', '1'), s.get('cmi.interactions.0.objectives._count', '1')]);
	s.add('correct responses', [s.init(), s.set('cmi.interactions.0.id', 'q1'), s.set('cmi.interactions.0.type', 'choice'),
		s.set('cmi.interactions.0.correct_responses.0.pattern', 'a'), s.set('cmi.interactions.0.correct_responses.1.pattern', 'b'),
		s.get('cmi.interactions.0.correct_responses._count', '2'), s.set('cmi.interactions.0.correct_responses.3.pattern', 'c', 201),
		s.get('cmi.interactions.0.correct_responses._count', '2')]);
	s.add('_count of a missing interaction row: 201', [s.init(), s.get('cmi.interactions.0.objectives._count', '', 201),
		s.get('cmi.interactions.4.correct_responses._count', '', 201), s.set('cmi.interactions.0.id', 'q'),
		s.get('cmi.interactions.0.objectives._count', '0')]);
	s.add('interaction ids may repeat (journaling)', [s.init(), s.set('cmi.interactions.0.id', 'q1'), s.set('cmi.interactions.1.id', 'q1'),
		s.get('cmi.interactions._count', '2')]);
	{
		const calls = [s.init()];
		for (let i = 0; i < 250; i++) calls.push(s.set(`cmi.interactions.${i}.id`, `q${i}`));
		calls.push(s.get('cmi.interactions._count', '250'), s.set('cmi.interactions.250.id', 'q250', 101), s.get('cmi.interactions._count', '250'));
		s.add('the LMS keeps 250 interactions; the 251st is 101', calls);
	}
	{
		const calls = [s.init(), s.set('cmi.interactions.0.id', 'q')];
		for (let i = 0; i < 10; i++) calls.push(s.set(`cmi.interactions.0.objectives.${i}.id`, `o${i}`));
		calls.push(s.set('cmi.interactions.0.objectives.10.id', 'o10', 101), s.get('cmi.interactions.0.objectives._count', '10'));
		s.add('the LMS keeps 10 objectives per interaction', calls);
	}
	{
		const calls = [s.init(), s.set('cmi.interactions.0.id', 'q'), s.set('cmi.interactions.0.type', 'fill-in')];
		for (let i = 0; i < 10; i++) calls.push(s.set(`cmi.interactions.0.correct_responses.${i}.pattern`, `answer ${i}`));
		calls.push(s.set('cmi.interactions.0.correct_responses.10.pattern', 'x', 101), s.get('cmi.interactions.0.correct_responses._count', '10'));
		s.add('the LMS keeps 10 correct responses per interaction', calls);
	}
	s.add('a refused value does not create a row', [s.init(), s.set('cmi.objectives.0.score.raw', '500', 405), s.get('cmi.objectives._count', '0'),
		s.set('cmi.interactions.0.time', '25:00:00', 405), s.get('cmi.interactions._count', '0')]);
	s.add('rows seeded by the LMS', [s.init(), s.get('cmi.objectives._count', '2'), s.get('cmi.objectives.1.id', 'b'), s.set('cmi.objectives.2.id', 'c'),
		s.get('cmi.objectives._count', '3')], {initial: {'cmi.objectives.0.id': 'a', 'cmi.objectives.1.id': 'b'}});
	s.add('seeded rows: any element may make the row, types come first', [s.init(), s.get('cmi.interactions._count', '3'),
		s.set('cmi.interactions.1.student_response', '5'), s.set('cmi.interactions.1.student_response', 'x', 405),
		s.relaunch(), s.init(), s.get('cmi.interactions._count', '3')],
	{initial: {'cmi.interactions.0.student_response': 'A,B', 'cmi.interactions.1.type': 'numeric', 'cmi.interactions.2.type': 'choice',
		'cmi.interactions.2.student_response': '{a,b}'}});
	s.add('seeded rows in natural order (10 after 9)', [s.init(), s.get('cmi.objectives._count', '11'), s.get('cmi.objectives.10.id', 'k')],
		{initial: Object.fromEntries([...Array(11).keys()].map((i) => [`cmi.objectives.${i}.id`, 'abcdefghijk'[i]]))});
}

{
	const s = suite('12-interactions.json', '1.2', 'SCORM 1.2 interaction responses per type (student_response and correct_responses.n.pattern)');
	const T = {
		'true-false': [['0', '1', 't', 'f', 'true', 'false'], ['T', 'yes', '2', '', 'tru', 'False', '0,1']],
		'choice': [['a', 'a,b', '{a,b}', '0,9,z', '{a}', 'a,a'], ['', 'A', 'ab', 'a,,b', '{a,b', 'a;b', '{}', 'a, b', 'a,', ',a', '{a,b}}']],
		'fill-in': [['', 'any text at all', rep('f', 255), 'with, commas and {braces}'], [rep('f', 256)]],
		'numeric': [['1', '-2.5', '0', '100.25'], ['', 'abc', '1e5', '1,5', '+1']],
		'likert': [['', 'a', '5', 'z'], ['ab', 'A', '10', '-']],
		'matching': [['a.b', '1.a,2.b', '{a.b,c.d}', '0.0'], ['a-b', 'a.b.c', 'ab.c', '', 'a.', '{a.b', 'A.b', 'a.b,']],
		'performance': [['', 'steps 1 2 3', rep('p', 255)], [rep('p', 256)]],
		'sequencing': [['a', 'a,b,c', '3,2,1'], ['{a,b}', '', 'ab', 'a,,b', 'A']],
	};
	for (const [type, [ok, bad]] of Object.entries(T)) {
		const pre = [s.set('cmi.interactions.0.id', 'q'), s.set('cmi.interactions.0.type', type)];
		for (const v of ok) {
			s.add(`${type} student_response accepts ${short(v)}`, [s.init(), ...pre, s.set('cmi.interactions.0.student_response', v)]);
			s.add(`${type} pattern accepts ${short(v)}`, [s.init(), ...pre, s.set('cmi.interactions.0.correct_responses.0.pattern', v),
				s.get('cmi.interactions.0.correct_responses._count', '1')]);
		}
		for (const v of bad) {
			s.add(`${type} student_response refuses ${short(v)}`, [s.init(), ...pre, s.set('cmi.interactions.0.student_response', v, 405)]);
			s.add(`${type} pattern refuses ${short(v)}`, [s.init(), ...pre, s.set('cmi.interactions.0.correct_responses.0.pattern', v, 405),
				s.get('cmi.interactions.0.correct_responses._count', '0')]);
		}
	}
	s.add('response diagnostic names the type', [s.init(), s.set('cmi.interactions.0.type', 'likert'), s.set('cmi.interactions.0.student_response', 'ab', 405),
		s.diag('cmi.interactions.0.student_response: not a valid likert response (one character 0-9 a-z, or empty)', 405)]);
	for (const v of ['anything goes', '', rep('x', 255)])
		s.add(`untyped student_response accepts ${short(v)}`, [s.init(), s.set('cmi.interactions.0.id', 'q'), s.set('cmi.interactions.0.student_response', v)]);
	s.add('untyped student_response refuses 256 characters', [s.init(), s.set('cmi.interactions.0.student_response', rep('x', 256), 405)]);
	s.add('1.2 response before type is allowed, checked as text', [s.init(), s.set('cmi.interactions.0.student_response', 'A,B'),
		s.set('cmi.interactions.0.type', 'fill-in'), s.set('cmi.interactions.0.student_response', 'A,B')]);
	s.add('a type the stored response does not fit is refused (405)', [s.init(), s.set('cmi.interactions.0.student_response', 'A,B'),
		s.set('cmi.interactions.0.type', 'choice', 405),
		s.diag("cmi.interactions.0.type: the interaction's stored responses do not fit this type", 405),
		s.set('cmi.interactions.0.type', 'performance'), s.set('cmi.interactions.0.student_response', 'a'),
		s.set('cmi.interactions.0.type', 'choice')]);
	s.add('a type the stored patterns do not fit is refused (405)', [s.init(), s.set('cmi.interactions.0.type', 'numeric'),
		s.set('cmi.interactions.0.correct_responses.0.pattern', '5'), s.set('cmi.interactions.0.type', 'true-false', 405),
		s.set('cmi.interactions.0.type', 'fill-in'), s.set('cmi.interactions.0.type', 'numeric')]);
}

{
	const s = suite('12-lms.json', '1.2', 'SCORM 1.2 values the LMS computes: total time, entry, status, mastery score');
	s.add('first launch is ab-initio', [s.init(), s.get('cmi.core.entry', 'ab-initio'), s.get('cmi.core.total_time', '0000:00:00.00')]);
	s.add('session time adds up into total time', [s.init(), s.set('cmi.core.session_time', '01:30:00'), s.set('cmi.core.exit', 'suspend'), s.term(),
		s.relaunch(), s.init(), s.get('cmi.core.total_time', '0001:30:00.00'), s.set('cmi.core.session_time', '00:45:30.5'), s.term(),
		s.relaunch(), s.init(), s.get('cmi.core.total_time', '0002:15:30.50')]);
	s.add('the last session_time counts, once', [s.init(), s.set('cmi.core.session_time', '00:10:00'), s.set('cmi.core.session_time', '00:20:00'),
		s.term(), s.relaunch(), s.init(), s.get('cmi.core.total_time', '0000:20:00.00'), s.term(), s.relaunch(), s.init(),
		s.get('cmi.core.total_time', '0000:20:00.00')]);
	s.add('no session_time leaves total time alone', [s.init(), s.term(), s.relaunch(), s.init(), s.get('cmi.core.total_time', '0000:00:00.00')]);
	s.add('total time adds to a seeded total', [s.init(), s.set('cmi.core.session_time', '0000:00:30.25'), s.term(), s.relaunch(), s.init(),
		s.get('cmi.core.total_time', '0012:00:30.25')], {initial: {'cmi.core.total_time': '12:00:00'}});
	s.add('total time stops at 9999:59:59.99', [s.init(), s.set('cmi.core.session_time', '9999:00:00'), s.term(), s.relaunch(), s.init(),
		s.get('cmi.core.total_time', '9999:59:59.99')], {initial: {'cmi.core.total_time': '9000:00:00'}});
	s.add('hundredths carry into seconds', [s.init(), s.set('cmi.core.session_time', '00:00:59.99'), s.term(), s.relaunch(), s.init(),
		s.get('cmi.core.total_time', '0000:01:59.98')], {initial: {'cmi.core.total_time': '00:00:59.99'}});
	s.add('a session ended without LMSFinish still counts', [s.init(), s.set('cmi.core.session_time', '00:05:00'), s.set('cmi.core.exit', 'suspend'),
		s.relaunch(), s.init(), s.get('cmi.core.total_time', '0000:05:00.00'), s.get('cmi.core.entry', 'resume')]);
	for (const [exit, entry] of [['suspend', 'resume'], ['', ''], ['logout', ''], ['time-out', '']])
		s.add(`exit "${exit}" gives entry "${entry}"`, [s.init(), s.set('cmi.core.exit', exit), s.term(), s.relaunch(), s.init(), s.get('cmi.core.entry', entry)]);
	s.add('no exit gives entry ""', [s.init(), s.term(), s.relaunch(), s.init(), s.get('cmi.core.entry', '')]);
	s.add('suspend data and location survive a suspend', [s.init(), s.set('cmi.suspend_data', 'abc'), s.set('cmi.core.lesson_location', 'p2'),
		s.set('cmi.core.exit', 'suspend'), s.term(), s.relaunch(), s.init(), s.get('cmi.suspend_data', 'abc'), s.get('cmi.core.lesson_location', 'p2')]);
	s.add('1.2 keeps the data after a normal exit too', [s.init(), s.set('cmi.suspend_data', 'abc'), s.set('cmi.core.lesson_status', 'incomplete'),
		s.term(), s.relaunch(), s.init(), s.get('cmi.suspend_data', 'abc'), s.get('cmi.core.lesson_status', 'incomplete')]);
	s.add('exit and session_time do not carry into the next session', [s.init(), s.set('cmi.core.exit', 'suspend'), s.set('cmi.core.session_time', '00:01:00'),
		s.term(), s.relaunch(), s.lms('cmi.core.exit', null), s.lms('cmi.core.session_time', null), s.init(), s.term(), s.relaunch(),
		s.init(), s.get('cmi.core.entry', ''), s.get('cmi.core.total_time', '0000:01:00.00')]);
	s.add('status never set becomes completed', [s.init(), s.term(), s.relaunch(), s.init(), s.get('cmi.core.lesson_status', 'completed')]);
	s.add('status never set in browse mode becomes browsed', [s.init(), s.term(), s.relaunch(), s.init(), s.get('cmi.core.lesson_status', 'browsed')],
		{initial: {'cmi.core.lesson_mode': 'browse'}});
	s.add('status set by the SCO stays', [s.init(), s.set('cmi.core.lesson_status', 'incomplete'), s.term(), s.relaunch(), s.init(),
		s.get('cmi.core.lesson_status', 'incomplete')]);
	const M = {'cmi.student_data.mastery_score': '80'};
	s.add('mastery: raw above mastery passes', [s.init(), s.set('cmi.core.score.raw', '85'), s.set('cmi.core.lesson_status', 'completed'), s.term(),
		s.lms('cmi.core.lesson_status', 'passed'), s.relaunch(), s.init(), s.get('cmi.core.lesson_status', 'passed')], {initial: M});
	s.add('mastery: raw equal to mastery passes', [s.init(), s.set('cmi.core.score.raw', '80.0'), s.term(), s.relaunch(), s.init(),
		s.get('cmi.core.lesson_status', 'passed')], {initial: M});
	s.add('mastery: raw below mastery fails', [s.init(), s.set('cmi.core.score.raw', '79.99'), s.set('cmi.core.lesson_status', 'passed'), s.term(),
		s.relaunch(), s.init(), s.get('cmi.core.lesson_status', 'failed')], {initial: M});
	s.add('mastery: no raw score, no override', [s.init(), s.set('cmi.core.lesson_status', 'incomplete'), s.term(), s.relaunch(), s.init(),
		s.get('cmi.core.lesson_status', 'incomplete')], {initial: M});
	s.add('mastery: a cleared raw score, no override', [s.init(), s.set('cmi.core.score.raw', '90'), s.set('cmi.core.score.raw', ''),
		s.set('cmi.core.lesson_status', 'completed'), s.term(), s.relaunch(), s.init(), s.get('cmi.core.lesson_status', 'completed')], {initial: M});
	s.add('mastery: no-credit, no override', [s.init(), s.set('cmi.core.score.raw', '95'), s.set('cmi.core.lesson_status', 'completed'), s.term(),
		s.relaunch(), s.init(), s.get('cmi.core.lesson_status', 'completed')], {initial: {...M, 'cmi.core.credit': 'no-credit'}});
	s.add('no mastery score, no override', [s.init(), s.set('cmi.core.score.raw', '10'), s.set('cmi.core.lesson_status', 'completed'), s.term(),
		s.relaunch(), s.init(), s.get('cmi.core.lesson_status', 'completed')]);
	s.add('mastery: status never set, raw given', [s.init(), s.set('cmi.core.score.raw', '50'), s.term(), s.relaunch(), s.init(),
		s.get('cmi.core.lesson_status', 'failed')], {initial: M});
	s.add('mastery: decimal mastery score', [s.init(), s.set('cmi.core.score.raw', '66.6'), s.term(), s.relaunch(), s.init(),
		s.get('cmi.core.lesson_status', 'failed')], {initial: {'cmi.student_data.mastery_score': '66.66'}});
	s.add('the seeded learner survives sessions', [s.init(), s.term(), s.relaunch(), s.init(), s.get('cmi.core.student_id', 'u1'),
		s.get('cmi.core.student_name', 'Doe, Jane')], {initial: {'cmi.core.student_id': 'u1', 'cmi.core.student_name': 'Doe, Jane'}});
	s.add('what the LMS reads after the session', [s.init(), s.set('cmi.core.score.raw', '70'), s.set('cmi.core.session_time', '00:02:00'), s.term(),
		s.lms('cmi.core.score.raw', '70'), s.lms('cmi.core.session_time', '00:02:00'), s.lms('cmi.interactions._count', '0'), s.lms('cmi.core.bogus', null)]);
	s.add('interactions survive sessions (write-only but kept)', [s.init(), s.set('cmi.interactions.0.id', 'q1'), s.set('cmi.core.exit', 'suspend'), s.term(),
		s.relaunch(), s.init(), s.get('cmi.interactions._count', '1'), s.set('cmi.interactions.1.id', 'q2'), s.get('cmi.interactions._count', '2')]);
}

/* ============================================================================================
 * SCORM 2004 4th Edition (3rd Edition differences at the end)
 * ============================================================================================ */
{
	const s = suite('04-api.json', '2004-4th', 'SCORM 2004 API: the state machine, arguments, error texts, diagnostics, LMS failures');
	s.add('calls before Initialize', [s.term('false', 112), s.get('cmi.location', '', 122), s.set('cmi.location', 'x', 132),
		s.commit('false', 142), s.last(142)]);
	for (const [call, code, fn] of [[s.term('false', 112), 112, 'Terminate'], [s.get('cmi.location', '', 122), 122, 'GetValue'],
		[s.set('cmi.location', 'x', 132), 132, 'SetValue'], [s.commit('false', 142), 142, 'Commit']])
		s.add(`${fn} before Initialize: ${code}`, [call, s.diag(`${fn} called before Initialize`, code)]);
	s.add('Initialize, Terminate', [s.init(), s.term()]);
	s.add('Initialize twice: 103', [s.init(), s.init('false', 103), s.diag('Initialize was already called in this session', 103),
		s.get('cmi.completion_status', 'unknown')]);
	s.add('Initialize after Terminate: 104', [s.init(), s.term(), s.init('false', 104),
		s.diag('Initialize after Terminate: a finished session cannot start again', 104)]);
	for (const [call, code, fn] of [[s.term('false', 113), 113, 'Terminate'], [s.get('cmi.location', '', 123), 123, 'GetValue'],
		[s.set('cmi.location', 'x', 133), 133, 'SetValue'], [s.commit('false', 143), 143, 'Commit']])
		s.add(`${fn} after Terminate: ${code}`, [s.init(), s.term(), call, s.diag(`${fn} called after Terminate`, code)]);
	s.add('Initialize("x") before Initialize: 201, still not initialized', [[s.F.init, ['x'], 'false', 201],
		s.diag('Initialize takes the empty string "" as its argument', 201), s.get('cmi.location', '', 122), s.init()]);
	s.add('Initialize("x") while running: 103 (state first)', [s.init(), [s.F.init, ['x'], 'false', 103]]);
	s.add('Initialize("x") after Terminate: 104', [s.init(), s.term(), [s.F.init, ['x'], 'false', 104]]);
	s.add('Terminate("x") while running: 201, still running', [s.init(), s.term('false', 201, 'x'), s.get('cmi.mode', 'normal'), s.term()]);
	s.add('Terminate("x") before Initialize: 112', [s.term('false', 112, 'x')]);
	s.add('Terminate("x") after Terminate: 113', [s.init(), s.term(), s.term('false', 113, 'x')]);
	s.add('Commit("x"): 201', [s.init(), s.commit('false', 201, 'x'), s.diag('Commit takes the empty string "" as its argument', 201), s.commit()]);
	s.add('Commit("x") after Terminate: 143', [s.init(), s.term(), s.commit('false', 143, 'x')]);
	s.add('Commit("false"): 201', [s.init(), s.commit('false', 201, 'false')]);
	s.add('Commit right before Terminate is harmless', [s.init(), s.set('cmi.location', 'p'), s.commit(), s.term()]);
	s.add('a successful GetValue resets the error', [s.init(), s.get('cmi.bogus', '', 401), s.get('cmi.mode', 'normal'), s.last(0)]);
	s.add('a successful SetValue resets the error', [s.init(), s.set('cmi.score.scaled', '5', 407), s.set('cmi.score.scaled', '0.5'), s.last(0)]);
	s.add('the getters never change the error', [s.init(), s.get('cmi.location', '', 403), s.last(403), s.str('0', 'No Error', 403),
		s.diag('cmi.location has no value: it was never set and has no default', 403), s.last(403)]);
	s.add('GetValue(""): 301', [s.init(), s.get('', '', 301), s.diag('GetValue needs the name of a data model element', 301)]);
	s.add('SetValue("", x): 351', [s.init(), s.set('', 'x', 351), s.diag('SetValue needs the name of a data model element', 351)]);
	const texts = {0: 'No Error', 101: 'General Exception', 102: 'General Initialization Failure', 103: 'Already Initialized',
		104: 'Content Instance Terminated', 111: 'General Termination Failure', 112: 'Termination Before Initialization',
		113: 'Termination After Termination', 122: 'Retrieve Data Before Initialization', 123: 'Retrieve Data After Termination',
		132: 'Store Data Before Initialization', 133: 'Store Data After Termination', 142: 'Commit Before Initialization',
		143: 'Commit After Termination', 201: 'General Argument Error', 301: 'General Get Failure', 351: 'General Set Failure',
		391: 'General Commit Failure', 401: 'Undefined Data Model Element', 402: 'Unimplemented Data Model Element',
		403: 'Data Model Element Value Not Initialized', 404: 'Data Model Element Is Read Only', 405: 'Data Model Element Is Write Only',
		406: 'Data Model Element Type Mismatch', 407: 'Data Model Element Value Out Of Range', 408: 'Data Model Dependency Not Established'};
	for (const [code, text] of Object.entries(texts))
		s.add(`GetErrorString(${code})`, [s.str(code, text, 0), s.init(), s.str(code, text, 0), s.term(), s.str(code, text, 0)]);
	for (const code of ['', '999', '202', '203', '405 ', 'x', '00', '0103', '-101'])
		s.add(`GetErrorString(${JSON.stringify(code)}) is empty`, [s.str(code, '', 0)]);
	// ADL's run-time tests want a non-empty diagnostic of at most 255 characters for every code, 0 included.
	s.add('GetDiagnostic: no error says so', [s.init(), s.diag('No Error', 0), s.diag('No Error', 0, '0')]);
	for (const [code, text] of Object.entries(texts))
		s.add(`GetDiagnostic(${code}) of a code that is not the last error`, [s.diag(text, 0, code), s.init(),
			s.set('cmi.credit', 'x', 404), s.diag(code === '404' ? 'cmi.credit is read-only' : text, 404, code)]);
	s.add('GetDiagnostic(last code)', [s.init(), s.set('cmi.credit', 'credit', 404), s.diag('cmi.credit is read-only', 404, '404'),
		s.diag('Data Model Element Is Write Only', 404, '405'), s.diag('', 404, '12')]);
	s.add('LMS failing at Initialize: 102', [s.init('false', 102), s.diag('Initialize: the LMS could not start the session (storage failure)', 102),
		s.get('cmi.location', '', 122), s.init('false', 102)], {fail: ['initialize']});
	s.add('LMS failing at Commit: 391, data still there', [s.init(), s.set('cmi.location', 'p9'), s.commit('false', 391),
		s.diag('Commit: the LMS could not store the data (storage failure)', 391), s.get('cmi.location', 'p9'), s.commit('false', 391), s.term()],
	{fail: ['commit']});
	s.add('LMS failing at Terminate: 111, still running', [s.init(), s.term('false', 111),
		s.diag('Terminate: the LMS could not end the session (storage failure)', 111), s.get('cmi.mode', 'normal'), s.commit(),
		s.term('false', 111)], {fail: ['terminate']});
	s.add('GetValue with a 1.2 name: 401', [s.init(), s.get('cmi.core.lesson_status', '', 401)]);
}

{
	const s = suite('04-elements.json', '2004-4th', 'SCORM 2004 data model: every element, its default, access, type, range and limit');
	const kw = (el, v) => s.add(`${el} answers ${short(v)}; SetValue is 404`, [s.init(), s.get(el, v), s.set(el, 'x', 404),
		s.diag(`${el} is a keyword and cannot be set`, 404), s.get(el, v)]);
	kw('cmi._version', '1.0');
	kw('cmi.comments_from_learner._children', 'comment,location,timestamp');
	kw('cmi.comments_from_learner._count', '0');
	kw('cmi.comments_from_lms._children', 'comment,location,timestamp');
	kw('cmi.comments_from_lms._count', '0');
	kw('cmi.interactions._children', 'id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description');
	kw('cmi.interactions._count', '0');
	kw('cmi.learner_preference._children', 'audio_level,language,delivery_speed,audio_captioning');
	kw('cmi.objectives._children', 'id,score,success_status,completion_status,progress_measure,description');
	kw('cmi.objectives._count', '0');
	kw('cmi.objectives.0.score._children', 'scaled,raw,min,max');
	kw('cmi.score._children', 'scaled,raw,min,max');
	kw('adl.data._children', 'id,store');
	kw('adl.data._count', '0');

	const defaults = [['cmi.completion_status', 'unknown'], ['cmi.success_status', 'unknown'], ['cmi.credit', 'credit'],
		['cmi.entry', 'ab-initio'], ['cmi.mode', 'normal'], ['cmi.learner_preference.audio_level', '1'],
		['cmi.learner_preference.language', ''], ['cmi.learner_preference.delivery_speed', '1'],
		['cmi.learner_preference.audio_captioning', '0'], ['cmi.time_limit_action', 'continue,no message'],
		['cmi.total_time', 'PT0H0M0S'], ['adl.nav.request', '_none_'], ['adl.nav.request_valid.continue', 'unknown'],
		['adl.nav.request_valid.previous', 'unknown'], ['adl.nav.request_valid.choice.{target=intro}', 'unknown'],
		['adl.nav.request_valid.jump.{target=intro}', 'unknown']];
	for (const [el, v] of defaults)
		s.add(`${el} starts as ${short(v)}`, [s.init(), s.get(el, v)]);
	const uninit = ['cmi.location', 'cmi.suspend_data', 'cmi.scaled_passing_score', 'cmi.max_time_allowed', 'cmi.completion_threshold',
		'cmi.progress_measure', 'cmi.score.scaled', 'cmi.score.raw', 'cmi.score.min', 'cmi.score.max', 'cmi.launch_data',
		'cmi.learner_id', 'cmi.learner_name'];
	for (const el of uninit)
		s.add(`${el} answers 403 until set`, [s.init(), s.get(el, '', 403), s.diag(`${el} has no value: it was never set and has no default`, 403)]);
	const obj0 = [s.set('cmi.objectives.0.id', 'obj-0')];
	for (const f of ['score.scaled', 'score.raw', 'score.min', 'score.max', 'progress_measure', 'description'])
		s.add(`cmi.objectives.n.${f} answers 403 until set`, [s.init(), ...obj0, s.get(`cmi.objectives.0.${f}`, '', 403)]);
	for (const [f, v] of [['success_status', 'unknown'], ['completion_status', 'unknown'], ['id', 'obj-0']])
		s.add(`cmi.objectives.n.${f} starts as ${v}`, [s.init(), ...obj0, s.get(`cmi.objectives.0.${f}`, v)]);
	const int0 = [s.set('cmi.interactions.0.id', 'q1')];
	for (const f of ['type', 'timestamp', 'weighting', 'learner_response', 'result', 'latency', 'description'])
		s.add(`cmi.interactions.n.${f} answers 403 until set`, [s.init(), ...int0, s.get(`cmi.interactions.0.${f}`, '', 403)]);
	s.add('cmi.interactions.n counts start at 0', [s.init(), ...int0, s.get('cmi.interactions.0.objectives._count', '0'),
		s.get('cmi.interactions.0.correct_responses._count', '0'), s.get('cmi.interactions.0.id', 'q1')]);
	for (const f of ['location', 'timestamp'])
		s.add(`cmi.comments_from_learner.n.${f} answers 403 until set`, [s.init(), s.set('cmi.comments_from_learner.0.comment', 'hi'),
			s.get(`cmi.comments_from_learner.0.${f}`, '', 403)]);
	s.add('SetValue("") makes a 403 element readable', [s.init(), s.set('cmi.location', ''), s.get('cmi.location', ''),
		s.set('cmi.suspend_data', ''), s.get('cmi.suspend_data', '')]);

	const ro = [['cmi.completion_threshold', '0.8'], ['cmi.credit', 'no-credit'], ['cmi.entry', 'resume'], ['cmi.launch_data', 'a=1'],
		['cmi.learner_id', 'urn:learner:42'], ['cmi.learner_name', 'Jane Doe'], ['cmi.max_time_allowed', 'PT30M'],
		['cmi.mode', 'review'], ['cmi.scaled_passing_score', '0.7'], ['cmi.time_limit_action', 'exit,message'],
		['cmi.total_time', 'PT1H'], ['adl.nav.request_valid.continue', 'true'], ['adl.nav.request_valid.previous', 'false'],
		['adl.nav.request_valid.choice.{target=intro}', 'true'], ['adl.nav.request_valid.jump.{target=m2}', 'false']];
	for (const [el, v] of ro) {
		readOnly(s, el, v, 404, {initial: {[el]: v}, try: v});
	}
	readOnly(s, 'cmi.credit', 'credit', 404);
	readOnly(s, 'cmi.entry', 'ab-initio', 404);
	readOnly(s, 'cmi.learner_id', '', 404, {getErr: 403});
	s.add('request_valid per target', [s.init(), s.get('adl.nav.request_valid.choice.{target=m1}', 'true'),
		s.get('adl.nav.request_valid.choice.{target=m2}', 'unknown'), s.get('adl.nav.request_valid.choice.{target=urn:x:a.b}', 'false')],
	{initial: {'adl.nav.request_valid.choice.{target=m1}': 'true', 'adl.nav.request_valid.choice.{target=urn:x:a.b}': 'false'}});
	for (const el of ['adl.nav.request_valid.choice.{target=a b}', 'adl.nav.request_valid.choice.{target=}', 'adl.nav.request_valid.choice',
		'adl.nav.request_valid.choice.intro', 'adl.nav.request_valid.choice.{target=x', 'adl.nav.request_valid.bogus'])
		s.add(`${el} is not an element (401)`, [s.init(), s.get(el, '', 401)]);
	s.add('read-only diagnostic', [s.init(), s.set('cmi.mode', 'normal', 404), s.diag('cmi.mode is read-only', 404)]);

	for (const v of ['time-out', 'suspend', 'logout', 'normal', ''])
		writeOnly(s, 'cmi.exit', v, 405);
	for (const v of ['quit', 'Suspend', 'finish'])
		invalid(s, 'cmi.exit', v, 406);
	s.add('write-only diagnostic', [s.init(), s.get('cmi.session_time', '', 405), s.diag('cmi.session_time is write-only', 405)]);
	for (const v of ['PT0S', 'PT1H30M', 'PT5.25S'])
		writeOnly(s, 'cmi.session_time', v, 405);
	for (const v of ['01:00:00', 'PT', ''])
		invalid(s, 'cmi.session_time', v, 406);

	for (const v of ['', 'p3', 'chapter 2, page 4', rep('l', 1000), rep('é', 1000)])
		valid(s, 'cmi.location', v);
	invalid(s, 'cmi.location', rep('l', 1001), 351, {after: ['', 403]});
	s.add('too long diagnostic', [s.init(), s.set('cmi.location', rep('l', 1001), 351), s.diag('cmi.location: longer than 1000 characters', 351)]);
	for (const v of ['', '{"v":1}', rep('s', 64000)])
		valid(s, 'cmi.suspend_data', v);
	invalid(s, 'cmi.suspend_data', rep('s', 64001), 351, {after: ['', 403]});

	for (const v of ['completed', 'incomplete', 'not attempted', 'unknown'])
		valid(s, 'cmi.completion_status', v);
	for (const v of ['passed', '', 'Completed', 'complete'])
		invalid(s, 'cmi.completion_status', v, 406, {after: ['unknown']});
	for (const v of ['passed', 'failed', 'unknown'])
		valid(s, 'cmi.success_status', v);
	for (const v of ['completed', '', 'Passed'])
		invalid(s, 'cmi.success_status', v, 406, {after: ['unknown']});
	s.add('state diagnostic', [s.init(), s.set('cmi.success_status', 'completed', 406),
		s.diag('cmi.success_status: not a valid state (passed, failed, unknown)', 406)]);

	for (const v of ['0', '1', '0.5', '0.0000001', '1.0', '0.1234567890123'])
		valid(s, 'cmi.progress_measure', v);
	for (const v of ['1.1', '-0.1', '2', '1.0000001', '-1'])
		invalid(s, 'cmi.progress_measure', v, 407, {after: ['', 403]});
	for (const v of ['abc', '.5', '', '5e-1', '1/2', '0,5'])
		invalid(s, 'cmi.progress_measure', v, 406, {after: ['', 403]});
	s.add('range diagnostic', [s.init(), s.set('cmi.progress_measure', '1.5', 407), s.diag('cmi.progress_measure: outside the range 0..1', 407)]);
	s.add('real diagnostic', [s.init(), s.set('cmi.score.raw', 'abc', 406),
		s.diag('cmi.score.raw: not a valid real(10,7) (a number such as 0.85 or -3)', 406)]);
	for (const v of ['-1', '1', '0', '0.75', '-0.25', '-0'])
		valid(s, 'cmi.score.scaled', v);
	for (const v of ['1.01', '-2', '100', '-1.0000001'])
		invalid(s, 'cmi.score.scaled', v, 407);
	invalid(s, 'cmi.score.scaled', 'x', 406);
	for (const el of ['cmi.score.raw', 'cmi.score.min', 'cmi.score.max']) {
		for (const v of ['0', '-100', '1000000', '85.5', '12345678901234567890'])
			valid(s, el, v);
		for (const v of ['abc', '', '1e3', '+1'])
			invalid(s, el, v, 406);
	}
	for (const el of ['cmi.learner_preference.audio_level', 'cmi.learner_preference.delivery_speed']) {
		for (const v of ['0', '1', '2.5', '100'])
			valid(s, el, v);
		for (const v of ['-0.1', '-1'])
			invalid(s, el, v, 407, {after: ['1']});
		invalid(s, el, 'loud', 406, {after: ['1']});
		s.add(`${el} range diagnostic`, [s.init(), s.set(el, '-1', 407), s.diag(`${el}: outside the range >= 0`, 407)]);
	}
	for (const v of ['-1', '0', '1'])
		valid(s, 'cmi.learner_preference.audio_captioning', v);
	for (const v of ['2', 'on', '', '-0', '01'])
		invalid(s, 'cmi.learner_preference.audio_captioning', v, 406, {after: ['0']});
	for (const v of ['', 'en', 'en-GB', 'fra', 'i-klingon', 'x-private', 'zh-Hant-TW', 'EN-gb', 'de-1996', 'en-abcdefgh'])
		valid(s, 'cmi.learner_preference.language', v);
	for (const v of ['english', 'e', 'en_GB', 'en-', '-en', 'en-abcdefghi', '1en', 'en--GB', 'en GB', '{lang=en}'])
		invalid(s, 'cmi.learner_preference.language', v, 406, {after: ['']});
	invalid(s, 'cmi.learner_preference.language', 'en' + rep('-abcdefgh', 28), 351, {after: ['']});

	const cl = 'cmi.comments_from_learner.0';
	for (const v of ['Great module', '{lang=en-GB}Brilliant', '', rep('c', 4000), '{lang=fr}' + rep('c', 4000)])
		valid(s, `${cl}.comment`, v);
	invalid(s, `${cl}.comment`, rep('c', 4001), 351);
	invalid(s, `${cl}.comment`, '{lang=xyz-}bad', 406);
	for (const v of ['', 'card 3', rep('l', 250)])
		valid(s, `${cl}.location`, v);
	invalid(s, `${cl}.location`, rep('l', 251), 351);
	for (const v of ['2024-05-17T10:30:00.0Z', '2024'])
		valid(s, `${cl}.timestamp`, v);
	for (const v of ['yesterday', '2024-05-17T10:30:00Z'])
		invalid(s, `${cl}.timestamp`, v, 406);
	s.add('comments_from_lms are read-only', [s.init(), s.get('cmi.comments_from_lms._count', '1'), s.get('cmi.comments_from_lms.0.comment', 'Welcome'),
		s.get('cmi.comments_from_lms.0.location', '', 403), s.set('cmi.comments_from_lms.0.comment', 'x', 404),
		s.set('cmi.comments_from_lms.1.comment', 'x', 404), s.get('cmi.comments_from_lms.1.comment', '', 301)],
	{initial: {'cmi.comments_from_lms.0.comment': 'Welcome'}});

	for (const v of ['obj1', 'urn:nhs:kmf:peer-assist', 'http://example.org/objectives/1'])
		valid(s, 'cmi.objectives.0.id', v);
	for (const [f, ok, rng, bad] of [['score.scaled', ['-1', '0.5', '1'], ['1.5', '-1.5'], ['x']], ['score.raw', ['-5', '50'], [], ['x', '']],
		['score.min', ['0'], [], ['x']], ['score.max', ['100'], [], ['x']], ['progress_measure', ['0', '0.25', '1'], ['1.25', '-0.5'], ['x']]]) {
		for (const v of ok) valid(s, `cmi.objectives.0.${f}`, v, {pre: obj0});
		for (const v of rng) invalid(s, `cmi.objectives.0.${f}`, v, 407, {pre: obj0, after: ['', 403]});
		for (const v of bad) invalid(s, `cmi.objectives.0.${f}`, v, 406, {pre: obj0, after: ['', 403]});
	}
	for (const v of ['passed', 'failed', 'unknown'])
		valid(s, 'cmi.objectives.0.success_status', v, {pre: obj0});
	invalid(s, 'cmi.objectives.0.success_status', 'completed', 406, {pre: obj0, after: ['unknown']});
	for (const v of ['completed', 'incomplete', 'not attempted', 'unknown'])
		valid(s, 'cmi.objectives.0.completion_status', v, {pre: obj0});
	invalid(s, 'cmi.objectives.0.completion_status', 'passed', 406, {pre: obj0, after: ['unknown']});
	for (const v of ['Knows when to hold a peer assist', '{lang=en}x', rep('d', 250), rep('😀', 250)])
		valid(s, 'cmi.objectives.0.description', v, {pre: obj0});
	invalid(s, 'cmi.objectives.0.description', rep('d', 251), 351, {pre: obj0});
	invalid(s, 'cmi.objectives.0.description', rep('😀', 251), 351, {pre: obj0});

	for (const v of ['true-false', 'choice', 'fill-in', 'long-fill-in', 'likert', 'matching', 'performance', 'sequencing', 'numeric', 'other'])
		valid(s, 'cmi.interactions.0.type', v, {pre: int0});
	for (const v of ['multiple', 'Choice', ''])
		invalid(s, 'cmi.interactions.0.type', v, 406, {pre: int0, after: ['', 403]});
	for (const v of ['1', '-2', '0.5'])
		valid(s, 'cmi.interactions.0.weighting', v, {pre: int0});
	invalid(s, 'cmi.interactions.0.weighting', 'heavy', 406, {pre: int0});
	for (const v of ['correct', 'incorrect', 'unanticipated', 'neutral', '0.75', '-3'])
		valid(s, 'cmi.interactions.0.result', v, {pre: int0});
	for (const v of ['wrong', 'Correct', '', 'right'])
		invalid(s, 'cmi.interactions.0.result', v, 406, {pre: int0});
	for (const v of ['PT5S', 'PT1M30.5S'])
		valid(s, 'cmi.interactions.0.latency', v, {pre: int0});
	invalid(s, 'cmi.interactions.0.latency', '00:00:05', 406, {pre: int0});
	for (const v of ['2024-05-17T10:30:15', '2024-05-17'])
		valid(s, 'cmi.interactions.0.timestamp', v, {pre: int0});
	invalid(s, 'cmi.interactions.0.timestamp', '10:30:15', 406, {pre: int0});

	for (const v of ['continue', 'previous', 'exit', 'exitAll', 'abandon', 'abandonAll', 'suspendAll', '_none_', '{target=intro}choice',
		'{target=intro}jump', '{target=urn:x:m.2}choice'])
		valid(s, 'adl.nav.request', v);
	for (const v of ['start', 'resumeAll', 'retry', 'retryAll', 'choice', 'jump', '{target=}choice', '{target=a b}choice', '{target=intro}',
		'{target=intro}Choice', '{target=intro}choice ', 'Continue', '', '{target=intro}exit', 'suspend'])
		invalid(s, 'adl.nav.request', v, 406, {after: ['_none_']});

	s.add('shared data (adl.data) from the manifest', [s.init(), s.get('adl.data._count', '2'), s.get('adl.data.0.id', 'urn:x:shared'),
		s.get('adl.data.0.store', '', 403), s.set('adl.data.0.store', 'state=1'), s.get('adl.data.0.store', 'state=1'),
		s.get('adl.data.1.store', 'seeded'), s.set('adl.data.0.id', 'urn:x:other', 404), s.set('adl.data.2.store', 'x', 351),
		s.get('adl.data.2.store', '', 301), s.set('adl.data.0.store', rep('s', 64000)), s.set('adl.data.0.store', rep('s', 64001), 351)],
	{initial: {'adl.data.0.id': 'urn:x:shared', 'adl.data.1.id': 'urn:x:other', 'adl.data.1.store': 'seeded'}});
	s.add('no shared data: adl.data rows cannot be made', [s.init(), s.set('adl.data.0.store', 'x', 351), s.set('adl.data.0.id', 'x', 404)]);
	/* The map's permissions (CAM 4th Edition adlcp:map readSharedData / writeSharedData, default
	 * true) travel in `initial` as the LMS-only elements adl.data.n.readSharedData and
	 * adl.data.n.writeSharedData. A map that does not let the SCO write makes the store read only
	 * (SetValue 404); one that does not let it read makes it write only (GetValue 405). They are
	 * access checks: they come before the value's own checks and before "not initialized". */
	const shared = (extra) => Object.assign({'adl.data.0.id': 'urn:x:a', 'adl.data.1.id': 'urn:x:b'}, extra);
	s.add('shared data: writeSharedData=false makes the store read only (404)', [s.init(), s.get('adl.data.0.store', 'from A'),
		s.set('adl.data.0.store', 'mine', 404), s.diag('adl.data.0.store: this SCO may read this shared data store but not write it (writeSharedData=false)', 404),
		s.get('adl.data.0.store', 'from A'), s.set('adl.data.1.store', 'other row is writable'), s.get('adl.data.1.store', 'other row is writable')],
	{initial: shared({'adl.data.0.writeSharedData': 'false', 'adl.data.0.store': 'from A'})});
	s.add('shared data: read only and never written answers 403', [s.init(), s.get('adl.data.0.store', '', 403), s.set('adl.data.0.store', 'x', 404),
		s.get('adl.data.0.store', '', 403)], {initial: shared({'adl.data.0.writeSharedData': 'false'})});
	s.add('shared data: read only refuses even a bad value with 404 (access first)', [s.init(),
		s.set('adl.data.0.store', rep('s', 64001), 404)], {initial: shared({'adl.data.0.writeSharedData': 'false'})});
	s.add('shared data: readSharedData=false makes the store write only (405)', [s.init(), s.get('adl.data.0.store', '', 405),
		s.diag('adl.data.0.store: this SCO may write this shared data store but not read it (readSharedData=false)', 405),
		s.set('adl.data.0.store', 'written'), s.get('adl.data.0.store', '', 405), s.lms('adl.data.0.store', 'written'),
		s.get('adl.data.1.store', '', 403), s.get('adl.data.0.id', 'urn:x:a')],
	{initial: shared({'adl.data.0.readSharedData': 'false'})});
	s.add('shared data: write only still checks the value', [s.init(), s.set('adl.data.0.store', rep('s', 64001), 351),
		s.set('adl.data.0.store', rep('s', 64000)), s.get('adl.data.0.store', '', 405)],
	{initial: shared({'adl.data.0.readSharedData': 'false'})});
	s.add('shared data: neither read nor write', [s.init(), s.get('adl.data.1.store', '', 405), s.set('adl.data.1.store', 'x', 404),
		s.get('adl.data._count', '2'), s.get('adl.data.1.id', 'urn:x:b')],
	{initial: shared({'adl.data.1.readSharedData': 'false', 'adl.data.1.writeSharedData': 'false'})});
	s.add('shared data: "true" permissions are the default', [s.init(), s.get('adl.data.0.store', 'v'), s.set('adl.data.0.store', 'w'),
		s.get('adl.data.0.store', 'w')], {initial: shared({'adl.data.0.readSharedData': 'true', 'adl.data.0.writeSharedData': 'true', 'adl.data.0.store': 'v'})});
	s.add('shared data: a row past _count is 301 / 351 whatever the other rows allow', [s.init(), s.get('adl.data.2.store', '', 301),
		s.set('adl.data.2.store', 'x', 351)], {initial: shared({'adl.data.1.readSharedData': 'false', 'adl.data.1.writeSharedData': 'false'})});
	s.add('shared data: the permission elements are the LMS\'s own (401 for the SCO)', [s.init(),
		s.get('adl.data.0.readSharedData', '', 401), s.set('adl.data.0.readSharedData', 'true', 401),
		s.get('adl.data.0.writeSharedData', '', 401), s.set('adl.data.0.writeSharedData', 'true', 401),
		s.get('adl.data.0.store', 'v'), s.set('adl.data.0.store', 'x', 404),
		s.lms('adl.data.0.writeSharedData', 'false'), s.lms('adl.data.0.readSharedData', 'true')],
	{initial: shared({'adl.data.0.writeSharedData': 'false', 'adl.data.0.store': 'v'})});
	s.add('shared data: adl.data._children does not list the permissions', [s.init(), s.get('adl.data._children', 'id,store')],
		{initial: shared({'adl.data.0.writeSharedData': 'false'})});
	s.add('shared data: permissions survive a relaunch and a new attempt', [s.init(), s.set('adl.data.1.store', 'b1'), s.set('cmi.exit', 'suspend'), s.term(),
		s.relaunch(), s.init(), s.set('adl.data.0.store', 'x', 404), s.get('adl.data.1.store', 'b1'), s.set('cmi.exit', 'normal'), s.term(),
		s.relaunch(), s.init(), s.get('cmi.entry', 'ab-initio'), s.set('adl.data.0.store', 'x', 404), s.get('adl.data.0.store', 'v')],
	{initial: shared({'adl.data.0.writeSharedData': 'false', 'adl.data.0.store': 'v'})});

	const names = [['cmi.core.lesson_status', 401], ['cmi.bogus', 401], ['cmi.bogus.x', 401], ['bogus', 401], ['adl.bogus', 401],
		['adl.nav', 401], ['adl.nav.bogus', 401], ['cmi.interactions.x.id', 401], ['cmi.interactions.01.id', 401],
		['cmi.interactions.-1.id', 401], ['cmi.interactions', 401], ['cmi.interactions.0', 401], ['cmi.score', 401],
		['CMI.location', 401], ['cmi.Location', 401], ['cmi.location.x', 401], ['cmi.suspend_data.', 401],
		['cmi.objectives.0.score.raw.x', 401], ['cmi.student_data.mastery_score', 401], ['cmi.comments', 401]];
	for (const [el, code] of names) {
		s.add(`GetValue(${el}): ${code}`, [s.init(), s.get(el, '', code)]);
		s.add(`SetValue(${el}): ${code}`, [s.init(), s.set(el, '1', code)]);
	}
	s.add('undefined element diagnostic', [s.init(), s.get('cmi.core.lesson_status', '', 401),
		s.diag('cmi.core.lesson_status is not in any category of this data model', 401)]);
	const kwbad = ['cmi.location._children', 'cmi._children', 'cmi.score.raw._children', 'cmi.interactions.0.objectives._children',
		'cmi.interactions.0.correct_responses._children', 'cmi.location._count', 'cmi.score._count', 'cmi.learner_preference._count',
		'cmi.objectives.0._count', 'cmi.interactions._version', 'cmi.location._version', 'adl.nav._children', 'adl._count'];
	for (const el of kwbad) {
		s.add(`GetValue(${el}): 301`, [s.init(), s.get(el, '', 301)]);
		s.add(`SetValue(${el}): 404`, [s.init(), s.set(el, '1', 404)]);
	}
	s.add('keyword misuse diagnostics', [s.init(), s.get('cmi.location._children', '', 301),
		s.diag('cmi.location._children: this element has no _children', 301), s.get('cmi.location._count', '', 301),
		s.diag('cmi.location._count: this element is not a collection and has no _count', 301),
		s.get('cmi.location._version', '', 301), s.diag('cmi.location._version: only cmi._version exists', 301)]);
	s.add('unknown keyword owners are undefined', [s.init(), s.get('cmi.bogus._children', '', 401), s.get('cmi.bogus.x._count', '', 401)]);
}

{
	const s = suite('04-types.json', '2004-4th', 'SCORM 2004 data types: time, timeinterval, identifiers, localized strings, characterstrings');
	const int0 = [s.set('cmi.interactions.0.id', 'q1')];
	// The time zone designator may only follow fractional seconds (RTE 4.1.1.6; scorm-again, Moodle
	// and the ADL tests refuse "...:15Z"): corrected 2026-12-07, the vectors had accepted it.
	const times = ['2024', '2024-05', '2024-05-17', '2024-05-17T10', '2024-05-17T10:30', '2024-05-17T10:30:15', '2024-05-17T10:30:15.5',
		'2024-05-17T10:30:15.25', '2024-05-17T10:30:15.0Z', '2024-05-17T10:30:15.00+01', '2024-05-17T10:30:15.5-05:30', '2024-05-17T10:30:15.5+01:00',
		'1970-01-01T00:00:00', '2038-01-19T03:14:07', '2024-02-29', '2000-02-29', '2024-12-31T23:59:59.99Z', '2024-05-17T10:30:15.1+23:59'];
	for (const v of times)
		valid(s, 'cmi.interactions.0.timestamp', v, {pre: int0});
	const badTimes = ['1969', '2039', '2023-02-29', '1900-02-29', '2024-13', '2024-00', '2024-05-32', '2024-04-31', '2024-05-00',
		'2024-05-17T24', '2024-05-17T10:60', '2024-05-17T10:30:60', '2024-05-17T10:30:15.123', '2024-05-17T10Z', '2024-05-17T10:30Z',
		'2024-05-17 10:30', '24-05-17', '', '2024-5-17', '2024-05-17T10:30:15+24', '2024-05-17T10:30:15+01:60', '2024-05-17T10:30:15z',
		'2024-05-17T', '2024-05-17T10:30:15.', '2024-05-17T10:30:15+0100', '2024-05', '+2024',
		'2024-05-17T10:30:15Z', '2024-05-17T10:30:15+01', '2024-05-17T10:30:15-05:30', '2024-05-17T10:30:15+23:59',
		'2024-05-17T10:30:15.Z', '2024-05-17T10:30:15.0+0100'].filter((v) => v !== '2024-05');
	for (const v of badTimes)
		invalid(s, 'cmi.interactions.0.timestamp', v, 406, {pre: int0});
	s.add('time diagnostic', [s.init(), ...int0, s.set('cmi.interactions.0.timestamp', '2039', 406),
		s.diag('cmi.interactions.0.timestamp: not a valid time(second,10,0) (YYYY-MM-DDThh:mm:ss.ssTZD, 1970-2038)', 406)]);

	const durations = ['PT0S', 'PT0H0M0S', 'P1Y', 'P1M', 'P1D', 'PT1H', 'PT1M', 'PT1.5S', 'PT1.25S', 'P1Y2M3DT4H5M6.78S', 'PT100H',
		'P0D', 'PT3600S', 'P10000Y', 'PT0.01S', 'P1DT1S', 'PT999999999999999999999S'];
	for (const v of durations)
		valid(s, 'cmi.interactions.0.latency', v, {pre: int0});
	const badDurations = ['P', 'PT', 'P1W', 'PT1.5M', 'PT1.123S', 'P1H', '1H', 'PT-1S', 'pt1s', 'P1DT', '', 'PT1S ', 'P1.5Y',
		'PT1H1H', 'PT1S1M', 'P1M1Y', 'PT.5S', 'PT1.S', 'P-1D', 'PTS', 'P1', '00:00:01'];
	for (const v of badDurations)
		invalid(s, 'cmi.interactions.0.latency', v, 406, {pre: int0});
	s.add('duration diagnostic', [s.init(), s.set('cmi.session_time', 'P1W', 406),
		s.diag('cmi.session_time: not a valid timeinterval(second,10,2) (ISO 8601 duration such as PT1H30M5.25S)', 406)]);

	const ids = ['q1', 'urn:scormdriver:Question%201', 'http://example.com/q#1', rep('a', 4000), 'ü-frage', 'a,b', "x!$&'()*+;=@", 'urn:a:b',
		'URN:ISBN:0-395-36341-1', 'urn:' + rep('n', 31) + ':x', '1', 'file:///tmp/q', 'q_1~2', 'urn:x:y:z', '[q1]'];
	for (const v of ids)
		valid(s, 'cmi.interactions.0.id', v);
	const badIds = ['', 'q 1', 'q%2', 'q%zz', 'urn:x', 'urn::x', 'urn:-a:b', 'urn:' + rep('n', 32) + ':x', 'q<1>', 'q"1', 'q\\1', 'q{1}',
		'q|1', 'q^1', 'q`1', 'urn:a b:c', 'urn:a:', 'tab\there', 'q\u00851'];
	for (const v of badIds)
		invalid(s, 'cmi.interactions.0.id', v, 406, {after: ['', 301]});
	invalid(s, 'cmi.interactions.0.id', rep('a', 4001), 351, {after: ['', 301]});
	s.add('identifier diagnostic', [s.init(), s.set('cmi.interactions.0.id', 'q 1', 406),
		s.diag('cmi.interactions.0.id: not a valid long_identifier_type (a URI, up to 4000 characters)', 406)]);
	s.add('learner_id is a long identifier (seeded)', [s.init(), s.get('cmi.learner_id', 'urn:nhs:learner:0042')],
		{initial: {'cmi.learner_id': 'urn:nhs:learner:0042'}});

	const loc = ['Which of these is a peer assist?', '{lang=en}Question', '{lang=en-GB}x', '{lang=fr-CA}x', '{abc}text', '{lang', 'plain',
		rep('d', 250), '{lang=en}' + rep('d', 250), rep('😀', 250), '', '{lang=x-klingon}Qapla', '{lang=i-navajo}x', '}lang=en{'];
	for (const v of loc)
		valid(s, 'cmi.interactions.0.description', v, {pre: int0});
	for (const v of ['{lang=}x', '{lang=english}x', '{lang=en', '{lang=en_GB}x', '{lang=e}x', '{lang=en-}x', '{lang= en}x'])
		invalid(s, 'cmi.interactions.0.description', v, 406, {pre: int0, after: ['', 403]});
	for (const v of [rep('d', 251), '{lang=en}' + rep('d', 251), rep('😀', 251)])
		invalid(s, 'cmi.interactions.0.description', v, 351, {pre: int0, after: ['', 403]});
	s.add('learner_name is a localized string (seeded)', [s.init(), s.get('cmi.learner_name', '{lang=en}Jane Doe')],
		{initial: {'cmi.learner_name': '{lang=en}Jane Doe'}});
	s.add('localized diagnostic', [s.init(), ...int0, s.set('cmi.interactions.0.description', '{lang=}x', 406),
		s.diag('cmi.interactions.0.description: not a valid localized_string_type ({lang=xx} optional, up to 250 characters)', 406)]);

	for (const v of [rep('x', 4000), rep('€', 4000)])
		s.add(`launch_data holds ${short(v)}`, [s.init(), s.get('cmi.launch_data', v)], {initial: {'cmi.launch_data': v}});
	for (const v of ['a\u0001b', '\t', '\r\n', 'zero-width\u200bspace', '\ufeffbom'])
		valid(s, 'cmi.location', v);
}

{
	const s = suite('04-collections.json', '2004-4th', 'SCORM 2004 collections: ordering, first elements (408), uniqueness, limits');
	s.add('objective rows start with their id', [s.init(), s.set('cmi.objectives.0.score.raw', '5', 408),
		s.diag("cmi.objectives.0.score.raw: the row's identifier must be set first", 408), s.get('cmi.objectives._count', '0'),
		s.set('cmi.objectives.0.id', 'o1'), s.get('cmi.objectives._count', '1'), s.set('cmi.objectives.0.score.raw', '5'),
		s.get('cmi.objectives.0.score.raw', '5')]);
	for (const f of ['success_status', 'completion_status', 'progress_measure', 'description', 'score.scaled'])
		s.add(`cmi.objectives.n.${f} before the id: 408`, [s.init(), s.set(`cmi.objectives.0.${f}`, f === 'success_status' ? 'passed' :
			f === 'completion_status' ? 'completed' : f === 'description' ? 'd' : '0.5', 408)]);
	s.add('objective rows past _count: 351', [s.init(), s.set('cmi.objectives.1.id', 'o2', 351),
		s.diag('cmi.objectives.1.id: row 1 cannot be written while _count is 0 (rows are added in order)', 351),
		s.set('cmi.objectives.0.id', 'o1'), s.set('cmi.objectives.2.id', 'o3', 351), s.set('cmi.objectives.5.score.raw', '1', 351)]);
	s.add('reading past _count: 301', [s.init(), s.get('cmi.objectives.0.id', '', 301),
		s.diag('cmi.objectives.0.id: row 0 does not exist (_count is 0)', 301), s.get('cmi.objectives.0.success_status', '', 301)]);
	s.add('objective ids are unique', [s.init(), s.set('cmi.objectives.0.id', 'o1'), s.set('cmi.objectives.1.id', 'o1', 351),
		s.diag('cmi.objectives.1.id: another row of the collection already has this identifier', 351), s.get('cmi.objectives._count', '1'),
		s.set('cmi.objectives.1.id', 'o2'), s.get('cmi.objectives._count', '2')]);
	s.add('an objective id does not change', [s.init(), s.set('cmi.objectives.0.id', 'o1'), s.set('cmi.objectives.0.id', 'o1'),
		s.set('cmi.objectives.0.id', 'o9', 351), s.diag("cmi.objectives.0.id: an objective's identifier cannot change once set", 351),
		s.get('cmi.objectives.0.id', 'o1')]);
	s.add('objectives seeded from the manifest', [s.init(), s.get('cmi.objectives._count', '2'), s.get('cmi.objectives.1.id', 'urn:o:2'),
		s.set('cmi.objectives.1.success_status', 'passed'), s.set('cmi.objectives.2.id', 'urn:o:1', 351), s.set('cmi.objectives.2.id', 'urn:o:3'),
		s.set('cmi.objectives.0.id', 'urn:o:x', 351)], {initial: {'cmi.objectives.0.id': 'urn:o:1', 'cmi.objectives.1.id': 'urn:o:2'}});
	{
		const calls = [s.init()];
		for (let i = 0; i < 100; i++) calls.push(s.set(`cmi.objectives.${i}.id`, `o${i}`));
		calls.push(s.set('cmi.objectives.100.id', 'o100', 351), s.diag('cmi.objectives.100.id: the collection already holds 100 rows, the most this LMS keeps', 351),
			s.get('cmi.objectives._count', '100'));
		s.add('the LMS keeps 100 objectives', calls);
	}
	s.add('interaction rows start with their id', [s.init(), s.set('cmi.interactions.0.type', 'choice', 408), s.get('cmi.interactions._count', '0'),
		s.set('cmi.interactions.0.id', 'q1'), s.set('cmi.interactions.0.type', 'choice'), s.get('cmi.interactions._count', '1')]);
	for (const [f, v] of [['timestamp', '2024'], ['weighting', '1'], ['result', 'correct'], ['latency', 'PT1S'], ['description', 'd'],
		['objectives.0.id', 'o1'], ['correct_responses.0.pattern', 'true'], ['learner_response', 'true']])
		s.add(`cmi.interactions.n.${f} before the id: 408`, [s.init(), s.set(`cmi.interactions.0.${f}`, v, 408)]);
	s.add('interaction rows past _count: 351', [s.init(), s.set('cmi.interactions.1.id', 'q', 351), s.set('cmi.interactions.0.id', 'q'),
		s.set('cmi.interactions.2.id', 'q', 351), s.get('cmi.interactions.1.id', '', 301)]);
	s.add('interaction ids may repeat (journaling)', [s.init(), s.set('cmi.interactions.0.id', 'q1'), s.set('cmi.interactions.1.id', 'q1'),
		s.get('cmi.interactions._count', '2'), s.set('cmi.interactions.0.id', 'q2'), s.get('cmi.interactions.0.id', 'q2')]);
	s.add('responses need the type first: 408', [s.init(), s.set('cmi.interactions.0.id', 'q1'), s.set('cmi.interactions.0.learner_response', 'a', 408),
		s.diag('cmi.interactions.0.learner_response: cmi.interactions.0.type must be set first', 408),
		s.set('cmi.interactions.0.correct_responses.0.pattern', 'a', 408), s.set('cmi.interactions.0.type', 'choice'),
		s.set('cmi.interactions.0.learner_response', 'a'), s.set('cmi.interactions.0.correct_responses.0.pattern', 'a')]);
	s.add('interaction objectives', [s.init(), s.set('cmi.interactions.0.id', 'q1'), s.set('cmi.interactions.0.objectives.0.id', 'o1'),
		s.get('cmi.interactions.0.objectives._count', '1'), s.get('cmi.interactions.0.objectives.0.id', 'o1'),
		s.set('cmi.interactions.0.objectives.1.id', 'o1', 351), s.set('cmi.interactions.0.objectives.2.id', 'o2', 351),
		s.set('cmi.interactions.0.objectives.1.id', 'o2'), s.get('cmi.interactions.0.objectives._count', '2'),
		s.get('cmi.interactions.0.objectives.2.id', '', 301)]);
	s.add('interaction objective ids are unique per interaction only', [s.init(), s.set('cmi.interactions.0.id', 'q1'), s.set('cmi.interactions.1.id', 'q2'),
		s.set('cmi.interactions.0.objectives.0.id', 'o1'), s.set('cmi.interactions.1.objectives.0.id', 'o1')]);
	s.add('an interaction objective cannot create its interaction: 408', [s.init(), s.set('cmi.interactions.0.objectives.0.id', 'o1', 408),
		s.set('cmi.interactions.0.id', 'q'), s.set('cmi.interactions.1.objectives.0.id', 'o1', 408), s.set('cmi.interactions.2.objectives.0.id', 'o1', 351)]);
	s.add('nested _count of a missing row: 301', [s.init(), s.get('cmi.interactions.0.objectives._count', '', 301),
		s.get('cmi.interactions.0.correct_responses._count', '', 301)]);
	{
		const calls = [s.init(), s.set('cmi.interactions.0.id', 'q')];
		for (let i = 0; i < 10; i++) calls.push(s.set(`cmi.interactions.0.objectives.${i}.id`, `o${i}`));
		calls.push(s.set('cmi.interactions.0.objectives.10.id', 'o10', 351), s.get('cmi.interactions.0.objectives._count', '10'));
		s.add('the LMS keeps 10 objectives per interaction', calls);
	}
	{
		const calls = [s.init()];
		for (let i = 0; i < 250; i++) calls.push(s.set(`cmi.interactions.${i}.id`, `q${i}`));
		calls.push(s.set('cmi.interactions.250.id', 'q250', 351), s.get('cmi.interactions._count', '250'));
		s.add('the LMS keeps 250 interactions', calls);
	}
	const maxPatterns = {'true-false': ['true', 1], 'choice': ['c', 10], 'fill-in': ['f', 5], 'long-fill-in': ['l', 5], 'likert': ['l', 1],
		'matching': ['a[.]b', 5], 'performance': ['s[.]a', 5], 'sequencing': ['s', 5], 'numeric': ['1', 1], 'other': ['o', 1]};
	for (const [type, [v, max]] of Object.entries(maxPatterns)) {
		const calls = [s.init(), s.set('cmi.interactions.0.id', 'q'), s.set('cmi.interactions.0.type', type)];
		const vary = (i) => (type === 'true-false' ? 'true' : type === 'numeric' ? String(i) : type === 'matching' ? `a${i}[.]b` :
			type === 'performance' ? `s${i}[.]a` : `${v}${i}`);
		for (let i = 0; i < max; i++) calls.push(s.set(`cmi.interactions.0.correct_responses.${i}.pattern`, vary(i)));
		calls.push(s.set(`cmi.interactions.0.correct_responses.${max}.pattern`, vary(max), 351),
			s.diag(`cmi.interactions.0.correct_responses.${max}.pattern: the collection already holds ${max} rows, the most this LMS keeps`, 351),
			s.get('cmi.interactions.0.correct_responses._count', String(max)));
		s.add(`${type}: the LMS keeps ${max} correct responses`, calls);
	}
	s.add('choice patterns are unique, as sets', [s.init(), s.set('cmi.interactions.0.id', 'q'), s.set('cmi.interactions.0.type', 'choice'),
		s.set('cmi.interactions.0.correct_responses.0.pattern', 'a[,]b'), s.set('cmi.interactions.0.correct_responses.1.pattern', 'b[,]a', 351),
		s.diag('cmi.interactions.0.correct_responses.1.pattern: the same pattern is already a correct response', 351),
		s.set('cmi.interactions.0.correct_responses.1.pattern', 'a'), s.set('cmi.interactions.0.correct_responses.2.pattern', 'a[,]b[,]c'),
		s.set('cmi.interactions.0.correct_responses.0.pattern', 'a[,]b'), s.set('cmi.interactions.0.correct_responses.0.pattern', 'a', 351),
		s.get('cmi.interactions.0.correct_responses._count', '3')]);
	s.add('two empty choice patterns are the same', [s.init(), s.set('cmi.interactions.0.id', 'q'), s.set('cmi.interactions.0.type', 'choice'),
		s.set('cmi.interactions.0.correct_responses.0.pattern', ''), s.set('cmi.interactions.0.correct_responses.1.pattern', '', 351)]);
	s.add('other types may repeat a pattern', [s.init(), s.set('cmi.interactions.0.id', 'q'), s.set('cmi.interactions.0.type', 'sequencing'),
		s.set('cmi.interactions.0.correct_responses.0.pattern', 'a[,]b'), s.set('cmi.interactions.0.correct_responses.1.pattern', 'a[,]b')]);
	s.add('pattern rows past _count: 351', [s.init(), s.set('cmi.interactions.0.id', 'q'), s.set('cmi.interactions.0.type', 'fill-in'),
		s.set('cmi.interactions.0.correct_responses.1.pattern', 'x', 351), s.get('cmi.interactions.0.correct_responses.0.pattern', '', 301)]);
	s.add('comments from the learner', [s.init(), s.set('cmi.comments_from_learner.0.location', 'card 2'), s.get('cmi.comments_from_learner._count', '1'),
		s.get('cmi.comments_from_learner.0.comment', '', 403), s.set('cmi.comments_from_learner.1.timestamp', '2024-05-17'),
		s.set('cmi.comments_from_learner.3.comment', 'x', 351), s.get('cmi.comments_from_learner._count', '2'),
		s.get('cmi.comments_from_learner.2.comment', '', 301)]);
	{
		const calls = [s.init()];
		for (let i = 0; i < 250; i++) calls.push(s.set(`cmi.comments_from_learner.${i}.comment`, `c${i}`));
		calls.push(s.set('cmi.comments_from_learner.250.comment', 'c', 351), s.get('cmi.comments_from_learner._count', '250'));
		s.add('the LMS keeps 250 learner comments', calls);
	}
	s.add('a refused value creates no row', [s.init(), s.set('cmi.interactions.0.id', 'q 1', 406), s.get('cmi.interactions._count', '0'),
		s.set('cmi.comments_from_learner.0.timestamp', 'now', 406), s.get('cmi.comments_from_learner._count', '0')]);
	s.add('row seeds in natural order', [s.init(), s.get('cmi.interactions._count', '12'), s.get('cmi.interactions.11.type', 'numeric'),
		s.get('cmi.interactions.11.correct_responses.0.pattern', '1[:]5')],
	{initial: Object.assign(Object.fromEntries([...Array(12).keys()].map((i) => [`cmi.interactions.${i}.id`, `q${i}`])),
		{'cmi.interactions.11.type': 'numeric', 'cmi.interactions.11.correct_responses.0.pattern': '1[:]5'})});
	s.add('_children of rows that do not exist yet', [s.init(), s.get('cmi.objectives.7.score._children', 'scaled,raw,min,max')]);
}

{
	const s = suite('04-interactions.json', '2004-4th', 'SCORM 2004 interaction responses per type (RTE 4.2.9)');
	const T = {
		'true-false': {both: [['true', 'false'], ['True', 't', '1', '0', '', 'yes']]},
		'choice': {both: [['', 'a', 'a[,]b', 'urn:x:1[,]urn:x:2', 'a,b', Array.from({length: 36}, (_, i) => `c${i}`).join('[,]')],
			['a[,]a', 'a b', '[,]', 'a[,]', '[,]a', '{case_matters=true}a', 'a[,]b c']],
		spm: [[Array.from({length: 37}, (_, i) => `c${i}`).join('[,]'), 351], [rep('c', 251), 351], ['a[,]' + rep('c', 251), 351]]},
		'fill-in': {
			pattern: [['', 'Paris', '{case_matters=true}Paris', '{order_matters=false}a[,]b', '{case_matters=false}{order_matters=true}a[,]b',
				'{order_matters=true}{case_matters=false}x', '{lang=fr}Paris', '{case_matters=true}{lang=fr}Paris', 'a[,]b[,]c',
				Array.from({length: 10}, (_, i) => `w${i}`).join('[,]'), '{lang=en-GB}colour[,]{lang=en-US}color', rep('f', 250),
				'literal {braces} in text', '{abc}text', 'a, b. c: d', '[,]'],
			['{case_matters=yes}x', '{case_matters=true}{case_matters=true}x', '{lang=}x', '{lang=english}x', '{lang=en', '{case_matters=true',
				'{order_matters=}x', '{case_matters=TRUE}x']],
			response: [['', 'Paris', 'a[,]b', '{lang=fr}Paris', '{abc}x'], ['{case_matters=true}Paris', '{order_matters=true}x', '{lang=}x']],
			spm: [[Array.from({length: 11}, (_, i) => `w${i}`).join('[,]'), 351], [rep('f', 251), 351], ['a[,]{lang=en}' + rep('f', 251), 351]]},
		'long-fill-in': {
			pattern: [['', 'long text [,] with brackets', '{case_matters=true}text', '{lang=de}Text', rep('l', 4000), '{case_matters=false}{lang=de}x'],
				['{order_matters=true}x', '{case_matters=maybe}x', '{case_matters=true}{case_matters=false}x']],
			response: [['', rep('l', 4000), 'a[,]b'], ['{case_matters=true}x', '{order_matters=false}x']],
			spm: [[rep('l', 4001), 351], ['{lang=en}' + rep('l', 4001), 351]]},
		'likert': {both: [['agree', 'urn:likert:5', '1', 'strongly_agree'], ['', 'a b', 'strongly agree', '{x}']], spm: [[rep('k', 251), 351]]},
		'matching': {both: [['a[.]b', 'a[.]b[,]c[.]d', '1[.]x', 'urn:x:1[.]urn:y:2', Array.from({length: 36}, (_, i) => `s${i}[.]t`).join('[,]')],
			['', 'a[.]', '[.]b', 'a.b', 'a[.]b[.]c', 'a[.]b[,]', 'a b[.]c', '[,]', 'a[,]b']],
		spm: [[Array.from({length: 37}, (_, i) => `s${i}[.]t`).join('[,]'), 351], [rep('m', 251) + '[.]b', 351]]},
		'performance': {
			pattern: [['step1[.]answer', 'step1[.]', '[.]answer', '{order_matters=false}s1[.]a[,]s2[.]b', 's1[.]1[:]5', 's1[.][:]10', 's1[.]5[:]',
				's1[.]some text', Array.from({length: 125}, (_, i) => `s${i}[.]a`).join('[,]'), 's1[.]2[:]2', 's1[.]' + rep('a', 250)],
			['', '[.]', 's1', '{order_matters=true}', '{case_matters=true}s[.]a', 's1[.]5[:]1', 's1[.]a[:]b', 's 1[.]x', 's1[.]1[:]2[:]3',
				's1[.]a[,]', '{order_matters=yes}s[.]a']],
			response: [['s1[.]answer', '[.]x', 's1[.]1[:]5', 's1[.]', Array.from({length: 250}, (_, i) => `s${i}[.]a`).join('[,]')],
				['', '[.]', '{order_matters=true}s[.]a', 's1', 'a b[.]c']],
			spm: [['s1[.]' + rep('a', 251), 351]]},
		'sequencing': {both: [['a', 'a[,]b[,]c', 'a[,]a', Array.from({length: 36}, (_, i) => `s${i}`).join('[,]')], ['', 'a[,]', 'a b', '[,]b']],
			spm: [[Array.from({length: 37}, (_, i) => `s${i}`).join('[,]'), 351]]},
		'numeric': {
			pattern: [['5', '1[:]10', '[:]10', '5[:]', '-3.5[:]-1', '2[:]2', '[:]', '0.5'], ['', 'abc', '10[:]1', '1[:]2[:]3', '1..5', '1e3', '1[:]x', ' 5']],
			response: [['5', '-0.5', '100'], ['1[:]5', '', 'five', '[:]']]},
		'other': {both: [['', 'anything at all {x} [,] [.]', rep('o', 4000), '{case_matters=true}x'], []], spm: [[rep('o', 4001), 351]]},
	};
	for (const [type, spec] of Object.entries(T)) {
		const pre = [s.set('cmi.interactions.0.id', 'q'), s.set('cmi.interactions.0.type', type)];
		const lists = {pattern: spec.pattern || spec.both, response: spec.response || spec.both};
		for (const [which, [ok, bad]] of Object.entries(lists)) {
			const el = which === 'pattern' ? 'cmi.interactions.0.correct_responses.0.pattern' : 'cmi.interactions.0.learner_response';
			for (const v of ok)
				s.add(`${type} ${which} accepts ${short(v)}`, [s.init(), ...pre, s.set(el, v), s.get(el, v)]);
			for (const v of bad)
				s.add(`${type} ${which} refuses ${short(v)}`, [s.init(), ...pre, s.set(el, v, 406),
					which === 'pattern' ? s.get('cmi.interactions.0.correct_responses._count', '0') : s.get(el, '', 403)]);
			for (const [v, code] of spec.spm || [])
				s.add(`${type} ${which} refuses ${short(v)} with ${code}`, [s.init(), ...pre, s.set(el, v, code)]);
		}
	}
	s.add('too many items diagnostic', [s.init(), s.set('cmi.interactions.0.id', 'q'), s.set('cmi.interactions.0.type', 'sequencing'),
		s.set('cmi.interactions.0.learner_response', Array.from({length: 37}, (_, i) => `s${i}`).join('[,]'), 351),
		s.diag('cmi.interactions.0.learner_response: more than 36 items', 351)]);
	s.add('response diagnostic names the type', [s.init(), s.set('cmi.interactions.0.id', 'q'), s.set('cmi.interactions.0.type', 'matching'),
		s.set('cmi.interactions.0.learner_response', 'a.b', 406),
		s.diag('cmi.interactions.0.learner_response: not a valid matching response (source[.]target pairs of short identifiers separated by [,])', 406)]);
	s.add('a new type applies to later responses', [s.init(), s.set('cmi.interactions.0.id', 'q'), s.set('cmi.interactions.0.type', 'numeric'),
		s.set('cmi.interactions.0.learner_response', '5'), s.set('cmi.interactions.0.type', 'other'),
		s.set('cmi.interactions.0.learner_response', 'five'), s.set('cmi.interactions.0.type', 'numeric', 351),
		s.get('cmi.interactions.0.type', 'other'), s.set('cmi.interactions.0.learner_response', '5'),
		s.set('cmi.interactions.0.type', 'numeric'), s.get('cmi.interactions.0.learner_response', '5')]);
	s.add('a type the stored response does not fit is refused (351)', [s.init(), s.set('cmi.interactions.0.id', 'q'),
		s.set('cmi.interactions.0.type', 'numeric'), s.set('cmi.interactions.0.learner_response', '5'),
		s.set('cmi.interactions.0.type', 'true-false', 351),
		s.diag("cmi.interactions.0.type: the interaction's stored responses do not fit this type", 351), s.get('cmi.interactions.0.type', 'numeric')]);
	s.add('a type that keeps fewer patterns than stored is refused', [s.init(), s.set('cmi.interactions.0.id', 'q'),
		s.set('cmi.interactions.0.type', 'fill-in'), s.set('cmi.interactions.0.correct_responses.0.pattern', 'a'),
		s.set('cmi.interactions.0.correct_responses.1.pattern', 'b'), s.set('cmi.interactions.0.type', 'other', 351),
		s.set('cmi.interactions.0.type', 'sequencing')]);
	s.add('a change to choice needs distinct patterns', [s.init(), s.set('cmi.interactions.0.id', 'q'),
		s.set('cmi.interactions.0.type', 'sequencing'), s.set('cmi.interactions.0.correct_responses.0.pattern', 'a[,]b'),
		s.set('cmi.interactions.0.correct_responses.1.pattern', 'b[,]a'), s.set('cmi.interactions.0.type', 'choice', 351),
		s.set('cmi.interactions.0.correct_responses.1.pattern', 'c'), s.set('cmi.interactions.0.type', 'choice')]);
}

{
	const s = suite('04-lms.json', '2004-4th', 'SCORM 2004 values the LMS computes: evaluated statuses, total time, entry, attempts');
	const TH = {'cmi.completion_threshold': '0.8'};
	s.add('threshold, no progress: unknown', [s.init(), s.get('cmi.completion_status', 'unknown'), s.set('cmi.completion_status', 'completed'),
		s.get('cmi.completion_status', 'unknown')], {initial: TH});
	s.add('threshold, progress above: completed', [s.init(), s.set('cmi.progress_measure', '0.9'), s.get('cmi.completion_status', 'completed')], {initial: TH});
	s.add('threshold, progress equal: completed', [s.init(), s.set('cmi.progress_measure', '0.80'), s.get('cmi.completion_status', 'completed')], {initial: TH});
	s.add('threshold, progress below: incomplete, whatever the SCO says', [s.init(), s.set('cmi.progress_measure', '0.5'),
		s.set('cmi.completion_status', 'completed'), s.get('cmi.completion_status', 'incomplete')], {initial: TH});
	s.add('threshold 0: any progress completes', [s.init(), s.set('cmi.progress_measure', '0'), s.get('cmi.completion_status', 'completed')],
		{initial: {'cmi.completion_threshold': '0'}});
	s.add('no threshold: the SCO decides', [s.init(), s.set('cmi.progress_measure', '0.1'), s.set('cmi.completion_status', 'completed'),
		s.get('cmi.completion_status', 'completed')]);
	s.add('no threshold, nothing set: unknown', [s.init(), s.set('cmi.progress_measure', '1'), s.get('cmi.completion_status', 'unknown')]);
	const PS = {'cmi.scaled_passing_score': '0.7'};
	s.add('passing score, no scaled score: unknown', [s.init(), s.set('cmi.success_status', 'passed'), s.get('cmi.success_status', 'unknown')], {initial: PS});
	s.add('passing score met: passed', [s.init(), s.set('cmi.score.scaled', '0.7'), s.get('cmi.success_status', 'passed')], {initial: PS});
	s.add('passing score missed: failed, whatever the SCO says', [s.init(), s.set('cmi.score.scaled', '0.69'), s.set('cmi.success_status', 'passed'),
		s.get('cmi.success_status', 'failed')], {initial: PS});
	s.add('negative passing score', [s.init(), s.set('cmi.score.scaled', '-0.5'), s.get('cmi.success_status', 'passed')],
		{initial: {'cmi.scaled_passing_score': '-0.6'}});
	s.add('no passing score: the SCO decides', [s.init(), s.set('cmi.score.scaled', '0.1'), s.set('cmi.success_status', 'passed'),
		s.get('cmi.success_status', 'passed')]);
	s.add('objective statuses are not evaluated', [s.init(), s.set('cmi.objectives.0.id', 'o'), s.set('cmi.objectives.0.score.scaled', '0'),
		s.set('cmi.objectives.0.success_status', 'passed'), s.get('cmi.objectives.0.success_status', 'passed')], {initial: PS});
	s.add('the stored record holds the evaluated statuses', [s.init(), s.set('cmi.progress_measure', '0.9'), s.set('cmi.completion_status', 'incomplete'),
		s.set('cmi.score.scaled', '0.2'), s.set('cmi.success_status', 'passed'), s.set('cmi.exit', 'suspend'), s.term(),
		s.lms('cmi.completion_status', 'completed'), s.lms('cmi.success_status', 'failed'), s.relaunch(), s.init(),
		s.get('cmi.completion_status', 'completed'), s.get('cmi.success_status', 'failed')], {initial: {...TH, ...PS}});
	s.add('session time adds up while suspended', [s.init(), s.set('cmi.session_time', 'PT1H30M'), s.set('cmi.exit', 'suspend'), s.term(),
		s.relaunch(), s.init(), s.get('cmi.total_time', 'PT1H30M0S'), s.get('cmi.entry', 'resume'), s.set('cmi.session_time', 'PT45M30.5S'),
		s.set('cmi.exit', 'suspend'), s.term(), s.relaunch(), s.init(), s.get('cmi.total_time', 'PT2H15M30.50S')]);
	s.add('days, months and years count 24h, 30 and 365 days', [s.init(), s.set('cmi.session_time', 'P1Y1M1DT1S'), s.set('cmi.exit', 'suspend'),
		s.term(), s.relaunch(), s.init(), s.get('cmi.total_time', 'PT9504H0M1S')]);
	s.add('hundredths of a second', [s.init(), s.set('cmi.session_time', 'PT0.05S'), s.set('cmi.exit', 'suspend'), s.term(), s.relaunch(), s.init(),
		s.get('cmi.total_time', 'PT0H0M0.05S')]);
	s.add('the last session_time counts, once', [s.init(), s.set('cmi.session_time', 'PT10M'), s.set('cmi.session_time', 'PT20M'), s.set('cmi.exit', 'suspend'),
		s.term(), s.lms('cmi.total_time', 'PT0H20M0S'), s.relaunch(), s.init(), s.set('cmi.exit', 'suspend'), s.term(), s.relaunch(), s.init(),
		s.get('cmi.total_time', 'PT0H20M0S')]);
	s.add('a seeded total time grows', [s.init(), s.set('cmi.session_time', 'PT30M'), s.set('cmi.exit', 'suspend'), s.term(), s.relaunch(),
		s.init(), s.get('cmi.total_time', 'PT2H0M0S')], {initial: {'cmi.total_time': 'PT1H30M'}});
	s.add('suspend keeps the attempt', [s.init(), s.set('cmi.location', 'p4'), s.set('cmi.suspend_data', 'x=1'), s.set('cmi.exit', 'suspend'), s.term(),
		s.relaunch(), s.init(), s.get('cmi.entry', 'resume'), s.get('cmi.location', 'p4'), s.get('cmi.suspend_data', 'x=1')]);
	for (const exit of ['', 'normal', 'logout', 'time-out'])
		s.add(`exit "${exit}" ends the attempt`, [s.init(), s.set('cmi.location', 'p4'), s.set('cmi.exit', exit), s.set('cmi.session_time', 'PT5M'), s.term(),
			s.relaunch(), s.init(), s.get('cmi.entry', 'ab-initio'), s.get('cmi.location', '', 403), s.get('cmi.total_time', 'PT0H0M0S'),
			s.get('cmi.learner_id', 'urn:l:1')], {initial: {'cmi.learner_id': 'urn:l:1'}});
	s.add('no exit ends the attempt', [s.init(), s.set('cmi.suspend_data', 'abc'), s.term(), s.relaunch(), s.init(), s.get('cmi.entry', 'ab-initio'),
		s.get('cmi.suspend_data', '', 403)]);
	s.add('suspendAll suspends without exit=suspend', [s.init(), s.set('cmi.location', 'p2'), s.set('adl.nav.request', 'suspendAll'), s.term(),
		s.relaunch(), s.init(), s.get('cmi.entry', 'resume'), s.get('cmi.location', 'p2'), s.get('adl.nav.request', '_none_')]);
	s.add('a new attempt restores the manifest objectives', [s.init(), s.set('cmi.objectives.0.success_status', 'passed'), s.set('cmi.objectives.1.id', 'o2'),
		s.term(), s.relaunch(), s.init(), s.get('cmi.objectives._count', '1'), s.get('cmi.objectives.0.success_status', 'unknown')],
	{initial: {'cmi.objectives.0.id': 'o1'}});
	s.add('a closed page still ends the session', [s.init(), s.set('cmi.session_time', 'PT1M'), s.set('cmi.exit', 'suspend'), s.relaunch(), s.init(),
		s.get('cmi.total_time', 'PT0H1M0S'), s.get('cmi.entry', 'resume')]);
	s.add('what the LMS reads after Terminate', [s.init(), s.set('cmi.score.scaled', '0.9'), s.set('adl.nav.request', '{target=m2}choice'), s.term(),
		s.lms('adl.nav.request', '{target=m2}choice'), s.lms('cmi.score.scaled', '0.9'), s.lms('cmi.location', null), s.lms('cmi.exit', null),
		s.lms('cmi.entry', '')]);
}

{
	const s = suite('04-3rd.json', '2004-3rd', 'SCORM 2004 3rd Edition packages: the 4th Edition model without adl.data and jump');
	s.add('the common model works', [s.init(), s.get('cmi._version', '1.0'), s.set('cmi.location', 'p'), s.get('cmi.location', 'p'),
		s.set('cmi.interactions.0.id', 'q'), s.set('cmi.interactions.0.type', 'long-fill-in'), s.term()]);
	for (const el of ['adl.data._count', 'adl.data._children', 'adl.data.0.id', 'adl.data.0.store', 'adl.data.0.readSharedData',
		'adl.data.0.writeSharedData', 'adl.nav.request_valid.jump.{target=a}'])
		s.add(`${el} is not a 3rd Edition element`, [s.init(), s.get(el, '', 401), s.set(el, 'x', 401)]);
	s.add('jump is not a 3rd Edition request', [s.init(), s.set('adl.nav.request', '{target=a}jump', 406), s.set('adl.nav.request', '{target=a}choice')]);
	s.add('choice validity works', [s.init(), s.get('adl.nav.request_valid.choice.{target=a}', 'unknown')]);
}

/* ---- write ---------------------------------------------------------------------------------- */
const dir = __dirname;
for (const f of fs.readdirSync(dir))
	if (f.endsWith('.json'))
		fs.unlinkSync(path.join(dir, f));
let total = 0;
for (const s of suites) {
	const lines = s.cases.map((c) => '  ' + JSON.stringify(c));
	const text = `{"version": ${JSON.stringify(s.version)}, "description": ${JSON.stringify(s.description)}, "cases": [\n${lines.join(',\n')}\n]}\n`;
	fs.writeFileSync(path.join(dir, s.file), text);
	total += s.cases.length;
	console.log(`${s.file}: ${s.cases.length} cases`);
}
console.log(`total: ${total} cases`);

/* The counts in README.md: cases per file and version, and per error code the cases and calls
 * that expect it (as the error after an API call). */
const codes12 = [0, 101, 201, 202, 203, 301, 401, 402, 403, 404, 405];
const codes04 = [0, 101, 102, 103, 104, 111, 112, 113, 122, 123, 132, 133, 142, 143, 201, 301, 351, 391, 401, 402, 403, 404,
	405, 406, 407, 408];
const per = {'1.2': {cases: 0, calls: 0, codes: {}}, '2004': {cases: 0, calls: 0, codes: {}}};
for (const s of suites) {
	const v = per[s.version === '1.2' ? '1.2' : '2004'];
	for (const c of s.cases) {
		v.cases++;
		const seen = new Set();
		for (const call of c.calls) {
			v.calls++;
			const err = call[3];
			if (err === null || call[0].startsWith('#'))
				continue;
			/* a getter repeats the error before it: count only calls that set it */
			if (/Get(LastError|ErrorString|Diagnostic)$/.test(call[0]))
				continue;
			v.codes[err] = v.codes[err] || {cases: 0, calls: 0};
			v.codes[err].calls++;
			if (!seen.has(err)) {
				seen.add(err);
				v.codes[err].cases++;
			}
		}
	}
}
const strings = {};
for (const s of suites)
	for (const c of s.cases)
		for (const call of c.calls)
			if (/GetErrorString$/.test(call[0]) && call[2] !== '')
				strings[(s.version === '1.2' ? '1.2:' : '2004:') + call[1][0]] = true;
const table = (ver, codes) => codes.map((code) => {
	const c = per[ver].codes[code] || {cases: 0, calls: 0};
	const text = strings[`${ver}:${code}`] ? 'yes' : 'no';
	return `| ${code} | ${c.cases} | ${c.calls} | ${text} |`;
}).join('\n');
const readme = `# Shared conformance vectors

Every case here runs three ways, against the one SCORM run-time data model (the C model in
\`runtime/cmi/\`): the C library directly (\`tests/rte/test_vectors.c\`, label \`unit\`, also under ASan
and valgrind), and the browser adapter running the model compiled to WebAssembly, in node
(\`tests/rte/vectors.test.js\`, label \`js\`) and in headless Chromium
(\`tests/rte/vectors.chromium.test.js\`, label \`browser\`; both through \`tests/rte/vector-runner.js\`).
A case that passes one way and fails another is a fault of the boundary between the adapter and
the model, and fails the build. \`#relaunch\` goes through the same storage round trip everywhere
(\`cmi_state_to_json\`, \`cmi_state_from_json\`, \`cmi_session_begin\`).

The JSON files are written by \`make-vectors.js\` from expectations written by hand from the
SCORM texts (\`../shared/reference/scorm-rte.md\`) and the readings listed in \`runtime/cmi/cmi_*.c\`;
the model does not compute them. After changing an expectation: \`node tests/vectors/make-vectors.js\`.

## Format

A file: \`{"version": "1.2" | "2004-3rd" | "2004-4th", "description", "cases": [case]}\`.
A case: \`{"name", "initial"?: {element: value}, "fail"?: ["initialize" | "commit" | "terminate"], "calls": [call]}\`:
\`initial\` is what the LMS seeds, \`fail\` makes the LMS's storage fail those calls.
A call: \`[function, [arguments], expected return, expected GetLastError()]\`, \`null\` = not checked.
Besides the API's own functions: \`#relaunch\` (the LMS ends the session, stores and reloads the
state, launches the SCO again; an ended 2004 attempt starts over from \`initial\`) and \`#get\`
(what the LMS reads for an element, \`null\` when nothing).

## Counts

${suites.map((s) => `- \`${s.file}\` (${s.version}): ${s.cases.length} cases. ${s.description}.`).join('\n')}

SCORM 1.2: ${per['1.2'].cases} cases, ${per['1.2'].calls} calls. SCORM 2004: ${per['2004'].cases} cases, ${per['2004'].calls} calls.
Total: ${total} cases.

Per error code: the cases and the calls that expect the code as the result of a call (getters
that only repeat it are not counted), and whether GetErrorString's text for it is checked.

SCORM 1.2:

| code | cases | calls | error string |
|---|---|---|---|
${table('1.2', codes12)}

SCORM 2004 (3rd and 4th Edition):

| code | cases | calls | error string |
|---|---|---|---|
${table('2004', codes04)}

402 (Unimplemented Data Model Element) is never raised: every element of the model is implemented.
2004's 101 (General Exception) is raised only when the LMS runs out of memory, which no vector can
cause; \`tests/rte/test_cmi.c\` and \`tests/rte/adapter.test.js\` cover what the vectors cannot
(storage and network failures in detail, the wire format, limits on stored data).
`;
fs.writeFileSync(path.join(dir, 'README.md'), readme);
