/** Registers the three MedLab views and keeps them in step with the agent. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MedLabServices } from '../services';
import { EEG_RECORDINGS_VIEW, EegRecordingsProvider } from './eegRecordings';
import { MODELS_VIEW, ModelsProvider } from './models';
import { XRAY_DATASETS_VIEW, XrayDatasetsProvider } from './xrayDatasets';

export interface MedLabViews {
  datasets: XrayDatasetsProvider;
  recordings: EegRecordingsProvider;
  models: ModelsProvider;
}

export function registerViews(services: MedLabServices): MedLabViews {
  const { context, agent, supervisor } = services;
  const datasets = new XrayDatasetsProvider();
  const recordings = new EegRecordingsProvider(agent);
  const models = new ModelsProvider(agent, path.join(context.extensionPath, 'models'));
  models.watch(services.settings().modelsDirectory);
  context.subscriptions.push(
    datasets,
    recordings,
    models,
    vscode.window.createTreeView(XRAY_DATASETS_VIEW, { treeDataProvider: datasets, showCollapseAll: true }),
    vscode.window.createTreeView(EEG_RECORDINGS_VIEW, { treeDataProvider: recordings }),
    vscode.window.createTreeView(MODELS_VIEW, { treeDataProvider: models }),
    supervisor.onDidChangeState((state) => {
      if (state.kind === 'failed') models.refresh();
      if (state.kind !== 'running') return;
      recordings.retryUnavailable();
      models.setExecutionProvider(state.info.executionProvider);
    }),
  );
  return { datasets, recordings, models };
}
