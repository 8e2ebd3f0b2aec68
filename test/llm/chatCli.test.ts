/**
 * `medlab chat` and `medlab explain` as a user runs them, against the Ollama double: what is
 * printed, what is sent, and what never leaves (patient identifiers).
 */
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { OllamaDouble } from '../support/ollamaDouble';
import { REPO_ROOT, runCli } from '../support/agentProcess';
import { EDF_SECRETS, tempDir, writeModels, writeNamedEdf, writeXrayResults } from './support/fixtures';

const MODELS = [
  { name: 'medgemma:4b', family: 'gemma3', capabilities: ['completion', 'vision'] },
  { name: 'meditron:latest', family: 'llama', capabilities: ['completion'], contextLength: 2048 },
  { name: 'nomic-embed-text:latest', family: 'nomic-bert', capabilities: ['embedding'] },
];

function assertNoSecrets(text: string, secrets: readonly string[]): void {
  for (const s of secrets) assert.ok(!text.toLowerCase().includes(s.toLowerCase()), `"${s}" leaked`);
}

describe('medlab chat / explain (CLI) against the Ollama double', function () {
  this.timeout(60000);
  let double: OllamaDouble;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    dir = tempDir('medlab-llm-cli-');
    env = { MEDLAB_MODELS: writeModels(dir), OLLAMA_HOST: '' };
  });
  beforeEach(async () => {
    double = await OllamaDouble.start({ models: MODELS, reply: () => 'Alpha rhythm at 10 Hz is expected.' });
  });
  afterEach(() => double.close());

  it('streams the answer to stdout and says it is not for clinical use', async () => {
    const r = await runCli(
      ['chat', '--host', double.url, '--model', 'medgemma:4b', 'What is an alpha rhythm?'],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Alpha rhythm at 10 Hz is expected.\n');
    assert.match(r.stderr, /not for clinical use/);
    const body = double.calls('/api/chat')[0].body as {
      messages: { role: string; content: string }[];
      options: { num_ctx: number };
    };
    assert.equal(body.messages.at(-1)?.content, 'What is an alpha rhythm?');
    assert.equal(body.messages[0].role, 'system');
    assert.equal(body.options.num_ctx, 8192);
  });

  it('says clearly when Ollama is down, a model is not pulled, or the model cannot chat', async () => {
    const s = net.createServer();
    await new Promise<void>((res) => s.listen(0, '127.0.0.1', res));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise((res) => s.close(res));
    const down = await runCli(['chat', '--host', `127.0.0.1:${port}`, 'hi'], { env });
    assert.equal(down.code, 1);
    assert.match(
      down.stderr,
      new RegExp(`Ollama is not running at http://127\\.0\\.0\\.1:${port} \\(connection refused\\)`),
    );
    const missing = await runCli(['chat', '--host', double.url, '--model', 'llava:13b', 'hi'], { env });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /"llava:13b" is not pulled .*medlab llm pull llava:13b/);
    const embed = await runCli(['chat', '--host', double.url, '--model', 'nomic-embed-text:latest', 'hi'], {
      env,
    });
    assert.equal(embed.code, 1);
    assert.match(embed.stderr, /cannot generate text/);
    assert.equal(double.calls('/api/chat').length, 0);
  });

  it('warns before sending anything to a host that is not this machine', async () => {
    const r = await runCli(['chat', '--host', 'http://ollama-box.invalid', 'hi'], { env });
    assert.match(r.stderr, /warning: http:\/\/ollama-box\.invalid:11434 is not on this machine/);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /Ollama is not running at http:\/\/ollama-box\.invalid:11434 \(host name not found\)/,
    );
  });

  it('an attached EDF recording gives its technical summary; no header identifier or file name is ever sent', async () => {
    const edf = await writeNamedEdf(dir);
    const ok = await runCli(['chat', '--host', double.url, '--attach', edf, 'Summarise this recording.'], {
      env,
    });
    assert.equal(ok.code, 0, ok.stderr);
    const system = (double.calls('/api/chat')[0].body as { messages: { content: string }[] }).messages[0]
      .content;
    assert.match(system, /Recording: EDF\+C, 4 s, 6 signals at 256 Hz/);
    assert.match(system, /EEG Fp1, EEG Fp2/);
    assertNoSecrets(double.allBodies(), [...EDF_SECRETS, 'Doe_Jane_EEG']);

    // The user types the patient's name: refused before sending, and the message does not repeat it.
    const before = double.requests.length;
    const leak = await runCli(['chat', '--host', double.url, '--attach', edf, "Is Jane Doe's EEG normal?"], {
      env,
    });
    assert.equal(leak.code, 1);
    assert.match(
      leak.stderr,
      /not sent: the request contains a patient identifier \(from the EDF patient field\)/,
    );
    assert.ok(!/jane|doe/i.test(leak.stderr));
    assert.equal(double.requests.slice(before).filter((r) => r.path === '/api/chat').length, 0);
    assertNoSecrets(double.allBodies(), EDF_SECRETS);
  });

  it('Ctrl-C stops the generation: the connection closes within 200 ms and the partial answer stays printed', async () => {
    await double.close();
    double = await OllamaDouble.start({ models: MODELS, reply: () => 'word '.repeat(400), chunkDelayMs: 30 });
    const child = cp.spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(REPO_ROOT, 'agent', 'cli', 'main.ts'),
        'chat',
        '--host',
        double.url,
        'talk',
      ],
      { cwd: REPO_ROOT, env: { ...process.env, ...env } },
    );
    let stdout = '';
    let sigintAt = 0;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!sigintAt && stdout.split('word').length > 5) {
        sigintAt = Date.now();
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    assert.equal(code, 130);
    const closed = await double.waitForClose('/api/chat');
    assert.ok(
      closed.closedAt! - sigintAt < 200,
      `server saw the close ${closed.closedAt! - sigintAt} ms after Ctrl-C`,
    );
    assert.ok(stdout.startsWith('word word word word word'));
    assert.ok(stdout.split('word').length < 300);
  });

  it('explain builds the prompt from the result row, the run metrics and the model card, never from names or ids', async () => {
    const results = await writeXrayResults(dir);
    fs.writeFileSync(
      path.join(path.dirname(results), 'metrics.json'),
      JSON.stringify({
        n: 2,
        confidence: 0.95,
        small: true,
        accuracy: { value: 0.5, ci: [0.09, 0.91], n: 2 },
        balancedAccuracy: { value: 0.5, ci: null, n: 2 },
        classes: [],
      }),
    );
    const r = await runCli(['explain', results, '--row', '1', '--host', double.url, '--show-prompt'], {
      env,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Alpha rhythm at 10 Hz is expected.\n');
    const body = double.calls('/api/chat')[0].body as { messages: { role: string; content: string }[] };
    const user = body.messages[1].content;
    assert.match(user, /^Explain this chest X-ray classification result/);
    assert.match(user, /Model: Test CXR classifier \(id test-cxr, version 0\.0\.1\)/);
    assert.match(user, /Probabilities: pneumonia 81\.0%, normal 15\.0%, covid 4\.0%\./);
    assert.match(user, /Reference label from the dataset: normal \(differs\)/);
    assert.match(user, /Image group: view AP, source nih/);
    assert.match(user, /Heat map \(class activation\): focal activation .*lower right part of the image/);
    assert.match(user, /accuracy 0\.500 \(95% CI 0\.090–0\.910, n = 2\)/);
    assert.match(user, /Trained on children only: adult images are out of distribution\./);
    assert.match(user, /Learns image brightness/);
    assert.doesNotMatch(user, /Synthetic grey images|Nothing else/);
    assertNoSecrets(double.allBodies(), ['Roe', 'Richard', 'MRN-55123', '55123', 'person77', 'img_0001']);
    assert.match(r.stderr, /--- prompt sent ---/);
    const outOfRange = await runCli(['explain', results, '--row', '5', '--host', double.url], { env });
    assert.equal(outOfRange.code, 2);
    assert.match(outOfRange.stderr, /row 5 is not in .*results\.json \(it has rows 0–1\)/);
  });

  it('explain on an EEG prediction (medlab eeg predict --json) uses its outputs and the recording summary only', async () => {
    const edf = await writeNamedEdf(dir);
    const prediction = {
      model: 'test-cxr',
      task: 'seizure detection',
      labels: ['non-seizure', 'seizure'],
      probabilities: [0.12, 0.88],
      windows: [
        { start: 0, duration: 2, channel: 'EEG C3', probabilities: [0.2, 0.8] },
        { start: 2, duration: 2, channel: 'EEG C3', probabilities: [0.05, 0.95] },
      ],
      events: [{ start: 1.5, duration: 2.5, label: 'seizure', probability: 0.93, channels: ['EEG C3'] }],
      spread: { std: 0.1, q25: 0.8, q75: 0.95 },
      notes: ['Scored channel by channel.'],
    };
    const file = path.join(dir, 'prediction.json');
    fs.writeFileSync(file, JSON.stringify(prediction));
    const missing = await runCli(['explain', file, '--host', double.url], { env });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /give the recording it was made on \(--recording\)/);
    const r = await runCli(['explain', file, '--recording', edf, '--host', double.url], { env });
    assert.equal(r.code, 0, r.stderr);
    const user = (double.calls('/api/chat')[0].body as { messages: { content: string }[] }).messages[1]
      .content;
    assert.match(user, /^Explain this EEG model result/);
    assert.match(user, /Recording: EDF\+C, 4 s, 6 signals at 256 Hz/);
    assert.match(user, /Recording-level probabilities: seizure 88\.0%, non-seizure 12\.0%/);
    assert.match(user, /- seizure at 1\.5 s for 2\.5 s, probability 93\.0% on EEG C3/);
    assert.match(user, /Trained on children only/);
    assertNoSecrets(double.allBodies(), [...EDF_SECRETS, 'Doe_Jane_EEG', '2021']);
  });

  it('explain with Meditron uses the one-shot raw prompt and says it is a research model', async () => {
    const results = await writeXrayResults(dir);
    const r = await runCli(['explain', results, '--host', double.url, '--model', 'meditron:latest'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: Meditron is a research model: a base model/);
    assert.equal(double.calls('/api/chat').length, 0);
    const body = double.calls('/api/generate')[0].body as {
      prompt: string;
      raw: boolean;
      options: { num_ctx: number };
    };
    assert.equal(body.raw, true);
    assert.equal(body.options.num_ctx, 2048); // capped at the model's maximum
    assert.match(body.prompt, /### User: What happens if listeria is left untreated\?/);
    assert.match(body.prompt, /Probabilities: normal 90\.0%/);
    assert.match(body.prompt, /### Assistant:$/);
  });
});
