/**
 * The chat webview: model picker (from Ollama's installed models), attached context, the
 * conversation with answers rendered from Markdown as they stream, Send / Stop, Pull for a model
 * that is not installed, and the host warning whenever Ollama is not on this machine.
 */
import type { LlmHost, LlmModel } from '../../agent/protocol';
import { adoptStyles } from '../common/styles';
import { PanelConnection, RequestFailed } from '../common/vscodeApi';
import { CHAT_MARKUP } from './layout';
import { parseMarkdown } from './markdown';
import { renderBlocks } from './markdownDom';
import type { AttachmentView, ChatEvent, ChatNotice, ChatRequests, TurnView } from './messages';
import css from './style.css';
import { $, el } from '../common/dom';

class Chat {
  private readonly conn = new PanelConnection<ChatRequests, ChatEvent, ChatNotice>();
  private models: LlmModel[] = [];
  private defaultModel = '';
  private streaming: { body: HTMLElement; text: string; frame: number } | undefined;
  private pendingUser: HTMLElement | undefined;
  private missingModel: string | undefined;

  constructor() {
    adoptStyles(css);
    document.body.innerHTML = CHAT_MARKUP;
    this.conn.onEvent((e) => this.onEvent(e));
    $('send').addEventListener('click', () => void this.send());
    $('stop').addEventListener('click', () => this.conn.notify({ type: 'stop' }));
    $('refreshModels').addEventListener('click', () => void this.loadModels());
    $('attach').addEventListener('click', () => void this.attach());
    $('clear').addEventListener('click', () => void this.clear());
    $('pull').addEventListener('click', () => void this.pull());
    $('model').addEventListener('change', () => this.showNotice());
    $<HTMLTextAreaElement>('input').addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        void this.send();
      }
    });
    this.conn.notify({ type: 'ready' });
    void this.init();
  }

  private async init(): Promise<void> {
    const init = await this.conn.request('init', {});
    this.defaultModel = init.model;
    this.setHost(init.host);
    for (const t of init.turns) this.appendTurn(t);
    this.setAttachments(init.attachments);
    this.setBusy(init.busy);
    await this.loadModels();
  }

  private get model(): string {
    return $<HTMLSelectElement>('model').value || this.defaultModel;
  }

  private async loadModels(): Promise<void> {
    $('status').textContent = 'Asking Ollama for its models…';
    try {
      const r = await this.conn.request('models', {});
      if (!r.running || !r.list) {
        $('status').textContent = r.message;
        this.models = [];
      } else {
        this.models = r.list.models;
        this.setHost(r.list.host);
        $('status').textContent = r.list.models.length
          ? ''
          : 'No models installed: pull one (e.g. medgemma:4b).';
      }
    } catch (e) {
      $('status').textContent = e instanceof Error ? e.message : String(e);
    }
    const select = $<HTMLSelectElement>('model');
    const current = select.value || this.defaultModel;
    select.replaceChildren();
    const names = this.models.map((m) => m.name);
    if (current && !names.includes(current)) {
      select.append(new Option(`${current} (not installed)`, current));
    }
    for (const m of this.models) {
      const cannotChat = m.capabilities !== null && !m.capabilities.includes('completion');
      const label = `${m.name}${m.parameterSize ? ` · ${m.parameterSize}` : ''}${m.capabilities?.includes('vision') ? ' · vision' : ''}`;
      const option = new Option(label, m.name);
      option.disabled = cannotChat;
      select.append(option);
    }
    select.value = current;
    this.showNotice();
  }

  private showNotice(): void {
    const m = this.models.find((x) => x.name === this.model);
    const box = $('modelNotice');
    box.textContent = m?.notice ?? '';
    box.hidden = !m?.notice;
  }

  private setHost(host: LlmHost): void {
    const box = $('hostWarning');
    box.textContent = host.warning ?? '';
    box.hidden = !host.warning;
  }

  private setBusy(busy: boolean): void {
    $<HTMLButtonElement>('send').disabled = busy;
    $<HTMLButtonElement>('stop').disabled = !busy;
  }

  private setAttachments(list: AttachmentView[]): void {
    const box = $('attachments');
    box.replaceChildren();
    list.forEach((a, i) => {
      const chip = el('span', `📎 ${a.label}`, 'chip');
      const remove = el('button', '×');
      remove.title = 'Remove';
      remove.addEventListener(
        'click',
        () => void this.conn.request('detach', { index: i }).then((r) => this.setAttachments(r.attachments)),
      );
      chip.append(remove);
      box.append(chip);
    });
  }

  private appendTurn(t: TurnView): HTMLElement {
    const box = el('div', undefined, `turn ${t.role}`);
    box.append(el('div', t.role === 'user' ? 'You' : (t.model ?? 'Model'), 'who'));
    const body = el('div', undefined, 'body');
    box.append(body);
    this.fill(box, body, t);
    $('transcript').append(box);
    box.scrollIntoView({ block: 'end' });
    return box;
  }

  private fill(box: HTMLElement, body: HTMLElement, t: TurnView): void {
    body.replaceChildren();
    if (t.role === 'user') body.textContent = t.text;
    else renderBlocks(body, parseMarkdown(t.text));
    box.querySelectorAll('.warning, .meta, .stopped').forEach((n) => n.remove());
    if (t.stopped) box.append(el('div', 'Stopped: the answer is incomplete.', 'stopped'));
    for (const w of t.warnings ?? []) box.append(el('div', w, 'warning'));
    if (t.role === 'assistant')
      box.append(el('div', [t.meta, 'not for clinical use'].filter(Boolean).join(' · '), 'meta'));
  }

  private onEvent(e: ChatEvent): void {
    switch (e.type) {
      case 'turnStarted': {
        this.hideFailure();
        this.pendingUser = this.appendTurn(e.user);
        const box = this.appendTurn({ role: 'assistant', text: '', model: e.model });
        this.streaming = { body: box.querySelector('.body') as HTMLElement, text: '', frame: 0 };
        this.setBusy(true);
        break;
      }
      case 'chunk': {
        const s = this.streaming;
        if (!s) return;
        s.text += e.text;
        // Re-render at most once a frame: a long answer stays smooth.
        if (!s.frame) {
          s.frame = requestAnimationFrame(() => {
            s.frame = 0;
            s.body.replaceChildren();
            renderBlocks(s.body, parseMarkdown(s.text));
            s.body.scrollIntoView({ block: 'end' });
          });
        }
        break;
      }
      case 'turnDone':
      case 'turnFailed': {
        const s = this.streaming;
        this.streaming = undefined;
        if (s?.frame) cancelAnimationFrame(s.frame);
        const box = s?.body.parentElement;
        const final = e.type === 'turnDone' ? e.assistant : e.partial;
        if (box && s && final) this.fill(box, s.body, final);
        else box?.remove();
        if (e.type === 'turnFailed') {
          if (e.dropUser) this.pendingUser?.remove();
          if (e.error.code !== 'E_CANCELLED')
            this.showFailure(e.error.code, e.error.message, e.error.data?.detail?.model);
        }
        this.pendingUser = undefined;
        this.setBusy(false);
        break;
      }
      case 'attachments':
        this.setAttachments(e.attachments);
        break;
      case 'host':
        this.setHost(e.host);
        break;
    }
  }

  private showFailure(code: string, message: string, model: unknown): void {
    $('failure').hidden = false;
    $('failureText').textContent = message;
    this.missingModel = code === 'E_OLLAMA_MODEL' && typeof model === 'string' ? model : undefined;
    $('pull').hidden = !this.missingModel;
    if (this.missingModel) $('pull').textContent = `Pull ${this.missingModel}`;
  }

  private hideFailure(): void {
    $('failure').hidden = true;
    $('pullProgress').hidden = true;
  }

  private async send(): Promise<void> {
    const input = $<HTMLTextAreaElement>('input');
    const text = input.value.trim();
    if (!text || $<HTMLButtonElement>('send').disabled) return;
    input.value = '';
    try {
      await this.conn.request('send', { text, model: this.model });
    } catch (e) {
      // Shown through turnFailed; keep the text so the user can edit and resend.
      if (e instanceof RequestFailed && !e.cancelled && !input.value) input.value = text;
    }
  }

  private async pull(): Promise<void> {
    const model = this.missingModel;
    if (!model) return;
    const bar = $<HTMLProgressElement>('pullProgress');
    bar.hidden = false;
    $<HTMLButtonElement>('pull').disabled = true;
    try {
      await this.conn.request(
        'pull',
        { model },
        {
          onProgress: (r) => {
            $('failureText').textContent = r.message ?? `Pulling ${model}…`;
            if (r.total) bar.value = (r.done ?? 0) / r.total;
          },
        },
      );
      $('failureText').textContent = `${model} is installed. Send your message again.`;
      $('pull').hidden = true;
      await this.loadModels();
    } catch (e) {
      $('failureText').textContent = `Pull failed: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      $<HTMLButtonElement>('pull').disabled = false;
      bar.hidden = true;
    }
  }

  private async attach(): Promise<void> {
    const r = await this.conn.request('attach', {});
    this.setAttachments(r.attachments);
  }

  private async clear(): Promise<void> {
    try {
      await this.conn.request('clear', {});
      $('transcript').replaceChildren();
    } catch {
      // declined
    }
  }
}

new Chat();
