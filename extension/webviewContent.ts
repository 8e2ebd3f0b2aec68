/** Sets up a webview for one of MedLab's bundles: local resources only, scripts on, CSP page. */
import * as vscode from 'vscode';
import { newNonce, webviewHtml } from './webviewHtml';

export function webviewOptions(
  extensionUri: vscode.Uri,
  extraRoots: vscode.Uri[] = [],
): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), ...extraRoots],
  };
}

/** HTML of the panel whose bundle is dist/webview/<bundle>.js. */
export function panelHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  bundle: string,
  title: string,
): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${bundle}.js`));
  return webviewHtml({
    cspSource: webview.cspSource,
    nonce: newNonce(),
    title,
    scriptUri: script.toString(),
    body: `<div id="app" aria-busy="true">Loading ${title}…</div>`,
  });
}

/** Posts to a webview that may already be gone (closed tab): the message is then dropped. */
export function safePost(webview: vscode.Webview): (message: unknown) => void {
  return (message) => {
    webview.postMessage(message).then(undefined, () => undefined);
  };
}
