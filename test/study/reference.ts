/** Typed access to test/fixtures/study_reference.json (made by test/fixtures/make_study_reference.py). */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RocRef {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}
export interface DelongRef {
  auc: number;
  variance: number;
  ci: [number, number];
}
export interface BinaryRef {
  name: string;
  truth: number[];
  scores: number[];
  auroc: number;
  roc: RocRef;
  rocAllPoints: number;
  delong: DelongRef;
}
export interface BootstrapRef {
  replicates: number;
  seed: number;
  first10: number[];
  balancedAccuracy: [number, number];
  macroF1: [number, number];
  macroAuroc: [number, number];
  classF1: [number, number][];
}
export interface ModelRef {
  probabilities: number[][];
  prediction: number[];
  confusion: number[][];
  accuracy: number;
  balancedAccuracy: number;
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  specificity: number[];
  npv: number[];
  macroF1: number;
  macroAuroc: number;
  classes: { auroc: number; delong: DelongRef; roc: RocRef; sensitivityWilson: [number, number] }[];
  bootstrap: BootstrapRef;
}
export interface StudyReference {
  versions: Record<string, string>;
  special: {
    lnGamma: [number, number][];
    gammaP: [number, number, number, number][];
    erf: [number, number, number][];
    normal: [number, number, number][];
    quantile: [number, number][];
    chiSquare: [number, number, number, number][];
    binomialCdf: [number, number, number][];
  };
  wilson: [number, number, [number, number]][];
  binary: BinaryRef[];
  multiclass: {
    labels: string[];
    truth: number[];
    a: ModelRef;
    b: ModelRef;
    kappa: { kappa: number; sklearn: number; se: number; ci: [number, number] };
    mcnemar: { aOnly: number; bOnly: number; exactP: number; chiSquare: number; chiSquareP: number };
    pairedDelong: { difference: number; variance: number; z: number; p: number }[];
    accuracyDifference: { value: number; ci: [number, number]; replicates: number; seed: number };
  };
  mcnemar: { b: number; c: number; exactP: number; chiSquare: number; chiSquareP: number }[];
  /** sklearn on the scores of a real diagnosis run (test/fixtures/study_real_outputs.json). */
  real:
    | (RealMetricsRef & {
        kappaVsTruth: number;
        bootstrap: BootstrapRef;
        subgroups: Record<string, Record<string, RealMetricsRef>>;
      })
    | null;
}

export interface RealMetricsRef {
  n: number;
  confusion: number[][];
  accuracy: number;
  balancedAccuracy: number;
  recall: number[];
  f1: number[];
  macroAuroc: number | null;
  classes: ({
    auroc: number;
    delong: { auc: number; variance: number | null; ci: [number, number] | null };
    curvePoints: number;
    curveSums: [number, number, number];
  } | null)[];
}

/** The real outputs themselves: labels, probabilities, subgroup columns (no paths, ids or images). */
export interface RealOutputs {
  model: { id: string; version: string; sha256: string };
  labels: string[];
  truth: number[];
  probabilities: number[][];
  subgroups: Record<string, string[]>;
}

const realFile = path.join(__dirname, '..', 'fixtures', 'study_real_outputs.json');
export const realOutputs: RealOutputs | null = fs.existsSync(realFile)
  ? JSON.parse(fs.readFileSync(realFile, 'utf8'))
  : null;

export const reference: StudyReference = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'study_reference.json'), 'utf8'),
);

/** |actual - expected| <= tol * max(1, |expected|). */
export function close(actual: number | null | undefined, expected: number, tol = 1e-12): boolean {
  return (
    actual !== null &&
    actual !== undefined &&
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected))
  );
}
