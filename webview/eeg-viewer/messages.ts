/** Messages between the EEG viewer webview and its custom editor in the extension. */
import type {
  EegAnnotation,
  EegBands,
  EegPrediction,
  EegRecordingInfo,
  EegSpectrum,
  EegWindow,
  FilterSpec,
  ModelSummary,
  MontageSpec,
} from '../../agent/protocol';
import type { FromWebview, ToWebview } from '../common/messages';

/** A page of traces: the editor adds the recording's path. */
export interface ViewerWindowParams {
  start: number;
  duration: number;
  channels?: string[];
  montage: MontageSpec;
  filters: FilterSpec;
  /** Min/max columns per channel (the plot's width in device pixels). */
  columns: number;
}

export interface ViewerSpectrumParams {
  start: number;
  duration: number;
  channels?: string[];
  montage: MontageSpec;
  filters: FilterSpec;
}

export type EegViewerRequests = {
  window: { params: ViewerWindowParams; result: EegWindow };
  spectrum: { params: ViewerSpectrumParams; result: EegSpectrum };
  bands: { params: ViewerSpectrumParams; result: EegBands };
  /** EEG models installed (task eeg-*). */
  models: { params: Record<string, never>; result: ModelSummary[] };
  predict: { params: { model: string }; result: EegPrediction };
};

/** Defaults from the medlab.eeg.* settings. */
export interface ViewerDefaults {
  secondsPerPage: number;
  montage: MontageSpec;
  filters: FilterSpec;
}

export type EegViewerEvent =
  | {
      type: 'init';
      /** File name shown in the header (not the full path). */
      name: string;
      recording: EegRecordingInfo;
      annotations: EegAnnotation[];
      defaults: ViewerDefaults;
      /** The last model output run from this editor (kept while the tab was hidden). */
      prediction?: EegPrediction;
    }
  | { type: 'openFailed'; name: string; code: string; message: string }
  /** The file changed on disk: the viewer reloads its pages. */
  | { type: 'reloaded'; recording: EegRecordingInfo; annotations: EegAnnotation[] };

export type EegViewerNotice =
  | { type: 'ready' }
  | { type: 'showLogs' }
  /** "Explain" on the model output: the extension opens the chat with it (no header identifiers). */
  | { type: 'explain'; prediction: EegPrediction };

export type EegViewerToWebview = ToWebview<EegViewerEvent>;
export type EegViewerFromWebview = FromWebview<EegViewerRequests, EegViewerNotice>;
