/** The row every study function takes: one case scored by one model. */

export interface StudyRow {
  /** The caller's case key (e.g. the image path relative to the dataset): pairs rows and names disagreements. */
  id?: string;
  /** Ground truth; missing, null or "" = unlabelled. */
  label?: string | null;
  /** Predicted label; when missing, the arg-max of `probabilities`. */
  prediction?: string | null;
  /** One score per label, in the order of the labels given with the rows. */
  probabilities?: readonly number[] | null;
  /** Set when the model failed on this case. */
  error?: string | null;
  /** Subgroup columns (e.g. source, view, sex). */
  subgroups?: Readonly<Record<string, string>>;
}

/** Index of the largest score (the first one on ties, like numpy.argmax). */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
