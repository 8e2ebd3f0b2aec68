/**
 * "MedLab: Chat with Medical Model": one panel per window. Streams answers from a local Ollama
 * model (through the agent), Stop closes the request, the model picker lists /api/tags, context
 * can be attached, and the conversation is kept per workspace. Explanations started elsewhere
 * (report rows, EEG results, studies) appear here as a question and its answer.
 */
import * as vscode from 'vscode';
import type { LlmAttachment, LlmHost } from '../../agent/protocol';
import type { ChatEvent, ChatNotice, ChatRequests } from '../../webview/chat/messages';
import { AgentRequestError } from '../agent/client';
import { pickAttachment } from '../chat/attachPicker';
import { ChatSession, type StoredChat } from '../chat/chatSession';
import { streamingBackend } from '../chat/streamingBackend';
import type { MedLabServices } from '../services';
import { panelHtml, safePost, webviewOptions } from '../webviewContent';
import type { ManagedPanel } from './registry';
import { WebviewRouter, type RequestHandlers } from './webviewRouter';

export const CHAT_VIEW_TYPE = 'medlab.chat';
const HISTORY_KEY = 'medlab.chat.history';

export class ChatPanel implements ManagedPanel {
  readonly panel: vscode.WebviewPanel;
  readonly session: ChatSession;
  private readonly post: (message: unknown) => void;
  private readonly router: WebviewRouter<ChatRequests>;
  private host: LlmHost | undefined;

  static show(services: MedLabServices): ChatPanel {
    return services.panels.show('chat', () => new ChatPanel(services));
  }

  /** Opens the chat and explains `target` there. */
  static async explain(services: MedLabServices, target: LlmAttachment, title: string): Promise<void> {
    const chat = ChatPanel.show(services);
    if (chat.session.busy) {
      vscode.window.showWarningMessage('MedLab chat: an answer is still being written; stop it first.');
      return;
    }
    try {
      await chat.session.explain(target, title);
    } catch (e) {
      // The panel shows the failure; a model that is not pulled offers Pull there.
      services.log.warn(`explain: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private constructor(private readonly services: MedLabServices) {
    const { extensionUri, workspaceState } = services.context;
    this.panel = vscode.window.createWebviewPanel(CHAT_VIEW_TYPE, 'MedLab Chat', vscode.ViewColumn.Beside, {
      ...webviewOptions(extensionUri),
      retainContextWhenHidden: true,
    });
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'medlab.svg');
    this.panel.webview.html = panelHtml(this.panel.webview, extensionUri, 'chat', 'MedLab Chat');
    this.post = safePost(this.panel.webview);
    this.session = new ChatSession(
      streamingBackend(() => services.supervisor.connection()),
      {
        load: () => workspaceState.get<StoredChat>(HISTORY_KEY),
        save: (chat) => workspaceState.update(HISTORY_KEY, chat),
      },
      (event: ChatEvent) => this.post(event),
      () => {
        const s = services.settings();
        return { model: s.ollamaChatModel, numCtx: s.ollamaNumCtx };
      },
    );
    this.router = new WebviewRouter<ChatRequests>(this.handlers(), this.post);
    const subs = [
      this.panel.webview.onDidReceiveMessage((m: ChatNotice | unknown) => {
        const notice = m as ChatNotice;
        if (notice?.type === 'stop') this.session.stop();
        else if (notice?.type !== 'ready') this.router.handle(m);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('medlab.ollama.host')) void this.refreshHost();
      }),
    ];
    this.panel.onDidDispose(() => {
      this.session.stop();
      this.router.dispose();
      for (const s of subs) s.dispose();
    });
  }

  private async refreshHost(): Promise<LlmHost> {
    const status = await this.services.agent.request('llm/status', {});
    this.host = status.host;
    this.post({ type: 'host', host: status.host } satisfies ChatEvent);
    return status.host;
  }

  private handlers(): RequestHandlers<ChatRequests> {
    return {
      init: async () => {
        const host = this.host ?? (await this.refreshHost().catch(() => undefined));
        const fallback = { url: this.services.settings().ollamaHost, loopback: true };
        return this.session.init(host ?? fallback);
      },
      models: async (_p, ctx) => {
        const status = await this.services.agent.request('llm/status', {}, { signal: ctx.signal });
        this.host = status.host;
        if (!status.running) return { running: false, message: status.message, list: null };
        const list = await this.services.agent.request(
          'llm/models',
          { details: true },
          { signal: ctx.signal },
        );
        return { running: true, message: status.message, list };
      },
      send: async ({ text, model }) => {
        await this.session.send(text, model);
        return { done: true };
      },
      pull: async ({ model }, ctx) =>
        this.services.agent.request('llm/pull', { model }, { signal: ctx.signal, onProgress: ctx.progress }),
      attach: async () => {
        const picked = await pickAttachment();
        return { attachments: picked ? this.session.attach(picked) : this.session.attachmentViews() };
      },
      detach: async ({ index }) => ({ attachments: this.session.detach(index) }),
      clear: async () => {
        const answer = await vscode.window.showWarningMessage(
          'Clear the MedLab chat history of this workspace?',
          { modal: true },
          'Clear',
        );
        if (answer !== 'Clear') throw new AgentRequestError('chat', 'E_CANCELLED', 'cancelled');
        return { turns: await this.session.clear() };
      },
    };
  }
}
