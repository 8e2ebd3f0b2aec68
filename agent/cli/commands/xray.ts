import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MetricsReport, XrayDiagnoseResult, XrayResultRow } from '../../protocol';
import { formatEstimate } from '../../study/formatEstimate';
import { diagnose } from '../../xray/batch';
import { watchFolder } from '../../xray/watch';
import { optFlag, optPositive, optString } from '../args';
import type { CliIO, Command, OptionSpec, ParsedArgs } from '../command';

const NOT_CLINICAL = 'Research software: not for clinical use.';
const MAX_ERRORS_SHOWN = 10;

const common: OptionSpec[] = [
  {
    name: 'model',
    type: 'string',
    valueName: 'ID',
    description: 'model id (default: the preferred installed X-ray model)',
  },
  {
    name: 'labels',
    type: 'string',
    valueName: 'CSV',
    description: 'labels CSV path,label[,patient_id,...] (default: class sub-folders)',
  },
  {
    name: 'out',
    type: 'string',
    valueName: 'DIR',
    description: 'output folder (default <dataset>/.medlab/<model-id>/)',
  },
  {
    name: 'heatmaps',
    type: 'boolean',
    description: 'write class activation overlays (PNG) under <out>/heatmaps/',
  },
  { name: 'batch', type: 'number', valueName: 'N', description: 'images per inference call (default 8)' },
];

/** The options diagnose and watch share, as agent parameters. */
function commonParams(args: ParsedArgs) {
  return {
    path: args.positionals[0],
    model: optString(args, 'model'),
    labels: optString(args, 'labels'),
    out: optString(args, 'out'),
    heatmaps: optFlag(args, 'heatmaps'),
    batchSize: optPositive(args, 'batch'),
  };
}

const probabilitiesText = (row: XrayResultRow) =>
  Object.entries(row.probabilities ?? {})
    .map(([l, p]) => `${l} ${p.toFixed(3)}`)
    .join(', ');

function printSingle(r: XrayDiagnoseResult, io: CliIO): number {
  const row = r.rows[0];
  if (!row) return 1;
  if (row.error) {
    io.err(`medlab: ${row.path}: ${row.error.code}: ${row.error.message}`);
    return 1;
  }
  io.out(
    `${row.path}: ${row.prediction} (${probabilitiesText(row)})${row.label ? `; label ${row.label}` : ''}`,
  );
  io.out(`model ${r.model} on ${r.executionProvider.active}; results in ${r.outDir}`);
  if (row.heatmap) io.out(`heat map: ${path.join(r.outDir, row.heatmap)}`);
  io.out(NOT_CLINICAL);
  return 0;
}

function printFolder(r: XrayDiagnoseResult, io: CliIO): void {
  const c = r.counts;
  const ep = r.executionProvider;
  io.out(`model ${r.model} on ${ep.active} (${ep.reason}), ${ep.threads} threads`);
  io.out(
    `${c.images} images: ${c.computed} diagnosed, ${c.cached} from cache, ${c.errors} errors` +
      (c.skipped ? `; ${c.skipped} non-image files skipped (listed in results.json)` : ''),
  );
  if (c.computed > 0) io.out(`${r.imagesPerSecond.toFixed(1)} images/s in ${r.seconds.toFixed(1)} s`);
  const errors = r.rows.filter((row) => row.error);
  for (const row of errors.slice(0, MAX_ERRORS_SHOWN))
    io.out(`  error ${row.path}: ${row.error!.code}: ${row.error!.message}`);
  if (c.errors > MAX_ERRORS_SHOWN)
    io.out(`  ... ${c.errors - MAX_ERRORS_SHOWN} more error rows in results.csv`);
  if (r.files.metrics && fs.existsSync(r.files.metrics)) {
    const m = JSON.parse(fs.readFileSync(r.files.metrics, 'utf8')) as MetricsReport;
    io.out(
      `${c.labelled} labelled: accuracy ${formatEstimate(m.accuracy)}, balanced accuracy ${formatEstimate(m.balancedAccuracy)}, ` +
        `macro AUROC ${formatEstimate(m.macro.auroc)} (n=${m.n}; medlab metrics for the full report)`,
    );
  } else io.out('no labels found (class sub-folders or --labels CSV): no metrics');
  io.out(`results: ${r.files.csv}, ${path.basename(r.files.json)}${r.files.metrics ? ', metrics.json' : ''}`);
  if (r.files.heatmaps) io.out(`heat maps: ${r.files.heatmaps}`);
  io.out(NOT_CLINICAL);
}

const diagnoseCommand: Command = {
  words: ['diagnose'],
  summary: 'diagnose a chest X-ray image or a folder of them (PNG, JPEG, TIFF, BMP, DICOM)',
  positionals: [{ name: 'PATH', description: 'an image file or a folder (searched recursively)' }],
  options: common,
  details: [
    'Writes results.csv, results.json and metrics.json (when labels are known) to the output folder.',
    'Reruns and runs resumed after Ctrl-C or a crash repeat no work (cache keyed by file content and model).',
    'Labels: class sub-folders named like the model labels (case-insensitive), or --labels.',
    '',
    'example: medlab diagnose data/xray --heatmaps',
  ].join('\n'),
  async run(args, io) {
    const r = await diagnose(
      { ...commonParams(args), maxRows: io.json ? Number.MAX_SAFE_INTEGER : MAX_ERRORS_SHOWN * 100 },
      io.ctx,
    );
    if (io.json) {
      io.out(JSON.stringify(r, null, 2));
      return r.counts.images === 1 && r.rows[0]?.error ? 1 : 0;
    }
    const single = r.counts.images === 1 && r.rows.length === 1 && fs.statSync(args.positionals[0]).isFile();
    if (single) return printSingle(r, io);
    printFolder(r, io);
    return 0;
  },
};

const watchCommand: Command = {
  words: ['watch'],
  summary: 'diagnose the images in a folder, then each new or changed one as it arrives (Ctrl-C stops)',
  positionals: [{ name: 'DIR', description: 'folder to watch (recursively)' }],
  options: [
    ...common,
    {
      name: 'settle',
      type: 'number',
      valueName: 'MS',
      description: 'wait until a file has not grown for this long (default 1000)',
    },
  ],
  details:
    'results.csv / results.json are rewritten after each arrival. With --json, one JSON line per event.',
  async run(args, io) {
    await watchFolder({ ...commonParams(args), settleMs: optPositive(args, 'settle') }, io.ctx, (e) => {
      if (io.json) return io.out(JSON.stringify(e));
      if (e.kind === 'ready')
        return io.err(`watching ${args.positionals[0]} (${e.total} images so far); Ctrl-C stops`);
      if (e.kind === 'removed') return;
      const row = e.row!;
      io.out(
        row.error
          ? `${row.path}: ${row.error.code}: ${row.error.message}`
          : `${row.path}: ${row.prediction} (${probabilitiesText(row)})`,
      );
    });
    return 0;
  },
};

export const xrayCommands: Command[] = [diagnoseCommand, watchCommand];
