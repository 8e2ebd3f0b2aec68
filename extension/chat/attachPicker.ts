/**
 * "Attach…" in the chat: the open EEG recording, a row of a diagnosis run, or a comparison study.
 * Only references travel (paths, row numbers); the agent reads the material and keeps only
 * whitelisted fields. Labels are for the user's own screen and never reach the model: they show
 * the workspace-relative path, as the report and the Explorer do.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EEG_VIEWER_TYPE } from '../editors/eegEditorProvider';
import { parseResultsFile } from '../panels/reportModel';
import type { Attached } from './chatSession';
import { pickWorkspaceFile } from './pickWorkspaceFile';

const EEG_FILE = /\.(edf|bdf)$/i;

function label(file: string): string {
  return vscode.workspace.asRelativePath(file);
}

/** The EEG recording of the active tab (the MedLab viewer), if any. */
function activeRecording(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom && input.viewType === EEG_VIEWER_TYPE) return input.uri;
  if (input instanceof vscode.TabInputText && EEG_FILE.test(input.uri.fsPath)) return input.uri;
  return undefined;
}

async function pickRow(results: vscode.Uri): Promise<Attached | undefined> {
  const text = Buffer.from(await vscode.workspace.fs.readFile(results)).toString('utf8');
  const file = parseResultsFile(text, results.fsPath);
  const picked = await vscode.window.showQuickPick(
    file.rows.map((r, i) => ({
      label: r.path,
      description: r.prediction ? `predicted ${r.prediction}` : (r.error?.code ?? ''),
      detail: r.label ? `label ${r.label}` : undefined,
      index: i,
    })),
    { title: 'Attach which image result?', matchOnDescription: true },
  );
  if (!picked) return undefined;
  return {
    attachment: { kind: 'xray-result', results: results.fsPath, row: picked.index },
    label: `${file.rows[picked.index].path} (${file.model.id})`,
  };
}

export async function pickAttachment(): Promise<Attached | undefined> {
  type Item = vscode.QuickPickItem & { run: () => Promise<Attached | undefined> };
  const items: Item[] = [];
  const active = activeRecording();
  if (active) {
    items.push({
      label: '$(pulse) Open EEG recording',
      description: label(active.fsPath),
      run: async () => ({
        attachment: { kind: 'eeg-recording', path: active.fsPath },
        label: label(active.fsPath),
      }),
    });
  }
  items.push(
    {
      label: '$(pulse) EEG recording…',
      description: 'technical summary: channels, rates, duration (never header identifiers)',
      run: async () => {
        const [uri] =
          (await vscode.window.showOpenDialog({
            filters: { 'EEG (EDF/BDF)': ['edf', 'bdf'] },
            canSelectMany: false,
          })) ?? [];
        return uri && { attachment: { kind: 'eeg-recording', path: uri.fsPath }, label: label(uri.fsPath) };
      },
    },
    {
      label: '$(graph) Diagnosis result…',
      description: 'one image of a run: probabilities, metrics, model-card limits',
      run: async () => {
        const results = await pickWorkspaceFile('**/.medlab/*/results.json', 'Which diagnosis run?');
        return results && pickRow(results);
      },
    },
    {
      label: '$(law) Comparison study…',
      description: 'DenseNet vs language model: metrics, kappa, McNemar',
      run: async () => {
        const report = await pickWorkspaceFile('**/.medlab/compare-*/compare.json', 'Which comparison?');
        return (
          report && {
            attachment: { kind: 'study', report: report.fsPath },
            label: `study ${path.basename(path.dirname(report.fsPath))}`,
          }
        );
      },
    },
  );
  const choice = await vscode.window.showQuickPick(items, { title: 'Attach context to the chat' });
  return choice?.run();
}
