// A line-based scanner for the CommonMark that postcard cards use: ATX headings, paragraphs,
// lists, block quotes, simple tables, links, images, emphasis and code. It does not render
// anything; it finds what the content checks need (headings, links, images, raw HTML, setext
// headings) and turns the card into plain prose blocks for the readability score.
//
// Prose extraction, in order: fenced code is dropped; headings are kept apart (not prose);
// list markers, quote markers and table pipes are removed; images are dropped (their alt text is
// checked by the lint, not scored); links keep their text and lose their URL; autolinks and bare
// URLs are dropped; emphasis and code marks are removed. Each paragraph and each list item is one
// block, so an item without a full stop still counts as a sentence.
'use strict';

const IMAGE_RE = /!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;
const LINK_RE = /(?<!!)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;
const AUTOLINK_RE = /<((?:https?|mailto|ftp):[^>\s]*)>/g;
const BARE_URL_RE = /\b(?:https?:\/\/|www\.)[^\s)>\]]+/g;
const REF_LINK_RE = /(?<!!)\[([^\]]+)\]\[([^\]]*)\]/g;
const HTML_RE = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>|<!--/;

function stripInline(text) {
  return text
    .replace(IMAGE_RE, ' ')
    .replace(LINK_RE, '$1')
    .replace(REF_LINK_RE, '$1')
    .replace(AUTOLINK_RE, ' ')
    .replace(BARE_URL_RE, ' ')
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(\*|_)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/\\([\\`*_{}[\]()#+\-.!|>])/g, '$1');
}

// Returns { headings: [{level, text, line}], links: [{text, href, line}],
//   images: [{alt, src, line}], html: [{line, text}], setext: [line], bareUrls: [{url, line}],
//   blocks: [prose string], firstLine: index of first non-blank line (1-based) }.
function scanMarkdown(source) {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out = { headings: [], links: [], images: [], html: [], setext: [], bareUrls: [],
    blocks: [], firstLine: 0 };
  let para = [];
  let fence = null;
  const flush = () => {
    if (para.length) out.blocks.push(stripInline(para.join(' ')).trim());
    para = [];
  };

  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.replace(/\t/g, '    ');
    if (!out.firstLine && line.trim()) out.firstLine = lineNo;

    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length) fence = null;
      return;
    }
    if (fenceMatch) { flush(); fence = fenceMatch[1]; return; }

    if (!line.trim()) { flush(); return; }

    // Setext heading underline right after paragraph text.
    if (para.length && /^ {0,3}(=+|-+)\s*$/.test(line)) { out.setext.push(lineNo); flush(); return; }

    const heading = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      out.headings.push({ level: heading[1].length, text: stripInline(heading[2] || '').trim(), line: lineNo });
      scanInline(heading[2] || '', lineNo, out);
      return;
    }
    if (/^ {0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) { flush(); return; } // thematic break

    let body = line;
    let startsBlock = false;
    const quote = /^ {0,3}>\s?/.exec(body);
    if (quote) body = body.slice(quote[0].length);
    const item = /^\s*(?:[-*+]|\d{1,9}[.)])\s+/.exec(body);
    if (item) { body = body.slice(item[0].length); startsBlock = true; }
    if (/^\s*\|/.test(body)) {
      if (/^\s*\|?[\s:|-]+\|?\s*$/.test(body) && body.includes('-')) return; // table rule
      body = body.replace(/\|/g, ' ; ');
      startsBlock = true;
    }
    scanInline(body, lineNo, out);
    if (startsBlock) flush();
    para.push(body.trim());
  });
  flush();
  out.blocks = out.blocks.filter(Boolean);
  return out;
}

function scanInline(text, lineNo, out) {
  // matchAll works on a copy of the regex, so stripInline (which reuses the same global regexes)
  // cannot reset the position of a loop in progress.
  for (const m of text.matchAll(IMAGE_RE)) out.images.push({ alt: m[1].trim(), src: m[2], line: lineNo });
  for (const m of text.matchAll(LINK_RE)) out.links.push({ text: stripInline(m[1]).trim(), href: m[2], line: lineNo });
  for (const m of text.matchAll(AUTOLINK_RE)) out.bareUrls.push({ url: m[1], line: lineNo });
  const withoutLinks = text.replace(IMAGE_RE, ' ').replace(LINK_RE, ' ').replace(AUTOLINK_RE, ' ');
  for (const m of withoutLinks.matchAll(BARE_URL_RE)) out.bareUrls.push({ url: m[0], line: lineNo });
  const code = text.replace(/`[^`]*`/g, '');
  const html = HTML_RE.exec(code.replace(AUTOLINK_RE, ' '));
  if (html) out.html.push({ line: lineNo, text: html[0] });
}

module.exports = { scanMarkdown, stripInline };
