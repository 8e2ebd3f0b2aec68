/**
 * The diagnosis report panel: runs xray/diagnose on a folder or image with progress and Cancel,
 * then shows the rows (thumbnails, predictions, heat maps), the metrics of study/metrics, exports,
 * and hands a row to "Explain". Also opens a report saved by an earlier run (results.json).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MetricsReport, XrayDiagnoseResult, XrayResultRow, XrayResultsFile } from '../../agent/protocol';
import { AgentRequestError } from '../agent/client';
import type { MedLabServices } from '../services';
import { panelHtml, safePost, webviewOptions } from '../webviewContent';
import type { ReportEvent, ReportRequests, ReportResult, ReportRow } from '../../webview/report/messages';
import { EXPLAIN_DIAGNOSIS_COMMAND, type ExplainDiagnosisRequest } from './explainRequest';
import type { ManagedPanel } from './registry';
import {
  datasetFolderOf,
  isBrowserImage,
  labelsCsvFor,
  parseResultsFile,
  resolveRowPath,
  subgroupColumnsOf,
} from './reportModel';
import { WebviewRouter, type RequestHandlers } from './webviewRouter';

export const REPORT_VIEW_TYPE = 'medlab.report';
/** Rows sent to the webview; every row is in results.csv / results.json. */
const MAX_ROWS = 20_000;

/** Files a run wrote (null where none: a single image writes no results files). */
interface RunFiles {
  csv: string | null;
  json: string | null;
  metrics: string | null;
}

type Source =
  { kind: 'run'; target: vscode.Uri; model: string | undefined } | { kind: 'saved'; results: vscode.Uri };

export class ReportPanel implements ManagedPanel {
  readonly panel: vscode.WebviewPanel;
  private readonly post: (message: unknown) => void;
  private readonly router: WebviewRouter<ReportRequests>;
  private result: ReportResult | undefined;
  private files: RunFiles | undefined;
  private lastEvent: ReportEvent | undefined;
  private run: AbortController | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  /** Diagnoses a folder or image into a (new or revealed) report panel. */
  static diagnose(services: MedLabServices, target: vscode.Uri, model?: string): ReportPanel {
    const root =
      vscode.workspace.getWorkspaceFolder(target)?.uri ?? vscode.Uri.file(path.dirname(target.fsPath));
    const panel = services.panels.show(
      `report:${target.fsPath}`,
      () => new ReportPanel(services, target, root),
    );
    void panel.start({ kind: 'run', target, model });
    return panel;
  }

  /** Opens the report of an earlier run from its results.json. */
  static open(services: MedLabServices, results: vscode.Uri): ReportPanel {
    // results.json lies in <dataset>/.medlab/<model>/: the dataset's images must be loadable.
    const root =
      vscode.workspace.getWorkspaceFolder(results)?.uri ??
      vscode.Uri.file(path.resolve(results.fsPath, '..', '..', '..'));
    const panel = services.panels.show(
      `report:${results.fsPath}`,
      () => new ReportPanel(services, results, root),
    );
    if (!panel.result && !panel.run) void panel.start({ kind: 'saved', results });
    return panel;
  }

