/**
 * RFC 6901 JSON Pointers: the addresses of JSON Patch operations and of diff changes.
 *
 * A pointer is `""` (the whole document) or a sequence of `/token`; inside a token `~1` stands
 * for `/` and `~0` for `~`. Decoding replaces `~1` before `~0`, so `~01` is the literal `~1`
 * (RFC 6901 §4), never `/`.
 */

/** One segment of a path: an object key, or an array index given as a number. */
export type PointerSegment = string | number;

/** Why a pointer could not be parsed; stable, callers and tests key on it. */
export type PointerErrorCode =
  /** Not a string at all (a patch read from JSON may hold anything). */
  | 'not_a_string'
  /** Non-empty but does not start with `/`. */
  | 'missing_leading_slash'
  /** A `~` not followed by `0` or `1`. */
  | 'invalid_escape';

/** Thrown by {@link parsePointer} for text that is not a JSON Pointer. */
export class PointerError extends Error {
  override readonly name = 'PointerError';
  readonly code: PointerErrorCode;
  /** The text that was being parsed, as given. */
  readonly pointer: unknown;

  constructor(code: PointerErrorCode, pointer: unknown, message: string) {
    super(message);
    this.code = code;
    this.pointer = pointer;
  }
}

/** `~` followed by anything but 0 or 1, or a `~` at the very end of a token. */
const BAD_ESCAPE = /~(?![01])/;

/**
 * The unescaped reference tokens of a pointer: `""` → `[]`, `"/"` → `[""]`,
 * `"/a~1b/0"` → `["a/b", "0"]`. Tokens stay strings: whether `"0"` is an array index or an
 * object key depends on the document it is applied to. Throws a {@link PointerError} for
 * anything that is not a pointer.
 */
export function parsePointer(pointer: unknown): string[] {
  if (typeof pointer !== 'string') {
    throw new PointerError(
      'not_a_string',
      pointer,
      `a JSON Pointer is a string, got ${pointer === null ? 'null' : typeof pointer}`,
    );
  }
  if (pointer === '') {
    return [];
  }
  if (!pointer.startsWith('/')) {
    throw new PointerError(
      'missing_leading_slash',
      pointer,
      `JSON Pointer ${JSON.stringify(pointer)} must be empty or start with "/"`,
    );
  }
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (BAD_ESCAPE.test(token)) {
        throw new PointerError(
          'invalid_escape',
          pointer,
          `JSON Pointer ${JSON.stringify(pointer)} has a "~" not followed by 0 or 1`,
        );
      }
      return unescapeToken(token);
    });
}

/** The pointer of a path: `["a/b", 0]` → `"/a~1b/0"`; `[]` → `""` (the whole document). */
export function formatPointer(path: readonly PointerSegment[]): string {
  let text = '';
  for (const segment of path) {
    text += `/${escapeToken(String(segment))}`;
  }
  return text;
}

/** One token as it is written inside a pointer (`~` → `~0`, then `/` → `~1`). */
export function escapeToken(token: string): string {
  // Only scan strings that need it: most keys have neither character.
  return token.includes('~') || token.includes('/')
    ? token.replace(/~/g, '~0').replace(/\//g, '~1')
    : token;
}

/** The key a written token stands for (`~1` → `/`, then `~0` → `~`). */
export function unescapeToken(token: string): string {
  return token.includes('~') ? token.replace(/~1/g, '/').replace(/~0/g, '~') : token;
}

/**
 * Whether a token is a valid array index (RFC 6901 §4: `0` or digits without a leading zero).
 * `"01"`, `"1e0"`, `"-1"` and `"-"` are not; `-` is the past-the-end marker only `add` accepts.
 */
export function isArrayIndexToken(token: string): boolean {
  return /^(0|[1-9]\d*)$/.test(token);
}
