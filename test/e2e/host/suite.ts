/**
 * Mocha tests that run INSIDE the VS Code extension host (code-server), against the real
 * extension and its real agent: bundled by scenarios/inHost.ts, loaded through the workbench's
 * `extensionTestsPath`.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { MedLabServices } from '../../../extension/services';

async function services(): Promise<MedLabServices> {
  const ext = vscode.extensions.getExtension<MedLabServices>('medlab.medlab');
  assert.ok(ext, 'the MedLab extension is installed');
  return ext.isActive ? ext.exports : await ext.activate();
}

function defineTests(): void {
  describe('MedLab in the extension host', () => {
    it('activates and registers every contributed command', async () => {
      await services();
      const ext = vscode.extensions.getExtension('medlab.medlab')!;
      const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map(
        (c) => c.command,
      );
      const registered = new Set(await vscode.commands.getCommands(true));
      const missing = contributed.filter((c) => !registered.has(c));
      assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
      assert.ok(contributed.length >= 10);
    });

    it('has the design settings with their defaults', () => {
      const c = vscode.workspace.getConfiguration('medlab');
      assert.equal(c.inspect('ollama.host')?.defaultValue, 'http://127.0.0.1:11434');
      assert.equal(c.inspect('runtime.executionProvider')?.defaultValue, 'auto');
      for (const key of [
        'agent.nodePath',
        'models.directory',
        'runtime.threads',
        'xray.defaultModel',
        'xray.batchSize',
        'eeg.secondsPerPage',
        'eeg.defaultMontage',
        'eeg.notchHz',
        'eeg.bandpass',
        'ollama.chatModel',
        'ollama.visionModel',
        'ollama.numCtx',
      ]) {
        assert.ok(c.inspect(key) !== undefined, `setting medlab.${key} is contributed`);
      }
    });

    it('talks to its agent: info, models and a recording of the workspace', async () => {
      const s = await services();
      const info = await s.agent.request('agent/info', {});
      assert.equal(info.name, 'medlab-agent');
      const models = await s.agent.request('models/list', {});
      assert.ok(
        models.models.some((m) => m.task === 'xray-classification'),
        'an X-ray model is installed',
      );
      const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
      const rec = await s.agent.request('eeg/open', {
        path: path.join(folder, 'recordings', 'eeg1020_alpha_artefacts.edf'),
      });
      assert.equal(rec.format, 'EDF+C');
      assert.ok(rec.signals.length >= 19);
    });

    it('finds the workspace recordings and X-ray dataset the views show', async () => {
      const edf = await vscode.workspace.findFiles('**/*.{edf,bdf,EDF,BDF}');
      assert.ok(edf.length >= 3, `recordings found: ${edf.length}`);
      const images = await vscode.workspace.findFiles('xray/**/*.{jpg,jpeg,png}');
      assert.ok(images.length >= 3, `X-ray images found: ${images.length}`);
    });
  });
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  mocha.suite.emit('pre-require', globalThis, 'suite', mocha);
  defineTests();
  return new Promise((resolve, reject) =>
    mocha.run((failures) => (failures ? reject(new Error(`${failures} failed`)) : resolve())),
  );
}
