/**
 * Language-model commands: `medlab chat`, `medlab explain`, `medlab compare`, and
 * `medlab llm status|models|pull`. Answers stream to stdout; warnings (remote host, research
 * model, truncated context) go to stderr. Ctrl-C closes the connection to Ollama, which stops
 * the generation; a study keeps its answers and resumes on the next run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LlmAttachment, LlmChatResult } from '../../protocol';
import { MedLabError } from '../../errors';
import { chat, defaultChatModel } from '../../llm/chat';
import { resolveHost } from '../../llm/connection';
import { explain, explainTargetOf } from '../../llm/explain';
import { listModels, ollamaStatus } from '../../llm/models';
import { DISCLAIMER } from '../../llm/modelNotes';
import { pullModel } from '../../llm/pull';
import { runLlmStudy } from '../../study/llmStudy';
import { formatEstimate, formatP } from '../../study/formatEstimate';
import { optFlag, optList, optNumber, optPositive, optString } from '../args';
import type { CliIO, Command, OptionSpec } from '../command';

const HOST: OptionSpec = {
  name: 'host',
  type: 'string',
  valueName: 'URL',
  description: 'Ollama server (default medlab.ollama.host / OLLAMA_HOST / http://127.0.0.1:11434)',
};
const MODEL: OptionSpec = {
  name: 'model',
  type: 'string',
  valueName: 'NAME',
  description: 'Ollama model (default MEDLAB_CHAT_MODEL or medgemma:4b)',
};
const NUM_CTX: OptionSpec = {
  name: 'num-ctx',
  type: 'number',
  valueName: 'TOKENS',
  description: 'context window to ask for (default 8192, capped at the model maximum)',
};

/** Says where data goes before anything is sent. */
function announceHost(io: CliIO, host: string | undefined): string | undefined {
  const h = resolveHost(host);
  if (h.warning) io.err(`warning: ${h.warning}`);
  return h.warning;
}

function streamTo(io: CliIO): (text: string) => void {
  return io.json ? () => undefined : (text) => void process.stdout.write(text);
}

function finish(io: CliIO, result: LlmChatResult, hostWarning: string | undefined): void {
  if (io.json) {
    io.out(JSON.stringify(result, null, 2));
    return;
  }
  if (!result.text.endsWith('\n')) process.stdout.write('\n');
  for (const w of result.warnings) if (w !== hostWarning) io.err(`warning: ${w}`);
  const speed = result.tokensPerSecond ? `, ${result.tokensPerSecond.toFixed(1)} tokens/s` : '';
  io.err(`— ${result.model}${speed}. ${DISCLAIMER}`);
}

