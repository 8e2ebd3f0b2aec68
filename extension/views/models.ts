/** The "Models" view: installed models, their task, and the execution provider in use. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExecutionProviderInfo } from '../../agent/protocol';
import type { AgentRequester } from '../agent/client';
import { DebouncedRefresh } from './debouncedRefresh';
import { modelRows, providerRow, type ModelRow } from './modelsModel';

export const MODELS_VIEW = 'medlab.models';

interface Node {
  row: ModelRow;
  /** Model folder, for opening its card. */
  directory?: string;
}

export class ModelsProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private watchers: vscode.Disposable[] = [];
  private readonly debounced = new DebouncedRefresh(() => this.refresh());
  private provider: ExecutionProviderInfo | undefined;

  constructor(
    private readonly agent: AgentRequester,
    private readonly installModels: string,
  ) {}

  /** Watches the bundled models folder and the user's (setting medlab.models.directory). */
  watch(userDirectory: string): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [this.installModels, userDirectory].filter(Boolean).map((dir) => {
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(dir), '**/{model.json,*.onnx,MODEL_CARD.md}'),
      );
      watcher.onDidCreate(() => this.debounced.schedule());
      watcher.onDidChange(() => this.debounced.schedule());
      watcher.onDidDelete(() => this.debounced.schedule());
      return watcher;
    });
  }

  setExecutionProvider(ep: ExecutionProviderInfo | undefined): void {
    this.provider = ep;
    this.refresh();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node) return [];
    let list;
    try {
      list = await this.agent.request('models/list', {});
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return [
        {
          row: {
            id: 'unavailable',
            label: 'Models unavailable',
            description: '',
            tooltip: message,
            problem: true,
          },
        },
      ];
    }
    if (list.models.length === 0 && list.problems.length === 0) return [];
    const byId = new Map(list.models.map((m) => [m.id, m.directory]));
    const rows = modelRows(list, this.provider).map((row) => ({ row, directory: byId.get(row.id) }));
    return this.provider ? [{ row: providerRow(this.provider) }, ...rows] : rows;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const { row } = node;
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = `model:${row.id}`;
    item.description = row.description;
    item.tooltip = row.tooltip;
    if (row.id === 'execution-provider') {
      item.iconPath = new vscode.ThemeIcon(this.provider?.active === 'cuda' ? 'rocket' : 'server-process');
    } else {
      item.iconPath = new vscode.ThemeIcon(row.problem ? 'warning' : 'symbol-class');
    }
    if (node.directory) {
      item.contextValue = 'medlab.model';
      item.command = {
        command: 'medlab.showModelCard',
        title: 'Show Model Card',
        arguments: [vscode.Uri.file(path.join(node.directory, 'MODEL_CARD.md'))],
      };
    }
    return item;
  }

  dispose(): void {
    this.debounced.dispose();
    for (const d of [...this.disposables, ...this.watchers]) d.dispose();
  }
}
