import { z } from 'zod';

/**
 * The pull cursor, opaque to clients (base64url JSON). `e` is the database's sync epoch: a
 * cursor from another database (restored, replaced) means the client must start over.
 *
 * - snapshot phase: bootstrap pages pinned at version `v`, ordered by (table, id); `t`/`a` are
 *   the table index and the last id delivered.
 * - delta phase: changes after the key (`v`, `t`, `a`) in (row_version, table, id) order.
 */
const cursorSchema = z.object({
  e: z.string().min(1).max(64),
  p: z.enum(['s', 'd']),
  v: z.number().int().min(0),
  t: z.number().int().min(0),
  a: z.string().max(200),
});
export type Cursor = z.infer<typeof cursorSchema>;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** The decoded cursor, or null when it is not one of ours (malformed, tampered with). */
export function decodeCursor(text: string): Cursor | null {
  try {
    const parsed = cursorSchema.safeParse(
      JSON.parse(Buffer.from(text, 'base64url').toString('utf8')),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
