/**
 * Language-model commands: the chat, "Explain" (report rows through the report panel's extension
 * point, EEG predictions, any results file), and the DenseNet-versus-LLM study.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EegPrediction, LlmAttachment, StudyCompareResult } from '../../agent/protocol';
import { AgentRequestError } from '../agent/client';
import { pickWorkspaceFile } from '../chat/pickWorkspaceFile';
import { ChatPanel } from '../panels/chatPanel';
import { EXPLAIN_DIAGNOSIS_COMMAND, type ExplainDiagnosisRequest } from '../panels/explainRequest';
import { parseResultsFile } from '../panels/reportModel';
import { StudyReportPanel } from '../panels/studyReportPanel';
import type { MedLabServices } from '../services';

export const CHAT_COMMAND = 'medlab.chat';
/** For the EEG viewer: `executeCommand(EXPLAIN_EEG_COMMAND, { path, prediction })`. */
export const EXPLAIN_EEG_COMMAND = 'medlab.explainEegPrediction';
export const EXPLAIN_RESULT_COMMAND = 'medlab.explainResult';
export const COMPARE_COMMAND = 'medlab.compareWithLlm';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function explainFile(services: MedLabServices, uri?: vscode.Uri): Promise<void> {
  const file =
    uri ?? (await pickWorkspaceFile('**/.medlab/**/{results,compare}.json', 'Explain which result?'));
  if (!file) return;
  const text = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
  const format = (JSON.parse(text) as { format?: string }).format;
  let target: LlmAttachment | undefined;
  let title = '';
  if (format === 'medlab-xray-results') {
    const run = parseResultsFile(text, file.fsPath);
    const picked = await vscode.window.showQuickPick(
      run.rows.map((r, i) => ({
        label: r.path,
        description: r.prediction ?? r.error?.code ?? '',
        i,
      })),
      { title: 'Explain which image?' },
    );
    if (!picked) return;
    target = { kind: 'xray-result', results: file.fsPath, row: picked.i };
    title = `${picked.label} (${run.model.id})`;
  } else if (format === 'medlab-llm-compare') {
    const doc = JSON.parse(text) as {
      cases: {
        path: string;
        label: string | null;
        densenet: { prediction: string | null };
        llm: { prediction: string | null; status: string };
      }[];
    };
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'The whole study', i: -1 },
        ...doc.cases.map((c, i) => ({
          label: c.path,
          description: `label ${c.label ?? '?'} · DenseNet ${c.densenet.prediction ?? '–'} · LLM ${c.llm.prediction ?? c.llm.status}`,
          i,
        })),
      ],
      { title: 'Explain the study, or one case?' },
    );
    if (!picked) return;
    target =
      picked.i < 0
        ? { kind: 'study', report: file.fsPath }
        : { kind: 'study', report: file.fsPath, row: picked.i };
    title = picked.i < 0 ? `study ${path.basename(path.dirname(file.fsPath))}` : `study case ${picked.label}`;
  } else {
    vscode.window.showErrorMessage('MedLab: this is not a diagnosis results.json or a comparison report.');
    return;
  }
  await ChatPanel.explain(services, target, title);
}

