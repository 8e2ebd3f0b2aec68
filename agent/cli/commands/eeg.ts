import type { Command } from '../command';

export const eegCommands: Command[] = [];
