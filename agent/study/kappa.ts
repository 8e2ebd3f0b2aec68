/**
 * Cohen's kappa (Cohen 1960): agreement between two raters (here two models) beyond chance,
 * κ = (p_o - p_e) / (1 - p_e). Its standard error is the large-sample one of Fleiss, Cohen &
 * Everitt (1969), the interval κ ± z·SE (the formula statsmodels' cohens_kappa uses).
 */
import type { StudyEstimate } from '../protocol';
import { zForConfidence } from './normal';

/** Cohen's kappa of a K×K agreement table (rows rater A, columns rater B) with its CI. */
export function cohensKappa(table: readonly (readonly number[])[], confidence = 0.95): StudyEstimate {
  const k = table.length;
  let n = 0;
  for (const row of table) for (const v of row) n += v;
  if (n === 0) return { value: null, ci: null, n: 0, method: null, note: 'no paired cases' };
  const p = table.map((row) => row.map((v) => v / n));
  const rowM = p.map((row) => row.reduce((s, v) => s + v, 0));
  const colM = p[0].map((_, j) => p.reduce((s, row) => s + row[j], 0));
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) {
    po += p[i][i];
    pe += rowM[i] * colM[i];
  }
  if (pe >= 1 - 1e-15) {
    return {
      value: null,
      ci: null,
      n,
      method: null,
      note: 'both raters used one same category only: kappa undefined',
    };
  }
  const kappa = (po - pe) / (1 - pe);
  // Fleiss, Cohen & Everitt (1969), eq. (13).
  let a = 0;
  let b = 0;
  for (let i = 0; i < k; i++) {
    a += p[i][i] * (1 - (rowM[i] + colM[i]) * (1 - kappa)) ** 2;
    for (let j = 0; j < k; j++) if (i !== j) b += p[i][j] * (colM[i] + rowM[j]) ** 2;
  }
  b *= (1 - kappa) ** 2;
  const c = (kappa - pe * (1 - kappa)) ** 2;
  const variance = (a + b - c) / ((1 - pe) ** 2 * n);
  const se = Math.sqrt(Math.max(0, variance));
  const z = zForConfidence(confidence);
  return {
    value: kappa,
    ci: [Math.max(-1, kappa - z * se), Math.min(1, kappa + z * se)],
    n,
    method: 'fleiss-cohen-everitt',
  };
}
