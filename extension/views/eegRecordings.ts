/** The "EEG Recordings" view: EDF/BDF files of the workspace with duration, channels, rate. */
import * as vscode from 'vscode';
import type { AgentRequester } from '../agent/client';
import { AgentRequestError } from '../agent/client';
import { DebouncedRefresh } from './debouncedRefresh';
import { EEG_GLOB, recordingRow, type HeaderState } from './eegRecordingModel';

export const EEG_RECORDINGS_VIEW = 'medlab.eegRecordings';
const EXCLUDE = '**/{node_modules,.git}/**';
/** Headers read at once; each is a small read, but a folder can hold thousands of files. */
const CONCURRENT_READS = 4;
/** A header that arrives this fast is shown at once instead of through a later change event. */
const INLINE_WAIT_MS = 250;

interface CachedHeader {
  mtime: number;
  size: number;
  state: HeaderState;
  done: Promise<void>;
}

export class EegRecordingsProvider implements vscode.TreeDataProvider<vscode.Uri>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly headers = new Map<string, CachedHeader>();
  private readonly queue: { uri: vscode.Uri; resolve(): void }[] = [];
  private reading = 0;
  /** The tree's element per path: a refresh makes new Uri objects, and a change event must name
   * the element the tree holds. */
  private elements = new Map<string, vscode.Uri>();
  /** Paths whose header arrived after their row was drawn, announced together. */
  private readonly arrived = new Set<string>();
  private readonly announce = new DebouncedRefresh(() => this.announceArrived(), 50);
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly debounced = new DebouncedRefresh(() => this.refresh());

  constructor(private readonly agent: AgentRequester) {
    const watcher = vscode.workspace.createFileSystemWatcher(EEG_GLOB);
    watcher.onDidCreate(() => this.debounced.schedule());
    watcher.onDidDelete((uri) => {
      this.headers.delete(uri.fsPath);
      this.debounced.schedule();
    });
    watcher.onDidChange(() => this.debounced.schedule());
    this.disposables.push(
      watcher,
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
    );
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** After an agent restart, headers that failed because it was down are read again. */
  retryUnavailable(): void {
    let any = false;
    for (const [path, h] of this.headers) {
      if (h.state.kind === 'error' && h.state.code === 'E_AGENT_UNAVAILABLE') {
        this.headers.delete(path);
        any = true;
      }
    }
    if (any) this.refresh();
  }

  async getChildren(element?: vscode.Uri): Promise<vscode.Uri[]> {
    if (element) return [];
    const files = await vscode.workspace.findFiles(EEG_GLOB, EXCLUDE, 50_000);
    this.elements = new Map(files.map((u) => [u.fsPath, u]));
    return files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  }

  async getTreeItem(uri: vscode.Uri): Promise<vscode.TreeItem> {
    const state = await this.headerState(uri);
    const row = recordingRow(uri.fsPath, state, vscode.workspace.asRelativePath(uri, false));
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = `eeg:${uri.toString()}`;
    item.resourceUri = uri;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.iconPath = new vscode.ThemeIcon(state.kind === 'error' ? 'warning' : 'pulse');
    item.contextValue = 'medlab.eegRecording';
    item.command = { command: 'medlab.openEegViewer', title: 'Open in EEG Viewer', arguments: [uri] };
    return item;
  }

  private async headerState(uri: vscode.Uri): Promise<HeaderState> {
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch (e) {
      return { kind: 'error', code: 'E_NOT_FOUND', message: e instanceof Error ? e.message : String(e) };
    }
    let cached = this.headers.get(uri.fsPath);
    if (!cached || cached.mtime !== stat.mtime || cached.size !== stat.size) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      cached = { mtime: stat.mtime, size: stat.size, state: { kind: 'pending' }, done };
      this.headers.set(uri.fsPath, cached);
      this.queue.push({ uri, resolve });
      this.pump();
    }
    if (cached.state.kind === 'pending') {
      await Promise.race([cached.done, new Promise((r) => setTimeout(r, INLINE_WAIT_MS))]);
    }
    // Arrived in time: this row shows it, no change event needed. Still pending: the row shows
    // "reading header…" and is updated when the header arrives.
    if (cached.state.kind !== 'pending') this.arrived.delete(uri.fsPath);
    return cached.state;
  }

  private pump(): void {
    while (this.reading < CONCURRENT_READS && this.queue.length > 0) {
      const { uri, resolve } = this.queue.shift()!;
      this.reading++;
      void this.readHeader(uri)
        .then(resolve)
        .finally(() => {
          this.reading--;
          this.pump();
        });
    }
  }

  private async readHeader(uri: vscode.Uri): Promise<void> {
    let state: HeaderState;
    try {
      state = { kind: 'ok', info: await this.agent.request('eeg/open', { path: uri.fsPath }) };
    } catch (e) {
      const err = e instanceof AgentRequestError ? e : undefined;
      state = {
        kind: 'error',
        code: err?.code ?? 'E_INTERNAL',
        message: e instanceof Error ? e.message : String(e),
      };
    }
    const cached = this.headers.get(uri.fsPath);
    if (!cached) return;
    cached.state = state;
    this.arrived.add(uri.fsPath);
    this.announce.schedule();
  }

  private announceArrived(): void {
    const elements = [...this.arrived].map((p) => this.elements.get(p)).filter((u): u is vscode.Uri => !!u);
    this.arrived.clear();
    if (elements.length) this.changed.fire(elements);
  }

  dispose(): void {
    this.debounced.dispose();
    this.announce.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
