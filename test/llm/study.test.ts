/**
 * The DenseNet-versus-LLM study end to end: a generated dataset, the test DenseNet (dark = covid,
 * mid-grey = normal, bright = pneumonia) and the Ollama double answering per image as scripted.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { runLlmStudy } from '../../agent/study/llmStudy';
import { imageForModel } from '../../agent/llm/classifier';
import { configure, settings } from '../../agent/settings';
import { isMedLabError, type MedLabError } from '../../agent/errors';
import type { ProgressReport, StudyCompareParams } from '../../agent/protocol';
import type { RunContext } from '../../agent/runContext';
import type { CompareReportFile } from '../../agent/study/llmCompareReport';
import { OllamaDouble, type GenerationCall } from '../support/ollamaDouble';
import { writeImage, type TestClass } from '../xray/support/dataset';
import { tempDir, writeModels } from './support/fixtures';

const LABELS = ['covid', 'normal', 'pneumonia'];

/** Each image: its class (brightness), its reference label, and what the LLM answers. */
interface Case {
  rel: string;
  cls: TestClass;
  label: string;
  patient: string;
  source: string;
  answer: string;
}

const J = (label: string, confidence = 0.8) => JSON.stringify({ label, confidence });

const CASES: Case[] = [
  {
    rel: 'covid/a1.png',
    cls: 'covid',
    label: 'covid',
    patient: 'P-1001',
    source: 'siteA',
    answer: J('covid'),
  },
  {
    rel: 'covid/a2.png',
    cls: 'covid',
    label: 'covid',
    patient: 'P-1002',
    source: 'siteA',
    answer: J('normal'),
  },
  {
    rel: 'covid/a3.png',
    cls: 'covid',
    label: 'covid',
    patient: 'P-1003',
    source: 'siteB',
    answer: J('COVID '),
  },
  // The DenseNet says covid (dark image) but the reference says normal.
  {
    rel: 'covid/a4.png',
    cls: 'covid',
    label: 'normal',
    patient: 'P-1004',
    source: 'siteB',
    answer: J('normal'),
  },
  {
    rel: 'normal/b1.png',
    cls: 'normal',
    label: 'normal',
    patient: 'P-2001',
    source: 'siteA',
    answer: J('normal'),
  },
  {
    rel: 'normal/b2.png',
    cls: 'normal',
    label: 'normal',
    patient: 'P-2002',
    source: 'siteA',
    answer: 'The image looks normal to me.',
  },
  {
    rel: 'normal/b3.png',
    cls: 'normal',
    label: 'normal',
    patient: 'P-2003',
    source: 'siteB',
    answer: J('pneumonia'),
  },
  {
    rel: 'normal/b4.png',
    cls: 'normal',
    label: 'normal',
    patient: 'P-2004',
    source: 'siteB',
    answer: "I'm sorry, I cannot provide a medical diagnosis from an image.",
  },
  {
    rel: 'pneumonia/Doe_John_CXR.png',
    cls: 'pneumonia',
    label: 'pneumonia',
    patient: 'P-3001',
    source: 'siteA',
    answer: J('pneumonia'),
  },
  {
    rel: 'pneumonia/c2.png',
    cls: 'pneumonia',
    label: 'pneumonia',
    patient: 'P-3002',
    source: 'siteA',
    answer: J('bacterial pneumonia'),
  },
  {
    rel: 'pneumonia/c3.png',
    cls: 'pneumonia',
    label: 'pneumonia',
    patient: 'P-3003',
    source: 'siteB',
    answer: J('pneumonia'),
  },
  // The DenseNet says normal (mid-grey) but the reference says pneumonia.
  {
    rel: 'pneumonia/c4.png',
    cls: 'normal',
    label: 'pneumonia',
    patient: 'P-3004',
    source: 'siteB',
    answer: J('pneumonia'),
  },
];

const DENSENET: Record<TestClass, string> = { covid: 'covid', normal: 'normal', pneumonia: 'pneumonia' };

function ctxWith(signal = new AbortController().signal, reports: ProgressReport[] = []): RunContext {
  return { signal, progress: (r) => reports.push(r), log: () => undefined };
}