async function pickVisionModel(services: MedLabServices): Promise<string | undefined> {
  const list = await services.agent.request('llm/models', { details: true });
  const vision = list.models.filter((m) => m.capabilities === null || m.capabilities.includes('vision'));
  const preferred = services.settings().ollamaVisionModel;
  const items = vision.map((m) => ({
    label: m.name,
    description: [m.parameterSize, m.capabilities?.join(', ')].filter(Boolean).join(' · '),
    detail: m.notice,
  }));
  items.push({
    label: '$(cloud-download) Pull a model…',
    description: 'e.g. medgemma:4b',
    detail: undefined,
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Which vision model reads the images? (${list.host.url})`,
    placeHolder: preferred || 'medgemma:4b',
  });
  if (!picked) return undefined;
  if (!picked.label.startsWith('$(')) return picked.label;
  const name = await vscode.window.showInputBox({
    prompt: 'Ollama model to pull',
    value: preferred || 'medgemma:4b',
  });
  if (!name) return undefined;
  await pull(services, name);
  return name;
}

async function pull(services: MedLabServices, model: string): Promise<void> {
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Pulling ${model}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let last = 0;
      await services.agent.request(
        'llm/pull',
        { model },
        {
          signal: abort.signal,
          onProgress: (r) => {
            const pct = r.total ? Math.floor((100 * (r.done ?? 0)) / r.total) : undefined;
            progress.report({ message: r.message, increment: pct !== undefined ? pct - last : undefined });
            if (pct !== undefined) last = pct;
          },
        },
      );
    },
  );
}

async function compare(services: MedLabServices, uri?: vscode.Uri): Promise<void> {
  const folder =
    uri ??
    (
      await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        title: 'Folder of labelled X-rays',
      })
    )?.[0];
  if (!folder) return;
  const labelChoice = await vscode.window.showQuickPick(
    [
      { label: 'Class sub-folders', description: 'covid/, normal/, pneumonia/ …', csv: false },
      { label: 'Labels CSV…', description: 'path,label[,columns]', csv: true },
    ],
    { title: 'Where do the reference labels come from?' },
  );
  if (!labelChoice) return;
  let labels: string | undefined;
  if (labelChoice.csv) {
    labels = (
      await vscode.window.showOpenDialog({
        filters: { CSV: ['csv'] },
        defaultUri: folder,
        canSelectMany: false,
      })
    )?.[0]?.fsPath;
    if (!labels) return;
  }
  const status = await services.agent.request('llm/status', {});
  if (!status.running) {
    vscode.window.showErrorMessage(`MedLab: ${status.message}`);
    return;
  }
  if (status.host.warning) {
    const go = await vscode.window.showWarningMessage(
      status.host.warning,
      { modal: true },
      'Send the images',
    );
    if (go !== 'Send the images') return;
  }
  const llm = await pickVisionModel(services);
  if (!llm) return;
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `MedLab study: DenseNet vs ${llm}`,
      cancellable: true,
    },
    async (progress, token): Promise<StudyCompareResult | undefined> => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      try {
        return await services.agent.request(
          'study/compare',
          { path: folder.fsPath, labels, llm, model: services.settings().xrayDefaultModel || undefined },
          {
            signal: abort.signal,
            onProgress: (r) =>
              progress.report({
                message: `${r.total ? `${r.done ?? 0}/${r.total} ` : ''}${r.message ?? ''}`,
              }),
          },
        );
      } catch (e) {
        if (e instanceof AgentRequestError && e.code === 'E_CANCELLED') {
          vscode.window.showInformationMessage(`MedLab: ${e.message}`);
          return undefined;
        }
        throw e;
      }
    },
  );
  if (!result) return;
  const a = result.llm.answers;
  vscode.window.showInformationMessage(
    `Study done: ${result.report.paired.n} paired cases; LLM answers ${a.valid} valid, ${a.invalid} invalid, ${a.refused} refused.`,
  );
  await StudyReportPanel.open(services, vscode.Uri.file(result.files.html));
}

function guard(services: MedLabServices, what: string, run: () => Promise<void>): Promise<void> {
  return run().catch((e: unknown) => {
    services.log.warn(`${what}: ${message(e)}`);
    if (e instanceof AgentRequestError && e.code === 'E_OLLAMA_MODEL') {
      void vscode.window.showErrorMessage(`MedLab: ${message(e)}`);
    } else if (!(e instanceof AgentRequestError && e.code === 'E_CANCELLED')) {
      void vscode.window.showErrorMessage(`MedLab ${what}: ${message(e)}`);
    }
  });
}

export function registerChatCommands(services: MedLabServices): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(CHAT_COMMAND, () => void ChatPanel.show(services)),
    vscode.commands.registerCommand(EXPLAIN_DIAGNOSIS_COMMAND, (req: ExplainDiagnosisRequest) =>
      guard(services, 'explain', () =>
        ChatPanel.explain(
          services,
          {
            kind: 'xray-row',
            dataset: req.dataset,
            image: req.image,
            model: req.model,
            labels: req.labels,
            row: req.row,
          },
          `${req.row.path} (${req.model})`,
        ),
      ),
    ),
    vscode.commands.registerCommand(EXPLAIN_EEG_COMMAND, (req: { path: string; prediction: EegPrediction }) =>
      guard(services, 'explain', () =>
        ChatPanel.explain(
          services,
          { kind: 'eeg-prediction', path: req.path, prediction: req.prediction },
          `${req.prediction.model} on ${vscode.workspace.asRelativePath(req.path)}`,
        ),
      ),
    ),
    vscode.commands.registerCommand(EXPLAIN_RESULT_COMMAND, (uri?: vscode.Uri) =>
      guard(services, 'explain', () => explainFile(services, uri)),
    ),
    vscode.commands.registerCommand(COMPARE_COMMAND, (uri?: vscode.Uri) =>
      guard(services, 'study', () => compare(services, uri)),
    ),
  ];
}
