/** The chat's static markup: stable ids and labels that the code and the e2e tests rely on. */
export const CHAT_MARKUP = `
<header>
  <div class="notice" id="disclaimer">Research software, not for clinical use. Answers come from a language model and can be wrong.</div>
  <div class="warning" id="hostWarning" role="alert" hidden></div>
  <div class="row">
    <label for="model">Model</label>
    <select id="model" aria-label="Model"></select>
    <button id="refreshModels" class="secondary" title="Reload the models from Ollama">Reload</button>
    <button id="attach" class="secondary" title="Attach a result or a recording as context">Attach…</button>
    <button id="clear" class="secondary" title="Clear this workspace's chat history">Clear</button>
    <span id="status" class="notice" role="status" aria-live="polite"></span>
  </div>
  <div id="modelNotice" class="warning" hidden></div>
  <div id="attachments" class="row" aria-label="Attached context"></div>
</header>
<main id="transcript" aria-label="Conversation" aria-live="polite"></main>
<div id="failure" class="error" role="alert" hidden>
  <span id="failureText"></span>
  <button id="pull" hidden>Pull model</button>
  <progress id="pullProgress" max="1" value="0" hidden></progress>
</div>
<footer>
  <textarea id="input" rows="3" placeholder="Ask about a result, a metric, a recording… (Enter sends, Shift+Enter: new line)" aria-label="Message"></textarea>
  <div class="row">
    <button id="send">Send</button>
    <button id="stop" class="secondary" disabled>Stop</button>
  </div>
</footer>
`;
