/**
 * The HTML shell of every MedLab webview: a strict Content-Security-Policy (nothing remote, scripts
 * and styles only from the extension or with a per-load nonce) and one bundled script that carries
 * its own styles (constructed stylesheets, as the Lit-based UI components use). Pure, so the
 * policy is unit-tested; the caller passes webview.cspSource and the asWebviewUri strings.
 */
import { randomBytes } from 'node:crypto';

export interface WebviewPage {
  /** webview.cspSource: the origin the webview may load the extension's files from. */
  cspSource: string;
  nonce: string;
  title: string;
  /** asWebviewUri of dist/webview/<panel>.js */
  scriptUri: string;
  /** Static markup of the page (ids and aria-labels the script and the e2e tests rely on). */
  body: string;
}

export function newNonce(): string {
  return randomBytes(18)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const escapeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function webviewHtml(page: WebviewPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(page.cspSource, page.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeAttr(page.title)}</title>
</head>
<body>
${page.body}
<script nonce="${page.nonce}" src="${escapeAttr(page.scriptUri)}"></script>
</body>
</html>`;
}
