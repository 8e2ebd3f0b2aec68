/**
 * `medlab`: the command-line face of the agent. It calls the same functions as the RPC handlers.
 * Exit codes: 0 success, 1 failure (one line on stderr saying what and where), 2 usage error,
 * 130 interrupted (Ctrl-C; partial results are kept by the command).
 */
import { describeError, isMedLabError } from '../errors';
import { configure } from '../settings';
import { AGENT_VERSION } from '../version';
import type { ProgressReport } from '../protocol';
import type { RunContext } from '../runContext';
import { formatHelp, optChoice, optNumber, optString, parseArgs } from './args';
import type { CliIO, Command } from './command';
import { commands } from './commands';

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  let best: { command: Command; rest: string[] } | undefined;
  for (const c of commands) {
    if (c.words.every((w, i) => argv[i] === w) && (!best || c.words.length > best.command.words.length)) {
      best = { command: c, rest: argv.slice(c.words.length) };
    }
  }
  return best;
}

function overview(): string {
  const lines = [
    `medlab ${AGENT_VERSION} — chest X-ray and EEG research tools (not for clinical use)`,
    '',
    'commands:',
  ];
  for (const c of commands) lines.push(`  medlab ${c.words.join(' ').padEnd(18)} ${c.summary}`);
  lines.push('', 'Run "medlab COMMAND --help" for the options of a command.');
  return lines.join('\n');
}

function progressLine(isTTY: boolean): (r: ProgressReport) => void {
  let last = 0;
  return (r) => {
    const now = Date.now();
    if (now - last < 200 && r.done !== r.total) return;
    last = now;
    const count = r.total ? `${r.done ?? 0}/${r.total} ` : '';
    const text = `${count}${r.message ?? ''}`;
    if (isTTY) process.stderr.write(`\r\x1b[K${text}`);
  };
}

export async function main(argv: string[]): Promise<number> {
  const out = (t: string) => void process.stdout.write(t.endsWith('\n') ? t : t + '\n');
  const err = (t: string) => void process.stderr.write(t.endsWith('\n') ? t : t + '\n');
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    out(overview());
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version') {
    out(AGENT_VERSION);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    err(`medlab: unknown command "${argv.filter((a) => !a.startsWith('-')).join(' ')}" (see medlab --help)`);
    return 2;
  }
  const { command, rest } = found;
  const controller = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    err('\nmedlab: stopping (Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const args = parseArgs(command, rest);
    if (args.options.help) {
      out(formatHelp(command));
      return 0;
    }
    configure({
      modelsDirectory: optString(args, 'models'),
      threads: optNumber(args, 'threads'),
      executionProvider: optChoice(args, 'ep', ['auto', 'cuda', 'cpu'] as const),
    });
    const json = args.options.json === true;
    const tty = process.stderr.isTTY === true;
    const ctx: RunContext = {
      signal: controller.signal,
      progress: json ? () => undefined : progressLine(tty),
      log: (m) => {
        if (process.env.MEDLAB_DEBUG) err(m);
      },
    };
    const io: CliIO = { json, out, err, ctx };
    const code = (await command.run(args, io)) ?? 0;
    if (tty && !json) process.stderr.write('\r\x1b[K');
    return interrupted ? 130 : code;
  } catch (e) {
    if (isMedLabError(e) && e.code === 'E_USAGE') {
      err(`medlab ${command.words.join(' ')}: ${describeError(e)} (see --help)`);
      return 2;
    }
    if (isMedLabError(e) && e.code === 'E_CANCELLED') {
      err(`medlab: ${e.message}`);
      return 130;
    }
    err(`medlab: ${describeError(e)}`);
    if (!isMedLabError(e) && process.env.MEDLAB_DEBUG) err(String((e as Error).stack));
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`medlab: ${describeError(e)}\n`);
      process.exitCode = 1;
    },
  );
}
