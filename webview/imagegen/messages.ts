/** Messages between the "Generate Illustration" webview and its panel in the extension. */
import type {
  IllustrationMetadata,
  ImagegenPreset,
  ImagegenRequest,
  ImageServerInfo,
} from '../../agent/protocol';
import type { FromWebview, ToWebview } from '../common/messages';

/** A generated image as the panel shows it; the extension keeps the original under `id` for Save. */
export interface PanelImage {
  id: string;
  /** Base64 PNG with the provenance already embedded. */
  png: string;
  metadata: IllustrationMetadata;
  /** Where it was saved, relative to its workspace folder, once saved. */
  savedAs?: string;
}

export interface PanelGeneration {
  server: ImageServerInfo;
  images: PanelImage[];
  /** Requested settings the server did not honour (from the agent). */
  warnings: string[];
}

/** The generation parameters sent by the webview: the agent checks every range. */
export type GenerateParams = Omit<ImagegenRequest, 'progressToken'> & { server: string };

/** A form filled from a saved figure's metadata ("Regenerate Illustration"). */
export interface Prefill {
  request: ImagegenRequest;
  /** The PNG it came from, relative to the workspace when inside it. */
  source: string;
  metadata: IllustrationMetadata;
}

export type ImagegenRequests = {
  /** Detects the image server at `server` and lists its models and LoRAs. */
  server: { params: { server: string }; result: ImageServerInfo };
  generate: { params: GenerateParams; result: PanelGeneration };
  /** Writes the image (PNG + JSON sidecar) into the workspace's illustrations folder. */
  save: { params: { id: string }; result: { saved: string | null; sidecar?: string } };
  /** Keeps the user's edit of a preset in this workspace. */
  savePreset: { params: ImagegenPreset; result: { presets: ImagegenPreset[]; edited: string[] } };
  /** Back to the lab's default text. */
  resetPreset: { params: { id: string }; result: { presets: ImagegenPreset[]; edited: string[] } };
};

export type ImagegenEvent =
  | {
      type: 'init';
      /** The medlab.imagegen.server setting. */
      serverUrl: string;
      presets: ImagegenPreset[];
      /** Ids of presets the user edited in this workspace. */
      edited: string[];
      /** Why there are no presets, when the agent could not list them. */
      presetsError?: string;
      /** The last generation (a hidden tab's webview is rebuilt). */
      last?: PanelGeneration;
      prefill?: Prefill;
    }
  | { type: 'prefill'; prefill: Prefill }
  | { type: 'serverSetting'; serverUrl: string };

export type ImagegenNotice = { type: 'ready' } | { type: 'openServerSetting' };

export type ImagegenToWebview = ToWebview<ImagegenEvent>;
export type ImagegenFromWebview = FromWebview<ImagegenRequests, ImagegenNotice>;