/** "--attach results.json:3" (a row) or "--attach rec.edf" (a recording summary). */
async function attachmentOf(spec: string): Promise<LlmAttachment> {
  const m = /^(.*?)(?::(\d+))?$/.exec(spec)!;
  const file = path.resolve(m[1]);
  if (/\.(edf|bdf|rec)$/i.test(file)) return { kind: 'eeg-recording', path: file };
  return explainTargetOf(file, m[2] === undefined ? undefined : Number(m[2]), undefined);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const chatCommand: Command = {
  words: ['chat'],
  summary: 'ask a local medical language model (Ollama); the answer streams to stdout',
  positionals: [{ name: 'MESSAGE', description: 'the question ("-" reads it from stdin)' }],
  options: [
    HOST,
    MODEL,
    NUM_CTX,
    {
      name: 'attach',
      type: 'list',
      valueName: 'FILE[:ROW]',
      description: 'context: a results.json row, a comparison report, or an EDF/BDF recording (repeatable)',
    },
  ],
  details:
    'Prompts carry structured results only; a message holding a patient identifier of the attached material is refused.\n' +
    'example: medlab chat --model medgemma:4b --attach .medlab/cxr-densenet121/results.json:12 "Why pneumonia?"',
  async run(args, io) {
    const message = args.positionals[0] === '-' ? (await readStdin()).trim() : args.positionals[0];
    if (!message) throw new MedLabError('E_USAGE', 'the message is empty', { field: 'MESSAGE' });
    const hostWarning = announceHost(io, optString(args, 'host'));
    const attachments = await Promise.all((optList(args, 'attach') ?? []).map(attachmentOf));
    const result = await chat(
      {
        host: optString(args, 'host'),
        model: optString(args, 'model') ?? defaultChatModel(),
        numCtx: optPositive(args, 'num-ctx'),
        messages: [{ role: 'user', content: message }],
        attachments,
      },
      io.ctx,
      streamTo(io),
    );
    finish(io, result, hostWarning);
  },
};

const explainCommand: Command = {
  words: ['explain'],
  summary: 'explain a result (X-ray row, comparison case, EEG prediction) with a local language model',
  positionals: [
    { name: 'RESULTS', description: 'results.json of a diagnosis, compare.json, or an EEG prediction JSON' },
  ],
  options: [
    {
      name: 'row',
      type: 'number',
      valueName: 'N',
      description: 'row (X-ray) or case (comparison), from 0 (default 0)',
    },
    {
      name: 'recording',
      type: 'string',
      valueName: 'EDF',
      description: 'the recording of an EEG prediction',
    },
    HOST,
    MODEL,
    NUM_CTX,
    { name: 'show-prompt', type: 'boolean', description: 'print the prompt that was sent (stderr)' },
  ],
  details:
    "The prompt is built from the result's structured fields and the model card's limits, never from file names or headers.",
  async run(args, io) {
    const row = optNumber(args, 'row');
    if (row !== undefined && !(Number.isInteger(row) && row >= 0)) {
      throw new MedLabError('E_USAGE', `--row must be a whole number from 0; got ${row}`, { field: 'row' });
    }
    const file = path.resolve(args.positionals[0]);
    const target = await explainTargetOf(file, row, optString(args, 'recording'));
    const hostWarning = announceHost(io, optString(args, 'host'));
    const result = await explain(
      {
        host: optString(args, 'host'),
        model: optString(args, 'model'),
        numCtx: optPositive(args, 'num-ctx'),
        target,
      },
      io.ctx,
      streamTo(io),
    );
    if (optFlag(args, 'show-prompt') && !io.json) io.err(`--- prompt sent ---\n${result.prompt}\n---`);
    finish(io, result, hostWarning);
  },
};

const compareCommand: Command = {
  words: ['compare'],
  summary: 'study: the DenseNet against a vision language model on the same labelled X-rays',
  positionals: [{ name: 'PATH', description: 'image folder (or one image)' }],
  options: [
    {
      name: 'labels',
      type: 'string',
      valueName: 'CSV',
      description: 'labels CSV (path,label[,columns]); default: class folders',
    },
    {
      name: 'llm',
      type: 'string',
      valueName: 'MODEL',
      description: 'Ollama vision model, e.g. medgemma:4b (required)',
    },
    HOST,
    {
      name: 'model',
      type: 'string',
      valueName: 'ID',
      description: 'DenseNet model id (default: preferred X-ray model)',
    },
    {
      name: 'out',
      type: 'string',
      valueName: 'DIR',
      description: 'output folder (default <PATH>/.medlab/compare-<model>-vs-<llm>)',
    },
    {
      name: 'seed',
      type: 'number',
      valueName: 'N',
      description: 'seed of every LLM request (default 42; temperature is 0)',
    },
    {
      ...NUM_CTX,
      description: 'context window of each LLM request (default 4096, capped at the model maximum)',
    },
    { name: 'limit', type: 'number', valueName: 'N', description: 'only the first N images (path order)' },
    { name: 'by', type: 'list', valueName: 'COLUMNS', commaSeparated: true, description: 'subgroup columns' },
  ],
  details:
    'Writes compare.json (with every raw LLM answer), compare.csv, cases.csv, compare.html and llm-answers.jsonl.\n' +
    'Answers are cached: Ctrl-C keeps them and a second run resumes. Invalid and refused answers count as failures.',
  async run(args, io) {
    const llm = optString(args, 'llm');
    if (!llm)
      throw new MedLabError('E_USAGE', '--llm MODEL is required (e.g. --llm medgemma:4b)', { field: 'llm' });
    announceHost(io, optString(args, 'host'));
    const labels = optString(args, 'labels');
    if (labels && !fs.existsSync(labels))
      throw new MedLabError('E_NOT_FOUND', `no such file: ${labels}`, { path: labels });
    const r = await runLlmStudy(
      {
        path: args.positionals[0],
        labels,
        llm,
        host: optString(args, 'host'),
        model: optString(args, 'model'),
        out: optString(args, 'out'),
        seed: optNumber(args, 'seed'),
        numCtx: optPositive(args, 'num-ctx'),
        limit: optPositive(args, 'limit'),
        by: optList(args, 'by'),
      },
      io.ctx,
    );
    if (io.json) return io.out(JSON.stringify(r, null, 2));
    const p = r.report.paired;
    const a = r.llm.answers;
    io.out(`${r.report.names[0]} vs ${r.report.names[1]}: ${r.report.rows} images, ${p.n} paired cases`);
    io.out(`  ${r.report.names[0]} accuracy ${formatEstimate(r.report.a.accuracy)}`);
    io.out(`  ${r.report.names[1]} accuracy ${formatEstimate(r.report.b.accuracy)}`);
    io.out(
      `  accuracy including failures: ${formatEstimate(r.report.coverage.a.accuracyIncludingFailures)} vs ${formatEstimate(r.report.coverage.b.accuracyIncludingFailures)}`,
    );
    io.out(
      `  Cohen's kappa ${formatEstimate(p.kappa)}; McNemar exact p ${formatP(p.mcnemar.exactP)} (${p.mcnemar.aOnly} / ${p.mcnemar.bOnly})`,
    );
    io.out(
      `  LLM answers: ${a.valid} valid, ${a.invalid} invalid, ${a.refused} refused, ${a.error} failed (${a.cached} cached)`,
    );
    io.out(`  report: ${r.files.html}`);
    for (const w of r.report.warnings) io.err(`warning: ${w}`);
  },
};

const statusCommand: Command = {
  words: ['llm', 'status'],
  summary: 'is Ollama running, which version, and is it on this machine',
  positionals: [],
  options: [HOST],
  async run(args, io) {
    const s = await ollamaStatus(resolveHost(optString(args, 'host')), io.ctx.signal);
    if (io.json) return io.out(JSON.stringify(s, null, 2));
    io.out(s.message);
    if (s.host.warning) io.err(`warning: ${s.host.warning}`);
    return s.running ? 0 : 1;
  },
};

const modelsCommand: Command = {
  words: ['llm', 'models'],
  summary: 'models installed on the Ollama server (with --details: capabilities, context length)',
  positionals: [],
  options: [HOST, { name: 'details', type: 'boolean', description: 'ask each model for its capabilities' }],
  async run(args, io) {
    const list = await listModels(resolveHost(optString(args, 'host')), {
      details: optFlag(args, 'details'),
      signal: io.ctx.signal,
    });
    if (io.json) return io.out(JSON.stringify(list, null, 2));
    if (!list.models.length)
      io.out(`no models on ${list.host.url}; pull one with "medlab llm pull medgemma:4b"`);
    for (const m of list.models) {
      const size = `${(m.size / 1e9).toFixed(1)} GB`;
      const caps = m.capabilities ? ` [${m.capabilities.join(', ')}]` : '';
      const ctxLen = m.contextLength ? ` ctx ${m.contextLength}` : '';
      io.out(
        `${m.name.padEnd(28)} ${size.padStart(8)} ${m.parameterSize ?? ''} ${m.quantization ?? ''}${caps}${ctxLen}`,
      );
      if (m.notice) io.out(`  ${m.notice}`);
    }
  },
};

const pullCommand: Command = {
  words: ['llm', 'pull'],
  summary: 'download a model onto the Ollama server, with progress (Ctrl-C stops; pulling again resumes)',
  positionals: [{ name: 'MODEL', description: 'e.g. medgemma:4b' }],
  options: [HOST],
  async run(args, io) {
    const r = await pullModel(resolveHost(optString(args, 'host')), args.positionals[0], io.ctx);
    if (io.json) return io.out(JSON.stringify(r, null, 2));
    io.out(`${r.model}: ${r.status} (${(r.bytes / 1e9).toFixed(2)} GB)`);
  },
};

export const llmCommands: Command[] = [
  chatCommand,
  explainCommand,
  compareCommand,
  statusCommand,
  modelsCommand,
  pullCommand,
];
