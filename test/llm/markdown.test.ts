import * as assert from 'node:assert/strict';
import { parseInline, parseMarkdown, type Block, type Inline } from '../../webview/chat/markdown';

/** Everything text-like in a tree, to check what a user would read. */
function textOf(nodes: readonly (Inline | Block)[]): string {
  return nodes
    .map((n) => {
      switch (n.t) {
        case 'text':
        case 'code':
          return n.v;
        case 'pre':
          return n.v;
        case 'strong':
        case 'em':
        case 'p':
        case 'h':
        case 'link':
          return textOf(n.c);
        case 'quote':
          return textOf(n.c);
        case 'list':
          return n.items.map(textOf).join('\n');
        case 'image':
          return `[image: ${n.alt}]`;
        case 'table':
          return [...n.head, ...n.rows.flat()].map(textOf).join(' ');
        default:
          return '';
      }
    })
    .join('');
}

describe('chat markdown (no HTML, nothing fetched)', () => {
  it('reads the structures model answers use', () => {
    const blocks = parseMarkdown(
      [
        '## Summary',
        'The model is **fairly** sure (*p* = 0.81) of `pneumonia`.',
        '',
        '- sensitivity 0.91',
        '- specificity 0.72',
        '',
        '1. first',
        '2. second',
        '',
        '> a quote',
        '',
        '```python',
        'print("<b>")',
        '```',
        '',
        '| metric | value |',
        '|---|---:|',
        '| AUROC | 0.93 |',
        '',
        '---',
      ].join('\n'),
    );
    assert.deepEqual(
      blocks.map((b) => b.t),
      ['h', 'p', 'list', 'list', 'quote', 'pre', 'table', 'hr'],
    );
    const [h, p, ul, ol, , pre, table] = blocks as [
      Extract<Block, { t: 'h' }>,
      Extract<Block, { t: 'p' }>,
      Extract<Block, { t: 'list' }>,
      Extract<Block, { t: 'list' }>,
      Block,
      Extract<Block, { t: 'pre' }>,
      Extract<Block, { t: 'table' }>,
    ];
    assert.equal(h.level, 2);
    assert.deepEqual(
      p.c.map((c) => c.t),
      ['text', 'strong', 'text', 'em', 'text', 'code', 'text'],
    );
    assert.equal(ul.ordered, false);
    assert.equal(ul.items.length, 2);
    assert.equal(ol.ordered, true);
    assert.deepEqual([pre.lang, pre.v], ['python', 'print("<b>")']);
    assert.equal(textOf(table.rows[0][1]), '0.93');
  });

  it('keeps raw HTML as text and never turns an image into something loaded', () => {
    const src =
      'Hi <img src="http://evil.example/x.png" onerror="alert(1)"> ![scan](http://evil.example/y.png) <script>alert(1)</script>';
    const blocks = parseMarkdown(src);
    const inline = (blocks[0] as Extract<Block, { t: 'p' }>).c;
    assert.ok(inline.some((n) => n.t === 'image' && n.alt === 'scan'));
    assert.ok(!inline.some((n) => n.t === 'image' && 'src' in n));
    assert.match(textOf(inline), /<img src="http:\/\/evil\.example\/x\.png" onerror="alert\(1\)">/);
    assert.match(textOf(inline), /<script>alert\(1\)<\/script>/);
  });

  it('reads links as text plus target, and escapes', () => {
    const link = parseInline('see [the card](https://example.org/card) and \\*not emphasis\\*');
    const l = link.find((n) => n.t === 'link') as Extract<Inline, { t: 'link' }>;
    assert.equal(l.href, 'https://example.org/card');
    assert.equal(textOf(l.c), 'the card');
    assert.match(textOf(link), /\*not emphasis\*/);
  });

  it('renders an answer that is still streaming (unclosed fence, dangling emphasis)', () => {
    const blocks = parseMarkdown('Code:\n\n```\nx = 1\ny = **2');
    assert.deepEqual(
      blocks.map((b) => b.t),
      ['p', 'pre'],
    );
    assert.equal((blocks[1] as Extract<Block, { t: 'pre' }>).v, 'x = 1\ny = **2');
    assert.equal(textOf(parseInline('a **b')), 'a **b');
  });
});
