/**
 * The real data sets live in ../shared/data (never copied into the repo). Tests that need them
 * fail under CI=true when they are missing, and skip with a visible message elsewhere.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SHARED_DATA = path.resolve(
  process.env.MEDLAB_SHARED_DATA ?? path.join(__dirname, '..', '..', '..', 'shared', 'data'),
);

export function sharedPath(...parts: string[]): string {
  return path.join(SHARED_DATA, ...parts);
}

/**
 * Call at the top of a `describe` body (or in `before`) for a suite that needs shared data:
 * returns the absolute path, or skips the suite (throws under CI=true).
 */
export function requireSharedData(ctx: Mocha.Context, ...parts: string[]): string {
  const p = sharedPath(...parts);
  if (fs.existsSync(p)) return p;
  if (process.env.CI === 'true') throw new Error(`shared data missing under CI: ${p}`);
  process.stderr.write(`      SKIPPED: shared data not found at ${p}\n`);
  ctx.skip();
  return p;
}
