/** The illustration panel's static markup: stable ids and labels that the code and the e2e tests rely on. */
import { GENERATED_IMAGE_LABEL } from '../../agent/protocol';

export const IMAGEGEN_MARKUP = `
<header>
  <h1 id="title">Generate Illustration</h1>
  <div class="notice">Every image made here is an ${GENERATED_IMAGE_LABEL}: it is labelled so in this panel, in the PNG and in its JSON sidecar, and the diagnosis pipeline refuses it.</div>
</header>
<section id="serverBox" aria-label="Image server">
  <div class="row">
    <label for="serverUrl">Server</label>
    <vscode-textfield id="serverUrl" label="Image server URL" placeholder="http://127.0.0.1:7860"></vscode-textfield>
    <vscode-button id="connect" secondary title="Detect the server and list its models and LoRAs">Connect</vscode-button>
    <vscode-button id="serverSetting" secondary title="Open the setting medlab.imagegen.server">Setting…</vscode-button>
  </div>
  <div id="server" aria-live="polite">
    <span id="serverKind" class="notice">Not connected yet.</span>
    <div id="serverWarning" class="warning" role="alert" hidden></div>
  </div>
  <div id="limitationsBox" hidden>
    <div class="notice">This server cannot:</div>
    <ul id="limitations" aria-label="What this server cannot do"></ul>
  </div>
</section>
<section id="formBox" aria-label="Illustration settings">
  <div class="row">
    <label for="preset">Preset</label>
    <vscode-single-select id="preset" aria-label="Prompt preset"></vscode-single-select>
    <vscode-button id="savePreset" secondary title="Keep this prompt and negative prompt as the preset's text in this workspace">Save to preset</vscode-button>
    <vscode-button id="resetPreset" secondary title="Back to the lab's default text">Reset preset</vscode-button>
    <span id="presetStatus" class="notice" role="status"></span>
  </div>
  <div class="field">
    <label for="prompt">Prompt</label>
    <vscode-textarea id="prompt" rows="4" label="Prompt" placeholder="What the illustration shows (Ctrl+Enter generates)"></vscode-textarea>
  </div>
  <div class="field">
    <label for="negative">Negative prompt</label>
    <vscode-textarea id="negative" rows="2" label="Negative prompt" placeholder="What it must not show"></vscode-textarea>
    <div class="hint warning" id="hint-negative" hidden></div>
  </div>
  <div class="settings">
    <div class="field">
      <label for="model">Model</label>
      <vscode-single-select id="model" aria-label="Model"></vscode-single-select>
      <div class="hint warning" id="hint-model" hidden></div>
    </div>
    <div class="field">
      <label for="width">Width</label>
      <vscode-textfield id="width" type="number" min="64" max="2048" step="8" label="Width in pixels"></vscode-textfield>
    </div>
    <div class="field">
      <label for="height">Height</label>
      <vscode-textfield id="height" type="number" min="64" max="2048" step="8" label="Height in pixels"></vscode-textfield>
    </div>
    <div class="field">
      <label for="steps">Steps</label>
      <vscode-textfield id="steps" type="number" min="1" max="150" label="Sampling steps"></vscode-textfield>
      <div class="hint warning" id="hint-steps" hidden></div>
    </div>
    <div class="field">
      <label for="seed">Seed</label>
      <vscode-textfield id="seed" type="number" min="0" placeholder="random" label="First seed (image k uses seed + k); empty for a random one"></vscode-textfield>
      <div class="hint warning" id="hint-seed" hidden></div>
    </div>
    <div class="field">
      <label for="count">Images</label>
      <vscode-textfield id="count" type="number" min="1" max="8" label="Images side by side, one per seed"></vscode-textfield>
    </div>
  </div>
  <fieldset id="loras" aria-describedby="hint-loras">
    <legend>LoRAs</legend>
    <div id="loraRows"></div>
    <div class="hint warning" id="hint-loras" hidden></div>
  </fieldset>
  <div class="row">
    <vscode-button id="generate">Generate</vscode-button>
    <vscode-button id="cancel" secondary disabled>Cancel</vscode-button>
  </div>
  <vscode-progress-bar id="progress" aria-label="Generation progress" hidden></vscode-progress-bar>
  <div id="status" role="status" aria-live="polite"></div>
  <ul id="warnings" class="warning" aria-label="Settings this server did not honour"></ul>
</section>
<section id="images" aria-label="Generated images"></section>`;