describe('study/compare: DenseNet vs a vision LLM on the same images', function () {
  this.timeout(120000);
  let dir: string;
  let dataset: string;
  let labelsCsv: string;
  let double: OllamaDouble;
  const answers = new Map<string, string>();
  const previousModels = settings().modelsDirectory;

  before(async () => {
    dir = tempDir('medlab-llm-study-');
    configure({ modelsDirectory: writeModels(dir) });
    dataset = path.join(dir, 'xrays');
    let seed = 0;
    for (const c of CASES) {
      const file = path.join(dataset, c.rel);
      await writeImage(file, c.cls, seed++);
      // What MedLab sends for this image, so the double can answer per image.
      const png = await imageForModel(fs.readFileSync(file), c.rel);
      answers.set(Buffer.from(png).toString('base64'), c.answer);
    }
    labelsCsv = path.join(dir, 'labels.csv');
    fs.writeFileSync(
      labelsCsv,
      'path,label,patient_id,source\n' +
        CASES.map((c) => `${c.rel},${c.label},${c.patient},${c.source}`).join('\n') +
        '\n',
    );
  });
  after(() => configure({ modelsDirectory: previousModels ?? '' }));

  async function startDouble(chunkDelayMs = 0): Promise<OllamaDouble> {
    return OllamaDouble.start({
      models: [
        {
          name: 'medgemma:4b',
          family: 'gemma3',
          capabilities: ['completion', 'vision'],
          digest: 'f'.repeat(64),
        },
        { name: 'meditron:latest', family: 'llama', capabilities: ['completion'] },
      ],
      chunkDelayMs,
      reply: (call: GenerationCall) => answers.get(call.messages[0].images?.[0] ?? '') ?? 'no such image',
    });
  }

  const params = (out: string): StudyCompareParams => ({
    path: dataset,
    labels: labelsCsv,
    llm: 'medgemma:4b',
    host: double.url,
    model: 'test-cxr',
    out,
  });

  afterEach(() => double?.close());

  it('sends each image once with a fixed prompt, the label schema, temperature 0 and a seed; no identifier leaves', async () => {
    double = await startDouble();
    const out = path.join(dir, 'run1');
    const reports: ProgressReport[] = [];
    const r = await runLlmStudy(params(out), ctxWith(undefined, reports));
    const calls = double.calls('/api/chat');
    assert.equal(calls.length, CASES.length);
    const prompts = new Set<string>();
    for (const c of calls) {
      const body = c.body as {
        messages: { content: string; images: string[] }[];
        format: { properties: { label: { enum: string[] } } };
        options: { temperature: number; seed: number; num_ctx: number };
      };
      assert.deepEqual(body.format.properties.label.enum, LABELS);
      assert.deepEqual([body.options.temperature, body.options.seed], [0, 42]);
      assert.equal(body.messages.length, 1);
      assert.equal(body.messages[0].images.length, 1);
      const meta = await sharp(Buffer.from(body.messages[0].images[0], 'base64')).metadata();
      assert.equal(meta.format, 'png');
      prompts.add(body.messages[0].content);
    }
    assert.equal(prompts.size, 1);
    const sent = double.allBodies();
    for (const secret of ['Doe', 'John', 'P-1001', 'P-3001', 'patient_id'])
      assert.ok(!sent.includes(secret), secret);
    assert.equal(r.complete, true);
    assert.deepEqual(r.llm.answers, { valid: 9, invalid: 2, refused: 1, error: 0, cached: 0 });
    assert.equal(r.llm.digest, 'f'.repeat(64));
    assert.equal(r.llm.ollamaVersion, '0.12.6');
    assert.ok(reports.some((p) => p.total === CASES.length && p.done === CASES.length));
  });

  it('reports both models side by side on the paired cases, with kappa and McNemar as computed by hand', async () => {
    double = await startDouble();
    const r = await runLlmStudy(params(path.join(dir, 'run2')), ctxWith());
    // Hand computation. Paired = the 9 cases with a valid LLM answer (all DenseNet rows are valid).
    const valid = CASES.filter((c) => c.answer.startsWith('{') && !c.answer.includes('bacterial'));
    assert.equal(r.report.paired.n, valid.length);
    const dn = (c: Case) => DENSENET[c.cls];
    const llm = (c: Case) => (JSON.parse(c.answer) as { label: string }).label.trim().toLowerCase();
    const aRight = valid.filter((c) => dn(c) === c.label).length;
    const bRight = valid.filter((c) => llm(c) === c.label).length;
    assert.equal(r.report.a.accuracy.value, aRight / valid.length);
    assert.equal(r.report.b.accuracy.value, bRight / valid.length);
    const aOnly = valid.filter((c) => dn(c) === c.label && llm(c) !== c.label).length;
    const bOnly = valid.filter((c) => dn(c) !== c.label && llm(c) === c.label).length;
    assert.deepEqual([r.report.paired.mcnemar.aOnly, r.report.paired.mcnemar.bOnly], [aOnly, bOnly]);
    // Cohen's kappa between the two models' predictions: (po - pe) / (1 - pe).
    const n = valid.length;
    const po = valid.filter((c) => dn(c) === llm(c)).length / n;
    const pe = LABELS.reduce(
      (s, l) =>
        s + (valid.filter((c) => dn(c) === l).length / n) * (valid.filter((c) => llm(c) === l).length / n),
      0,
    );
    assert.ok(Math.abs(r.report.paired.kappa.value! - (po - pe) / (1 - pe)) < 1e-12);
    // Invalid and refused answers count as failures, not as dropped rows.
    const llmRightAll = valid.filter((c) => llm(c) === c.label).length;
    assert.equal(r.report.coverage.b.accuracyIncludingFailures.value, llmRightAll / CASES.length);
    assert.equal(r.report.coverage.b.accuracyIncludingFailures.n, CASES.length);
    assert.ok(r.report.subgroups.some((t) => t.column === 'source'));
    assert.ok(!r.report.subgroups.some((t) => t.column === 'patient_id'));
  });

  it('agrees with scikit-learn and scipy on the paired cases (kappa, accuracies, McNemar exact p)', async function () {
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import sklearn, scipy'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      if (process.env.CI === 'true')
        throw new Error('python3 with scikit-learn and scipy is required under CI');
      process.stderr.write('      SKIPPED: /usr/bin/python3 with scikit-learn/scipy not available\n');
      this.skip();
    }
    double = await startDouble();
    const r = await runLlmStudy(params(path.join(dir, 'run-sk')), ctxWith());
    const doc = JSON.parse(fs.readFileSync(r.files.json, 'utf8')) as CompareReportFile;
    const paired = doc.cases.filter((c) => c.llm.status === 'valid' && c.densenet.prediction && c.label);
    const input = JSON.stringify({
      truth: paired.map((c) => c.label),
      a: paired.map((c) => c.densenet.prediction),
      b: paired.map((c) => c.llm.prediction),
    });
    const script = [
      'import json, sys',
      'from sklearn.metrics import cohen_kappa_score, accuracy_score',
      'from scipy.stats import binomtest',
      'd = json.load(sys.stdin)',
      'ra = [x == t for x, t in zip(d["a"], d["truth"])]',
      'rb = [x == t for x, t in zip(d["b"], d["truth"])]',
      'b = sum(1 for x, y in zip(ra, rb) if x and not y)',
      'c = sum(1 for x, y in zip(ra, rb) if y and not x)',
      'p = binomtest(b, b + c, 0.5).pvalue if b + c else 1.0',
      'print(json.dumps({"kappa": cohen_kappa_score(d["a"], d["b"]), "accA": accuracy_score(d["truth"], d["a"]),',
      '  "accB": accuracy_score(d["truth"], d["b"]), "p": p}))',
    ].join('\n');
    const py = spawnSync('/usr/bin/python3', ['-c', script], { input, encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const ref = JSON.parse(py.stdout) as { kappa: number; accA: number; accB: number; p: number };
    assert.equal(r.report.paired.n, paired.length);
    assert.ok(Math.abs(r.report.paired.kappa.value! - ref.kappa) < 1e-12);
    assert.ok(Math.abs(r.report.a.accuracy.value! - ref.accA) < 1e-12);
    assert.ok(Math.abs(r.report.b.accuracy.value! - ref.accB) < 1e-12);
    assert.ok(Math.abs(r.report.paired.mcnemar.exactP - ref.p) < 1e-9);
  });

  it('writes JSON (raw answers kept), CSV and an HTML report with the disagreeing images, without names or ids', async () => {
    double = await startDouble();
    const r = await runLlmStudy(params(path.join(dir, 'run3')), ctxWith());
    const doc = JSON.parse(fs.readFileSync(r.files.json, 'utf8')) as CompareReportFile;
    assert.equal(doc.cases.length, CASES.length);
    const refused = doc.cases.find((c) => c.llm.status === 'refused')!;
    assert.equal(refused.llm.raw, "I'm sorry, I cannot provide a medical diagnosis from an image.");
    const outside = doc.cases.find((c) => c.llm.raw.includes('bacterial'))!;
    assert.equal(outside.llm.status, 'invalid');
    assert.match(outside.llm.error ?? '', /not one of covid, normal, pneumonia/);
    assert.equal(doc.llm.prompt.includes('covid, normal, pneumonia'), true);
    const html = fs.readFileSync(r.files.html, 'utf8');
    assert.match(html, /Content-Security-Policy/);
    assert.ok((html.match(/src="data:image\/png;base64,/g) ?? []).length >= r.report.disagreements.length);
    assert.match(html, /How the language model was asked/);
    const cases = fs.readFileSync(r.files.cases, 'utf8');
    assert.equal(cases.trim().split('\n').length, CASES.length + 1);
    const written = [
      fs.readFileSync(r.files.json, 'utf8'),
      html,
      cases,
      fs.readFileSync(r.files.csv, 'utf8'),
    ];
    written.push(fs.readFileSync(r.files.answers, 'utf8'));
    for (const text of written.map((t) => t.replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, ''))) {
      for (const secret of ['Doe', 'John', 'P-1001', 'P-3004', 'patient_id'])
        assert.ok(!text.includes(secret), secret);
    }
    assert.ok(doc.cases.some((c) => /^pneumonia\/\[name withheld [0-9a-f]{6}\]\.png$/.test(c.path)));
  });

  it('is cached and resumable: Ctrl-C keeps the answers, the next run asks only for the rest', async () => {
    double = await startDouble(20);
    const out = path.join(dir, 'run4');
    const controller = new AbortController();
    const reports: ProgressReport[] = [];
    const ctx: RunContext = {
      signal: controller.signal,
      progress: (p) => {
        reports.push(p);
        if (p.total === CASES.length && p.done === 4) controller.abort();
      },
      log: () => undefined,
    };
    await assert.rejects(runLlmStudy(params(out), ctx), (e: unknown) => {
      assert.ok(isMedLabError(e));
      assert.equal((e as MedLabError).code, 'E_CANCELLED');
      assert.match((e as Error).message, /partial report in .*run it again to resume/);
      return true;
    });
    const partial = JSON.parse(fs.readFileSync(path.join(out, 'compare.json'), 'utf8')) as CompareReportFile;
    assert.equal(partial.complete, false);
    const asked = double.calls('/api/chat').length;
    assert.ok(asked >= 4 && asked < CASES.length, `asked ${asked}`);
    const r = await runLlmStudy(params(out), ctxWith());
    assert.equal(r.complete, true);
    assert.equal(r.llm.answers.cached, 4);
    // Every image was asked about at most once over both runs (the one in flight at Ctrl-C is asked again).
    assert.ok(double.calls('/api/chat').length <= CASES.length + 1);
    const before = double.calls('/api/chat').length;
    const again = await runLlmStudy(params(out), ctxWith());
    assert.equal(double.calls('/api/chat').length, before);
    assert.equal(again.llm.answers.cached, CASES.length);
    assert.deepEqual(again.report.paired.kappa, r.report.paired.kappa);
  });

  it('refuses a text-only model before any image is diagnosed or sent', async () => {
    double = await startDouble();
    const out = path.join(dir, 'run5');
    await assert.rejects(runLlmStudy({ ...params(out), llm: 'meditron:latest' }, ctxWith()), (e: unknown) => {
      assert.equal((e as MedLabError).code, 'E_OLLAMA_CAPABILITY');
      assert.match((e as Error).message, /cannot read X-ray images.*without "vision"/);
      return true;
    });
    assert.equal(double.calls('/api/chat').length, 0);
    assert.equal(fs.existsSync(out), false);
  });
});
