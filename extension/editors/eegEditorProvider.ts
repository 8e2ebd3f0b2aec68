/**
 * The EEG viewer: a read-only custom editor for *.edf / *.bdf. The document only names the file;
 * the agent reads the header (eeg/open) while the webview loads, and every page, spectrum and
 * prediction the webview asks for is forwarded as a typed agent request on that path.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EegAnnotation, EegPrediction, EegRecordingInfo } from '../../agent/protocol';
import { EXPLAIN_EEG_COMMAND } from '../commands/chat';
import { AgentRequestError } from '../agent/client';
import { WebviewRouter } from '../panels/webviewRouter';
import type { MedLabServices } from '../services';
import { eegDefaultsOf } from '../settings';
import { panelHtml, safePost, webviewOptions } from '../webviewContent';
import type { EegViewerEvent, EegViewerRequests } from '../../webview/eeg-viewer/messages';
import { eegViewerHandlers, openRecording, type EegSession } from './eegViewerHandlers';

export const EEG_VIEWER_TYPE = 'medlab.eegViewer';

type Opened = { recording: EegRecordingInfo; annotations: EegAnnotation[] };

class EegDocument implements vscode.CustomDocument {
  readonly session: EegSession;
  opened: Promise<Opened>;
  private readonly watcher: vscode.FileSystemWatcher;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeOnDisk = this.changed.event;

  constructor(
    readonly uri: vscode.Uri,
    private readonly services: MedLabServices,
  ) {
    this.session = { path: uri.fsPath };
    // Started now so the header is read while the webview is still loading.
    this.opened = openRecording(services.agent, uri.fsPath);
    this.opened.catch(() => undefined);
    this.watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(path.dirname(uri.fsPath)), path.basename(uri.fsPath)),
    );
    this.watcher.onDidChange(() => this.reopen());
    this.watcher.onDidCreate(() => this.reopen());
  }

  /** After an agent restart or a change on disk, the header is read again. */
  reopen(): void {
    this.opened = openRecording(this.services.agent, this.uri.fsPath);
    this.opened.catch(() => undefined);
    this.changed.fire();
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}

export class EegEditorProvider implements vscode.CustomReadonlyEditorProvider<EegDocument> {
  static register(services: MedLabServices): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(EEG_VIEWER_TYPE, new EegEditorProvider(services), {
      supportsMultipleEditorsPerDocument: true,
      // Hidden tabs drop their webview; the viewer restores its state from setState.
      webviewOptions: { retainContextWhenHidden: false },
    });
  }

  constructor(private readonly services: MedLabServices) {}

  openCustomDocument(uri: vscode.Uri): EegDocument {
    return new EegDocument(uri, this.services);
  }

  resolveCustomEditor(document: EegDocument, panel: vscode.WebviewPanel): void {
    const { extensionUri } = this.services.context;
    const name = path.basename(document.uri.fsPath);
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = panelHtml(panel.webview, extensionUri, 'eeg-viewer', `EEG ${name}`);
    const post = safePost(panel.webview);
    const send = (event: EegViewerEvent): void => post(event);
    const router = new WebviewRouter<EegViewerRequests>(
      eegViewerHandlers(this.services.agent, document.session),
      post,
    );

    const sendInit = async (): Promise<void> => {
      try {
        const { recording, annotations } = await document.opened;
        const defaults = eegDefaultsOf(this.services.settings());
        send({
          type: 'init',
          name,
          recording,
          annotations,
          defaults,
          prediction: document.session.prediction,
        });
      } catch (e) {
        const code = e instanceof AgentRequestError ? e.code : 'E_INTERNAL';
        const message = e instanceof Error ? e.message : String(e);
        this.services.log.warn(`EEG viewer: cannot open ${name}: ${code} ${message}`);
        send({ type: 'openFailed', name, code, message });
        if (code === 'E_AGENT_UNAVAILABLE') document.reopen();
      }
    };

    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: { type?: string; prediction?: EegPrediction }) => {
        if (message?.type === 'ready') void sendInit();
        else if (message?.type === 'showLogs') this.services.log.show(true);
        else if (message?.type === 'explain' && message.prediction) {
          void vscode.commands.executeCommand(EXPLAIN_EEG_COMMAND, {
            path: document.uri.fsPath,
            prediction: message.prediction,
          });
        } else router.handle(message);
      }),
      document.onDidChangeOnDisk(async () => {
        try {
          const { recording, annotations } = await document.opened;
          send({ type: 'reloaded', recording, annotations });
        } catch {
          /* reported when the viewer asks for a page */
        }
      }),
    ];
    panel.onDidDispose(() => {
      router.dispose();
      for (const s of subscriptions) s.dispose();
    });
  }
}
