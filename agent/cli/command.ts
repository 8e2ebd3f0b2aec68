/** How a CLI command declares itself: its words, arguments, options and what it runs. */
import type { RunContext } from '../runContext';

export type OptionType = 'string' | 'number' | 'boolean' | 'list';

export interface OptionSpec {
  /** Long name without dashes, e.g. "start" for --start. */
  name: string;
  type: OptionType;
  description: string;
  /** Placeholder in help, e.g. "SECONDS". */
  valueName?: string;
  /** `list` options may repeat (--lora a --lora b) and also accept commas (a,b) when `commaSeparated`. */
  commaSeparated?: boolean;
}

export interface PositionalSpec {
  name: string;
  description: string;
  optional?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | number | boolean | string[] | undefined>;
}

export interface CliIO {
  /** True when --json was given: print one JSON document on stdout and nothing else there. */
  json: boolean;
  out(text: string): void;
  err(text: string): void;
  ctx: RunContext;
}

export interface Command {
  /** Words after `medlab`, e.g. ["eeg", "info"]. */
  words: string[];
  summary: string;
  positionals: PositionalSpec[];
  options: OptionSpec[];
  /** Extra help text (examples, formats). */
  details?: string;
  /** Returns the exit code (0 when omitted). */
  run(args: ParsedArgs, io: CliIO): Promise<number | void>;
}
