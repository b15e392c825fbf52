/** Saves text as a file the user keeps (exports of pending decisions, conflict details). */
export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: some browsers start reading the blob only after click() returns.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}

const pad = (value: number) => String(value).padStart(2, '0');

/** `review-desk-pending-2026-05-03.json`, by the device's calendar date. */
export function pendingExportFileName(now: Date): string {
  return `review-desk-pending-${String(now.getFullYear())}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.json`;
}
