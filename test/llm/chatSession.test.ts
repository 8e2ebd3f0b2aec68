/**
 * The chat panel's conversation logic (extension/chat) with the real agent and the Ollama double:
 * what the webview is told, what is kept per workspace, Stop, explanations, refusals.
 */
import * as assert from 'node:assert/strict';
import { ChatSession, type ChatStore, type StoredChat } from '../../extension/chat/chatSession';
import { streamingBackend } from '../../extension/chat/streamingBackend';
import type { ChatEvent } from '../../webview/chat/messages';
import { startAgent, type AgentHandle } from '../support/agentProcess';
import { OllamaDouble } from '../support/ollamaDouble';
import { tempDir, writeModels, writeNamedEdf, writeXrayResults } from './support/fixtures';

class MemoryStore implements ChatStore {
  saved: StoredChat | undefined;
  load() {
    return this.saved;
  }
  save(chat: StoredChat) {
    this.saved = JSON.parse(JSON.stringify(chat)) as StoredChat;
  }
}

describe('chat session (extension side) with the agent and the Ollama double', function () {
  this.timeout(30000);
  let double: OllamaDouble;
  let agent: AgentHandle;
  let dir: string;
  before(async () => {
    dir = tempDir('medlab-chat-session-');
    double = await OllamaDouble.start({
      models: [{ name: 'medgemma:4b', family: 'gemma3', capabilities: ['completion', 'vision'] }],
      // 'long' in a question, or a row whose covid probability is 77 %, gets an answer worth stopping.
      reply: (call) =>
        /long|covid 77\.0%/.test(call.messages.at(-1)?.content ?? '')
          ? 'word '.repeat(300)
          : '**Kappa** is 0.42: *moderate* agreement.',
      chunkDelayMs: 10,
    });
    agent = startAgent({ OLLAMA_HOST: double.url, MEDLAB_MODELS: writeModels(dir) });
  });
  after(async () => {
    await agent.stop();
    await double.close();
  });

  function session(store = new MemoryStore()) {
    const events: ChatEvent[] = [];
    const s = new ChatSession(
      streamingBackend(async () => agent.connection),
      store,
      (e) => events.push(e),
      () => ({ model: 'medgemma:4b', numCtx: 4096 }),
    );
    return { s, events, store };
  }

  it('streams an answer as events, keeps the conversation per workspace and sends it as history', async () => {
    const { s, events, store } = session();
    await s.send('What does kappa say?', 'medgemma:4b');
    assert.deepEqual([...new Set(events.map((e) => e.type))], ['turnStarted', 'chunk', 'turnDone']);
    const chunks = events.filter((e): e is Extract<ChatEvent, { type: 'chunk' }> => e.type === 'chunk');
    assert.equal(chunks.map((c) => c.text).join(''), '**Kappa** is 0.42: *moderate* agreement.');
    const done = events.at(-1) as Extract<ChatEvent, { type: 'turnDone' }>;
    assert.match(done.assistant.meta ?? '', /medgemma:4b · .* tokens\/s · prompt \d+ \/ 4096 tokens/);
    assert.equal(store.saved?.turns.length, 2);
    // A new panel (or a reload) starts from the stored turns, and the next question carries them.
    const again = session(store);
    assert.equal(again.s.init({ url: double.url, loopback: true }).turns.length, 2);
    await again.s.send('And for subgroups?', 'medgemma:4b');
    const body = double.calls('/api/chat').at(-1)!.body as { messages: { role: string; content: string }[] };
    assert.deepEqual(
      body.messages.map((m) => m.role),
      ['system', 'user', 'assistant', 'user'],
    );
    assert.equal(body.messages[1].content, 'What does kappa say?');
  });

  it('Stop closes the connection within 200 ms and keeps the partial answer marked as stopped', async () => {
    const { s, events, store } = session();
    let stoppedAt = 0;
    const run = s.send('long answer please', 'medgemma:4b');
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (events.filter((e) => e.type === 'chunk').length >= 3) {
          clearInterval(t);
          stoppedAt = Date.now();
          s.stop();
          resolve();
        }
      }, 2);
    });
    await run;
    const closed = await double.waitForClose('/api/chat');
    assert.ok(closed.closedAt! - stoppedAt < 200, `closed ${closed.closedAt! - stoppedAt} ms after Stop`);
    const failed = events.at(-1) as Extract<ChatEvent, { type: 'turnFailed' }>;
    assert.equal(failed.type, 'turnFailed');
    assert.equal(failed.error.code, 'E_CANCELLED');
    assert.equal(failed.partial?.stopped, true);
    assert.ok(failed.partial!.text.startsWith('word word word'));
    assert.equal(store.saved?.turns.at(-1)?.stopped, true);
    assert.equal(s.busy, false);
  });

  it("a question naming the attached recording's patient is refused, not sent and not kept", async () => {
    const edf = await writeNamedEdf(dir);
    const { s, events, store } = session();
    s.attach({ attachment: { kind: 'eeg-recording', path: edf }, label: 'recording' });
    const before = double.calls('/api/chat').length;
    await assert.rejects(s.send('Does Jane Doe have alpha?', 'medgemma:4b'));
    assert.equal(double.calls('/api/chat').length, before);
    const failed = events.at(-1) as Extract<ChatEvent, { type: 'turnFailed' }>;
    assert.equal(failed.error.code, 'E_PRIVACY');
    assert.equal(failed.dropUser, true);
    assert.equal(store.saved, undefined);
  });

  it("Explain on a report row shows a titled question, sends the row's facts, and later questions keep them", async () => {
    const results = await writeXrayResults(dir);
    const { s, events, store } = session();
    await s.explain(
      {
        kind: 'xray-row',
        dataset: `${dir}/dataset`,
        image: `${dir}/dataset/pneumonia/Roe_Richard_CXR.png`,
        model: 'test-cxr',
        labels: ['covid', 'normal', 'pneumonia'],
        row: {
          path: 'pneumonia/Roe_Richard_CXR.png',
          label: 'normal',
          prediction: 'pneumonia',
          probabilities: { covid: 0.04, normal: 0.15, pneumonia: 0.81 },
          error: null,
          subgroups: { patient_id: 'MRN-55123', view: 'AP' },
        },
      },
      'Roe row',
    );
    assert.ok(results);
    const started = events.find((e) => e.type === 'turnStarted') as Extract<
      ChatEvent,
      { type: 'turnStarted' }
    >;
    assert.equal(started.user.text, 'Explain: Roe row');
    const sent = double.calls('/api/chat').at(-1)!.body as { messages: { content: string }[] };
    assert.match(sent.messages[1].content, /Probabilities: pneumonia 81\.0%/);
    assert.match(sent.messages[1].content, /Trained on children only/);
    assert.ok(!/Roe|Richard|55123/.test(JSON.stringify(sent)));
    // The stored question holds the facts (whitelisted), so a follow-up has them.
    assert.match(store.saved!.turns[0].content, /Probabilities: pneumonia 81\.0%/);
    assert.equal(store.saved!.turns[0].text, 'Explain: Roe row');
  });

  it('an Explain stopped mid-answer keeps its file-name title on screen only: follow-ups send no name', async () => {
    const { s, events, store } = session();
    const row = {
      path: 'covid/Doe_John_CXR.png',
      label: 'covid',
      prediction: 'covid',
      probabilities: { covid: 0.77, normal: 0.03, pneumonia: 0.2 },
      error: null,
      subgroups: {},
    };
    const target = {
      kind: 'xray-row' as const,
      dataset: `${dir}/dataset`,
      image: `${dir}/dataset/${row.path}`,
      model: 'test-cxr',
      labels: ['covid', 'normal', 'pneumonia'],
      row,
    };
    const run = s.explain(target, 'covid/Doe_John_CXR.png (test-cxr)');
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (events.filter((e) => e.type === 'chunk').length >= 3) {
          clearInterval(t);
          s.stop();
          resolve();
        }
      }, 2);
    });
    await run;
    const stored = store.saved!.turns;
    assert.equal(stored.at(-1)?.stopped, true);
    assert.equal(stored[0].text, 'Explain: covid/Doe_John_CXR.png (test-cxr)');
    assert.ok(!/Doe|John/.test(stored[0].content), stored[0].content);
    await s.send('Why?', 'medgemma:4b');
    const sent = double.calls('/api/chat').at(-1)!.body;
    assert.ok(!/Doe|John/.test(JSON.stringify(sent)));
  });

  it('a model that is not pulled fails with the code and model the Pull button needs', async () => {
    const { s, events } = session();
    await assert.rejects(s.send('hi', 'llava:7b'));
    const failed = events.at(-1) as Extract<ChatEvent, { type: 'turnFailed' }>;
    assert.equal(failed.error.code, 'E_OLLAMA_MODEL');
    assert.equal(failed.error.data?.detail?.model, 'llava:7b');
  });
});
