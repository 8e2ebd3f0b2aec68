import { strict as assert } from 'node:assert';
import type { EegRecordingInfo, ExecutionProviderInfo, ModelList, ModelSummary } from '../../agent/protocol';
import {
  formatDuration,
  formatSampleRates,
  isEegPath,
  recordingRow,
} from '../../extension/views/eegRecordingModel';
import { modelRows, providerRow } from '../../extension/views/modelsModel';
import {
  datasetDescription,
  groupDatasets,
  IMAGE_GLOB,
  isImagePath,
} from '../../extension/views/xrayDatasetModel';
import { statusBarView } from '../../extension/statusBarModel';
import { chooseModel } from '../../extension/commands/modelChoice';

describe('extension: X-ray datasets view model', () => {
  const ws = '/ws';

  it('groups an ImageFolder layout into one dataset with class counts', () => {
    const images = [
      '/ws/chest/covid/a.png',
      '/ws/chest/covid/b.PNG',
      '/ws/chest/normal/c.jpg',
      '/ws/chest/pneumonia/d.dcm',
      '/ws/chest/pneumonia/e.jpeg',
      '/ws/chest/pneumonia/notes.txt',
    ];
    const [d, ...rest] = groupDatasets(images, [], [], [ws]);
    assert.equal(rest.length, 0);
    assert.equal(d.root, '/ws/chest');
    assert.equal(d.images, 5);
    assert.equal(d.dicom, 1);
    assert.deepEqual(d.classes, [
      { name: 'covid', count: 2 },
      { name: 'normal', count: 1 },
      { name: 'pneumonia', count: 2 },
    ]);
    assert.equal(datasetDescription(d), '5 images · 3 classes · not diagnosed');
  });

  it('takes the folder with labels.csv as the dataset, and marks diagnosed runs', () => {
    const images = [
      '/ws/xray/images/covid/1.jpg',
      '/ws/xray/images/normal/2.jpg',
      '/ws/xray/originals/covid/3.png',
    ];
    const results = ['/ws/xray/.medlab/cxr-densenet/results.json', '/ws/other/.medlab/m/results.json'];
    const [d] = groupDatasets(images, ['/ws/xray/labels.csv'], results, [ws]);
    assert.equal(d.root, '/ws/xray');
    assert.equal(d.hasLabelsCsv, true);
    assert.deepEqual(d.classes, [
      { name: 'covid', count: 2 },
      { name: 'normal', count: 1 },
    ]);
    assert.deepEqual(d.runs, [
      { model: 'cxr-densenet', results: '/ws/xray/.medlab/cxr-densenet/results.json' },
    ]);
    assert.match(datasetDescription(d), /diagnosed \(cxr-densenet\)/);
  });

  it('ignores images MedLab wrote itself (heat maps under .medlab)', () => {
    const images = ['/ws/set/a/1.png', '/ws/set/.medlab/m/heatmaps/1.png'];
    const [d] = groupDatasets(images, [], [], [ws]);
    assert.equal(d.images, 1);
  });

  it('does not list the illustrations saved at the workspace root as a dataset', () => {
    const images = [
      '/ws/illustrations/eeg-montage-seed7.png',
      '/ws/illustrations/cover-seed1.png',
      '/ws/set/covid/1.png',
    ];
    const datasets = groupDatasets(images, [], [], [ws]);
    assert.deepEqual(
      datasets.map((d) => [d.root, d.images]),
      [['/ws/set', 1]],
    );
    // X-rays a user keeps in a folder of that name in a dataset still count.
    assert.equal(groupDatasets(['/ws/set/illustrations/1.png'], [], [], [ws])[0].images, 1);
  });

  it('does not climb above the workspace folder: images at its root form one unsorted dataset', () => {
    const [d] = groupDatasets(['/ws/a.png', '/ws/b.dcm'], [], [], [ws]);
    assert.equal(d.root, '/ws');
    assert.deepEqual(d.classes, [{ name: '(no class folder)', count: 2 }]);
    assert.equal(datasetDescription(d), '2 images · not diagnosed');
  });

  it('recognises image files case-insensitively and lists both cases in the glob', () => {
    assert.ok(isImagePath('x/Y.DCM') && isImagePath('a.TIFF') && !isImagePath('a.txt'));
    assert.match(IMAGE_GLOB, /png,PNG/);
  });
});

const info = (over: Partial<EegRecordingInfo> = {}): EegRecordingInfo => ({
  path: '/ws/rec/a.edf',
  format: 'EDF+C',
  startTime: '2023-06-15T09:30:00',
  duration: 3725,
  recordDuration: 1,
  recordCount: 3725,
  headerBytes: 5120,
  signals: [256, 256, 128].map((sampleRate, index) => ({
    index,
    label: `EEG ${index}`,
    transducer: '',
    unit: 'uV',
    prefilter: '',
    sampleRate,
    samplesPerRecord: sampleRate,
    sampleCount: sampleRate * 3725,
    physicalMin: -3276.8,
    physicalMax: 3276.7,
    digitalMin: -32768,
    digitalMax: 32767,
  })),
  annotationCount: 4,
  segments: [{ start: 0, duration: 3725 }],
  warnings: [],
  identifiers: { patient: 'X 1234 M 01-JAN-1970 Jane_Doe', recording: 'Startdate secret' },
  ...over,
});

