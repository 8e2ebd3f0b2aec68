import * as path from 'node:path';
import { INSTALL_ROOT, settings } from '../settings';

/** Where models are looked for: the install's models/ first, then the user's directory. */
export function modelDirectories(): string[] {
  const dirs = [path.join(INSTALL_ROOT, 'models')];
  const user = settings().modelsDirectory;
  if (user) dirs.push(path.resolve(user));
  return dirs;
}
