/**
 * "Generate Illustration" webview: the image server (kind, warning, what it cannot do), presets the
 * user edits, the prompt and settings, several seeds side by side with progress and Cancel, and a
 * Save button per image. Every image is captioned as an AI-generated illustration.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import {
  GENERATED_IMAGE_LABEL,
  type ImagegenPreset,
  type ImageServerInfo,
  type ProgressReport,
} from '../../agent/protocol';
import { $, el } from '../common/dom';
import { adoptStyles } from '../common/styles';
import { PanelConnection, RequestFailed } from '../common/vscodeApi';
import {
  DEFAULT_FORM,
  describeFailure,
  fieldHints,
  formFromRequest,
  loraRows,
  modelOptions,
  overallProgress,
  readForm,
  seedCaption,
  serverSummary,
  settingsCaption,
  type Failure,
  type FieldId,
  type FormValues,
  type LoraChoice,
} from './formModel';
import { IMAGEGEN_MARKUP } from './layout';
import type {
  ImagegenEvent,
  ImagegenNotice,
  ImagegenRequests,
  PanelGeneration,
  PanelImage,
  Prefill,
} from './messages';
import css from './style.css';

type ValueEl = HTMLElement & { value: string; invalid: boolean };
type ButtonEl = HTMLElement & { disabled: boolean };
type ProgressEl = HTMLElement & { value: number; indeterminate: boolean };
type CheckboxEl = HTMLElement & { checked: boolean };

interface SavedState {
  form: FormValues;
  presetId: string;
  /** The setting when the form was saved: a form that followed it follows a new one. */
  settingUrl: string;
}

function option(value: string, label: string): HTMLElement {
  const o = document.createElement('vscode-option');
  o.setAttribute('value', value);
  o.textContent = label;
  return o;
}

const errorOf = (e: unknown): Failure =>
  describeFailure(
    e instanceof RequestFailed
      ? e.error
      : { code: 'E_INTERNAL', message: e instanceof Error ? e.message : String(e) },
  );

const TEXT_FIELDS = ['width', 'height', 'steps', 'seed', 'count'] as const;

class IllustrationPanel {
  private readonly conn = new PanelConnection<ImagegenRequests, ImagegenEvent, ImagegenNotice>();
  private info: ImageServerInfo | undefined;
  private presets: ImagegenPreset[] = [];
  private edited = new Set<string>();
  private presetId = '';
  private model = '';
  private loras: LoraChoice[] = [];
  private settingUrl = '';
  private running: AbortController | undefined;
  private connecting = 0;

  constructor() {
    adoptStyles(css);
    document.body.innerHTML = IMAGEGEN_MARKUP;
    this.bind();
    this.conn.onEvent((ev) => this.onEvent(ev));
    this.conn.notify({ type: 'ready' });
  }

