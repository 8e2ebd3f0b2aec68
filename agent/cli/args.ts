/** Argument parsing for one command: typed options, positional checks, usage errors that name the argument. */
import { MedLabError } from '../errors';
import type { Command, OptionSpec, ParsedArgs } from './command';

/** Options every command accepts. */
export const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: 'json', type: 'boolean', description: 'machine-readable JSON on stdout' },
  { name: 'help', type: 'boolean', description: 'show help for this command' },
  { name: 'models', type: 'string', valueName: 'DIR', description: 'extra models directory' },
  {
    name: 'threads',
    type: 'number',
    valueName: 'N',
    description: 'inference threads (default: cores, max 8)',
  },
  {
    name: 'ep',
    type: 'string',
    valueName: 'auto|cuda|cpu',
    description: 'execution provider (default auto)',
  },
];

function usage(message: string, field?: string): MedLabError {
  return new MedLabError('E_USAGE', message, field ? { field } : {});
}

function parseNumber(name: string, raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw usage(`--${name} expects a number, got "${raw}"`, name);
  return n;
}

export function parseArgs(command: Command, argv: string[]): ParsedArgs {
  const specs = new Map<string, OptionSpec>();
  for (const o of [...GLOBAL_OPTIONS, ...command.options]) specs.set(o.name, o);
  const positionals: string[] = [];
  const options: ParsedArgs['options'] = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
        if (arg === '-h') {
          options.help = true;
          continue;
        }
        throw usage(`unknown option ${arg}`, arg);
      }
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = specs.get(name);
    if (!spec) throw usage(`unknown option --${name} for "medlab ${command.words.join(' ')}"`, name);
    if (spec.type === 'boolean') {
      if (eq !== -1) throw usage(`--${name} takes no value`, name);
      options[name] = true;
      continue;
    }
    let raw: string | undefined;
    if (eq !== -1) raw = arg.slice(eq + 1);
    else {
      raw = argv[i + 1];
      if (raw === undefined) throw usage(`--${name} needs a value (${spec.valueName ?? spec.type})`, name);
      i++;
    }
    if (spec.type === 'number') options[name] = parseNumber(name, raw);
    else if (spec.type === 'list') {
      const prev = (options[name] as string[] | undefined) ?? [];
      const items = spec.commaSeparated
        ? raw
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [raw];
      options[name] = [...prev, ...items];
    } else options[name] = raw;
  }
  if (!options.help) {
    const required = command.positionals.filter((p) => !p.optional).length;
    if (positionals.length < required) {
      const missing = command.positionals[positionals.length];
      throw usage(`missing ${missing.name}: ${missing.description}`, missing.name);
    }
    if (positionals.length > command.positionals.length) {
      throw usage(`unexpected argument "${positionals[command.positionals.length]}"`);
    }
  }
  return { positionals, options };
}

export function formatHelp(command: Command): string {
  const pos = command.positionals.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(' ');
  const lines = [
    `usage: medlab ${command.words.join(' ')}${pos ? ' ' + pos : ''} [options]`,
    '',
    command.summary,
    '',
  ];
  if (command.positionals.length) {
    lines.push('arguments:');
    for (const p of command.positionals) lines.push(`  ${p.name.padEnd(24)} ${p.description}`);
    lines.push('');
  }
  lines.push('options:');
  for (const o of [...command.options, ...GLOBAL_OPTIONS]) {
    const flag = `--${o.name}${o.type === 'boolean' ? '' : ' ' + (o.valueName ?? o.type.toUpperCase())}`;
    lines.push(`  ${flag.padEnd(24)} ${o.description}`);
  }
  if (command.details) lines.push('', command.details);
  return lines.join('\n');
}

/** Typed accessors with usage errors that name the option. */
export function optString(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  return typeof v === 'string' ? v : undefined;
}
export function optNumber(args: ParsedArgs, name: string): number | undefined {
  const v = args.options[name];
  return typeof v === 'number' ? v : undefined;
}
export function optList(args: ParsedArgs, name: string): string[] | undefined {
  const v = args.options[name];
  return Array.isArray(v) ? v : undefined;
}
export function optFlag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true;
}
export function optChoice<T extends string>(
  args: ParsedArgs,
  name: string,
  choices: readonly T[],
): T | undefined {
  const v = optString(args, name);
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) {
    throw usage(`--${name} must be one of ${choices.join(', ')}; got "${v}"`, name);
  }
  return v as T;
}
export function optPositive(args: ParsedArgs, name: string): number | undefined {
  const v = optNumber(args, name);
  if (v !== undefined && !(v > 0)) throw usage(`--${name} must be greater than 0; got ${v}`, name);
  return v;
}
