/** The report's static markup: stable ids and labels that the code and the e2e tests rely on. */
export const REPORT_MARKUP = `
<header>
  <h1 id="title">Diagnosis</h1>
  <div class="notice">Research software, not for clinical use. Check the metrics' confidence intervals and subgroups before reading anything into them.</div>
</header>
<section id="progressBox" aria-label="Progress">
  <div class="row">
    <span id="progressText" role="status" aria-live="polite">Starting…</span>
    <vscode-button id="cancel" secondary>Cancel</vscode-button>
  </div>
  <vscode-progress-bar id="progress" aria-label="Diagnosis progress"></vscode-progress-bar>
</section>
<div id="failure" class="error" role="alert"></div>
<section id="resultBox" hidden>
  <div id="summary" class="row" aria-label="Summary"></div>
  <div class="row">
    <vscode-button id="exportCsv" secondary>Export CSV</vscode-button>
    <vscode-button id="exportJson" secondary>Export JSON</vscode-button>
    <vscode-button id="exportMetrics" secondary>Export metrics</vscode-button>
    <vscode-button id="rerun" secondary>Run again</vscode-button>
    <span id="exportStatus" class="notice" role="status"></span>
  </div>
  <vscode-tabs id="tabs">
    <vscode-tab-header slot="header" data-tab="results">Results</vscode-tab-header>
    <vscode-tab-panel data-tab="results">
      <div class="row">
        <vscode-textfield id="filter" placeholder="Filter by file, label or prediction" aria-label="Filter rows"></vscode-textfield>
        <vscode-single-select id="filterKind" aria-label="Rows to show">
          <vscode-option value="all">All rows</vscode-option>
          <vscode-option value="wrong">Misclassified</vscode-option>
          <vscode-option value="right">Correct</vscode-option>
          <vscode-option value="errors">Errors</vscode-option>
          <vscode-option value="unlabelled">Unlabelled</vscode-option>
        </vscode-single-select>
        <span id="rowCount" class="notice"></span>
      </div>
      <div id="detail" hidden aria-label="Selected image">
        <div class="row">
          <strong id="detailTitle"></strong>
          <vscode-checkbox id="overlay" label="Heat map">Heat map</vscode-checkbox>
          <label class="muted">Opacity <input id="opacity" type="range" min="0" max="1" step="0.05" value="0.5" aria-label="Heat map opacity"></label>
          <vscode-button id="explain" secondary>Explain</vscode-button>
          <vscode-button id="openImage" secondary>Open image</vscode-button>
          <vscode-button id="closeDetail" secondary aria-label="Close detail">Close</vscode-button>
        </div>
        <div id="detailNote" class="notice" role="status"></div>
        <div class="stack" id="stack"></div>
      </div>
      <table id="results" class="grid" aria-label="Diagnosis results">
        <thead><tr><th>Image</th><th>File</th><th>Label</th><th>Prediction</th><th>Probabilities</th><th>Actions</th></tr></thead>
        <tbody></tbody>
      </table>
      <vscode-button id="more" secondary hidden>Show more rows</vscode-button>
    </vscode-tab-panel>
    <vscode-tab-header slot="header" data-tab="metrics">Metrics</vscode-tab-header>
    <vscode-tab-panel data-tab="metrics">
      <div id="metricsNote" class="notice"></div>
      <div id="metrics"></div>
    </vscode-tab-panel>
  </vscode-tabs>
</section>`;
