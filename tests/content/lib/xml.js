// A small XML reader for the content tests: enough for postcard module.xml and course.xml
// (elements, attributes, text, comments, CDATA, the five named entities and numeric references).
// It is not a general parser: the files it reads are also validated against the project's XSDs
// with xmllint, which is the real judge of well-formedness. Each element records its line so
// lint findings can point at the source.
'use strict';

const NAMED = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text, where) {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (all, ent) => {
    if (ent[0] === '#') {
      const code = ent[1] === 'x' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return String.fromCodePoint(code);
    }
    if (!(ent in NAMED)) throw new Error(`${where}: unknown entity &${ent};`);
    return NAMED[ent];
  });
}

// Returns the root element: { name, attrs, children, text, line }. `text` is the concatenated
// character data directly inside the element. Namespace prefixes are kept as written; postcard
// files use a default namespace, so names are plain.
function parseXml(source, file = '<xml>') {
  let pos = 0;
  let line = 1;
  const stack = [];
  let root = null;

  const advance = (n) => {
    for (let i = 0; i < n; i++) if (source.charCodeAt(pos + i) === 10) line++;
    pos += n;
  };
  const fail = (msg) => { throw new Error(`${file}:${line}: ${msg}`); };

  while (pos < source.length) {
    if (source.startsWith('<?', pos)) {
      const end = source.indexOf('?>', pos);
      if (end < 0) fail('unterminated processing instruction');
      advance(end + 2 - pos);
    } else if (source.startsWith('<!--', pos)) {
      const end = source.indexOf('-->', pos);
      if (end < 0) fail('unterminated comment');
      advance(end + 3 - pos);
    } else if (source.startsWith('<![CDATA[', pos)) {
      const end = source.indexOf(']]>', pos);
      if (end < 0) fail('unterminated CDATA');
      if (!stack.length) fail('text outside the root element');
      stack[stack.length - 1].text += source.slice(pos + 9, end);
      advance(end + 3 - pos);
    } else if (source.startsWith('<!', pos)) {
      fail('DOCTYPE and declarations are not allowed');
    } else if (source.startsWith('</', pos)) {
      const m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(source.slice(pos, pos + 200));
      if (!m) fail('malformed end tag');
      const open = stack.pop();
      if (!open || open.name !== m[1]) fail(`end tag </${m[1]}> does not match`);
      advance(m[0].length);
    } else if (source[pos] === '<') {
      const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/
        .exec(source.slice(pos, pos + 4000));
      if (!m) fail('malformed start tag');
      const el = { name: m[1], attrs: {}, children: [], text: '', line };
      const attrRe = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
      let a;
      while ((a = attrRe.exec(m[2])) !== null) {
        if (a[1] in el.attrs) fail(`duplicate attribute ${a[1]}`);
        el.attrs[a[1]] = decode(a[2] !== undefined ? a[2] : a[3], `${file}:${line}`);
      }
      if (stack.length) stack[stack.length - 1].children.push(el);
      else if (root) fail('more than one root element');
      else root = el;
      if (!m[3]) stack.push(el);
      advance(m[0].length);
    } else {
      let end = source.indexOf('<', pos);
      if (end < 0) end = source.length;
      const raw = source.slice(pos, end);
      if (stack.length) stack[stack.length - 1].text += decode(raw, `${file}:${line}`);
      else if (raw.trim()) fail('text outside the root element');
      advance(end - pos);
    }
  }
  if (stack.length) fail(`element <${stack[stack.length - 1].name}> is not closed`);
  if (!root) fail('no root element');
  return root;
}

const kids = (el, name) => el.children.filter((c) => c.name === name);
const kid = (el, name) => el.children.find((c) => c.name === name);

module.exports = { parseXml, kids, kid };
