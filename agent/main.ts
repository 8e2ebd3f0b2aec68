/**
 * The agent process: JSON-RPC over stdin/stdout. Nothing but protocol messages may reach stdout,
 * so console output is sent to stderr. Exits when stdin closes or the parent process dies.
 */
import { serve } from './rpc/server';
import { handlers } from './rpc/handlers';

const log = (message: string): void => {
  process.stderr.write(`[medlab-agent ${new Date().toISOString()}] ${message}\n`);
};
console.log = (...args: unknown[]) => log(args.map(String).join(' '));
console.info = console.log;
console.warn = console.log;
console.debug = console.log;

const connection = serve(process.stdin, process.stdout, handlers, log);

function shutdown(reason: string): void {
  log(`exiting: ${reason}`);
  connection.dispose();
  process.exit(0);
}

process.stdin.on('end', () => shutdown('stdin closed'));
process.stdin.on('close', () => shutdown('stdin closed'));
connection.onClose(() => shutdown('connection closed'));

// The parent may die without closing our stdin (SIGKILL of a whole tree); poll for it.
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
    if (process.ppid !== parent) shutdown('parent process changed');
  } catch {
    shutdown('parent process died');
  }
}, 2000).unref();

process.on('uncaughtException', (e) => log(`uncaught exception: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${e instanceof Error ? e.stack : e}`));
log(`started pid ${process.pid}`);
