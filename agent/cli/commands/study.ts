import * as path from 'node:path';
import { metricsText } from '../../study/metricsText';
import { runMetrics } from '../../study/runMetrics';
import { optList, optNumber, optPositive, optString } from '../args';
import type { Command } from '../command';

const metrics: Command = {
  words: ['metrics'],
  summary: 'accuracy, sensitivity, specificity, PPV, NPV, F1, AUROC with 95 % CIs, per class and subgroup',
  positionals: [{ name: 'RESULTS.json', description: 'results.json of a diagnosis run (medlab diagnose)' }],
  options: [
    {
      name: 'by',
      type: 'list',
      commaSeparated: true,
      valueName: 'COLUMN',
      description: 'also per subgroup of this column (repeatable, or a,b)',
    },
    { name: 'html', type: 'string', valueName: 'OUT', description: 'write a self-contained HTML report' },
    { name: 'csv', type: 'string', valueName: 'OUT', description: 'write every number as CSV (long format)' },
    { name: 'save', type: 'string', valueName: 'OUT', description: 'write the full report as JSON' },
    { name: 'confidence', type: 'number', valueName: 'C', description: 'confidence level (default 0.95)' },
    {
      name: 'replicates',
      type: 'number',
      valueName: 'N',
      description: 'bootstrap replicates for F1, balanced accuracy, macro averages (default 2000; 0 = none)',
    },
    { name: 'seed', type: 'number', valueName: 'S', description: 'bootstrap seed (default 20250101)' },
    {
      name: 'min-cases',
      type: 'number',
      valueName: 'N',
      description: 'flag a subgroup with fewer cases as small (default 30)',
    },
  ],
  details: [
    'Rows with an error, without a label, or with a label the model does not know are counted and',
    'reported, never silently dropped. An invalid file is refused naming the row and field (E_RESULTS).',
    'Formulas and references: docs/metrics.md.',
    '',
    'example: medlab metrics data/.medlab/cxr-densenet/results.json --by source,view --html report.html',
  ].join('\n'),
  async run(args, io) {
    const file = args.positionals[0];
    const { report, written } = await runMetrics(
      {
        results: file,
        by: optList(args, 'by'),
        htmlOut: optString(args, 'html'),
        csvOut: optString(args, 'csv'),
        jsonOut: optString(args, 'save'),
        confidence: optNumber(args, 'confidence'),
        replicates: optNumber(args, 'replicates'),
        seed: optNumber(args, 'seed'),
        minCases: optPositive(args, 'min-cases'),
      },
      io.ctx,
    );
    if (io.json) return io.out(JSON.stringify({ report, written }, null, 2));
    io.out(metricsText(report, `metrics of ${path.basename(file)}`));
    for (const w of written) io.out(`wrote ${w}`);
  },
};

export const studyCommands: Command[] = [metrics];
