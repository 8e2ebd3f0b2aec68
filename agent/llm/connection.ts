/**
 * Where the Ollama server is: one normalised base URL from a setting, a flag or OLLAMA_HOST, and
 * whether it is this machine. The `ollama` client's own normalisation sends `http://lab-server`
 * to port 80; MedLab gives a host without a port Ollama's port 11434, so the common setting does
 * what the user means.
 */
import { MedLabError } from '../errors';
import { isLoopbackUrl, normalizeBaseUrl, remoteHostWarning } from '../net/hostUrl';
import { settings } from '../settings';

export const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434';
const OLLAMA_PORT = 11434;

export interface OllamaHost {
  /** Normalised base URL without a trailing slash, e.g. "http://127.0.0.1:11434". */
  url: string;
  /** True when requests stay on this machine (127.0.0.0/8, ::1, localhost). */
  loopback: boolean;
  /** Shown to the user whenever data would leave the machine. */
  warning?: string;
}

/**
 * Normalises what a user typed: `localhost`, `:8080`, `gpu-box`, `http://gpu-box`,
 * `https://proxy/ollama/`. `0.0.0.0` (what OLLAMA_HOST holds for a server listening everywhere)
 * is reached as 127.0.0.1. Credentials in the URL are refused: they would end up in messages.
 */
export function normaliseHost(input: string | undefined): OllamaHost {
  let raw = (input ?? '').trim() || DEFAULT_OLLAMA_URL;
  if (raw.startsWith(':')) raw = `127.0.0.1${raw}`;
  raw = raw.replace(/^((?:https?:\/\/)?)0\.0\.0\.0(?=[:/]|$)/i, '$1127.0.0.1');
  if (/^(?:[a-z][a-z0-9+.-]*:\/\/)?[^/]*@/i.test(raw)) {
    throw new MedLabError(
      'E_USAGE',
      'the Ollama host must not contain a user name or password; MedLab sends no credentials',
      { field: 'ollama.host' },
    );
  }
  const url = normalizeBaseUrl(raw, OLLAMA_PORT, 'ollama.host');
  const loopback = isLoopbackUrl(url);
  const warning = remoteHostWarning(url, 'prompts, result summaries and images sent to the model');
  return warning ? { url, loopback, warning } : { url, loopback };
}

/** The host a call uses: its own parameter, else the agent setting (medlab.ollama.host / OLLAMA_HOST). */
export function resolveHost(explicit?: string): OllamaHost {
  return normaliseHost(explicit || settings().ollamaHost);
}
