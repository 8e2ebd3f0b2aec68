/** The Ollama test double (test/support/ollamaDouble.ts) as the e2e workspace's medlab.ollama.host. */
import { OllamaDouble } from '../../support/ollamaDouble';

export interface E2eOllama {
  url: string;
  double: OllamaDouble;
  setDown(down: boolean): void;
  requests(): { path: string; closedAt?: number }[];
  close(): Promise<void>;
}

export async function startOllamaForE2e(): Promise<E2eOllama> {
  const double = await OllamaDouble.start({
    models: [
      { name: 'medgemma:4b', family: 'gemma3', capabilities: ['completion', 'vision'], contextLength: 8192 },
      { name: 'meditron:7b', family: 'llama', capabilities: ['completion'], contextLength: 2048 },
    ],
    chunkDelayMs: 120,
    reply: () =>
      'A chest X-ray classifier output is a **research result**. ' +
      'The probabilities describe this model on its test data, not a diagnosis for a patient. '.repeat(6),
  });
  let closed = false;
  return {
    url: double.url,
    double,
    setDown(down) {
      if (down && !closed) {
        closed = true;
        void double.close();
      }
    },
    requests: () => double.requests.map((r) => ({ path: r.path, closedAt: r.closedAt })),
    async close() {
      if (!closed) await double.close();
    },
  };
}
