/**
 * Detects MedLab's "AI-generated illustration" label in a PNG so the diagnosis pipeline refuses
 * generated pictures (they are not patient data). The image generator writes a text chunk with
 * keyword `medlab:generated`; any tEXt / zTXt / iTXt chunk whose keyword is that, or whose text
 * contains the phrase, counts.
 */
import { readPngText } from '../../files/pngText';
import { GENERATED_IMAGE_LABEL } from '../../protocol';

export const GENERATED_KEYWORD = 'medlab:generated';
export const GENERATED_PHRASE = GENERATED_IMAGE_LABEL;

/** The marker found in a PNG (the keyword or the text that carries it), or undefined for anything else. */
export function findGeneratedMarker(bytes: Uint8Array): string | undefined {
  for (const [keyword, text] of readPngText(bytes)) {
    if (keyword.toLowerCase() === GENERATED_KEYWORD) return `${keyword}: ${text}`.trim();
    if (text.toLowerCase().includes(GENERATED_PHRASE.toLowerCase())) return text.trim();
  }
  return undefined;
}
