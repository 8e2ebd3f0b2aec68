/** ROC curves as an inline SVG (no script, no external reference), for the HTML reports. */
import type { StudyRocPoint } from '../protocol';
import { escapeHtml } from './escapeHtml';

export interface SvgCurve {
  name: string;
  points: readonly StudyRocPoint[];
  /** Legend text after the name, e.g. "AUROC 0.91 (0.88–0.94)". */
  legend: string;
  dashed?: boolean;
}

/** Colour-blind-safe palette (Okabe & Ito 2008). */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#F0E442',
  '#000000',
];

export function rocSvg(curves: readonly SvgCurve[], title: string, size = 320): string {
  const m = { left: 44, right: 12, top: 12, bottom: 40 };
  // Room for the legend text on the right of the plot width.
  const w = size + 200;
  const legendHeight = 18 * curves.length + 8;
  const h = size + legendHeight;
  const plot = size - m.left - m.right;
  const x = (fpr: number) => (m.left + fpr * plot).toFixed(1);
  const y = (tpr: number) => (m.top + (1 - tpr) * plot).toFixed(1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeHtml(title)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<rect x="${m.left}" y="${m.top}" width="${plot}" height="${plot}" fill="#fff" stroke="#888"/>`,
  ];
  for (let t = 0; t <= 5; t++) {
    const v = t / 5;
    parts.push(
      `<line x1="${x(v)}" y1="${y(0)}" x2="${x(v)}" y2="${y(1)}" stroke="#eee"/>`,
      `<line x1="${x(0)}" y1="${y(v)}" x2="${x(1)}" y2="${y(v)}" stroke="#eee"/>`,
      `<text x="${x(v)}" y="${(m.top + plot + 14).toFixed(1)}" font-size="10" text-anchor="middle">${v.toFixed(1)}</text>`,
      `<text x="${m.left - 4}" y="${(Number(y(v)) + 3).toFixed(1)}" font-size="10" text-anchor="end">${v.toFixed(1)}</text>`,
    );
  }
  parts.push(
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#aaa" stroke-dasharray="4 4"/>`,
    `<text x="${m.left + plot / 2}" y="${m.top + plot + 30}" font-size="11" text-anchor="middle">1 − specificity (false-positive rate)</text>`,
    `<text x="12" y="${m.top + plot / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${m.top + plot / 2})">sensitivity</text>`,
  );
  curves.forEach((c, i) => {
    const colour = PALETTE[i % PALETTE.length];
    const pts = c.points.map((p) => `${x(p.fpr)},${y(p.tpr)}`).join(' ');
    const dash = c.dashed ? ' stroke-dasharray="6 3"' : '';
    parts.push(`<polyline points="${pts}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`);
    const ly = size + 14 + 18 * i;
    parts.push(
      `<line x1="${m.left}" y1="${ly - 4}" x2="${m.left + 22}" y2="${ly - 4}" stroke="${colour}" stroke-width="2"${dash}/>`,
      `<text x="${m.left + 28}" y="${ly}" font-size="11">${escapeHtml(c.name)}: ${escapeHtml(c.legend)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
