/**
 * Storage keys of uploaded files. They are made by the server from ids it generated and from the
 * content hash, never from anything the uploader named, so a file name like `../../etc/passwd`
 * cannot steer where bytes land. The same bytes in one listing share one key (content addressing).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHA256 = /^[0-9a-f]{64}$/;

function checked(value: string, pattern: RegExp, what: string): string {
  const normalised = value.toLowerCase();
  if (!pattern.test(normalised)) {
    throw new Error(`invalid ${what} for a storage key: ${JSON.stringify(value)}`);
  }
  return normalised;
}

/** `institutions/<institutionId>/listings/<listingId>/<sha256>` */
export function credentialFileKey(
  institutionId: string,
  listingId: string,
  sha256: string,
): string {
  return [
    'institutions',
    checked(institutionId, UUID, 'institution id'),
    'listings',
    checked(listingId, UUID, 'listing id'),
    checked(sha256, SHA256, 'sha256'),
  ].join('/');
}

/** `homework/<submissionId>/<sha256>` */
export function homeworkFileKey(submissionId: string, sha256: string): string {
  return [
    'homework',
    checked(submissionId, UUID, 'submission id'),
    checked(sha256, SHA256, 'sha256'),
  ].join('/');
}
