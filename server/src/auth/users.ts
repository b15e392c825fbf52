import { randomUUID } from 'node:crypto';
import type { Role } from '#shared/domain/roles';
import type { Queryable } from '../db/database';
import { nextSpaceVersion } from '../sync/version';
import { hashPassword } from './passwords';

export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly password: string;
  readonly institutionId?: string | null;
  readonly active?: boolean;
}

export interface UserRow {
  readonly id: string;
  readonly username: string;
  readonly display_name: string;
  readonly role: Role;
  readonly active: boolean;
  readonly password_hash: string;
  readonly institution_id: string | null;
}

/** Creates a team member (argon2id password hash) and returns its id. */
export async function createUser(tx: Queryable, user: NewUser, nowMs: number): Promise<string> {
  const id = randomUUID();
  const version = await nextSpaceVersion(tx);
  const now = new Date(nowMs).toISOString();
  await tx.query(
    `INSERT INTO users (id, username, display_name, role, active, password_hash, institution_id,
                        created_at, updated_at, row_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)`,
    [
      id,
      user.username,
      user.displayName,
      user.role,
      user.active ?? true,
      await hashPassword(user.password),
      user.institutionId ?? null,
      now,
      version,
    ],
  );
  return id;
}

export async function findUserByUsername(db: Queryable, username: string): Promise<UserRow | null> {
  const [row] = await db.query<UserRow>(
    `SELECT id, username, display_name, role, active, password_hash, institution_id
       FROM users WHERE username = $1`,
    [username],
  );
  return row ?? null;
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | null> {
  const [row] = await db.query<UserRow>(
    `SELECT id, username, display_name, role, active, password_hash, institution_id
       FROM users WHERE id = $1`,
    [id],
  );
  return row ?? null;
}
