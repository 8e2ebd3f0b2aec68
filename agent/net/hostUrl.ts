/**
 * Base URLs of local HTTP services (Ollama, image servers): normalised the same way everywhere,
 * and classified as loopback or not, because anything else means data leaves the machine.
 */
import { MedLabError } from '../errors';

/**
 * "localhost:7860" → "http://localhost:7860"; trailing slashes removed; the default port is
 * added when none is given. Throws E_USAGE naming the setting for something that is not a URL.
 */
export function normalizeBaseUrl(raw: string, defaultPort: number, setting = 'server'): string {
  let text = raw.trim();
  if (!text) throw new MedLabError('E_USAGE', `${setting} is empty`, { field: setting });
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MedLabError('E_USAGE', `${setting} "${raw}" is not a URL`, { field: setting });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MedLabError('E_USAGE', `${setting} "${raw}" must be http:// or https://`, { field: setting });
  }
  if (!url.port && !/:\d+$/.test(url.host)) url.port = String(defaultPort);
  const base = `${url.protocol}//${url.host}${url.pathname}`.replace(/\/+$/, '');
  return base;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1';
}

export function isLoopbackUrl(baseUrl: string): boolean {
  return isLoopbackHost(new URL(baseUrl).hostname);
}

/** The warning every remote host gets (shown in the UI and the CLI). */
export function remoteHostWarning(baseUrl: string, what: string): string | undefined {
  if (isLoopbackUrl(baseUrl)) return undefined;
  return `${baseUrl} is not on this machine: ${what} will be sent over the network to ${new URL(baseUrl).hostname}.`;
}
