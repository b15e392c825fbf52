/**
 * Evidence snapshots of homework submissions. The server fetches nothing from the internet: when a
 * submission arrives (or is updated through the API) it freezes what the student sent — the link,
 * the article text the course platform captured, the reflection and the screenshots' SHA-256 — and
 * stores a SHA-256 over that, so the TA grades exactly what was submitted and the grading page can
 * show when it changed afterwards. The digest is over {@link evidenceCanonicalText}; the server
 * hashes with Node's crypto, the workstation can re-check with WebCrypto.
 */
export interface HomeworkEvidenceContent {
  readonly articleUrl: string;
  readonly articleText: string;
  readonly reflection: string;
  /** SHA-256 (hex) of each screenshot, in the order the student attached them. */
  readonly screenshots: readonly string[];
}

/** The one text the evidence digest is taken over: fixed key order, no whitespace. */
export function evidenceCanonicalText(content: HomeworkEvidenceContent): string {
  return JSON.stringify([
    'homework-evidence/1',
    content.articleUrl,
    content.articleText,
    content.reflection,
    [...content.screenshots],
  ]);
}

/** Which parts differ between two snapshots (for "changed since submitted"). */
export function evidenceChanges(
  before: HomeworkEvidenceContent,
  after: HomeworkEvidenceContent,
): ('articleUrl' | 'articleText' | 'reflection' | 'screenshots')[] {
  const changed: ('articleUrl' | 'articleText' | 'reflection' | 'screenshots')[] = [];
  if (before.articleUrl !== after.articleUrl) changed.push('articleUrl');
  if (before.articleText !== after.articleText) changed.push('articleText');
  if (before.reflection !== after.reflection) changed.push('reflection');
  if (before.screenshots.join(',') !== after.screenshots.join(',')) changed.push('screenshots');
  return changed;
}
