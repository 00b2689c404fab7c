// Reads a card with a real CommonMark parser (markdown-it's commonmark preset: the same grammar as
// the cmark the compiler renders cards with) and collects what the content checks need: headings,
// links, images, raw HTML, setext headings, bare addresses, and the card's prose blocks for the
// readability score. Nothing is rendered.
//
// Prose: each paragraph (also inside list items and block quotes) is one block, so a list item
// without a full stop still counts as a sentence. Headings, code blocks, images, raw HTML,
// autolinks and bare addresses are not prose; links keep their text; emphasis and code marks go.
'use strict';

const { load } = require('./deps');

const MarkdownIt = load('markdown-it');
const parser = new MarkdownIt('commonmark', { html: true });

const BARE_URL_RE = /\b(?:https?:\/\/|www\.)[^\s)>\]]+/g;

// Walks an inline token's children. Calls visit(child, line) with the child's 1-based line.
function eachInline(inline, visit) {
  let line = inline.map ? inline.map[0] + 1 : 0;
  for (const c of inline.children || []) {
    visit(c, line);
    if (c.type === 'softbreak' || c.type === 'hardbreak') line++;
  }
}

// The text a reader would read from an inline token: link text kept, images, raw HTML, autolinks
// and bare addresses dropped, breaks as spaces.
function inlineText(inline) {
  let out = '';
  let autolink = 0;
  eachInline(inline, (c) => {
    if (c.type === 'link_open' && c.markup === 'autolink') autolink++;
    else if (c.type === 'link_close' && c.markup === 'autolink') autolink--;
    else if (autolink) return;
    else if (c.type === 'text') out += c.content.replace(BARE_URL_RE, ' ');
    else if (c.type === 'code_inline') out += c.content;
    else if (c.type === 'softbreak' || c.type === 'hardbreak') out += ' ';
    else if (c.type === 'image') out += ' ';
  });
  return out.replace(/\s+/g, ' ').trim();
}

// Returns { headings: [{level, text, line}], links: [{text, href, line}],
//   images: [{alt, src, line}], html: [{line, text}], setext: [line], bareUrls: [{url, line}],
//   blocks: [prose string], firstLine: line of the first block (1-based, 0 when empty) }.
function scanMarkdown(source) {
  const tokens = parser.parse(source, {});
  const out = { headings: [], links: [], images: [], html: [], setext: [], bareUrls: [],
    blocks: [], firstLine: 0 };
  let heading = null;
  for (const t of tokens) {
    if (t.map && !out.firstLine) out.firstLine = t.map[0] + 1;
    if (t.type === 'heading_open') {
      heading = { level: Number(t.tag.slice(1)), text: '', line: t.map[0] + 1 };
      if (t.markup === '=' || t.markup === '-') out.setext.push(t.map[1]);
    } else if (t.type === 'heading_close') {
      out.headings.push(heading);
      heading = null;
    } else if (t.type === 'html_block') {
      out.html.push({ line: t.map[0] + 1, text: t.content.trim().split('\n')[0] });
    } else if (t.type === 'inline') {
      scanInline(t, out);
      if (heading) heading.text = inlineText(t);
      else out.blocks.push(inlineText(t));
    }
  }
  out.blocks = out.blocks.filter(Boolean);
  return out;
}

function scanInline(inline, out) {
  let link = null;
  eachInline(inline, (c, line) => {
    if (c.type === 'link_open') {
      link = { text: '', href: c.attrGet('href'), line, autolink: c.markup === 'autolink' };
    } else if (c.type === 'link_close') {
      if (link.autolink) out.bareUrls.push({ url: link.href.replace(/^mailto:/, ''), line: link.line });
      else out.links.push({ text: link.text.replace(/\s+/g, ' ').trim(), href: link.href, line: link.line });
      link = null;
    } else if (c.type === 'image') {
      out.images.push({ alt: c.content.trim(), src: c.attrGet('src'), line });
    } else if (c.type === 'html_inline') {
      if (!out.html.some((h) => h.line === line)) out.html.push({ line, text: c.content }); // once per line
    } else if (c.type === 'text' || c.type === 'code_inline') {
      if (link) link.text += c.content;
      if (c.type === 'text' && !(link && link.autolink)) for (const m of c.content.matchAll(BARE_URL_RE)) out.bareUrls.push({ url: m[0], line });
    } else if (c.type === 'softbreak' || c.type === 'hardbreak') {
      if (link) link.text += ' ';
    }
  });
}

module.exports = { scanMarkdown };
