import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ESCALATION_RESPONSE_HOURS } from '#shared/domain/escalation';

/** Where the renderer build sits when the server is run from this repository. */
export const DEFAULT_APP_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export const DEFAULT_PORT = 8787;
export const HOUR_MS = 3_600_000;

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** PGlite data, uploaded files and the token secret live here. */
  readonly dataDir: string;
  /** A real PostgreSQL; null runs embedded PGlite under `dataDir`. */
  readonly databaseUrl: string | null;
  /** Serve the built workstation at `/` (web mode). */
  readonly serveApp: boolean;
  readonly appDir: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Load demo data into an empty database on first start. */
  readonly seedDemoOnEmpty: boolean;
  /** Password of the demo users; generated and printed once when null. */
  readonly demoPassword: string | null;
  /** Length of a claim (lease). */
  readonly leaseMs: number;
  readonly accessTokenTtlMs: number;
  readonly refreshTokenTtlMs: number;
  /** Largest uploaded file. */
  readonly maxUploadBytes: number;
  /** Largest JSON request body (a push of 100 mutations stays far below). */
  readonly maxBodyBytes: number;
  /** Browser origins besides the server's own that may call the API (the desktop app's). */
  readonly corsOrigins: readonly string[];
  /** Secret for signing tokens; read from or created in `dataDir` when null. */
  readonly tokenSecret: string | null;
  /**
   * Hours the desk has to answer an escalated customer-service conversation (its item's
   * `due_at`); `REVIEW_DESK_ESCALATION_RESPONSE_HOURS`, default 4 (`ESCALATION_RESPONSE_HOURS`).
   */
  readonly escalationResponseHours: number;
}

/** Flags of `review-desk server`; absent ones fall back to the environment, then defaults. */
export interface ServerFlags {
  readonly port?: string | undefined;
  readonly host?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly databaseUrl?: string | undefined;
  readonly serveApp?: boolean | undefined;
  readonly seed?: boolean | undefined;
  readonly demoPassword?: string | undefined;
}

const port = z.coerce.number().int().min(0).max(65_535);
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * Resolves the configuration: flags, then environment variables (`REVIEW_DESK_*`,
 * `DATABASE_URL`, `PORT`, `HOST`, `LOG_LEVEL`), then defaults. Throws a one-line error for values
 * that make no sense (a port of 70000), so the CLI can print it without a stack trace.
 */
export function resolveServerConfig(
  flags: ServerFlags,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): ServerConfig {
  const pick = (...values: (string | undefined)[]) =>
    values.find((value) => value !== undefined && value !== '');
  const portText = pick(flags.port, env['REVIEW_DESK_PORT'], env['PORT']) ?? String(DEFAULT_PORT);
  const parsedPort = port.safeParse(portText);
  if (!parsedPort.success) {
    throw new RangeError(`port must be a number from 0 to 65535, got ${JSON.stringify(portText)}`);
  }
  const levelText = pick(env['REVIEW_DESK_LOG_LEVEL'], env['LOG_LEVEL']) ?? 'info';
  const parsedLevel = logLevel.safeParse(levelText);
  if (!parsedLevel.success) {
    throw new RangeError(`log level must be one of ${logLevel.options.join(', ')}`);
  }
  const responseText = pick(env['REVIEW_DESK_ESCALATION_RESPONSE_HOURS']);
  const responseHours =
    responseText === undefined ? ESCALATION_RESPONSE_HOURS : Number(responseText);
  if (!Number.isFinite(responseHours) || responseHours <= 0 || responseHours > 168) {
    throw new RangeError(
      `escalation response hours must be a number above 0 and at most 168, got ${JSON.stringify(responseText)}`,
    );
  }
  const databaseUrl = pick(flags.databaseUrl, env['REVIEW_DESK_DATABASE_URL'], env['DATABASE_URL']);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new RangeError('database URL must start with postgres:// or postgresql://');
  }
  const dataDir = resolve(
    cwd,
    pick(flags.dataDir, env['REVIEW_DESK_DATA_DIR']) ?? join(homedir(), '.review-desk'),
  );
  const corsOrigins = (env['REVIEW_DESK_CORS_ORIGINS'] ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  return {
    host: pick(flags.host, env['REVIEW_DESK_HOST'], env['HOST']) ?? '127.0.0.1',
    port: parsedPort.data,
    dataDir,
    databaseUrl: databaseUrl ?? null,
    serveApp: flags.serveApp ?? env['REVIEW_DESK_SERVE_APP'] === '1',
    appDir: resolve(cwd, pick(env['REVIEW_DESK_APP_DIR']) ?? DEFAULT_APP_DIR),
    logLevel: parsedLevel.data,
    seedDemoOnEmpty: flags.seed ?? env['REVIEW_DESK_SEED'] !== '0',
    demoPassword: pick(flags.demoPassword, env['REVIEW_DESK_DEMO_PASSWORD']) ?? null,
    leaseMs: 4 * HOUR_MS,
    accessTokenTtlMs: 15 * 60_000,
    refreshTokenTtlMs: 30 * 24 * HOUR_MS,
    maxUploadBytes: 25 * 1024 * 1024,
    maxBodyBytes: 2 * 1024 * 1024,
    corsOrigins: ['app://reviewdesk', ...corsOrigins],
    tokenSecret: pick(env['REVIEW_DESK_TOKEN_SECRET']) ?? null,
    escalationResponseHours: responseHours,
  };
}
