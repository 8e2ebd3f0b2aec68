/** What every end-to-end scenario receives, and the assertion it fails with. */
import type { RecordedRequest } from '../../support/imageServerDouble';
import type { CodeServer } from './codeServer';
import type { Workbench } from './workbench';

export interface E2eContext {
  wb: Workbench;
  server: CodeServer;
  /** The workspace folder opened in the workbench. */
  workspace: string;
  /** URL of the Ollama test double (set as medlab.ollama.host). */
  ollama: { url: string; setDown(down: boolean): void; requests(): { path: string; closedAt?: number }[] };
  /** The image server double (kind a1111) set as medlab.imagegen.server. */
  imagegen: { url: string; requests: RecordedRequest[]; readonly interrupts: number };
  log(line: string): void;
}

export interface Scenario {
  name: string;
  run(ctx: E2eContext): Promise<void>;
}

export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
