import type { Clock } from './clock';
import type { ServerConfig } from './config';
import type { Database } from './db/database';
import type { FileStorage } from './files/storage';
import type { ChangeHints } from './hints';

/** Everything a route or service needs, built once at start-up and passed down explicitly. */
export interface ServerContext {
  readonly config: ServerConfig;
  readonly db: Database;
  readonly clock: Clock;
  readonly storage: FileStorage;
  readonly hints: ChangeHints;
  /** Key for signing access tokens (HS256). */
  readonly tokenKey: Uint8Array;
}
