/**
 * A small Markdown reader for model answers: paragraphs, headings, lists, block quotes, fenced
 * code, tables, emphasis, inline code and links. It produces a tree, never HTML: the chat turns
 * the tree into DOM nodes with textContent (markdownDom.ts), so raw HTML in an answer shows as
 * text, and nothing is ever fetched (images become "[image: alt]", links are not followed).
 * DOM-free, so it is unit-tested in Node.
 */

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'code'; v: string }
  | { t: 'link'; c: Inline[]; href: string }
  | { t: 'image'; alt: string }
  | { t: 'br' };

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; level: number; c: Inline[] }
  | { t: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { t: 'pre'; lang: string; v: string }
  | { t: 'quote'; c: Block[] }
  | { t: 'hr' }
  | { t: 'table'; head: Inline[][]; rows: Inline[][][] };

/** Finds the closing `close` after `from`, skipping escaped characters. */
function findClose(s: string, close: string, from: number): number {
  for (let i = from; i <= s.length - close.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s.startsWith(close, i)) return i;
  }
  return -1;
}

export function parseInline(s: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ t: 'text', v: text });
    text = '';
  };
  for (let i = 0; i < s.length;) {
    const ch = s[i];
    if (ch === '\\' && i + 1 < s.length && /[\\`*_[\]()#+\-.!|<>~]/.test(s[i + 1])) {
      text += s[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      let ticks = 1;
      while (s[i + ticks] === '`') ticks++;
      const fence = '`'.repeat(ticks);
      const end = s.indexOf(fence, i + ticks);
      if (end !== -1) {
        flush();
        out.push({ t: 'code', v: s.slice(i + ticks, end).trim() });
        i = end + ticks;
        continue;
      }
    }
    if ((ch === '*' || ch === '_') && s[i + 1] === ch) {
      const end = findClose(s, ch + ch, i + 2);
      if (end > i + 2) {
        flush();
        out.push({ t: 'strong', c: parseInline(s.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if (ch === '*' || (ch === '_' && (i === 0 || /\W/.test(s[i - 1])))) {
      const end = findClose(s, ch, i + 1);
      if (end > i + 1 && s[i + 1] !== ' ' && (ch === '*' || end + 1 >= s.length || /\W/.test(s[end + 1]))) {
        flush();
        out.push({ t: 'em', c: parseInline(s.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (ch === '!' && s[i + 1] === '[') {
      const close = findClose(s, ']', i + 2);
      if (close !== -1 && s[close + 1] === '(') {
        const end = findClose(s, ')', close + 2);
        if (end !== -1) {
          flush();
          out.push({ t: 'image', alt: s.slice(i + 2, close) });
          i = end + 1;
          continue;
        }
      }
    }
    if (ch === '[') {
      const close = findClose(s, ']', i + 1);
      if (close !== -1 && s[close + 1] === '(') {
        const end = findClose(s, ')', close + 2);
        if (end !== -1) {
          flush();
          out.push({
            t: 'link',
            c: parseInline(s.slice(i + 1, close)),
            href: s.slice(close + 2, end).trim(),
          });
          i = end + 1;
          continue;
        }
      }
    }
    if (ch === '\n') {
      if (text.endsWith('  ') || text.endsWith('\\')) {
        text = text.replace(/( {2,}|\\)$/, '');
        flush();
        out.push({ t: 'br' });
      } else text += ' ';
      i++;
      continue;
    }
    text += ch;
    i++;
  }
  flush();
  return out;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const HR = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const BULLET = /^ {0,3}[-*+]\s+(.*)$/;
const ORDERED = /^ {0,3}(\d{1,9})[.)]\s+(.*)$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

function cells(line: string): string[] {
  let l = line.trim();
  if (l.startsWith('|')) l = l.slice(1);
  if (l.endsWith('|') && !l.endsWith('\\|')) l = l.slice(0, -1);
  return l.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

export function parseMarkdown(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  const isBlockStart = (l: string) =>
    FENCE.test(l) || HEADING.test(l) || HR.test(l) || BULLET.test(l) || ORDERED.test(l) || QUOTE.test(l);
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      // An unclosed fence (an answer still streaming) runs to the end.
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      i++;
      blocks.push({ t: 'pre', lang: fence[2], v: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ t: 'h', level: heading[1].length, c: parseInline(heading[2]) });
      i++;
      continue;
    }
    if (HR.test(line)) {
      blocks.push({ t: 'hr' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && lines[i].trim() && QUOTE.test(lines[i]))
        body.push(QUOTE.exec(lines[i++])![1]);
      blocks.push({ t: 'quote', c: parseMarkdown(body.join('\n')) });
      continue;
    }
    const bullet = BULLET.exec(line);
    const ordered = ORDERED.exec(line);
    if (bullet || ordered) {
      const isOrdered = !bullet;
      const re = isOrdered ? ORDERED : BULLET;
      const items: string[] = [];
      while (i < lines.length) {
        const l = lines[i];
        const m = re.exec(l);
        if (m) {
          items.push(isOrdered ? m[2] : m[1]);
          i++;
        } else if (l.trim() && /^\s{2,}/.test(l) && items.length) {
          items[items.length - 1] += '\n' + l.trim();
          i++;
        } else if (!l.trim() && i + 1 < lines.length && re.test(lines[i + 1])) {
          i++;
        } else break;
      }
      blocks.push({
        t: 'list',
        ordered: isOrdered,
        start: isOrdered ? Number(ordered![1]) : 1,
        items: items.map(parseInline),
      });
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_RULE.test(lines[i + 1])) {
      const head = cells(line).map(parseInline);
      i += 2;
      const rows: Inline[][][] = [];
      while (i < lines.length && lines[i].trim() && lines[i].includes('|'))
        rows.push(cells(lines[i++]).map(parseInline));
      blocks.push({ t: 'table', head, rows });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i].trim() && !(para.length && isBlockStart(lines[i])))
      para.push(lines[i++]);
    blocks.push({ t: 'p', c: parseInline(para.join('\n')) });
  }
  return blocks;
}
