/** The image server test double (test/support/imageServerDouble.ts) as the e2e workspace's medlab.imagegen.server. */
import { startImageServerDouble, type ImageServerDouble } from '../../support/imageServerDouble';

export interface E2eImageServer {
  url: string;
  double: ImageServerDouble;
  close(): Promise<void>;
}

/** An AUTOMATIC1111-style server (progress, interrupt, a LoRA); each image takes about a second. */
export async function startImageServerForE2e(): Promise<E2eImageServer> {
  const double = await startImageServerDouble({ kind: 'a1111', generationMs: 1200 });
  return { url: double.url, double, close: () => double.close() };
}
