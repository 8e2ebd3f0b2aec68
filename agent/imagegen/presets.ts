/**
 * Starting prompts for the lab's themes. The panel lets the user edit them (and keeps the edits
 * per workspace); these are only the defaults. Figures are illustrations, never data.
 */
import type { ImagegenPreset } from '../protocol';

const NEGATIVE =
  'text, letters, watermark, logo, signature, photo of a real patient, gore, blurry, lowres, deformed';

export const DEFAULT_PRESETS: readonly ImagegenPreset[] = [
  {
    id: 'alzheimers',
    title: "Alzheimer's disease",
    prompt:
      "scientific illustration of a human brain affected by Alzheimer's disease, hippocampal atrophy, amyloid plaques and tau tangles between neurons, clean vector style, muted blue and amber palette, white background",
    negativePrompt: NEGATIVE,
  },
  {
    id: 'brain-waves',
    title: 'Brain waves',
    prompt:
      'elegant illustration of brain waves, delta theta alpha beta gamma rhythms as flowing coloured lines emerging from a stylised head in profile, minimal, educational poster style',
    negativePrompt: NEGATIVE,
  },
  {
    id: 'eeg',
    title: 'EEG recording',
    prompt:
      'illustration of an EEG recording session, 10-20 electrode cap on a stylised head, multichannel traces on a monitor, calm clinical lab, flat design, soft lighting',
    negativePrompt: NEGATIVE,
  },
  {
    id: 'neurodegeneration',
    title: 'Neurodegeneration',
    prompt:
      'conceptual illustration of neurodegeneration, a network of neurons fading and losing connections from left to right, glowing synapses, dark blue background, scientific art',
    negativePrompt: NEGATIVE,
  },
];
