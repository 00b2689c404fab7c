// The parsers the content checks use: markdown-it (CommonMark, like the cmark the compiler renders
// cards with) and @xmldom/xmldom (a DOM parser with line numbers). Both come from Debian
// (node-markdown-it, node-xmldom, installed by `make deps`) under /usr/share/nodejs, which a
// NodeSource node does not search; an npm copy is used first when one is installed.
'use strict';

const path = require('node:path');

const DEBIAN_NODE = '/usr/share/nodejs';
const DEBIAN_PACKAGE = { 'markdown-it': 'node-markdown-it', '@xmldom/xmldom': 'node-xmldom' };

function load(name) {
  try {
    return require(name);
  } catch (err) {
    if (err.code !== 'MODULE_NOT_FOUND') throw err;
  }
  try {
    return require(path.join(DEBIAN_NODE, name));
  } catch (err) {
    if (err.code !== 'MODULE_NOT_FOUND') throw err;
    throw new Error(`${name} is not installed: run make deps (Debian package ${DEBIAN_PACKAGE[name]})`);
  }
}

module.exports = { load };
