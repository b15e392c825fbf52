import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): slow enough to make
 * offline guessing expensive, fast enough (~50 ms) for interactive sign-in.
 */
const ARGON2ID = {
  // Algorithm.Argon2id: a const enum, which isolated modules cannot import by name.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the library's const enum value 2 is Argon2id
  algorithm: 2 as Algorithm,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

/** False for a wrong password and for a malformed stored hash; never throws on user input. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, verified against to keep sign-in timing equal for unknown users. */
let decoyHash: Promise<string> | null = null;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(`decoy-${Math.random()}`);
  return decoyHash;
}
