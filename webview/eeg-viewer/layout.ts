/** The viewer's static markup: stable ids and labels that the code and the e2e tests rely on. */
import { HIGHPASS_HZ, LOWPASS_HZ, MICROVOLTS_PER_MM, SECONDS_PER_PAGE } from './viewerState';

const options = (values: readonly (number | string)[], label: (v: number | string) => string): string =>
  values.map((v) => `<vscode-option value="${v}">${label(v)}</vscode-option>`).join('');

export const VIEWER_MARKUP = `
<div id="app">
  <div class="toolbar" role="toolbar" aria-label="EEG viewer controls">
    <span id="title">EEG</span>
    <vscode-button id="prev" secondary aria-label="Previous page" title="Previous page (PageUp, ←)">◀ Prev</vscode-button>
    <vscode-button id="next" secondary aria-label="Next page" title="Next page (PageDown, →)">Next ▶</vscode-button>
    <span id="time" aria-live="off">00:00:00</span>
    <label>Time scale
      <vscode-single-select id="secondsPerPage" aria-label="Seconds per page">${options(SECONDS_PER_PAGE, (v) => `${v} s/page`)}</vscode-single-select>
    </label>
    <label>Amplitude
      <vscode-single-select id="amplitude" aria-label="Amplitude in microvolts per millimetre">${options(MICROVOLTS_PER_MM, (v) => `${v} µV/mm`)}</vscode-single-select>
    </label>
    <label>Montage
      <vscode-single-select id="montage" aria-label="Montage">
        <vscode-option value="referential">Referential (as recorded)</vscode-option>
        <vscode-option value="average">Average reference</vscode-option>
        <vscode-option value="bipolar">Bipolar (double banana)</vscode-option>
      </vscode-single-select>
    </label>
    <label>HP
      <vscode-single-select id="highpass" aria-label="High-pass filter">${options(['off', ...HIGHPASS_HZ], (v) => (v === 'off' ? 'off' : `${v} Hz`))}</vscode-single-select>
    </label>
    <label>LP
      <vscode-single-select id="lowpass" aria-label="Low-pass filter">${options(['off', ...LOWPASS_HZ], (v) => (v === 'off' ? 'off' : `${v} Hz`))}</vscode-single-select>
    </label>
    <label>Notch
      <vscode-single-select id="notch" aria-label="Notch filter">${options(['off', 50, 60], (v) => (v === 'off' ? 'off' : `${v} Hz`))}</vscode-single-select>
    </label>
    <vscode-checkbox id="negativeUp" label="Negative up" title="Clinical convention: negative deflections drawn upwards">Negative up</vscode-checkbox>
    <span class="notice">Research software, not for clinical use.</span>
  </div>
  <input id="position" type="range" min="0" max="0" step="0.1" value="0" aria-label="Position in recording (seconds)">
  <div class="main">
    <div class="plots">
      <canvas id="traces" tabindex="0" role="img" aria-label="EEG traces. PageUp and PageDown or arrow keys to page, Shift+arrows to scroll by a second, + and - for amplitude, [ and ] for time scale, mouse wheel to scroll, Ctrl+wheel for amplitude."></canvas>
      <div id="trackBox" hidden><canvas id="track" role="img" aria-label="Model output track"></canvas></div>
    </div>
    <div class="side">
      <vscode-tabs id="tabs" aria-label="Side panels">
        <vscode-tab-header slot="header" data-tab="annotations">Annotations</vscode-tab-header>
        <vscode-tab-panel data-tab="annotations">
          <ul id="annotations" class="plain" aria-label="Annotations"></ul>
        </vscode-tab-panel>
        <vscode-tab-header slot="header" data-tab="channels">Channels</vscode-tab-header>
        <vscode-tab-panel data-tab="channels">
          <div class="row">
            <vscode-button id="channelsAll" secondary>Show all</vscode-button>
            <vscode-button id="channelsFirst" secondary>First only</vscode-button>
          </div>
          <div id="channels" role="group" aria-label="Channels shown"></div>
        </vscode-tab-panel>
        <vscode-tab-header slot="header" data-tab="spectrum">Spectrum</vscode-tab-header>
        <vscode-tab-panel data-tab="spectrum">
          <div id="spectrumNote" class="notice">Power spectral density (Welch) of the visible page.</div>
          <canvas id="spectrum" role="img" aria-label="Power spectrum of the visible page"></canvas>
          <div id="bandsNote" class="notice">Relative band power of the visible page (strongest band per channel highlighted).</div>
          <table id="bands" class="bands" aria-label="Band power per channel"></table>
        </vscode-tab-panel>
        <vscode-tab-header slot="header" data-tab="model">Model</vscode-tab-header>
        <vscode-tab-panel data-tab="model">
          <div class="row">
            <vscode-single-select id="model" aria-label="EEG model"></vscode-single-select>
          </div>
          <div class="row">
            <vscode-button id="runModel">Run model</vscode-button>
            <vscode-button id="cancelModel" secondary disabled>Cancel</vscode-button>
            <vscode-button id="explainModel" secondary disabled title="Ask the local medical model to explain this output">Explain</vscode-button>
          </div>
          <vscode-progress-bar id="modelProgress" hidden aria-label="Model progress"></vscode-progress-bar>
          <div class="row"><label>Track
            <vscode-single-select id="trackLabel" aria-label="Label shown in the track"></vscode-single-select></label>
          </div>
          <div id="modelSummary" role="region" aria-label="Model result"></div>
          <ul id="events" class="plain" aria-label="Detected events"></ul>
        </vscode-tab-panel>
      </vscode-tabs>
    </div>
  </div>
  <div id="status" role="status" aria-live="polite">Opening…</div>
</div>`;
