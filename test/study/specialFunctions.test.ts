import * as assert from 'node:assert/strict';
import { binomialCdf } from '../../agent/study/binomial';
import { chiSquareCdf, chiSquareSf } from '../../agent/study/chiSquare';
import { lnGamma, regularizedGammaP, regularizedGammaQ } from '../../agent/study/gamma';
import { erf, erfc, normalCdf, normalQuantile, normalSf, zForConfidence } from '../../agent/study/normal';
import { reference } from './reference';

/** Relative error, with an absolute floor for values near 0. */
function relErr(a: number, e: number): number {
  return Math.abs(a - e) / Math.max(Math.abs(e), 1e-300);
}

describe('study special functions vs scipy', () => {
  const s = reference.special;

  it('lnGamma matches math.lgamma to 1e-13 relative', () => {
    for (const [x, e] of s.lnGamma)
      assert.ok(Math.abs(lnGamma(x) - e) <= 1e-13 * Math.max(1, Math.abs(e)), `lnGamma(${x})`);
  });

  it('regularized incomplete gamma P and Q match scipy gammainc/gammaincc to 1e-12 relative', () => {
    for (const [a, x, p, q] of s.gammaP) {
      assert.ok(
        relErr(regularizedGammaP(a, x), p) < 1e-12,
        `P(${a}, ${x}) = ${regularizedGammaP(a, x)} vs ${p}`,
      );
      assert.ok(
        relErr(regularizedGammaQ(a, x), q) < 1e-12,
        `Q(${a}, ${x}) = ${regularizedGammaQ(a, x)} vs ${q}`,
      );
    }
  });

  it('erf and erfc match scipy, erfc keeping relative precision in the tail', () => {
    for (const [x, e, ec] of s.erf) {
      assert.ok(Math.abs(erf(x) - e) < 1e-15, `erf(${x})`);
      assert.ok(relErr(erfc(x), ec) < 1e-12, `erfc(${x}) = ${erfc(x)} vs ${ec}`);
    }
  });

  it('normal CDF and survival match scipy to 1e-12 relative (z from -8 to 7)', () => {
    for (const [z, cdf, sf] of s.normal) {
      assert.ok(relErr(normalCdf(z), cdf) < 1e-12, `cdf(${z})`);
      assert.ok(relErr(normalSf(z), sf) < 1e-12, `sf(${z})`);
    }
  });

  it('normal quantile (AS 241) matches scipy norm.ppf to 1e-14, and 0.95 gives 1.959963984540054', () => {
    for (const [p, z] of s.quantile)
      assert.ok(Math.abs(normalQuantile(p) - z) <= 1e-14 * Math.max(1, Math.abs(z)), `ppf(${p})`);
    assert.ok(Math.abs(zForConfidence(0.95) - 1.959963984540054) < 1e-15);
    assert.equal(normalQuantile(0), -Infinity);
    assert.ok(Number.isNaN(normalQuantile(1.5)));
  });

  it('chi-square CDF and survival match scipy chi2 for df 1 to 100', () => {
    for (const [x, k, cdf, sf] of s.chiSquare) {
      assert.ok(relErr(chiSquareCdf(x, k), cdf) < 1e-11, `cdf(${x}, ${k})`);
      assert.ok(relErr(chiSquareSf(x, k), sf) < 1e-11, `sf(${x}, ${k}) = ${chiSquareSf(x, k)} vs ${sf}`);
    }
    // 3.841458820694124 is the 95 % point of chi-square(1).
    assert.ok(Math.abs(chiSquareSf(3.841458820694124, 1) - 0.05) < 1e-14);
  });

  it('binomial CDF matches scipy binom.cdf up to n = 3000', () => {
    for (const [k, n, e] of s.binomialCdf)
      assert.ok(relErr(binomialCdf(k, n, 0.5), e) < 1e-9, `cdf(${k}; ${n})`);
    // By hand: P(X <= 2), X ~ Bin(11, 1/2) = (1 + 11 + 55) / 2048.
    assert.ok(Math.abs(binomialCdf(2, 11, 0.5) - 67 / 2048) < 1e-15);
  });
});