describe('extension: EEG recordings view model', () => {
  it('describes duration, channel count and sample rates', () => {
    const row = recordingRow('/ws/rec/a.edf', { kind: 'ok', info: info() }, 'rec/a.edf');
    assert.equal(row.label, 'a.edf');
    assert.equal(row.description, '1 h 02 min · 3 ch · 128–256 Hz · rec');
    assert.match(row.tooltip, /EDF\+C, started 2023-06-15 09:30:00/);
  });

  it('never shows the patient or recording identifiers', () => {
    const row = recordingRow('/ws/rec/a.edf', { kind: 'ok', info: info() }, 'rec/a.edf');
    assert.doesNotMatch(row.tooltip + row.description, /Jane|1234|secret/);
  });

  it('shows pending and unreadable headers', () => {
    assert.equal(recordingRow('/ws/b.bdf', { kind: 'pending' }, 'b.bdf').description, 'reading header…');
    const bad = recordingRow(
      '/ws/b.bdf',
      { kind: 'error', code: 'E_EDF_HEADER', message: 'bad ns at byte 252' },
      'b.bdf',
    );
    assert.equal(bad.description, 'unreadable: E_EDF_HEADER');
    assert.match(bad.tooltip, /byte 252/);
  });

  it('formats durations and rates', () => {
    assert.equal(formatDuration(9.59375), '9.59 s');
    assert.equal(formatDuration(60), '60 s');
    assert.equal(formatDuration(182), '3 min 02 s');
    assert.equal(formatDuration(7200), '2 h 00 min');
    assert.equal(formatSampleRates(info({ signals: info().signals.slice(0, 1) })), '256 Hz');
    assert.equal(formatSampleRates(info({ signals: [] })), 'no data signals');
  });

  it('matches .edf and .bdf in any case', () => {
    assert.ok(isEegPath('/a/UPPER.EDF') && isEegPath('x.Bdf') && !isEegPath('x.edf.txt'));
  });
});

const ep = (active: 'cuda' | 'cpu', requested: 'auto' | 'cuda' | 'cpu' = 'auto'): ExecutionProviderInfo => ({
  active,
  requested,
  reason: active === 'cuda' ? 'CUDA 12 found' : 'CUDA libraries missing: libcudart.so.12',
  threads: 0,
});

const model = (id: string, task: string, verified = true): ModelSummary => ({
  id,
  name: `Model ${id}`,
  version: '1.0.0',
  task,
  labels: ['a', 'b'],
  directory: `/models/${id}`,
  origin: 'install',
  sha256: '0'.repeat(64),
  verified,
  hasHeatmaps: true,
  hasCard: true,
  intendedUse: 'Research only. Not for clinical use.',
});

describe('extension: models view model', () => {
  it('lists each model with its task and the provider in use, problems last', () => {
    const list: ModelList = {
      directories: ['/models'],
      models: [model('eeg1', 'eeg-window-classification'), model('cxr', 'xray-classification', false)],
      problems: [
        { directory: '/models/broken', code: 'E_MODEL_MANIFEST', message: 'labels missing', field: 'labels' },
      ],
    };
    const rows = modelRows(list, ep('cuda'));
    assert.deepEqual(
      rows.map((r) => [r.label, r.description]),
      [
        ['Model eeg1', 'EEG window classification · CUDA (GPU)'],
        ['Model cxr', 'X-ray classification · CUDA (GPU) · NOT VERIFIED'],
        ['broken (refused)', 'E_MODEL_MANIFEST'],
      ],
    );
    assert.match(rows[2].tooltip, /field: labels/);
  });

  it('flags CUDA asked for but not available, with the reason', () => {
    const row = providerRow(ep('cpu', 'cuda'));
    assert.equal(row.label, 'Execution provider: CPU');
    assert.equal(row.problem, true);
    assert.match(row.tooltip, /libcudart/);
  });

  it('chooses the model for a diagnosis', () => {
    const models = [model('cxr', 'xray-classification'), model('eeg1', 'eeg-window-classification')];
    assert.deepEqual(chooseModel(models, 'xray-classification', ''), { kind: 'use', id: 'cxr' });
    assert.equal(
      chooseModel([...models, model('cxr2', 'xray-classification')], 'xray-classification', '').kind,
      'pick',
    );
    const missing = chooseModel(models, 'xray-classification', 'gone');
    assert.equal(missing.kind, 'none');
    assert.match(missing.kind === 'none' ? missing.message : '', /"gone".*Installed: cxr/);
    assert.equal(chooseModel([], 'xray-classification', '').kind, 'none');
  });
});

describe('extension: status bar', () => {
  it('shows where models run, and a warning when the agent gave up', () => {
    const running = statusBarView({
      kind: 'running',
      pid: 42,
      info: {
        name: 'medlab-agent',
        version: '0.1.0',
        protocolVersion: 1,
        node: 'v20.20.2',
        platform: 'linux-x64',
        pid: 42,
        modelsDirectories: [],
        executionProvider: ep('cpu'),
      },
    });
    assert.equal(running.text, '$(pulse) MedLab: CPU');
    assert.match(running.tooltip, /pid 42/);
    assert.match(running.tooltip, /libcudart/);
    const failed = statusBarView({
      kind: 'failed',
      reason: 'it crashed 6 times within 3 minutes',
      lastExit: 'exited with code 1',
    });
    assert.equal(failed.warning, true);
    assert.match(failed.text, /agent down/);
  });
});
