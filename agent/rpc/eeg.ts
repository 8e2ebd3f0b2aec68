import type { HandlerTable } from './handler';

export const eegHandlers: HandlerTable = {};
