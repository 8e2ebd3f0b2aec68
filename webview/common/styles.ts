import base from './base.css';

/**
 * Applies a panel's stylesheet (bundled as text) as a constructed stylesheet: allowed by the
 * strict CSP without 'unsafe-inline', and the same mechanism the Lit-based UI components use.
 * The shared base (font, theme colours) comes first, so a panel's own rules win.
 */
export function adoptStyles(css: string): void {
  const sheets = [base, css].map((text) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    return sheet;
  });
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, ...sheets];
}

/** Reads a theme colour (a --vscode-* CSS variable) for canvas drawing. */
export function themeColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** Calls `fn` when the user switches colour theme (VS Code changes the body class). */
export function onThemeChange(fn: () => void): void {
  new MutationObserver(fn).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