  private bind(): void {
    $('generate').addEventListener('click', () => void this.generate());
    $('cancel').addEventListener('click', () => this.cancel());
    $('connect').addEventListener('click', () => void this.connect());
    $('serverSetting').addEventListener('click', () => this.conn.notify({ type: 'openServerSetting' }));
    $('serverUrl').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') void this.connect();
    });
    $('preset').addEventListener('change', () => this.choosePreset($<ValueEl>('preset').value));
    $('savePreset').addEventListener('click', () => void this.savePreset());
    $('resetPreset').addEventListener('click', () => void this.resetPreset());
    $('model').addEventListener('change', () => {
      this.model = $<ValueEl>('model').value;
      this.persist();
    });
    $('prompt').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void this.generate();
      }
    });
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.running) this.cancel();
    });
    for (const id of ['serverUrl', 'prompt', 'negative', ...TEXT_FIELDS]) {
      $(id).addEventListener('input', () => {
        $<ValueEl>(id).invalid = false;
        this.persist();
      });
    }
  }

  private onEvent(ev: ImagegenEvent): void {
    switch (ev.type) {
      case 'init': {
        this.settingUrl = ev.serverUrl;
        this.setPresets(ev.presets, ev.edited);
        if (ev.presetsError) $('presetStatus').textContent = `No presets: ${ev.presetsError}`;
        const saved = this.conn.getState<SavedState>();
        let form: FormValues = { ...DEFAULT_FORM, server: ev.serverUrl };
        if (saved?.form) {
          form = { ...saved.form };
          if (form.server === saved.settingUrl) form.server = ev.serverUrl;
          this.presetId = saved.presetId;
        }
        this.fill(form);
        if (ev.last) this.showGeneration(ev.last);
        if (ev.prefill) this.prefill(ev.prefill);
        else void this.connect();
        break;
      }
      case 'prefill':
        this.prefill(ev.prefill);
        break;
      case 'serverSetting': {
        const followed = $<ValueEl>('serverUrl').value.trim() === this.settingUrl;
        this.settingUrl = ev.serverUrl;
        if (followed) {
          $<ValueEl>('serverUrl').value = ev.serverUrl;
          this.persist();
          void this.connect();
        }
        break;
      }
    }
  }

  // ───────────── form ─────────────

  private values(): FormValues {
    const v = (id: string) => $<ValueEl>(id).value ?? '';
    return {
      server: v('serverUrl'),
      prompt: v('prompt'),
      negativePrompt: v('negative'),
      model: this.model,
      loras: this.currentLoras(),
      width: v('width'),
      height: v('height'),
      steps: v('steps'),
      seed: v('seed'),
      count: v('count'),
    };
  }

  private fill(f: FormValues): void {
    $<ValueEl>('serverUrl').value = f.server;
    $<ValueEl>('prompt').value = f.prompt;
    $<ValueEl>('negative').value = f.negativePrompt;
    $<ValueEl>('width').value = f.width;
    $<ValueEl>('height').value = f.height;
    $<ValueEl>('steps').value = f.steps;
    $<ValueEl>('seed').value = f.seed;
    $<ValueEl>('count').value = f.count;
    this.model = f.model;
    this.renderModels();
    this.renderLoras(f.loras);
    this.renderPresetOptions();
    this.persist();
  }

  private persist(): void {
    this.conn.setState<SavedState>({
      form: this.values(),
      presetId: this.presetId,
      settingUrl: this.settingUrl,
    });
  }

  private prefill(p: Prefill): void {
    this.presetId = '';
    this.fill(formFromRequest(p.request, this.settingUrl));
    const m = p.metadata;
    const other =
      m.serverUrl !== this.settingUrl
        ? ` It was made on ${m.serverUrl}, which the Server field now uses.`
        : '';
    this.status(
      `Prefilled from ${p.source} (${seedCaption(m)}; made ${m.createdAt.slice(0, 10)} with ${m.serverKind}).${other} Press Generate to regenerate it.`,
    );
    void this.connect();
  }

  private clearInvalid(): void {
    for (const id of ['serverUrl', 'prompt', 'negative', 'model', ...TEXT_FIELDS])
      $<ValueEl>(id).invalid = false;
    $('loras').classList.remove('invalid');
  }

  private markInvalid(field: FieldId | undefined): void {
    if (!field) return;
    if (field === 'loras') {
      $('loras').classList.add('invalid');
      return;
    }
    const id = field === 'server' ? 'serverUrl' : field;
    const target = $<ValueEl>(id);
    target.invalid = true;
    target.focus();
  }

  // ───────────── presets ─────────────

  private setPresets(presets: ImagegenPreset[], edited: string[]): void {
    this.presets = presets;
    this.edited = new Set(edited);
    this.renderPresetOptions();
  }

  private renderPresetOptions(): void {
    const select = $<ValueEl>('preset');
    select.replaceChildren(
      option('', '(no preset)'),
      ...this.presets.map((p) => option(p.id, this.edited.has(p.id) ? `${p.title} (edited)` : p.title)),
    );
    select.value = this.presetId;
  }

  private choosePreset(id: string): void {
    this.presetId = id;
    const p = this.presets.find((x) => x.id === id);
    if (p) {
      $<ValueEl>('prompt').value = p.prompt;
      $<ValueEl>('negative').value = p.negativePrompt;
      $<ValueEl>('prompt').invalid = false;
    }
    $('presetStatus').textContent = '';
    this.persist();
  }

  private async savePreset(): Promise<void> {
    const p = this.presets.find((x) => x.id === this.presetId);
    if (!p) {
      $('presetStatus').textContent = 'Choose the preset to save the text into first.';
      return;
    }
    try {
      const r = await this.conn.request('savePreset', {
        ...p,
        prompt: $<ValueEl>('prompt').value,
        negativePrompt: $<ValueEl>('negative').value,
      });
      this.setPresets(r.presets, r.edited);
      $('presetStatus').textContent = r.edited.includes(p.id)
        ? `“${p.title}” now uses this text in this workspace.`
        : `“${p.title}” is the lab's default text again.`;
    } catch (e) {
      $('presetStatus').textContent = errorOf(e).text;
    }
  }

  private async resetPreset(): Promise<void> {
    const id = this.presetId;
    if (!id) {
      $('presetStatus').textContent = 'Choose the preset to reset first.';
      return;
    }
    try {
      const r = await this.conn.request('resetPreset', { id });
      this.setPresets(r.presets, r.edited);
      this.choosePreset(id);
      $('presetStatus').textContent = "Back to the lab's default text.";
    } catch (e) {
      $('presetStatus').textContent = errorOf(e).text;
    }
  }

  // ───────────── server ─────────────

  private async connect(): Promise<void> {
    const seq = ++this.connecting;
    const url = $<ValueEl>('serverUrl').value.trim();
    const kind = $('serverKind');
    kind.className = 'notice';
    kind.textContent = `Connecting to ${url}…`;
    try {
      const info = await this.conn.request('server', { server: url });
      if (seq !== this.connecting) return;
      this.setServer(info);
    } catch (e) {
      if (seq !== this.connecting) return;
      this.info = undefined;
      const f = errorOf(e);
      kind.className = 'error';
      kind.textContent = `${f.title}: ${f.text}`;
      $('serverWarning').hidden = true;
      $('limitationsBox').hidden = true;
      this.renderModels();
      this.renderLoras();
      this.renderHints();
    }
  }

  private setServer(info: ImageServerInfo): void {
    this.info = info;
    const kind = $('serverKind');
    kind.className = '';
    kind.textContent = serverSummary(info);
    const warning = $('serverWarning');
    warning.hidden = !info.warning;
    warning.textContent = info.warning ? `Warning: ${info.warning}` : '';
    $('limitations').replaceChildren(...info.limitations.map((l) => el('li', l)));
    $('limitationsBox').hidden = info.limitations.length === 0;
    this.renderModels();
    this.renderLoras();
    this.renderHints();
  }

  private renderHints(): void {
    const hints = this.info ? fieldHints(this.info) : {};
    for (const field of ['negative', 'model', 'steps', 'seed', 'loras'] as const) {
      const hint = $(`hint-${field}`);
      hint.textContent = hints[field] ?? '';
      hint.hidden = !hints[field];
    }
  }

  private renderModels(): void {
    const select = $<ValueEl>('model');
    select.replaceChildren(...modelOptions(this.info, this.model).map((o) => option(o.value, o.label)));
    select.value = this.model;
  }

  /** The LoRA rows as the user set them (or the last known choices before the rows exist). */
  private currentLoras(): LoraChoice[] {
    const rows = [...document.querySelectorAll<HTMLElement>('#loraRows .lora')];
    if (rows.length === 0) return this.loras;
    return rows.map((r) => ({
      name: r.dataset.name ?? '',
      on: r.querySelector<CheckboxEl>('vscode-checkbox')?.checked ?? false,
      weight: r.querySelector<ValueEl>('vscode-textfield')?.value ?? '1',
    }));
  }

  /** One row per LoRA of the server, keeping `chosen` (by default what the rows say now). */
  private renderLoras(chosen: LoraChoice[] = this.currentLoras()): void {
    const rows = loraRows(this.info, chosen);
    const box = $('loraRows');
    box.replaceChildren();
    if (rows.length === 0) {
      box.append(
        el(
          'div',
          this.info ? 'This server lists no LoRAs.' : 'Connect to a server to list its LoRAs.',
          'notice',
        ),
      );
      this.loras = chosen;
      return;
    }
    for (const r of rows) {
      const line = el('div', undefined, r.installed ? 'lora' : 'lora missing');
      line.dataset.name = r.name;
      const check = document.createElement('vscode-checkbox') as CheckboxEl;
      check.setAttribute('label', r.name);
      check.checked = r.on;
      const weight = document.createElement('vscode-textfield') as ValueEl;
      weight.setAttribute('type', 'number');
      weight.setAttribute('step', '0.05');
      weight.setAttribute('label', `Weight of LoRA ${r.name}`);
      weight.value = r.weight;
      check.addEventListener('change', () => this.onLorasChanged());
      weight.addEventListener('input', () => this.onLorasChanged());
      line.append(check, weight);
      if (r.detail) line.append(el('span', r.detail, r.installed ? 'notice' : 'warning'));
      box.append(line);
    }
    this.loras = this.currentLoras();
  }

  private onLorasChanged(): void {
    this.loras = this.currentLoras();
    $('loras').classList.remove('invalid');
    this.persist();
  }

  // ───────────── generation ─────────────

  private setRunning(on: boolean): void {
    $<ButtonEl>('generate').disabled = on;
    $<ButtonEl>('cancel').disabled = !on;
    $('progress').hidden = !on;
    $('formBox').setAttribute('aria-busy', String(on));
  }

  private status(text: string, failure?: Failure): void {
    const s = $('status');
    s.replaceChildren();
    s.className = failure ? 'error' : '';
    s.setAttribute('role', failure ? 'alert' : 'status');
    if (failure) s.append(el('span', `${failure.title}: `, 'title'), failure.text);
    else s.textContent = text;
  }

  private async generate(): Promise<void> {
    if (this.running) return;
    this.clearInvalid();
    const read = readForm(this.values());
    if (!read.ok) {
      const f: Failure = { title: 'Check the form', text: read.message, field: read.field };
      this.status('', f);
      this.markInvalid(f.field);
      return;
    }
    const abort = (this.running = new AbortController());
    const n = read.params.count ?? 1;
    this.setRunning(true);
    const bar = $<ProgressEl>('progress');
    bar.indeterminate = true;
    const noProgress = this.info && !this.info.capabilities.progress;
    this.status(
      `Generating ${n} image${n === 1 ? '' : 's'}…${noProgress ? ' (this server reports no progress)' : ''}`,
    );
    try {
      const g = await this.conn.request('generate', read.params, {
        signal: abort.signal,
        onProgress: (r) => this.onProgress(r),
      });
      this.setServer(g.server);
      this.showGeneration(g);
      this.status(
        `${g.images.length} image${g.images.length === 1 ? '' : 's'} generated on ${g.server.description}. ${GENERATED_IMAGE_LABEL}.`,
      );
    } catch (e) {
      const f = errorOf(e);
      this.status('', f);
      this.markInvalid(f.field);
    } finally {
      this.running = undefined;
      this.setRunning(false);
    }
  }

  private onProgress(r: ProgressReport): void {
    if (!this.running) return;
    const share = overallProgress(r);
    const bar = $<ProgressEl>('progress');
    if (share !== undefined) {
      bar.indeterminate = false;
      bar.value = Math.round(share * 100);
    }
    if (r.message) this.status(r.message);
  }

  private cancel(): void {
    if (!this.running) return;
    this.status('Cancelling…');
    $<ButtonEl>('cancel').disabled = true;
    this.running.abort();
  }

  private showGeneration(g: PanelGeneration): void {
    $('warnings').replaceChildren(...g.warnings.map((w) => el('li', w)));
    $('images').replaceChildren(...g.images.map((img, i) => this.figure(img, i)));
  }

  private figure(img: PanelImage, index: number): HTMLElement {
    const m = img.metadata;
    const fig = el('figure', undefined, 'illustration');
    fig.dataset.id = img.id;
    if (m.seed !== null) fig.dataset.seed = String(m.seed);
    const picture = el('img');
    picture.src = `data:image/png;base64,${img.png}`;
    picture.alt = `${GENERATED_IMAGE_LABEL}, image ${index + 1}: ${m.prompt}`;
    const caption = el('figcaption');
    caption.append(
      el('span', GENERATED_IMAGE_LABEL, 'label'),
      el('span', seedCaption(m), 'meta seed'),
      el('span', settingsCaption(m), 'meta'),
    );
    const actions = el('div', undefined, 'row');
    const save = document.createElement('vscode-button') as ButtonEl;
    save.className = 'save';
    save.textContent = 'Save to workspace';
    save.setAttribute('aria-label', `Save image ${index + 1} to the workspace`);
    const saved = el('span', img.savedAs ? `Saved ${img.savedAs}` : '', 'saved');
    saved.setAttribute('role', 'status');
    save.addEventListener('click', () => void this.save(img, save, saved));
    actions.append(save);
    if (m.seed !== null) {
      const reuse = document.createElement('vscode-button') as ButtonEl;
      reuse.setAttribute('secondary', '');
      reuse.className = 'useSeed';
      reuse.textContent = 'Use seed';
      reuse.title = 'Put this seed in the Seed field (with Images = 1 it regenerates this image)';
      reuse.addEventListener('click', () => {
        $<ValueEl>('seed').value = String(m.seed);
        this.persist();
        $('seed').focus();
      });
      actions.append(reuse);
    }
    caption.append(actions, saved);
    fig.append(picture, caption);
    return fig;
  }

  private async save(img: PanelImage, button: ButtonEl, out: HTMLElement): Promise<void> {
    button.disabled = true;
    out.className = 'saved';
    out.textContent = 'Saving…';
    try {
      const r = await this.conn.request('save', { id: img.id });
      out.textContent = r.saved ? `Saved ${r.saved} (and ${r.sidecar ?? 'its JSON sidecar'})` : 'Not saved.';
    } catch (e) {
      out.className = 'saved error';
      out.textContent = `Not saved: ${errorOf(e).text}`;
    } finally {
      button.disabled = false;
    }
  }
}

new IllustrationPanel();
