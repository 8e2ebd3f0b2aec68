import { strict as assert } from 'node:assert';
import {
  agentEnvironmentOf,
  agentSettingsOf,
  eegDefaultsOf,
  parseBandpass,
  readSettings,
  SETTING_KEYS,
} from '../../extension/settings';
import { contentSecurityPolicy, newNonce, webviewHtml } from '../../extension/webviewHtml';

const from = (values: Record<string, unknown>) => (key: string) => values[key];

describe('extension: settings', () => {
  it('gives the documented defaults when nothing is set', () => {
    const s = readSettings(from({}));
    assert.equal(s.executionProvider, 'auto');
    assert.equal(s.ollamaHost, 'http://127.0.0.1:11434');
    assert.equal(s.eegSecondsPerPage, 10);
    assert.equal(s.eegNotchHz, 'off');
    assert.deepEqual(s.eegBandpass, { low: 0.5, high: 70 });
    assert.equal(s.agentNodePath, '');
  });

  it('validates and clamps what the user typed', () => {
    const s = readSettings(
      from({
        [SETTING_KEYS.executionProvider]: 'tpu',
        [SETTING_KEYS.threads]: -3,
        [SETTING_KEYS.eegSecondsPerPage]: 600,
        [SETTING_KEYS.eegNotchHz]: '50',
        [SETTING_KEYS.eegBandpass]: 'off',
        [SETTING_KEYS.eegDefaultMontage]: 'bipolar',
        [SETTING_KEYS.ollamaHost]: '  ',
        [SETTING_KEYS.xrayBatchSize]: '32',
      }),
    );
    assert.equal(s.executionProvider, 'auto');
    assert.equal(s.threads, 0);
    assert.equal(s.eegSecondsPerPage, 60);
    assert.equal(s.eegNotchHz, 50);
    assert.equal(s.eegBandpass, undefined);
    assert.equal(s.eegDefaultMontage, 'bipolar');
    assert.equal(s.ollamaHost, 'http://127.0.0.1:11434');
    assert.equal(s.xrayBatchSize, 32);
  });

  it('parses band-pass corners and refuses impossible ones', () => {
    assert.deepEqual(parseBandpass('1-40'), { low: 1, high: 40 });
    assert.deepEqual(parseBandpass(' 0.3 - 35 Hz'), { low: 0.3, high: 35 });
    assert.equal(parseBandpass('off'), undefined);
    assert.equal(parseBandpass('40-1'), 'invalid');
    assert.equal(parseBandpass('low'), 'invalid');
  });

  it('passes the agent its settings, by call and by environment', () => {
    const s = readSettings(
      from({
        [SETTING_KEYS.modelsDirectory]: '/lab/models',
        [SETTING_KEYS.executionProvider]: 'cpu',
        [SETTING_KEYS.threads]: 4,
      }),
    );
    assert.deepEqual(agentSettingsOf(s), {
      modelsDirectory: '/lab/models',
      executionProvider: 'cpu',
      threads: 4,
      ollamaHost: 'http://127.0.0.1:11434',
      imagegenServer: 'http://127.0.0.1:7860',
    });
    assert.deepEqual(agentEnvironmentOf(s), {
      MEDLAB_EXECUTION_PROVIDER: 'cpu',
      OLLAMA_HOST: 'http://127.0.0.1:11434',
      MEDLAB_MODELS: '/lab/models',
      MEDLAB_THREADS: '4',
    });
  });

  it('turns the EEG settings into the viewer defaults', () => {
    const s = readSettings(from({ [SETTING_KEYS.eegNotchHz]: 60, [SETTING_KEYS.eegBandpass]: '1-30' }));
    assert.deepEqual(eegDefaultsOf(s), {
      montage: { kind: 'referential' },
      filters: { highpass: 1, lowpass: 30, notch: 60 },
      secondsPerPage: 10,
    });
  });
});

describe('extension: webview HTML', () => {
  it('allows nothing remote: scripts by nonce only, no inline styles, no connections', () => {
    const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc123');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\bhttps?:\*|\*;/);
    assert.match(csp, /connect-src 'none'/);
  });

  it('puts the policy first and gives the only script the nonce', () => {
    const nonce = newNonce();
    assert.match(nonce, /^[A-Za-z0-9]{16,}$/);
    assert.notEqual(nonce, newNonce());
    const html = webviewHtml({
      cspSource: 'vscode-webview://x',
      nonce,
      title: 'EEG "a" <b>',
      scriptUri: 'vscode-webview://x/dist/webview/eeg-viewer.js',
      body: '<div id="app"></div>',
    });
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<script'));
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(
      html,
      new RegExp(`<script nonce="${nonce}" src="vscode-webview://x/dist/webview/eeg-viewer.js">`),
    );
    assert.match(html, /<title>EEG &quot;a&quot; &lt;b&gt;<\/title>/);
  });
});
