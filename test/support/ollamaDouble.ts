/**
 * A stand-in Ollama server for tests: a real HTTP server on 127.0.0.1 that speaks Ollama's REST
 * protocol (NDJSON streams for chat/generate/pull, JSON for version/tags/show, `{"error": ...}`
 * bodies with real status codes) and records every request, including whether the client closed
 * the connection before the answer was complete. Faults are scripted per path: an HTTP status,
 * an error line mid-stream, a stream cut short (clean end or socket reset), slow chunks.
 * Token counting is crude on purpose (`charsPerToken`), so tests can make MedLab's estimate and
 * the "server" disagree; a prompt over num_ctx is cut to num_ctx/2 tokens, as Ollama does.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DoubleModel {
  name: string;
  family?: string;
  /** What /api/show reports; null = field absent (older servers). Default ["completion"]. */
  capabilities?: string[] | null;
  contextLength?: number;
  size?: number;
  digest?: string;
  parameterSize?: string;
}

/** A chat or generate request as the double parsed it. */
export interface GenerationCall {
  path: string;
  model: string;
  /** Chat messages, or one user message holding the generate prompt. */
  messages: { role: string; content: string; images?: string[] }[];
  format?: unknown;
  options: Record<string, unknown>;
  raw?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Parsed JSON body (undefined for GET). */
  body: Record<string, unknown> | undefined;
  rawBody: string;
  receivedAt: number;
  /** The client closed the connection before the response was complete. */
  closedEarly: boolean;
  closedAt?: number;
}

export type Fault =
  | { kind: 'status'; status: number; body: string; contentType?: string }
  | { kind: 'errorLine'; afterChunks: number; error: string }
  | { kind: 'endEarly'; afterChunks: number }
  | { kind: 'reset'; afterChunks: number }
  | { kind: 'slow'; delayMs: number }
  /** Accept the request and never answer (until the client goes away). */
  | { kind: 'hang' };

export interface PullLayer {
  digest: string;
  total: number;
}

export interface DoubleOptions {
  models?: DoubleModel[];
  version?: string;
  /** The answer text for a chat/generate call (default: a fixed sentence). */
  reply?: (call: GenerationCall) => string | Promise<string>;
  /** Characters per "token" when counting prompts and answers. Default 4. */
  charsPerToken?: number;
  /** Milliseconds between streamed chunks. Default 0. */
  chunkDelayMs?: number;
  /** Models the registry can pull, with their layers. */
  pullable?: Record<string, { layers: PullLayer[]; model: DoubleModel }>;
}

const DEFAULT_REPLY = 'The model output is a research result and should be read with its limits in mind.';

