/**
 * MedLab's Ollama layer against the protocol double: what the user is told, and what was sent.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { normaliseHost } from '../../agent/llm/connection';
import { listModels, ollamaStatus, showModel, requireCapability } from '../../agent/llm/models';
import { runGeneration } from '../../agent/llm/generation';
import { pullModel } from '../../agent/llm/pull';
import { isMedLabError, type MedLabError } from '../../agent/errors';
import type { ProgressReport } from '../../agent/protocol';
import { OllamaDouble } from '../support/ollamaDouble';

const MODELS = [
  { name: 'medgemma:4b', family: 'gemma3', capabilities: ['completion', 'vision'], contextLength: 131072 },
  { name: 'meditron:latest', family: 'llama', capabilities: ['completion'], contextLength: 2048 },
  { name: 'oldserver:7b', family: 'llama', capabilities: null },
];

function code(c: string) {
  return (e: unknown) => {
    assert.ok(isMedLabError(e), String(e));
    assert.equal((e as MedLabError).code, c, (e as Error).message);
    return true;
  };
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('Ollama layer against the protocol double', () => {
  let double: OllamaDouble;
  const signal = () => new AbortController().signal;
  beforeEach(async () => {
    double = await OllamaDouble.start({ models: MODELS });
  });
  afterEach(() => double.close());

  it('status: running with version, or a clear "not running" message for a server that is down', async () => {
    const up = await ollamaStatus(normaliseHost(double.url));
    assert.equal(up.running, true);
    assert.equal(up.version, '0.12.6');
    const port = await freePort();
    const down = await ollamaStatus(normaliseHost(`127.0.0.1:${port}`));
    assert.equal(down.running, false);
    assert.equal(
      down.message.startsWith(`Ollama is not running at http://127.0.0.1:${port}`),
      true,
      down.message,
    );
    await assert.rejects(listModels(normaliseHost(`127.0.0.1:${port}`)), code('E_OLLAMA_DOWN'));
  });

  it('lists models with capabilities and context length, and the Meditron notice', async () => {
    const list = await listModels(normaliseHost(double.url), { details: true });
    assert.deepEqual(
      list.models.map((m) => [m.name, m.capabilities, m.contextLength]),
      [
        ['medgemma:4b', ['completion', 'vision'], 131072],
        ['meditron:latest', ['completion'], 2048],
        ['oldserver:7b', null, 131072],
      ],
    );
    assert.match(list.models[1].notice ?? '', /research model.*base model/);
  });

  it('a model that is not pulled says so and how to pull it', async () => {
    const host = normaliseHost(double.url);
    await assert.rejects(showModel(host, 'llava:7b'), (e: unknown) => {
      code('E_OLLAMA_MODEL')(e);
      assert.match((e as Error).message, /"llava:7b" is not pulled .*"medlab llm pull llava:7b"/);
      return true;
    });
    await assert.rejects(
      runGeneration(
        { host, model: 'llava:7b', turns: [{ role: 'user', content: 'hi' }], numCtx: 2048, action: 'chat' },
        signal(),
      ),
      code('E_OLLAMA_MODEL'),
    );
  });

  it('refuses an image for a text-only model from its capabilities, and lets unknown capabilities through', async () => {
    const host = normaliseHost(double.url);
    const meditron = await showModel(host, 'meditron:latest');
    assert.throws(
      () => requireCapability(meditron, 'vision', host, 'read images'),
      code('E_OLLAMA_CAPABILITY'),
    );
    assert.doesNotThrow(() => requireCapability(meditron, 'completion', host, 'chat'));
    const old = await showModel(host, 'oldserver:7b');
    assert.doesNotThrow(() => requireCapability(old, 'vision', host, 'read images'));
  });

  it('streams chat pieces as they arrive, with num_ctx, images as base64 and the format schema sent', async () => {
    await double.close();
    double = await OllamaDouble.start({
      models: MODELS,
      reply: () => 'one two three four five six',
      chunkDelayMs: 40,
    });
    const seen: { text: string; at: number }[] = [];
    const schema = {
      type: 'object',
      properties: { label: { enum: ['covid', 'normal'] } },
      required: ['label'],
    };
    const image = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    const t0 = Date.now();
    const out = await runGeneration(
      {
        host: normaliseHost(double.url),
        model: 'medgemma:4b',
        turns: [{ role: 'user', content: 'What is this?', images: [image] }],
        numCtx: 4096,
        temperature: 0,
        seed: 42,
        format: schema,
        action: 'chat',
      },
      signal(),
      (text) => seen.push({ text, at: Date.now() - t0 }),
    );
    assert.equal(out.text, 'one two three four five six');
    assert.equal(seen.length, 6);
    // Streamed: the first piece arrived long before the last.
    assert.ok(seen[5].at - seen[0].at >= 150, JSON.stringify(seen));
    assert.equal(out.doneReason, 'stop');
    assert.ok(out.tokensPerSecond && out.tokensPerSecond > 0);
    const body = double.calls('/api/chat')[0].body as Record<string, unknown>;
    const options = body.options as Record<string, unknown>;
    assert.deepEqual([options.num_ctx, options.temperature, options.seed], [4096, 0, 42]);
    assert.deepEqual(body.format, schema);
    const messages = body.messages as { images: string[] }[];
    assert.equal(messages[0].images[0], Buffer.from(image).toString('base64'));
  });

  it("Meditron gets its authors' one-shot prompt as a raw completion with their stop strings", async () => {
    await runGeneration(
      {
        host: normaliseHost(double.url),
        model: 'meditron:latest',
        turns: [
          { role: 'system', content: 'Context: seizure probability 0.91.' },
          { role: 'user', content: 'What does this mean?' },
        ],
        numCtx: 2048,
        action: 'chat',
      },
      signal(),
    );
    assert.equal(double.calls('/api/chat').length, 0);
    const body = double.calls('/api/generate')[0].body as Record<string, unknown>;
    assert.equal(body.raw, true);
    const prompt = String(body.prompt);
    assert.match(prompt, /^You are a helpful, respectful and honest assistant/);
    assert.match(prompt, /\n### User: What happens if listeria is left untreated\?\n### Assistant: /);
    assert.match(
      prompt,
      /\n### User: Context: seizure probability 0\.91\.\n\nWhat does this mean\?\n### Assistant:$/,
    );
    assert.deepEqual((body.options as { stop: string[] }).stop.slice(0, 1), ['###']);
  });

  it('a mid-stream error line, a stream that ends early and a reset connection are errors, not answers', async () => {
    const host = normaliseHost(double.url);
    const req = {
      host,
      model: 'medgemma:4b',
      turns: [{ role: 'user' as const, content: 'hi' }],
      numCtx: 2048,
      action: 'chat',
    };
    double.fail('/api/chat', {
      kind: 'errorLine',
      afterChunks: 2,
      error: 'llama runner process has terminated',
    });
    await assert.rejects(runGeneration(req, signal()), (e: unknown) => {
      code('E_OLLAMA')(e);
      assert.match((e as Error).message, /llama runner process has terminated/);
      return true;
    });
    double.fail('/api/chat', { kind: 'endEarly', afterChunks: 3 });
    await assert.rejects(runGeneration(req, signal()), (e: unknown) => {
      code('E_OLLAMA')(e);
      assert.match((e as Error).message, /ended before it was complete/);
      return true;
    });
    double.fail('/api/chat', { kind: 'reset', afterChunks: 1 });
    await assert.rejects(runGeneration(req, signal()), (e: unknown) => {
      code('E_OLLAMA')(e);
      assert.match((e as Error).message, /closed before the answer was complete/);
      return true;
    });
  });

  it('503 says the server is busy; a plain-text error body does not reach stdout', async () => {
    const host = normaliseHost(double.url);
    double.fail('/api/chat', {
      kind: 'status',
      status: 503,
      body: 'server busy, please try again',
      contentType: 'text/plain',
    });
    const writes: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    const originalLog = console.log;
    process.stdout.write = ((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    console.log = (...a: unknown[]) => writes.push(a.join(' '));
    try {
      await assert.rejects(
        runGeneration(
          {
            host,
            model: 'medgemma:4b',
            turns: [{ role: 'user', content: 'hi' }],
            numCtx: 2048,
            action: 'chat',
          },
          signal(),
        ),
        (e: unknown) => {
          code('E_OLLAMA')(e);
          assert.match((e as Error).message, /busy \(503: server busy, please try again\)/);
          return true;
        },
      );
    } finally {
      process.stdout.write = original;
      console.log = originalLog;
    }
    assert.deepEqual(writes, []);
  });

  it('a 400 context error and a silently truncated prompt are both reported', async () => {
    const host = normaliseHost(double.url);
    double.fail('/api/chat', {
      kind: 'status',
      status: 400,
      body: JSON.stringify({ error: 'input length exceeds maximum context length' }),
    });
    await assert.rejects(
      runGeneration(
        {
          host,
          model: 'medgemma:4b',
          turns: [{ role: 'user', content: 'hi' }],
          numCtx: 2048,
          action: 'chat',
        },
        signal(),
      ),
      code('E_OLLAMA_CONTEXT'),
    );
    await double.close();
    // The server's tokenizer counts 2 characters per token: twice MedLab's estimate.
    double = await OllamaDouble.start({ models: MODELS, charsPerToken: 2 });
    const long = 'word '.repeat(1400); // ~1750 estimated tokens, ~3500 for the server
    const out = await runGeneration(
      {
        host: normaliseHost(double.url),
        model: 'medgemma:4b',
        turns: [{ role: 'user', content: long }],
        numCtx: 2048,
        action: 'chat',
      },
      signal(),
    );
    assert.equal((double.calls('/api/chat')[0].body?.options as { num_ctx: number }).num_ctx, 2048);
    assert.equal(out.promptTokens, 1024);
    assert.equal(out.truncated, true);
    // A short prompt is never flagged.
    const short = await runGeneration(
      {
        host: normaliseHost(double.url),
        model: 'medgemma:4b',
        turns: [{ role: 'user', content: 'hello' }],
        numCtx: 2048,
        action: 'chat',
      },
      signal(),
    );
    assert.equal(short.truncated, false);
  });

  it('aborting closes the connection at once (the server sees it within 200 ms)', async () => {
    await double.close();
    double = await OllamaDouble.start({ models: MODELS, reply: () => 'word '.repeat(200), chunkDelayMs: 50 });
    const controller = new AbortController();
    let pieces = 0;
    let abortedAt = 0;
    const run = runGeneration(
      {
        host: normaliseHost(double.url),
        model: 'medgemma:4b',
        turns: [{ role: 'user', content: 'hi' }],
        numCtx: 2048,
        action: 'chat',
      },
      controller.signal,
      () => {
        if (++pieces === 3) {
          abortedAt = Date.now();
          controller.abort();
        }
      },
    );
    await assert.rejects(run, code('E_CANCELLED'));
    const closed = await double.waitForClose('/api/chat');
    assert.ok(closed.closedAt! - abortedAt < 200, `closed after ${closed.closedAt! - abortedAt} ms`);
    assert.ok(pieces < 10);
  });

  it('pull reports progress over all layers and ends with the model installed', async () => {
    await double.close();
    const layers = [
      { digest: 'sha256:' + '1'.repeat(64), total: 3_000_000 },
      { digest: 'sha256:' + '2'.repeat(64), total: 1_000_000 },
    ];
    double = await OllamaDouble.start({
      models: [],
      pullable: { 'medgemma:4b': { layers, model: MODELS[0] } },
    });
    const reports: ProgressReport[] = [];
    const ctx = { signal: signal(), progress: (r: ProgressReport) => reports.push(r), log: () => undefined };
    const out = await pullModel(normaliseHost(double.url), 'medgemma:4b', ctx);
    assert.deepEqual(out, { model: 'medgemma:4b', status: 'success', bytes: 4_000_000 });
    const withTotals = reports.filter((r) => r.total);
    assert.equal(withTotals.at(-1)?.done, 4_000_000);
    assert.equal(withTotals.at(-1)?.total, 4_000_000);
    for (let i = 1; i < withTotals.length; i++) assert.ok(withTotals[i].done! >= withTotals[i - 1].done!);
    assert.ok((await listModels(normaliseHost(double.url))).models.some((m) => m.name === 'medgemma:4b'));
    await assert.rejects(pullModel(normaliseHost(double.url), 'no-such-model', ctx), code('E_OLLAMA_MODEL'));
    await assert.rejects(pullModel(normaliseHost(double.url), 'bad name!', ctx), code('E_USAGE'));
  });
});
