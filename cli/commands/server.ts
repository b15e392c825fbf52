import { resolveServerConfig, type ServerFlags } from '../../server/src/config';
import { startServer, type RunningServer } from '../../server/src/main';
import { CliInputError, EXIT, type CliIo } from '../io';

/**
 * `review-desk server`: runs the review server until SIGINT or SIGTERM, then shuts down
 * gracefully (requests in flight finish, the database closes). Start-up problems — a bad flag,
 * a port in use, an unreachable PostgreSQL — are one line on stderr, never a stack trace.
 */
export async function runServerCommand(flags: ServerFlags, io: CliIo): Promise<number> {
  let config;
  try {
    config = resolveServerConfig(flags, io.env, io.cwd);
  } catch (error) {
    throw new CliInputError(error instanceof Error ? error.message : String(error));
  }
  let server: RunningServer;
  try {
    server = await startServer(config, {
      say: (line) => {
        io.stderr(`${line}\n`);
      },
    });
  } catch (error) {
    io.stderr(
      `review-desk: error: the server could not start: ${describeStartFailure(error, config.port)}\n`,
    );
    return EXIT.findings;
  }
  const database =
    config.databaseUrl === null ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL';
  io.stderr(`ReviewDesk review server on ${server.url} (${database})\n`);
  if (config.serveApp) {
    io.stderr(`Workstation (web mode): ${server.url}/\n`);
  }
  await (io.waitForShutdown ?? waitForSignal)();
  io.stderr('Shutting down…\n');
  await server.close();
  return EXIT.ok;
}

function describeStartFailure(error: unknown, port: number): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'EADDRINUSE') {
    return `port ${port} is already in use (pass --port to pick another)`;
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND') {
    return `cannot reach the database (${code}); check --database-url`;
  }
  return error instanceof Error ? error.message : String(error);
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
