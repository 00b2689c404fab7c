// Reads postcard module.xml and course.xml with a real XML parser (@xmldom/xmldom) and turns the
// document into plain objects for the lint: { name, attrs, children, text, line }. Every parser
// warning or error is a failure (xmldom recovers from a mismatched end tag with only a warning),
// and so is a DOCTYPE (postcard sources never declare entities). The files are also validated
// against the project's XSDs with xmllint, which judges everything else.
'use strict';

const { load } = require('./deps');

const { DOMParser } = load('@xmldom/xmldom');

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;

function convert(node) {
  const el = { name: node.localName || node.nodeName, attrs: {}, children: [], text: '', line: node.lineNumber || 1 };
  for (let i = 0; i < node.attributes.length; i++) {
    const a = node.attributes[i];
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
    el.attrs[a.name] = a.value;
  }
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === ELEMENT) el.children.push(convert(c));
    else if (c.nodeType === TEXT || c.nodeType === CDATA) el.text += c.data;
  }
  return el;
}

// Returns the root element. Throws "file:line: message" on anything the parser objects to.
function parseXml(source, file = '<xml>') {
  const problems = [];
  const report = (msg) => {
    const m = /\[line:(\d+),col:\d+\]/.exec(String(msg));
    const text = String(msg).replace(/^\[xmldom \w+\]\s*/, '').split('\n')[0];
    problems.push(`${file}:${m ? m[1] : 1}: ${text}`);
  };
  const doc = new DOMParser({ locator: {}, errorHandler: { warning: report, error: report, fatalError: report } })
    .parseFromString(source, 'text/xml');
  if (doc.doctype) problems.push(`${file}:${doc.doctype.lineNumber || 1}: DOCTYPE and declarations are not allowed`);
  for (let c = doc.firstChild; c; c = c.nextSibling) {
    if ((c.nodeType === TEXT || c.nodeType === CDATA) && c.data.trim()) problems.push(`${file}:${c.lineNumber || 1}: text outside the root element`);
  }
  if (!problems.length && !doc.documentElement) problems.push(`${file}:1: no root element`);
  if (problems.length) throw new Error(problems.join('\n'));
  return convert(doc.documentElement);
}

const kids = (el, name) => el.children.filter((c) => c.name === name);
const kid = (el, name) => el.children.find((c) => c.name === name);

module.exports = { parseXml, kids, kid };
