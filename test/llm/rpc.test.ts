/** The llm/* methods over JSON-RPC with the real agent process and the Ollama double. */
import * as assert from 'node:assert/strict';
import { CancellationTokenSource, ProgressType, ResponseError } from 'vscode-jsonrpc/node';
import { LLM_CHUNK, type LlmChunk, type ProgressReport } from '../../agent/protocol';
import { startAgent, type AgentHandle } from '../support/agentProcess';
import { OllamaDouble } from '../support/ollamaDouble';
import { tempDir, writeNamedEdf } from './support/fixtures';
import { generateSamples } from '../../samples/generate';

describe('llm/* over JSON-RPC', function () {
  this.timeout(30000);
  let double: OllamaDouble;
  let agent: AgentHandle;
  before(async () => {
    double = await OllamaDouble.start({
      models: [{ name: 'medgemma:4b', family: 'gemma3', capabilities: ['completion', 'vision'] }],
      reply: (call) =>
        call.messages.at(-1)?.content === 'long'
          ? 'tick '.repeat(300)
          : 'Kappa measures agreement beyond chance.',
      chunkDelayMs: 15,
      pullable: {
        'meditron:7b': {
          layers: [{ digest: 'sha256:' + '3'.repeat(64), total: 2_000_000 }],
          model: { name: 'meditron:7b', capabilities: ['completion'] },
        },
      },
    });
    // The host comes from the agent's settings, as the extension configures it.
    agent = startAgent({ OLLAMA_HOST: '' });
    await agent.request('agent/configure', { ollamaHost: double.url });
  });
  after(async () => {
    await agent.stop();
    await double.close();
  });

  it('llm/status and llm/models answer for the configured host', async () => {
    const status = await agent.request('llm/status', {});
    assert.equal(status.running, true);
    assert.equal(status.host.url, double.url);
    assert.equal(status.host.loopback, true);
    const models = await agent.request('llm/models', { details: true });
    assert.deepEqual(
      models.models.map((m) => [m.name, m.capabilities]),
      [['medgemma:4b', ['completion', 'vision']]],
    );
  });

  it('llm/chat streams the answer as llm/chunk notifications tied to its streamId, before the result', async () => {
    const chunks: LlmChunk[] = [];
    const sub = agent.connection.onNotification(LLM_CHUNK, (c: LlmChunk) => void chunks.push(c));
    try {
      const result = await agent.request('llm/chat', {
        model: 'medgemma:4b',
        messages: [{ role: 'user', content: 'What is kappa?' }],
        streamId: 'panel-1',
      });
      assert.equal(result.text, 'Kappa measures agreement beyond chance.');
      assert.ok(chunks.length >= 5);
      assert.ok(chunks.every((c) => c.streamId === 'panel-1'));
      assert.equal(chunks.map((c) => c.text).join(''), result.text);
      // Loopback host: no host warning; only the model's notice.
      assert.deepEqual(result.warnings, [
        'MedGemma (Health AI Developer Foundations terms) is not clinically validated; research use only.',
      ]);
    } finally {
      sub.dispose();
    }
  });

  it('cancelling llm/chat (Stop) closes the connection to Ollama within 200 ms and fails with E_CANCELLED', async () => {
    const source = new CancellationTokenSource();
    let cancelledAt = 0;
    const sub = agent.connection.onNotification(LLM_CHUNK, (c: LlmChunk) => {
      if (c.streamId === 'stop-me' && !cancelledAt) {
        cancelledAt = Date.now();
        source.cancel();
      }
    });
    try {
      await assert.rejects(
        agent.connection.sendRequest(
          'llm/chat',
          { model: 'medgemma:4b', messages: [{ role: 'user', content: 'long' }], streamId: 'stop-me' },
          source.token,
        ),
        (e: unknown) => e instanceof ResponseError && (e.data as { code: string }).code === 'E_CANCELLED',
      );
      const closed = await double.waitForClose('/api/chat');
      assert.ok(
        closed.closedAt! - cancelledAt < 200,
        `closed ${closed.closedAt! - cancelledAt} ms after Stop`,
      );
    } finally {
      sub.dispose();
    }
  });

  it('llm/pull reports byte progress through $/progress; a missing model is E_OLLAMA_MODEL', async () => {
    const reports: ProgressReport[] = [];
    const sub = agent.connection.onProgress(
      new ProgressType<ProgressReport>(),
      'pull-1',
      (r) => void reports.push(r),
    );
    try {
      const r = await agent.request('llm/pull', { model: 'meditron:7b', progressToken: 'pull-1' });
      assert.equal(r.status, 'success');
      assert.equal(reports.filter((p) => p.total).at(-1)?.done, 2_000_000);
    } finally {
      sub.dispose();
    }
    await assert.rejects(
      agent.request('llm/chat', { model: 'llava:7b', messages: [{ role: 'user', content: 'hi' }] }),
      (e: unknown) => e instanceof ResponseError && (e.data as { code: string }).code === 'E_OLLAMA_MODEL',
    );
  });

  it('a recording opened in the viewer (eeg/open) has its header identifiers blocked from every later request', async () => {
    const edf = await writeNamedEdf(tempDir('medlab-llm-open-'));
    const info = await agent.request('eeg/open', { path: edf });
    assert.match(info.identifiers.patient, /Doe_Jane/);
    const before = double.requests.length;
    await assert.rejects(
      agent.request('llm/chat', {
        model: 'medgemma:4b',
        messages: [{ role: 'user', content: 'Is Whitmore right about this EEG?' }],
      }),
      (e: unknown) => e instanceof ResponseError && (e.data as { code: string }).code === 'E_PRIVACY',
    );
    assert.ok(
      double.requests.slice(before).every((r) => !r.rawBody.includes('Whitmore')),
      'the name never reached the Ollama double',
    );
  });

  it('a header that names MedLab itself (generated samples) does not block chats, whose system prompt names the tool', async () => {
    const dir = tempDir('medlab-llm-sample-');
    await generateSamples(dir, ['eeg1020_alpha.bdf']);
    const info = await agent.request('eeg/open', { path: `${dir}/eeg1020_alpha.bdf` });
    assert.match(info.identifiers.recording, /MedLab/);
    const r = await agent.request('llm/chat', {
      model: 'medgemma:4b',
      messages: [{ role: 'user', content: 'What does an AUROC of 0.9 mean?' }],
    });
    assert.equal(r.text, 'Kappa measures agreement beyond chance.');
  });
});
