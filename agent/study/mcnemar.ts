/**
 * McNemar's test (McNemar 1947) on paired correctness: do two models err on different cases
 * more often in one direction than the other? Only the discordant pairs count:
 * b = A right and B wrong, c = A wrong and B right.
 */
import type { StudyMcNemar } from '../protocol';
import { binomialCdf } from './binomial';
import { chiSquareSf } from './chiSquare';

/** Exact two-sided p-value: 2 · P(X <= min(b, c)), X ~ Bin(b + c, ½), capped at 1. */
export function mcnemarExactP(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialCdf(Math.min(b, c), n, 0.5));
}

/** Continuity-corrected statistic (max(0, |b - c| - 1))² / (b + c); 0 when b + c = 0. */
export function mcnemarChiSquare(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 0;
  return Math.max(0, Math.abs(b - c) - 1) ** 2 / n;
}

/** Both tests from the paired correctness of A and B (true = correct). */
export function mcnemarTest(correctA: readonly boolean[], correctB: readonly boolean[]): StudyMcNemar {
  if (correctA.length !== correctB.length) throw new RangeError('McNemar needs paired cases');
  let aOnly = 0;
  let bOnly = 0;
  let bothCorrect = 0;
  let bothWrong = 0;
  for (let i = 0; i < correctA.length; i++) {
    if (correctA[i] && correctB[i]) bothCorrect++;
    else if (correctA[i]) aOnly++;
    else if (correctB[i]) bOnly++;
    else bothWrong++;
  }
  const chiSquare = mcnemarChiSquare(aOnly, bOnly);
  return {
    aOnly,
    bOnly,
    bothCorrect,
    bothWrong,
    exactP: mcnemarExactP(aOnly, bOnly),
    chiSquare,
    chiSquareP: chiSquareSf(chiSquare, 1),
  };
}
