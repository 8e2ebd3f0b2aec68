/**
 * Meditron 7B/70B are base models, not chat models. Their authors generated the paper's
 * qualitative answers with a one-shot medical conversation template (epfLLM/meditron,
 * deployment/README.md, FastChat template "one_shot_medical"): a system message, one worked
 * User/Assistant exchange, turns separated by "\n### " with "Role: " prefixes, and generation
 * stopped at the next "###". MedLab sends exactly that shape as a raw completion
 * (/api/generate, raw: true), bypassing the chat template of Ollama's Modelfile.
 */
import type { LlmTurn } from './generation';

const SYSTEM =
  'You are a helpful, respectful and honest assistant. Always answer as helpfully as possible, while being safe. ' +
  'Your answers should not include any harmful, unethical, racist, sexist, toxic, dangerous, or illegal content. ' +
  'Please ensure that your responses are socially unbiased and positive in nature.\n\n' +
  'If a question does not make any sense, or is not factually coherent, explain why instead of answering ' +
  "something not correct. If you don't know the answer to a question, please don't share false information.";

// The worked example: the authors' question; the answer is MedLab's own shorter wording.
const EXAMPLE_QUESTION = 'What happens if listeria is left untreated?';
const EXAMPLE_ANSWER =
  'Untreated listeria infection (listeriosis) can spread from the gut to the blood and the nervous system, ' +
  'causing septicaemia or meningitis. Pregnant women, newborns, older adults and people with weakened immunity ' +
  'are at highest risk: in pregnancy it can cause miscarriage, stillbirth or infection of the newborn. ' +
  'Neurological complications may be lasting, and severe cases can be fatal. Early antibiotic treatment greatly ' +
  'improves the outcome, so suspected listeriosis needs prompt medical attention.';

const SEP = '\n### ';

/** Stop strings of the authors' template. */
export const MEDITRON_STOP = ['###', '<|im_start|>', '<|im_end|>', '$$$', 'thank you for your help'];

/**
 * The raw completion prompt for a conversation. System turns of the conversation (MedLab's own
 * instructions and attached context) become part of the first user turn, because the template's
 * system slot holds the authors' system message.
 */
export function meditronOneShot(turns: readonly LlmTurn[]): string {
  const extra = turns.filter((t) => t.role === 'system').map((t) => t.content.trim());
  const dialogue = turns.filter((t) => t.role !== 'system');
  let prompt = `${SYSTEM}${SEP}User: ${EXAMPLE_QUESTION}${SEP}Assistant: ${EXAMPLE_ANSWER}${SEP}`;
  dialogue.forEach((t, i) => {
    const role = t.role === 'user' ? 'User' : 'Assistant';
    const content = i === 0 && extra.length ? `${extra.join('\n\n')}\n\n${t.content}` : t.content;
    prompt += `${role}: ${content.trim()}${SEP}`;
  });
  return `${prompt}Assistant:`;
}
