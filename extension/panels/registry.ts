/**
 * Open webview panels by key (e.g. "report:<results path>", "chat"): a command that would open a
 * second copy reveals the first. Panels of other rooms (chat, study) register here too.
 */
import type * as vscode from 'vscode';

export interface ManagedPanel {
  readonly panel: vscode.WebviewPanel;
}

export class PanelRegistry implements vscode.Disposable {
  private readonly open = new Map<string, ManagedPanel>();

  get<T extends ManagedPanel>(key: string): T | undefined {
    return this.open.get(key) as T | undefined;
  }

  /** Reveals the panel under `key`, or creates it; forgets it when its webview panel closes. */
  show<T extends ManagedPanel>(key: string, create: () => T): T {
    const existing = this.open.get(key) as T | undefined;
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const created = create();
    this.open.set(key, created);
    created.panel.onDidDispose(() => {
      if (this.open.get(key) === created) this.open.delete(key);
    });
    return created;
  }

  keys(): string[] {
    return [...this.open.keys()];
  }

  dispose(): void {
    for (const p of [...this.open.values()]) p.panel.dispose();
    this.open.clear();
  }
}
