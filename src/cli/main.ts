#!/usr/bin/env node
/**
 * The `ephemera` command line. `ephemera serve <module>` serves the domain a module exports over HTTP,
 * with the live dashboard.
 *
 *   ephemera serve ./app.js --port 3000
 *   ephemera serve ./app.ts --host 127.0.0.1 --token s3cret --no-dashboard
 *
 * Exit codes: 0 after a clean stop (SIGINT, SIGTERM), 1 when the module cannot be served or the
 * server cannot listen, 2 for a usage error.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ModuleProblem } from './load.js';
import { type Serving, startServing } from './serve.js';

const program = new Command('ephemera')
  .description('Typed resources whose records live in their own in-memory servers.')
  .showHelpAfterError('(ephemera --help lists the commands)')
  .exitOverride();

program
  .command('serve')
  .description('serve the domain a module exports over HTTP, with a live dashboard')
  .argument('<module>', 'a module whose default export (or `domain` export) is a domain')
  .option('-p, --port <port>', 'port to listen on (0: any free port)', parsePort, 3000)
  .option('--host <host>', 'address to bind (anything but loopback exposes the server)', '127.0.0.1')
  .option('--token <token>', 'require Authorization: Bearer <token> on every request')
  .option('--no-dashboard', 'serve the API only')
  .allowUnknownOption()
  .allowExcessArguments()
  .action(async (module: string, options: Options, command: Command) => {
    const argv = command.args.slice(1);
    const serving = await startServing(
      {
        module,
        port: options.port,
        host: options.host,
        token: options.token ?? process.env.EPHEMERA_TOKEN,
        dashboard: options.dashboard,
        argv,
      },
      (line) => console.log(line),
    );
    stopOnSignals(serving);
  });

interface Options {
  port: number;
  host: string;
  token?: string;
  dashboard: boolean;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return port;
}

/** SIGINT and SIGTERM stop it gracefully; a second signal stops it at once. */
function stopOnSignals(serving: Serving): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal} again: stopping now`);
      process.exit(130);
    }
    stopping = true;
    console.log(`${signal}: finishing the requests in flight, then stopping`);
    serving.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here with code 0; usage errors (already printed) with 2.
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  if (error instanceof ModuleProblem) {
    console.error(`ephemera: ${error.message}`);
    process.exit(error.exitCode);
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    console.error(
      `ephemera: the port is taken (${(error as Error).message}); pass --port 0 for any free port`,
    );
    process.exit(1);
  }
  console.error('ephemera:', error);
  process.exit(1);
}
