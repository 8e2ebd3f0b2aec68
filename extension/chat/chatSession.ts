/**
 * The conversation behind the chat panel, free of `vscode` so it is tested against the real
 * agent: the turns (kept per workspace through a store), the attached context, one answer at a
 * time with Stop, and explanations started from elsewhere (a report row, an EEG result, a study).
 * The agent builds every prompt; this only says what to attach and relays the streamed text.
 */
import type {
  LlmAttachment,
  LlmChatParams,
  LlmChatResult,
  LlmExplainParams,
  LlmExplainResult,
  LlmMessage,
} from '../../agent/protocol';
import type { AttachmentView, ChatEvent, ChatInit, TurnView } from '../../webview/chat/messages';
import type { WebviewError } from '../../webview/common/messages';
import { AgentRequestError } from '../agent/client';

/** The model used when the setting names none. */
export const DEFAULT_CHAT_MODEL = 'medgemma:4b';
/** Turns kept per workspace. */
export const MAX_STORED_TURNS = 200;

export interface StoredTurn extends TurnView {
  /** What the model gets for this turn (an explanation's full request; else the text). */
  content: string;
}

export interface StoredChat {
  turns: StoredTurn[];
}

export interface ChatStore {
  load(): StoredChat | undefined;
  save(chat: StoredChat): void | Thenable<void>;
}

/** The agent calls the chat needs, with streamed text. */
export interface ChatBackend {
  chat(params: LlmChatParams, onText: (text: string) => void, signal: AbortSignal): Promise<LlmChatResult>;
  explain(
    params: LlmExplainParams,
    onText: (text: string) => void,
    signal: AbortSignal,
  ): Promise<LlmExplainResult>;
}

export interface ChatSettings {
  model: string;
  numCtx: number;
}

export interface Attached {
  attachment: LlmAttachment;
  label: string;
}

const TARGET_NOUN: Record<LlmAttachment['kind'], string> = {
  'xray-result': 'chest X-ray result',
  'xray-row': 'chest X-ray result',
  study: 'DenseNet-versus-language-model study',
  'eeg-recording': 'EEG recording',
  'eeg-prediction': 'EEG model prediction',
};

function errorOf(e: unknown): WebviewError {
  if (e instanceof AgentRequestError) return { code: e.code, message: e.message, data: e.data };
  return { code: 'E_INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

function metaOf(r: LlmChatResult): string {
  const parts = [r.model];
  if (r.tokensPerSecond) parts.push(`${r.tokensPerSecond.toFixed(1)} tokens/s`);
  if (r.promptTokens !== null) parts.push(`prompt ${r.promptTokens} / ${r.numCtx} tokens`);
  return parts.join(' · ');
}

export class ChatSession {
  private turns: StoredTurn[];
  private attached: Attached[] = [];
  private running: AbortController | undefined;

  constructor(
    private readonly backend: ChatBackend,
    private readonly store: ChatStore,
    private readonly emit: (event: ChatEvent) => void,
    private readonly settings: () => ChatSettings,
  ) {
    this.turns = (store.load()?.turns ?? []).slice(-MAX_STORED_TURNS);
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  init(host: ChatInit['host']): ChatInit {
    return {
      host,
      model: this.settings().model || DEFAULT_CHAT_MODEL,
      turns: this.turns.map(({ content: _c, ...view }) => view),
      attachments: this.attachmentViews(),
      busy: this.busy,
    };
  }

  attachmentViews(): AttachmentView[] {
    return this.attached.map((a) => ({ label: a.label }));
  }

  attach(a: Attached): AttachmentView[] {
    const key = JSON.stringify(a.attachment);
    if (!this.attached.some((x) => JSON.stringify(x.attachment) === key)) this.attached.push(a);
    this.emit({ type: 'attachments', attachments: this.attachmentViews() });
    return this.attachmentViews();
  }

  detach(index: number): AttachmentView[] {
    this.attached.splice(index, 1);
    this.emit({ type: 'attachments', attachments: this.attachmentViews() });
    return this.attachmentViews();
  }

  async clear(): Promise<TurnView[]> {
    this.stop();
    this.turns = [];
    await this.store.save({ turns: [] });
    return [];
  }

  /** Stop: closes the request (and with it the agent's connection to Ollama). */
  stop(): void {
    this.running?.abort();
  }

  private history(): LlmMessage[] {
    return this.turns.map((t) => ({ role: t.role, content: t.content }));
  }

  async send(text: string, model: string): Promise<void> {
    const question = text.trim();
    if (!question) return;
    const user: StoredTurn = { role: 'user', text: question, content: question };
    const numCtx = this.settings().numCtx;
    await this.turn(user, model, (onText, signal) =>
      this.backend.chat(
        {
          model,
          numCtx,
          messages: [...this.history(), { role: 'user', content: question }],
          attachments: this.attached.map((a) => a.attachment),
        },
        onText,
        signal,
      ),
    );
  }

  /** "Explain" from a report row, an EEG result or a study: shown as a question titled `title`. */
  async explain(target: LlmAttachment, title: string, model?: string): Promise<void> {
    const m = model || this.settings().model || DEFAULT_CHAT_MODEL;
    // The title (a file name) is for the screen; the model's history gets the kind of result only,
    // until the agent's whitelisted prompt replaces it.
    const user: StoredTurn = {
      role: 'user',
      text: `Explain: ${title}`,
      content: `Explain the ${TARGET_NOUN[target.kind]}.`,
    };
    await this.turn(user, m, async (onText, signal) => {
      const r = await this.backend.explain(
        { model: m, numCtx: this.settings().numCtx, target },
        onText,
        signal,
      );
      // Later questions need the facts the explanation rested on (whitelisted by the agent).
      user.content = r.prompt;
      return r;
    });
  }

  private async turn(
    user: StoredTurn,
    model: string,
    call: (onText: (t: string) => void, signal: AbortSignal) => Promise<LlmChatResult>,
  ): Promise<void> {
    if (this.running) {
      throw new AgentRequestError('llm/chat', 'E_USAGE', 'an answer is still being written: stop it first');
    }
    const controller = (this.running = new AbortController());
    this.emit({ type: 'turnStarted', user: { role: 'user', text: user.text }, model });
    let partial = '';
    try {
      const r = await call((t) => {
        partial += t;
        this.emit({ type: 'chunk', text: t });
      }, controller.signal);
      const assistant: StoredTurn = {
        role: 'assistant',
        text: r.text,
        content: r.text,
        model: r.model,
        warnings: r.warnings,
        meta: metaOf(r),
      };
      await this.remember(user, assistant);
      this.emit({ type: 'turnDone', assistant: { ...assistant, content: undefined } as TurnView });
    } catch (e) {
      const error = errorOf(e);
      if (error.code === 'E_CANCELLED' && partial) {
        const assistant: StoredTurn = {
          role: 'assistant',
          text: partial,
          content: partial,
          model,
          stopped: true,
        };
        await this.remember(user, assistant);
        this.emit({
          type: 'turnFailed',
          error,
          dropUser: false,
          partial: { ...assistant, content: undefined } as TurnView,
        });
      } else {
        // Nothing useful came back: the question is not kept (an E_PRIVACY one must not be).
        this.emit({ type: 'turnFailed', error, dropUser: true });
      }
      if (error.code !== 'E_CANCELLED') throw e;
    } finally {
      this.running = undefined;
    }
  }

  private async remember(user: StoredTurn, assistant: StoredTurn): Promise<void> {
    this.turns.push(user, assistant);
    this.turns = this.turns.slice(-MAX_STORED_TURNS);
    await this.store.save({ turns: this.turns });
  }
}
