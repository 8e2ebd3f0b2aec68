/** `medlab eeg info/export` and the eeg/open, eeg/annotations methods, through the real CLI and agent. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResponseError } from 'vscode-jsonrpc/node';
import { runCli, startAgent, type AgentHandle } from '../support/agentProcess';
import { requireSharedData } from '../support/sharedData';

describe('medlab eeg info / export', function () {
  this.timeout(60000);
  const dir = requireSharedData(this.ctx as Mocha.Context, 'eeg', 'synthetic');
  const gaps = path.join(dir, 'syn_edfplusd_gaps.edf');

  it('prints signals, segments and annotations, and the same as JSON', async () => {
    const human = await runCli(['eeg', 'info', gaps]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /EDF\+D, start 2002-03-02T10:00:00, duration 22\.25 s/);
    assert.match(
      human.stdout,
      /segments \(4, gaps between them\): 0-4 s, 5-7 s, 10\.5-12\.5 s, 20\.25-22\.25 s/,
    );
    assert.match(human.stdout, /1 +Time +s +10 +100 +10/);
    assert.match(human.stdout, /21\.75 +Last event/);
    assert.doesNotMatch(human.stdout, /MedLabSynth/, 'recording identification stays out of the summary');
    const json = await runCli(['eeg', 'info', gaps, '--json']);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.info.format, 'EDF+D');
    assert.equal(parsed.info.signals[1].label, 'Time');
    assert.equal(parsed.annotations.length, 5);
  });

  it('exports a window as JSON with null in gaps, and as CSV', async () => {
    const j = await runCli([
      'eeg',
      'export',
      gaps,
      '--start',
      '3.5',
      '--duration',
      '2',
      '--channels',
      'Time',
    ]);
    assert.equal(j.code, 0, j.stderr);
    const out = JSON.parse(j.stdout);
    assert.equal(out.startTime, '2002-03-02T10:00:00');
    assert.deepEqual(out.signals[0].data.slice(0, 6), [3.5, 3.6, 3.7, 3.8, 3.9, null]);
    assert.deepEqual(out.signals[0].data.slice(15), [5, 5.1, 5.2, 5.3, 5.4]);
    assert.deepEqual(out.annotations, [{ onset: 5, duration: 0, text: 'Segment 2 start' }]);
    const c = await runCli([
      'eeg',
      'export',
      path.join(dir, 'syn_mixed_rates.edf'),
      '--format',
      'csv',
      '--start',
      '2',
      '--duration',
      '1',
      '--channels',
      'ECG,SpO2',
    ]);
    assert.equal(c.code, 0, c.stderr);
    const lines = c.stdout.trim().split('\n');
    assert.equal(lines[0], 'time_s,ECG [mV],SpO2 [%]');
    assert.equal(lines.length, 101);
    assert.match(lines[1], /^2,[-0-9.e]+,92$/);
    assert.match(lines[2], /^2\.01,0\.0628,$/);
  });

  it('exports values that agree with MNE to float32 precision, and all annotations without --duration', async () => {
    const file = 'synthetic/syn_bdfplus_annotations.bdf';
    const ref = JSON.parse(fs.readFileSync(path.join(dir, '..', 'reference.mne.json'), 'utf8')) as {
      files: { file: string; channels: { header_label: string; first64: number[] }[] }[];
    };
    const expected = ref.files
      .find((f) => f.file === file)!
      .channels.find((c) => c.header_label === 'EEG Fz-REF')!;
    const r = await runCli([
      'eeg',
      'export',
      path.join(dir, '..', file),
      '--channels',
      'EEG Fz-REF',
      '--duration',
      '0.25',
    ]);
    const data: number[] = JSON.parse(r.stdout).signals[0].data;
    assert.equal(data.length, 64);
    data.forEach((v, i) =>
      assert.ok(Math.abs(v - expected.first64[i]) <= 2e-6 * Math.abs(expected.first64[i]) + 1 / 32),
    );
    const all = await runCli([
      'eeg',
      'export',
      path.join(dir, '..', file),
      '--channels',
      'Square',
      '--start',
      '19',
    ]);
    const out = JSON.parse(all.stdout);
    assert.equal(out.signals[0].data.length, 256);
    assert.deepEqual(out.annotations, [{ onset: 19.75, duration: 0, text: 'End' }]);
  });

  it('names a bad channel label and lists the valid ones; refuses a broken header with its field', async () => {
    const r = await runCli(['eeg', 'export', gaps, '--channels', 'Cz']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no signal labelled "Cz"; valid labels: "EEG Cz-REF", "Time"/);
    const bad = await runCli(['eeg', 'info', path.join(dir, 'bad_header_bytes.edf')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /number of bytes in header record at byte 184/);
  });
});

describe('eeg/open and eeg/annotations over JSON-RPC', function () {
  this.timeout(60000);
  const dir = requireSharedData(this.ctx as Mocha.Context, 'eeg', 'synthetic');
  let agent: AgentHandle;
  before(() => {
    agent = startAgent();
  });
  after(() => agent?.stop());

  it('opens a recording and lists its annotations', async () => {
    const info = await agent.request('eeg/open', { path: path.join(dir, 'syn_two_annotation_signals.edf') });
    assert.equal(info.format, 'EDF+C');
    assert.equal(info.annotationCount, 4);
    const { annotations } = await agent.request('eeg/annotations', {
      path: path.join(dir, 'syn_two_annotation_signals.edf'),
    });
    assert.deepEqual(
      annotations.map((a) => a.text),
      ['Channel-1 event A', 'Channel-2 event C', 'Channel-1 event B', 'Channel-2 ü é 日本'],
    );
  });

  it('answers a broken file with a typed error naming field and offset, and keeps serving', async () => {
    await assert.rejects(
      agent.request('eeg/open', { path: path.join(dir, 'bad_spr_zero.edf') }),
      (e: unknown) => {
        assert.ok(e instanceof ResponseError);
        const data = e.data as { code: string; field: string; offset: number };
        assert.equal(data.code, 'E_EDF_HEADER');
        assert.equal(data.offset, 696);
        assert.match(data.field, /number of samples in each data record/);
        return true;
      },
    );
    assert.equal((await agent.request('agent/ping', {})).pong, true);
  });
});