export class OllamaDouble {
  readonly requests: RecordedRequest[] = [];
  readonly models: DoubleModel[];
  private readonly faults: { path: string; fault: Fault; times: number }[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<import('node:net').Socket>();
  private constructor(
    private readonly options: DoubleOptions,
    server: http.Server,
  ) {
    this.models = [...(options.models ?? [])];
    this.server = server;
  }

  static async start(options: DoubleOptions = {}): Promise<OllamaDouble> {
    const server = http.createServer();
    const double = new OllamaDouble(options, server);
    server.on('request', (req, res) => void double.handle(req, res));
    server.on('connection', (s) => {
      double.sockets.add(s);
      s.on('close', () => double.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return double;
  }

  get url(): string {
    const a = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${a.port}`;
  }

  /** Applies `fault` to the next `times` requests whose path starts with `path`. */
  fail(path: string, fault: Fault, times = 1): void {
    this.faults.push({ path, fault, times });
  }

  /** Requests to one path (e.g. "/api/chat"). */
  calls(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Every byte of every request body, for "this string never left" assertions. */
  allBodies(): string {
    return this.requests.map((r) => r.rawBody).join('\n');
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Resolves when a request to `path` has been closed early by the client. */
  async waitForClose(path: string, timeoutMs = 2000): Promise<RecordedRequest> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const r = this.requests.find((q) => q.path === path && q.closedEarly);
      if (r) return r;
      if (Date.now() > end) throw new Error(`no early close on ${path} within ${timeoutMs} ms`);
      await new Promise((res) => setTimeout(res, 5));
    }
  }

  private takeFault(path: string): Fault | undefined {
    const i = this.faults.findIndex((f) => path.startsWith(f.path));
    if (i === -1) return undefined;
    const f = this.faults[i];
    if (--f.times <= 0) this.faults.splice(i, 1);
    return f.fault;
  }

  private tokens(text: string): number {
    return Math.ceil(text.length / (this.options.charsPerToken ?? 4));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0];
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      body: rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : undefined,
      rawBody,
      receivedAt: Date.now(),
      closedEarly: false,
    };
    this.requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) {
        record.closedEarly = true;
        record.closedAt = Date.now();
      }
    });
    const fault = this.takeFault(path);
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/json' });
      res.end(fault.body);
      return;
    }
    if (fault?.kind === 'hang') return;
    const body = record.body ?? {};
    switch (`${record.method} ${path}`) {
      case 'GET /api/version':
        return json(res, 200, { version: this.options.version ?? '0.12.6' });
      case 'GET /api/tags':
        return json(res, 200, { models: this.models.map(tagOf) });
      case 'POST /api/show': {
        const m = this.find(String(body.model ?? body.name ?? ''));
        if (!m) return json(res, 404, { error: `model '${body.model}' not found` });
        return json(res, 200, showOf(m));
      }
      case 'POST /api/chat':
      case 'POST /api/generate':
        return this.generate(path, body, res, fault);
      case 'POST /api/pull':
        return this.pull(body, res, fault);
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('404 page not found');
    }
  }

  private find(name: string): DoubleModel | undefined {
    const full = name.includes(':') ? name : `${name}:latest`;
    return this.models.find((m) => m.name === full || m.name === name);
  }

  private async generate(
    path: string,
    body: Record<string, unknown>,
    res: http.ServerResponse,
    fault: Fault | undefined,
  ): Promise<void> {
    const model = this.find(String(body.model ?? ''));
    if (!model) {
      return json(res, 404, { error: `model "${body.model}" not found, try pulling it first` });
    }
    const messages =
      path === '/api/chat'
        ? (body.messages as GenerationCall['messages'])
        : [{ role: 'user', content: String(body.prompt ?? ''), images: body.images as string[] | undefined }];
    const hasImages = messages.some((m) => m.images?.length);
    const caps = model.capabilities === undefined ? ['completion'] : model.capabilities;
    if (hasImages && caps && !caps.includes('vision')) {
      return json(res, 500, { error: 'this model is missing data required for image input' });
    }
    const options = (body.options as Record<string, unknown>) ?? {};
    const call: GenerationCall = {
      path,
      model: model.name,
      messages,
      format: body.format,
      options,
      raw: body.raw === true,
    };
    const numCtx = typeof options.num_ctx === 'number' ? options.num_ctx : 2048;
    let promptTokens =
      messages.reduce((n, m) => n + this.tokens(m.content) + 4, 0) +
      messages.reduce((n, m) => n + (m.images?.length ?? 0) * 256, 0);
    if (promptTokens > numCtx) promptTokens = Math.floor(numCtx / 2); // Ollama keeps ~half
    const text = await (this.options.reply ?? (() => DEFAULT_REPLY))(call);
    const pieces = text.match(/\S+\s*|\s+/g) ?? [];
    const evalCount = Math.max(1, this.tokens(text));
    const final = {
      done: true,
      done_reason: 'stop',
      total_duration: 1_500_000_000,
      load_duration: 100_000_000,
      prompt_eval_count: promptTokens,
      prompt_eval_duration: 200_000_000,
      eval_count: evalCount,
      eval_duration: 1_000_000_000,
    };
    const created_at = new Date().toISOString();
    const piece = (content: string, done: boolean) =>
      path === '/api/chat'
        ? { model: model.name, created_at, message: { role: 'assistant', content }, done }
        : { model: model.name, created_at, response: content, done };
    if (body.stream === false) return json(res, 200, { ...piece(text, true), ...final });
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const delay = fault?.kind === 'slow' ? fault.delayMs : (this.options.chunkDelayMs ?? 0);
    for (let i = 0; i < pieces.length; i++) {
      if (res.destroyed) return;
      if (fault?.kind === 'errorLine' && i === fault.afterChunks) {
        res.end(JSON.stringify({ error: fault.error }) + '\n');
        return;
      }
      if (fault?.kind === 'endEarly' && i === fault.afterChunks) {
        res.end();
        return;
      }
      if (fault?.kind === 'reset' && i === fault.afterChunks) {
        res.socket?.destroy();
        return;
      }
      res.write(JSON.stringify(piece(pieces[i], false)) + '\n');
      if (delay) await new Promise((r) => setTimeout(r, delay));
    }
    if (res.destroyed) return;
    res.end(JSON.stringify({ ...piece('', true), ...final }) + '\n');
  }

  private async pull(body: Record<string, unknown>, res: http.ServerResponse, fault: Fault | undefined) {
    const name = String(body.model ?? body.name ?? '');
    const entry = this.options.pullable?.[name];
    if (!entry) return json(res, 500, { error: 'pull model manifest: file does not exist' });
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const lines: object[] = [{ status: 'pulling manifest' }];
    for (const layer of entry.layers) {
      lines.push({
        status: `pulling ${layer.digest.slice(7, 19)}`,
        digest: layer.digest,
        total: layer.total,
      });
      for (const f of [0.25, 0.5, 1]) {
        lines.push({
          status: `pulling ${layer.digest.slice(7, 19)}`,
          digest: layer.digest,
          total: layer.total,
          completed: Math.round(layer.total * f),
        });
      }
    }
    lines.push({ status: 'verifying sha256 digest' }, { status: 'writing manifest' }, { status: 'success' });
    const delay = fault?.kind === 'slow' ? fault.delayMs : (this.options.chunkDelayMs ?? 0);
    for (let i = 0; i < lines.length; i++) {
      if (res.destroyed) return;
      if (fault?.kind === 'errorLine' && i === fault.afterChunks) {
        res.end(JSON.stringify({ error: fault.error }) + '\n');
        return;
      }
      res.write(JSON.stringify(lines[i]) + '\n');
      if (delay) await new Promise((r) => setTimeout(r, delay));
    }
    if (!this.find(entry.model.name)) this.models.push(entry.model);
    res.end();
  }
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

function details(m: DoubleModel) {
  const family = m.family ?? 'llama';
  return {
    parent_model: '',
    format: 'gguf',
    family,
    families: [family],
    parameter_size: m.parameterSize ?? '4.3B',
    quantization_level: 'Q4_K_M',
  };
}

function tagOf(m: DoubleModel) {
  return {
    name: m.name,
    model: m.name,
    modified_at: '2025-06-01T10:00:00.000Z',
    size: m.size ?? 3_338_801_804,
    digest: m.digest ?? 'a'.repeat(64),
    details: details(m),
  };
}

function showOf(m: DoubleModel) {
  const arch = m.family ?? 'llama';
  return {
    license: 'test licence',
    modelfile: `FROM ${m.name}`,
    parameters: 'stop "<end_of_turn>"',
    template: '{{ .Prompt }}',
    details: details(m),
    model_info: {
      'general.architecture': arch,
      [`${arch}.context_length`]: m.contextLength ?? 131072,
    },
    ...(m.capabilities === null ? {} : { capabilities: m.capabilities ?? ['completion'] }),
    modified_at: '2025-06-01T10:00:00.000Z',
  };
}
