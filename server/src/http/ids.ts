import { badRequest } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id as a UUID, or a clear 400 (never a database error for `'; DROP TABLE …`). */
export function parseId(value: string, what: string): string {
  if (!UUID.test(value)) {
    throw badRequest(
      'INVALID_ID',
      `${what} id must be a UUID, got ${JSON.stringify(value.slice(0, 60))}`,
    );
  }
  return value.toLowerCase();
}
