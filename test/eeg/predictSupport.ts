/**
 * Shared by the EEG model reproduction tests: the shipped fold models as sessions of the real
 * runtime, the expected figures written by training, and the binary metrics the cards report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findModel } from '../../agent/models/registry';
import { getModelSession, type ModelSession } from '../../agent/models/runtime';
import { auroc } from '../../agent/study/roc';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface FoldFile {
  repeat?: number;
  fold: number;
  file: string;
  sha256: string;
}

/** The model folder's expected.json (written by models/training/eeg/write_cards.py). */
export function readExpected<T>(modelId: string): T {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'models', modelId, 'expected.json'), 'utf8')) as T;
}

/** A fold model shipped beside the final one: same manifest, its own file and sha256. */
export async function foldSession(modelId: string, fold: FoldFile): Promise<ModelSession> {
  const entry = await findModel(modelId);
  const manifest = { ...entry.manifest, file: fold.file, sha256: fold.sha256 };
  return getModelSession(
    { ...entry, manifest, filePath: path.join(entry.directory, fold.file) },
    { threads: 1 },
  );
}

export interface BinaryFigures {
  accuracy: number;
  sensitivity: number;
  specificity: number;
  balancedAccuracy: number;
  auroc: number;
}

/** Figures at threshold 0.5 on the positive class probability, as metrics.py computes them. */
export function binaryFigures(positive: readonly boolean[], p: readonly number[]): BinaryFigures {
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  positive.forEach((y, i) => {
    const called = p[i] >= 0.5;
    if (y && called) tp++;
    else if (y) fn++;
    else if (called) fp++;
    else tn++;
  });
  const sensitivity = tp / (tp + fn);
  const specificity = tn / (tn + fp);
  return {
    accuracy: (tp + tn) / positive.length,
    sensitivity,
    specificity,
    balancedAccuracy: (sensitivity + specificity) / 2,
    auroc: auroc(p, positive) ?? NaN,
  };
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