  private constructor(
    private readonly services: MedLabServices,
    around: vscode.Uri,
    /** Folder the thumbnails may be loaded from (the dataset's workspace folder). */
    imagesRoot: vscode.Uri,
  ) {
    const { extensionUri } = services.context;
    const title = `Diagnosis: ${path.basename(around.fsPath)}`;
    this.panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, title, vscode.ViewColumn.Active, {
      ...webviewOptions(extensionUri, [imagesRoot]),
      retainContextWhenHidden: false,
    });
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'medlab.svg');
    this.panel.webview.html = panelHtml(this.panel.webview, extensionUri, 'report', title);
    this.post = safePost(this.panel.webview);
    this.router = new WebviewRouter<ReportRequests>(this.handlers(), this.post);
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: { type?: string }) => {
        if (m?.type === 'ready') this.replay();
        else if (m?.type === 'cancelRun') this.cancel();
        else if (m?.type === 'rerun' && this.result)
          void this.start({
            kind: 'run',
            target: vscode.Uri.file(this.result.dataset),
            model: this.result.model,
          });
        else this.router.handle(m);
      }),
    );
    this.panel.onDidDispose(() => this.dispose());
  }

  private send(event: ReportEvent): void {
    if (event.type !== 'runProgress') this.lastEvent = event;
    this.post(event);
  }

  /** A webview rebuilt (tab shown again) gets the state it had. */
  private replay(): void {
    if (this.result) this.post({ type: 'result', result: this.result } satisfies ReportEvent);
    else if (this.lastEvent) this.post(this.lastEvent);
  }

  cancel(): void {
    if (!this.run) return;
    this.send({ type: 'cancelling' });
    this.run.abort();
  }

  private async start(source: Source): Promise<void> {
    if (this.run) return;
    const abort = (this.run = new AbortController());
    this.result = undefined;
    try {
      if (source.kind === 'run') await this.diagnose(source.target, source.model, abort.signal);
      else await this.load(source.results);
    } catch (e) {
      const code = e instanceof AgentRequestError ? e.code : 'E_INTERNAL';
      const message = e instanceof Error ? e.message : String(e);
      if (code !== 'E_CANCELLED') this.services.log.warn(`diagnosis report: ${code} ${message}`);
      this.send({
        type: 'failed',
        code,
        message:
          code === 'E_CANCELLED' ? 'Cancelled. Images done so far are cached: run again to resume.' : message,
      });
    } finally {
      if (this.run === abort) this.run = undefined;
    }
  }

  private async diagnose(target: vscode.Uri, model: string | undefined, signal: AbortSignal): Promise<void> {
    const settings = this.services.settings();
    const chosen = model || settings.xrayDefaultModel || undefined;
    const name = path.basename(target.fsPath);
    this.send({
      type: 'started',
      datasetName: name,
      model: chosen ?? '(default model)',
      target: target.fsPath,
    });
    const isFile = (await vscode.workspace.fs.stat(target)).type === vscode.FileType.File;
    const labels = await labelsCsvFor(
      isFile ? path.dirname(target.fsPath) : target.fsPath,
      vscode.workspace.getWorkspaceFolder(target)?.uri.fsPath,
      (file) => exists(vscode.Uri.file(file)),
    );
    const run: XrayDiagnoseResult = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `MedLab: diagnosing ${name}` },
      () =>
        this.services.agent.request(
          'xray/diagnose',
          {
            path: target.fsPath,
            model: chosen,
            labels,
            batchSize: settings.xrayBatchSize,
            maxRows: MAX_ROWS,
          },
          {
            signal,
            onProgress: (report) => this.post({ type: 'runProgress', report } satisfies ReportEvent),
          },
        ),
    );
    const dataset = datasetFolderOf(target.fsPath, isFile, run.outDir);
    this.files = { csv: run.files.csv, json: run.files.json, metrics: run.files.metrics };
    const { metrics, note } = await this.metricsFor(run.files.json, run.rows, run.counts.labelled, signal);
    this.result = {
      dataset,
      datasetName: path.basename(dataset),
      model: run.model,
      labels: labelsOf(run.rows, metrics),
      outDir: run.outDir,
      counts: run.counts,
      seconds: run.seconds,
      imagesPerSecond: run.imagesPerSecond,
      executionProvider: run.executionProvider,
      rows: this.rowsForWebview(dataset, run.outDir, run.rows),
      rowsTruncated: run.rowsTruncated,
      complete: true,
      metrics,
      metricsNote: note,
    };
    this.send({ type: 'result', result: this.result });
    // The dataset is now diagnosed: the tree says so without waiting for the file watcher.
    void vscode.commands.executeCommand('medlab.refreshDatasets');
  }

  private async load(results: vscode.Uri): Promise<void> {
    const text = Buffer.from(await vscode.workspace.fs.readFile(results)).toString('utf8');
    const file: XrayResultsFile = parseResultsFile(text, results.fsPath);
    const outDir = path.dirname(results.fsPath);
    const metricsPath = path.join(outDir, 'metrics.json');
    const hasMetrics = await exists(vscode.Uri.file(metricsPath));
    this.files = {
      csv: path.join(outDir, 'results.csv'),
      json: results.fsPath,
      metrics: hasMetrics ? metricsPath : null,
    };
    this.send({
      type: 'started',
      datasetName: path.basename(file.dataset),
      model: file.model.id,
      target: file.dataset,
    });
    const { metrics, note } = await this.metricsFor(
      results.fsPath,
      file.rows,
      file.counts.labelled,
      this.run?.signal,
    );
    this.result = {
      dataset: file.dataset,
      datasetName: path.basename(file.dataset),
      model: file.model.id,
      labels: file.labels,
      outDir,
      counts: file.counts,
      seconds: null,
      imagesPerSecond: null,
      executionProvider: null,
      rows: this.rowsForWebview(file.dataset, outDir, file.rows.slice(0, MAX_ROWS)),
      rowsTruncated: file.rows.length > MAX_ROWS,
      complete: file.complete,
      metrics,
      metricsNote: note,
    };
    this.send({ type: 'result', result: this.result });
  }

  private async metricsFor(
    resultsJson: string | null,
    rows: readonly XrayResultRow[],
    labelled: number,
    signal: AbortSignal | undefined,
  ): Promise<{ metrics: MetricsReport | null; note?: string }> {
    if (labelled === 0)
      return {
        metrics: null,
        note: 'No image has a known label (class folders or labels CSV), so there are no metrics.',
      };
    if (!resultsJson)
      return { metrics: null, note: 'A single image gets no metrics: diagnose a labelled folder.' };
    try {
      const { report } = await this.services.agent.request(
        'study/metrics',
        { results: resultsJson, by: subgroupColumnsOf(rows) },
        { signal },
      );
      return { metrics: report };
    } catch (e) {
      if (e instanceof AgentRequestError && e.code === 'E_CANCELLED') throw e;
      return { metrics: null, note: `Metrics unavailable: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  private rowsForWebview(dataset: string, outDir: string, rows: readonly XrayResultRow[]): ReportRow[] {
    const webview = this.panel.webview;
    return rows.map((r) => {
      const abs = resolveRowPath(dataset, r.path);
      const row: ReportRow = { ...r };
      if (isBrowserImage(abs)) row.imageUri = webview.asWebviewUri(vscode.Uri.file(abs)).toString();
      if (r.heatmap)
        row.heatmapUri = webview.asWebviewUri(vscode.Uri.file(path.join(outDir, r.heatmap))).toString();
      return row;
    });
  }

  private rowByPath(rowPath: string): ReportRow {
    const row = this.result?.rows.find((r) => r.path === rowPath);
    if (!row || !this.result)
      throw new AgentRequestError('report', 'E_NOT_FOUND', `no row ${rowPath} in this report`);
    return row;
  }

  private handlers(): RequestHandlers<ReportRequests> {
    return {
      heatmap: async (p, ctx) => {
        const row = this.rowByPath(p.path);
        const h = await this.services.agent.request(
          'xray/heatmap',
          { path: resolveRowPath(this.result!.dataset, row.path), model: this.result!.model, label: p.label },
          { signal: ctx.signal },
        );
        return { png: h.png, label: h.label };
      },
      export: async (p) => {
        const files = this.files;
        if (!files) throw new AgentRequestError('report', 'E_NOT_FOUND', 'nothing to export yet');
        const source = p.format === 'csv' ? files.csv : p.format === 'json' ? files.json : files.metrics;
        const name =
          p.format === 'csv' ? 'results.csv' : p.format === 'json' ? 'results.json' : 'metrics.json';
        const dest = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.file(
            path.join(
              this.result?.dataset ?? '.',
              '..',
              `${this.result?.datasetName ?? 'report'}-${this.result?.model ?? 'model'}-${name}`,
            ),
          ),
          filters: p.format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
          saveLabel: 'Export',
        });
        if (!dest) return { saved: null };
        if (source) await vscode.workspace.fs.copy(vscode.Uri.file(source), dest, { overwrite: true });
        else if (p.format === 'metrics' && this.result?.metrics) {
          await vscode.workspace.fs.writeFile(
            dest,
            Buffer.from(JSON.stringify(this.result.metrics, null, 2)),
          );
        } else throw new AgentRequestError('report', 'E_NOT_FOUND', `this run wrote no ${name}`);
        return { saved: dest.fsPath };
      },
      explain: async (p) => {
        const row = this.rowByPath(p.path);
        const available = (await vscode.commands.getCommands(true)).includes(EXPLAIN_DIAGNOSIS_COMMAND);
        if (!available) {
          return {
            started: false,
            message:
              'Explain needs the MedLab language-model integration, which is not available in this build.',
          };
        }
        const request: ExplainDiagnosisRequest = {
          dataset: this.result!.dataset,
          image: resolveRowPath(this.result!.dataset, row.path),
          row: stripForWebview(row),
          model: this.result!.model,
          labels: this.result!.labels,
        };
        await vscode.commands.executeCommand(EXPLAIN_DIAGNOSIS_COMMAND, request);
        return { started: true, message: 'Explanation opened in the MedLab chat.' };
      },
      openImage: async (p) => {
        const row = this.rowByPath(p.path);
        await vscode.commands.executeCommand(
          'vscode.open',
          vscode.Uri.file(resolveRowPath(this.result!.dataset, row.path)),
          {
            preview: true,
            viewColumn: vscode.ViewColumn.Beside,
          },
        );
        return {};
      },
    };
  }

  dispose(): void {
    this.run?.abort();
    this.router.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function exists(uri: vscode.Uri): Promise<boolean> {
  return Promise.resolve(vscode.workspace.fs.stat(uri)).then(
    () => true,
    () => false,
  );
}

/** The labels in the model's order: the metrics know them; else the probabilities' keys. */
function labelsOf(rows: readonly XrayResultRow[], metrics: MetricsReport | null): string[] {
  if (metrics) return metrics.labels;
  const withProbs = rows.find((r) => r.probabilities);
  return withProbs?.probabilities ? Object.keys(withProbs.probabilities) : [];
}

function stripForWebview(row: ReportRow): XrayResultRow {
  const { imageUri: _i, heatmapUri: _h, ...rest } = row;
  return rest;
}
