import { showModel } from '../../models/details';
import { listModels } from '../../models/registry';
import { optString } from '../args';
import type { Command } from '../command';

const list: Command = {
  words: ['models'],
  summary: 'models found in the models folders (and the folders refused, with the field at fault)',
  positionals: [],
  options: [
    {
      name: 'task',
      type: 'string',
      valueName: 'TASK',
      description: 'only this task (e.g. xray-classification)',
    },
  ],
  details:
    'A model is a folder with model.json, the ONNX file it names and MODEL_CARD.md (docs/model-manifest.md).',
  async run(args, io) {
    const result = await listModels({ task: optString(args, 'task') });
    if (io.json) return io.out(JSON.stringify(result, null, 2));
    io.out(`models folders: ${result.directories.join(', ')}`);
    if (result.models.length === 0) io.out('no usable models');
    for (const m of result.models) {
      io.out(
        `${m.id.padEnd(28)} ${m.task.padEnd(28)} ${m.labels.join(', ')}${m.hasCard ? '' : '  (no MODEL_CARD.md)'}`,
      );
    }
    for (const p of result.problems) {
      io.out(`refused ${p.directory}: ${p.code}${p.field ? ` (${p.field})` : ''}: ${p.message}`);
    }
  },
};

const show: Command = {
  words: ['models', 'show'],
  summary: "a model's manifest, graph, execution provider and model card",
  positionals: [{ name: 'ID', description: 'model id (see medlab models)' }],
  options: [],
  async run(args, io) {
    const d = await showModel(args.positionals[0]);
    if (io.json) return io.out(JSON.stringify(d, null, 2));
    const m = d.manifest;
    const lines = [
      `${m.id} — ${m.name} (version ${m.version})`,
      `task: ${m.task}`,
      `labels: ${m.labels.join(', ')}${m.positiveLabel ? ` (positive: ${m.positiveLabel})` : ''}`,
      `folder: ${d.directory} (${d.origin}); file ${m.file}, sha256 ${m.sha256} verified`,
      `input: ${m.input.name} [${m.input.shape.join(', ')}] ${m.input.dtype}`,
      `outputs: scores ${m.outputs.scores} (${m.outputs.scoreType})` +
        (m.outputs.cam ? `, heat maps ${m.outputs.cam}` : '') +
        (m.outputs.features ? `, features ${m.outputs.features}` : ''),
      `preprocessing: ${JSON.stringify(m.preprocessing)}`,
      `graph inputs: ${d.graph.inputs.map((i) => `${i.name} [${i.shape.join(', ')}] ${i.type}`).join('; ')}`,
      `graph outputs: ${d.graph.outputs.map((o) => `${o.name} [${o.shape.join(', ')}]`).join('; ')}`,
      `execution provider: ${d.executionProvider.active} (${d.executionProvider.reason}), ${d.executionProvider.threads} threads`,
      `licence: ${m.license}`,
      `training data: ${m.trainingData}`,
      `intended use: ${m.intendedUse}`,
    ];
    io.out(lines.join('\n'));
    io.out(d.card ? `\n${d.card.trimEnd()}` : '\n(no MODEL_CARD.md in the model folder)');
  },
};

export const modelsCommands: Command[] = [list, show];
