import { useLiveQuery } from 'dexie-react-hooks';
import type {
  AuditEventRecord,
  DecisionRecord,
  FieldCommentRecord,
  ListingRecord,
  ReviewItemRecord,
  TimeEntryRecord,
  UserRecord,
} from '#shared/sync/rows';
import { mutationItemId } from '#shared/sync/view';
import type { MirrorRow, OutboxRow, ResultRow, ReviewDeskDb } from '../../db/database';
import type { MentorInfo } from './steps/HighlightsStep';

/** A listing revision as mirrored (`listing_revisions`): the document and its stamps. */
export interface RevisionRecord {
  readonly id: string;
  readonly listingId: string;
  readonly number: number | null;
  readonly state: string | null;
  readonly document: unknown;
  readonly createdAt: string | null;
  readonly submittedAt: string | null;
  readonly decidedAt: string | null;
}

export interface ItemData {
  readonly item: ReviewItemRecord | null;
  readonly listing: ListingRecord | null;
  readonly revision: RevisionRecord | null;
  readonly comments: readonly FieldCommentRecord[];
  readonly decisions: readonly DecisionRecord[];
  readonly audit: readonly AuditEventRecord[];
  readonly timeEntries: readonly TimeEntryRecord[];
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly mentors: ReadonlyMap<string, MentorInfo>;
  /** Every mutation still in the outbox, in seq order (the view reducers filter by item). */
  readonly outbox: readonly OutboxRow[];
  /** This user's results about the item or its listing, oldest first. */
  readonly results: readonly ResultRow[];
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed view of a row
const as = <T>(row: MirrorRow | undefined): T | null =>
  row === undefined ? null : (row as unknown as T);
const all = <T>(rows: readonly MirrorRow[]): T[] => rows as unknown as T[];

function parseDocument(value: unknown): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function toRevision(row: MirrorRow | undefined): RevisionRecord | null {
  if (row === undefined) {
    return null;
  }
  const text = (key: string) => (typeof row[key] === 'string' ? row[key] : null);
  return {
    id: row.id,
    listingId: text('listingId') ?? '',
    number: typeof row['number'] === 'number' ? row['number'] : null,
    state: text('state'),
    document: parseDocument(row['document']),
    createdAt: text('createdAt'),
    submittedAt: text('submittedAt'),
    decidedAt: text('decidedAt'),
  };
}

const listingIdOf = (args: unknown): string | null =>
  typeof args === 'object' &&
  args !== null &&
  'listingId' in args &&
  typeof args.listingId === 'string'
    ? args.listingId
    : null;

/** Everything the item page shows about one item, live from the local database. */
export function useItemData(db: ReviewDeskDb, itemId: string): ItemData | undefined {
  return useLiveQuery(async (): Promise<ItemData> => {
    const item = as<ReviewItemRecord>(await db.mirror('review_items').get(itemId));
    const listing =
      item === null ? null : as<ListingRecord>(await db.mirror('listings').get(item.subjectId));
    const revision =
      item?.revisionId === null || item === null
        ? null
        : toRevision(await db.mirror('listing_revisions').get(item.revisionId));
    const [comments, decisions, itemEvents, listingEvents, timeEntries, users, profiles] =
      await Promise.all([
        db.mirror('field_comments').where('itemId').equals(itemId).toArray(),
        db.mirror('decisions').where('itemId').equals(itemId).toArray(),
        db.mirror('audit_events').where('itemId').equals(itemId).toArray(),
        item === null
          ? Promise.resolve([])
          : db.mirror('audit_events').where('subjectId').equals(item.subjectId).toArray(),
        db.mirror('time_entries').where('itemId').equals(itemId).toArray(),
        db.mirror('users').toArray(),
        db.mirror('mentor_profiles').toArray(),
      ]);
    const events = new Map<string, AuditEventRecord>();
    for (const event of all<AuditEventRecord>([...itemEvents, ...listingEvents])) {
      events.set(event.id, event);
    }
    const listingId = item?.subjectId ?? null;
    const outbox = await db.outbox.orderBy('seq').toArray();
    const results = (await db.results.orderBy('seq').toArray()).filter(
      (row) =>
        mutationItemId(row.args) === itemId ||
        (listingId !== null && listingIdOf(row.args) === listingId),
    );
    const mentors = new Map<string, MentorInfo>();
    for (const profile of profiles) {
      const name = profile['name'];
      const title = profile['title'];
      mentors.set(profile.id, {
        name: typeof name === 'string' ? name : profile.id,
        title: typeof title === 'string' && title !== '' ? title : null,
        verified: profile['verified'] === true,
      });
    }
    return {
      item,
      listing,
      revision,
      comments: all<FieldCommentRecord>(comments),
      decisions: all<DecisionRecord>(decisions),
      audit: [...events.values()],
      timeEntries: all<TimeEntryRecord>(timeEntries),
      users: new Map(all<UserRecord>(users).map((user) => [user.id, user])),
      mentors,
      outbox,
      results,
    };
  }, [db, itemId]);
}
