import type { Principal } from '../server/src/auth/principal';
import type { Database } from '../server/src/db/database';

/** The signed-in principal of a seeded user, as the server's auth would build it. */
export async function principalOf(db: Database, username: string): Promise<Principal> {
  const [row] = await db.query<{ id: string; display_name: string; role: Principal['role'] }>(
    'SELECT id, display_name, role FROM users WHERE username = $1',
    [username],
  );
  if (row === undefined) {
    throw new Error(`no user ${username}`);
  }
  return {
    id: row.id,
    username,
    displayName: row.display_name,
    role: row.role,
    institutionId: null,
  };
}
