/** Messages between the chat webview and its panel in the extension. */
import type { LlmHost, LlmModels, LlmPullResult } from '../../agent/protocol';
import type { WebviewError } from '../common/messages';

/** One turn as the chat shows it. */
export interface TurnView {
  role: 'user' | 'assistant';
  /** Markdown for answers; plain text for questions (an explanation shows its title). */
  text: string;
  model?: string;
  warnings?: string[];
  /** The user pressed Stop: the text is what arrived until then. */
  stopped?: boolean;
  /** tokens/s etc., one line. */
  meta?: string;
}

/** Context attached to every message until removed; the label never holds a name-like file name. */
export interface AttachmentView {
  label: string;
}

export interface ChatInit {
  host: LlmHost;
  /** Default model (medlab.ollama.chatModel or medgemma:4b). */
  model: string;
  turns: TurnView[];
  attachments: AttachmentView[];
  busy: boolean;
}

export type ChatRequests = {
  init: { params: Record<string, never>; result: ChatInit };
  /** Installed models with capabilities, and whether the server answers. */
  models: {
    params: Record<string, never>;
    result: { running: boolean; message: string; list: LlmModels | null };
  };
  /** Sends a message; the answer arrives as events; resolves when it is complete. */
  send: { params: { text: string; model: string }; result: { done: true } };
  pull: { params: { model: string }; result: LlmPullResult };
  attach: { params: Record<string, never>; result: { attachments: AttachmentView[] } };
  detach: { params: { index: number }; result: { attachments: AttachmentView[] } };
  clear: { params: Record<string, never>; result: { turns: TurnView[] } };
};

export type ChatEvent =
  | { type: 'turnStarted'; user: TurnView; model: string }
  | { type: 'chunk'; text: string }
  | { type: 'turnDone'; assistant: TurnView }
  /** `dropUser`: the question was not kept (e.g. it held an identifier and was not sent). */
  | { type: 'turnFailed'; error: WebviewError; dropUser: boolean; partial?: TurnView }
  | { type: 'attachments'; attachments: AttachmentView[] }
  | { type: 'host'; host: LlmHost };

export type ChatNotice = { type: 'ready' } | { type: 'stop' };
