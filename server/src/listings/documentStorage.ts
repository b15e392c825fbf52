/** Deepest nesting a stored document may have; a real listing needs six levels. */
export const MAX_DOCUMENT_DEPTH = 32;
/** At most this many problems are reported for one document. */
const MAX_DOCUMENT_PROBLEMS = 20;

/**
 * What the database cannot store, found before it gets there (else a 500): PostgreSQL's `jsonb`
 * and `text` cannot hold U+0000 in a string or a key, and absurdly deep nesting exhausts the
 * stack of whoever serialises the document next. Iterative, so the check itself cannot overflow.
 */
export function storageProblems(
  document: Record<string, unknown>,
): { path: PropertyKey[]; message: string }[] {
  const problems: { path: PropertyKey[]; message: string }[] = [];
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: document, path: [] }];
  for (
    let next = stack.pop();
    next !== undefined && problems.length < MAX_DOCUMENT_PROBLEMS;
    next = stack.pop()
  ) {
    const { value, path } = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) {
        problems.push({ path, message: 'Text must not contain the character U+0000' });
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) {
      continue;
    }
    if (path.length >= MAX_DOCUMENT_DEPTH) {
      problems.push({
        path,
        message: `The document may be nested at most ${MAX_DOCUMENT_DEPTH} levels deep`,
      });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, Array.isArray(value) ? Number(key) : key];
      if (key.includes('\u0000')) {
        problems.push({
          path: childPath,
          message: 'Field names must not contain the character U+0000',
        });
      }
      stack.push({ value: child, path: childPath });
    }
  }
  return problems;
}
