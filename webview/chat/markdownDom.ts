/**
 * Markdown tree -> DOM, with createElement and textContent only: no innerHTML, no src, no href.
 * Links show their text and target but are not followed; images are never loaded.
 */
import type { Block, Inline } from './markdown';

function inline(parent: HTMLElement, nodes: readonly Inline[]): void {
  for (const n of nodes) {
    switch (n.t) {
      case 'text':
        parent.append(document.createTextNode(n.v));
        break;
      case 'strong':
      case 'em': {
        const e = document.createElement(n.t);
        inline(e, n.c);
        parent.append(e);
        break;
      }
      case 'code': {
        const e = document.createElement('code');
        e.textContent = n.v;
        parent.append(e);
        break;
      }
      case 'link': {
        const e = document.createElement('span');
        e.className = 'md-link';
        e.title = n.href;
        inline(e, n.c);
        parent.append(e);
        const text = n.c.map((c) => (c.t === 'text' ? c.v : '')).join('');
        if (n.href && n.href !== text) parent.append(document.createTextNode(` (${n.href})`));
        break;
      }
      case 'image': {
        const e = document.createElement('span');
        e.className = 'md-image';
        e.textContent = `[image: ${n.alt || 'no description'}]`;
        parent.append(e);
        break;
      }
      case 'br':
        parent.append(document.createElement('br'));
        break;
    }
  }
}

export function renderBlocks(parent: HTMLElement, blocks: readonly Block[]): void {
  for (const b of blocks) {
    switch (b.t) {
      case 'p': {
        const e = document.createElement('p');
        inline(e, b.c);
        parent.append(e);
        break;
      }
      case 'h': {
        const e = document.createElement(`h${Math.min(6, Math.max(3, b.level + 2))}`);
        inline(e, b.c);
        parent.append(e);
        break;
      }
      case 'list': {
        const e = document.createElement(b.ordered ? 'ol' : 'ul');
        if (b.ordered && b.start !== 1) (e as HTMLOListElement).start = b.start;
        for (const item of b.items) {
          const li = document.createElement('li');
          inline(li, item);
          e.append(li);
        }
        parent.append(e);
        break;
      }
      case 'pre': {
        const pre = document.createElement('pre');
        const code = document.createElement('code');
        code.textContent = b.v;
        pre.append(code);
        parent.append(pre);
        break;
      }
      case 'quote': {
        const e = document.createElement('blockquote');
        renderBlocks(e, b.c);
        parent.append(e);
        break;
      }
      case 'hr':
        parent.append(document.createElement('hr'));
        break;
      case 'table': {
        const table = document.createElement('table');
        const head = document.createElement('tr');
        for (const c of b.head) {
          const th = document.createElement('th');
          inline(th, c);
          head.append(th);
        }
        table.append(head);
        for (const row of b.rows) {
          const tr = document.createElement('tr');
          for (const c of row) {
            const td = document.createElement('td');
            inline(td, c);
            tr.append(td);
          }
          table.append(tr);
        }
        parent.append(table);
        break;
      }
    }
  }
}
