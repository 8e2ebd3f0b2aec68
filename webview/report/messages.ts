/** Messages between the diagnosis report webview and its panel in the extension. */
import type {
  ErrorCode,
  ExecutionProviderInfo,
  MetricsReport,
  ProgressReport,
  XrayCounts,
  XrayResultRow,
} from '../../agent/protocol';
import type { FromWebview, ToWebview } from '../common/messages';

/** A results row with what the webview needs to show it. */
export interface ReportRow extends XrayResultRow {
  /** Webview URI of the image (PNG/JPEG/...); absent for DICOM, which the browser cannot show. */
  imageUri?: string;
  /** Webview URI of the heat map written by the run, when there is one. */
  heatmapUri?: string;
}

export interface ReportResult {
  dataset: string;
  /** Folder name shown in the title. */
  datasetName: string;
  model: string;
  labels: string[];
  outDir: string;
  counts: XrayCounts;
  /** Null for a report opened from disk. */
  seconds: number | null;
  imagesPerSecond: number | null;
  executionProvider: ExecutionProviderInfo | null;
  rows: ReportRow[];
  rowsTruncated: boolean;
  /** False when the run was cancelled: the rows are the images done so far. */
  complete: boolean;
  metrics: MetricsReport | null;
  /** Why there are no metrics (no labels, study/metrics failed). */
  metricsNote?: string;
}

export type ExportFormat = 'csv' | 'json' | 'metrics';

export type ReportRequests = {
  /** Heat map of one row's image (computed by the agent when the run wrote none). */
  heatmap: { params: { path: string; label?: string }; result: { png: string; label: string } };
  /** Saves a copy of results.csv / results.json / metrics.json where the user chooses. */
  export: { params: { format: ExportFormat }; result: { saved: string | null } };
  /** Hands a row to the LLM explanation (when that part is installed). */
  explain: { params: { path: string }; result: { started: boolean; message: string } };
  /** Opens the image file in an editor tab. */
  openImage: { params: { path: string }; result: Record<string, never> };
};

export type ReportEvent =
  | { type: 'started'; datasetName: string; model: string; target: string }
  | { type: 'runProgress'; report: ProgressReport }
  | { type: 'result'; result: ReportResult }
  | { type: 'failed'; code: ErrorCode | string; message: string }
  | { type: 'cancelling' };

export type ReportNotice = { type: 'ready' } | { type: 'cancelRun' } | { type: 'rerun' };

export type ReportToWebview = ToWebview<ReportEvent>;
export type ReportFromWebview = FromWebview<ReportRequests, ReportNotice>;
