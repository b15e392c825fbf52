import { createHash, randomInt, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUser, findUserByUsername } from '../auth/users';
import type { ServerConfig } from '../config';
import type { ServerContext } from '../context';
import type { Queryable } from '../db/database';
import { credentialFileKey, homeworkFileKey } from '../files/keys';
import type { ChangeHints } from '../hints';
import { currentSpaceVersion, nextSpaceVersion } from '../sync/version';
import { DAY_MS } from '#shared/domain/time';
import {
  DEMO_INSTITUTIONS,
  DEMO_MENTORS,
  demoInstitution,
  demoProduct,
  demoUsers,
  listingCatalogue,
  mulberry32,
  planCommissions,
  planListing,
  planRefunds,
  type DemoCertificateFile,
  type DemoFile,
  type DemoLicenceFile,
  type DemoManifest,
  type DemoScreenshotFile,
  type ListingPlan,
  type PlannedAuditEvent,
  type PlannedDecision,
  type PlannedReviewItem,
  type RefundPlan,
  type Rng,
} from './content';
import {
  followUpStudents,
  planCommentBank,
  planHomework,
  planRoster,
  planRubrics,
  type DemoBankComment,
  type DemoRubric,
  type DemoStudent,
  type HomeworkPlan,
  type HomeworkPlanning,
  type PlannedWork,
} from './homeworkContent';
import { evidenceDigest } from '../homework/evidence';
import { planCourseNetwork, type DemoCourseNetwork } from './settlementContent';
import { writeDemoActuals } from './actualsContent';
import { writeDemoEscalations } from './supportContent';

/*
 * Demo data for the review server: loaded on the first start of an empty server and by
 * `review-desk seed`. The content comes from content.ts (pure, seeded PRNG); this module writes
 * it: rows in multi-row INSERTs of at most 500 rows inside a handful of transactions, every
 * mirrored row with a `row_version` taken from the space counter in the same transaction (one
 * per statement), and the demo papers into file storage.
 */

/** Where `scripts/generateDemoFiles.ts` put the demo papers and their manifest. */
export const DEFAULT_DEMO_DIR = fileURLToPath(new URL('../../../resources/demo', import.meta.url));

/** `server_meta` key set once demo data was loaded (value: JSON with the time and counts). */
export const DEMO_SEEDED_KEY = 'demo_seeded';

export const DEFAULT_DEMO_LISTINGS = 40;
export const DEFAULT_DEMO_HOMEWORK = 200;
export const DEFAULT_DEMO_REFUNDS = 8;

/** Fixed PRNG seed: the same content on every run, apart from ids and the times around `now`. */
export const DEFAULT_DEMO_SEED = 20_261_121;

/**
 * The first this many listings (and homework submissions) get their papers stored under their
 * own keys. Beyond them, rows point at the key already stored for the same provider and bytes:
 * keys are content-addressed (the sha256 is part of the key), so many `credential_files` rows may
 * share one stored object, and 50 000 listings do not write 50 000 files.
 */
export const FULLY_STORED_ITEMS = 60;

/** Listings planned and written per transaction. */
const LISTINGS_PER_TRANSACTION = 2500;
/** Rows per INSERT statement. */
const ROWS_PER_STATEMENT = 500;
/** PostgreSQL's limit on parameters of one statement is 65 535. */
const MAX_PARAMETERS = 60_000;

/** The parts of the server context seeding uses (a full ServerContext will do). */
export interface SeedContext {
  readonly db: ServerContext['db'];
  readonly storage: ServerContext['storage'];
  readonly clock: ServerContext['clock'];
  readonly config?: Pick<ServerConfig, 'leaseMs'>;
  readonly hints?: ChangeHints;
}

export interface SeedOptions {
  /** Password of every demo user. */
  readonly password: string;
  /** Number of listings (default 40; the first 32 are hand-picked stories covering every state). */
  readonly listings?: number;
  /** Number of homework submissions (default 200). */
  readonly homework?: number;
  /** Number of refund requests (default 8). */
  readonly refunds?: number;
  /** "Now" of the demo (epoch ms); everything happened in the ~30 days before. Default: clock. */
  readonly now?: number;
  /** Seed although the database has users (existing usernames are reused, not changed). */
  readonly force?: boolean;
  /** PRNG seed of the content. */
  readonly seed?: number;
  /** Directory with manifest.json and the demo papers. */
  readonly demoDir?: string;
  /** Called after each transaction of listings, for progress output on large runs. */
  readonly onProgress?: (listingsWritten: number, listingsTotal: number) => void;
}

export interface SeedResult {
  /** Usernames of the demo users created by this run, who sign in with the demo password. */
  readonly users: string[];
  readonly listings: number;
  readonly homework: number;
  readonly refunds: number;
}

/** Seeding refused to touch a database that already has data. */
export class DemoSeedRefusedError extends Error {
  override readonly name = 'DemoSeedRefusedError';
}

/** True when nobody can sign in yet: no users at all. */
export async function isDatabaseEmpty(db: Queryable): Promise<boolean> {
  const [row] = await db.query<{ empty: boolean }>(
    'SELECT NOT EXISTS (SELECT 1 FROM users) AS empty',
  );
  return row?.empty ?? true;
}

/** Whether demo data was loaded into this database before. */
export async function isDemoSeeded(db: Queryable): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM server_meta WHERE key = $1', [DEMO_SEEDED_KEY]);
  return rows.length > 0;
}

const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A readable random password: four groups of four lower-case letters and digits without the
 * look-alikes (i, l, o, 0, 1), e.g. `k7mf-q2xa-9hcz-wb4t` — about 79 bits, easy to read aloud.
 */
export function generateDemoPassword(): string {
  const groups: string[] = [];
  for (let group = 0; group < 4; group += 1) {
    let text = '';
    for (let i = 0; i < 4; i += 1) {
      text += PASSWORD_ALPHABET.charAt(randomInt(PASSWORD_ALPHABET.length));
    }
    groups.push(text);
  }
  return groups.join('-');
}

// ── Demo papers ─────────────────────────────────────────────────────────────────────────────

export interface DemoPapers {
  readonly manifest: DemoManifest;
  /** Bytes by manifest file name, checked against the manifest's sha256. */
  readonly bytes: ReadonlyMap<string, Uint8Array>;
}

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Reads the manifest and every file it lists; throws when a file is missing or changed. */
export async function loadDemoPapers(dir = DEFAULT_DEMO_DIR): Promise<DemoPapers> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read the demo files' manifest in ${dir}: ${reason}`);
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !Array.isArray((parsed as { files?: unknown }).files)
  ) {
    throw new Error(`${join(dir, 'manifest.json')} has no "files" list`);
  }
  // Written by scripts/generateDemoFiles.ts; every file is checked against it below.
  const manifest = parsed as DemoManifest;
  const bytes = new Map<string, Uint8Array>();
  for (const file of manifest.files) {
    const data = new Uint8Array(await readFile(join(dir, file.file)));
    if (sha256Hex(data) !== file.sha256 || data.length !== file.sizeBytes) {
      throw new Error(
        `demo file ${file.file} does not match its manifest entry; run scripts/generateDemoFiles.ts`,
      );
    }
    bytes.set(file.file, data);
  }
  return { manifest, bytes };
}

function papersOf(manifest: DemoManifest, providerKey: string) {
  const files = manifest.files.filter(
    (file): file is DemoLicenceFile | DemoCertificateFile =>
      file.kind !== 'homework_screenshot' && file.institutionKey === providerKey,
  );
  return {
    licences: files.filter((file): file is DemoLicenceFile => file.kind === 'business_licence'),
    certificates: files.filter(
      (file): file is DemoCertificateFile => file.kind === 'mentor_certificate',
    ),
  };
}

function bytesOf(papers: DemoPapers, file: DemoFile): Uint8Array {
  const bytes = papers.bytes.get(file.file);
  if (bytes === undefined) {
    throw new Error(`demo file ${file.file} was not loaded`);
  }
  return bytes;
}

// ── Batched inserts ─────────────────────────────────────────────────────────────────────────

interface Column {
  readonly name: string;
  /** A cast for the parameter, e.g. `jsonb` or `text[]`. */
  readonly cast?: string;
}

/** Columns from `name name:cast …`, e.g. `id revision_id:uuid document:jsonb`. */
const cols = (spec: string): Column[] =>
  spec
    .trim()
    .split(/\s+/)
    .map((part) => {
      const [name = part, cast] = part.split(':');
      return cast === undefined ? { name } : { name, cast };
    });

/**
 * Inserts `rows` (values in `columns` order) with multi-row INSERTs. For mirrored tables
 * (`versioned`), each statement takes the next space version and writes it as `row_version`.
 */
async function insertRows(
  tx: Queryable,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
  versioned: boolean,
): Promise<void> {
  const perStatement = Math.max(
    1,
    Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / (columns.length + 1))),
  );
  const names = [...columns.map((column) => column.name), ...(versioned ? ['row_version'] : [])];
  for (let start = 0; start < rows.length; start += perStatement) {
    const batch = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    const tuples = batch.map((row) => {
      const placeholders = columns.map((column, index) => {
        params.push(row[index]);
        const placeholder = `$${params.length}`;
        return column.cast === undefined ? placeholder : `${placeholder}::${column.cast}`;
      });
      return placeholders;
    });
    if (versioned) {
      params.push(await nextSpaceVersion(tx));
      const version = `$${params.length}`;
      for (const tuple of tuples) {
        tuple.push(version);
      }
    }
    await tx.query(
      `INSERT INTO ${table} (${names.join(', ')}) VALUES ${tuples
        .map((tuple) => `(${tuple.join(', ')})`)
        .join(', ')}`,
      params,
    );
  }
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();
const isoOrNull = (epochMs: number | null): string | null =>
  epochMs === null ? null : iso(epochMs);
/** A PostgreSQL array literal of simple identifiers (stages are enum values). */
const textArray = (values: readonly string[]): string => `{${values.join(',')}}`;

const REVIEW_ITEM_COLUMNS = cols(
  `id kind subject_id revision_id:uuid state priority:int due_at:timestamptz
    assignee_id:uuid supersedes_item_id:uuid title created_at:timestamptz
    updated_at:timestamptz`,
);
const reviewItemRow = (item: PlannedReviewItem): unknown[] => [
  item.id,
  item.kind,
  item.subjectId,
  item.revisionId,
  item.state,
  item.priority,
  isoOrNull(item.dueAt),
  item.assigneeId,
  item.supersedesItemId,
  item.title,
  iso(item.createdAt),
  iso(item.updatedAt),
];

const DECISION_COLUMNS = cols(
  `id item_id revision_id:uuid kind outcome is_final:boolean reviewer_id
    reasons:jsonb note details:jsonb decided_at:timestamptz`,
);
const decisionRow = (decision: PlannedDecision): unknown[] => [
  decision.id,
  decision.itemId,
  decision.revisionId,
  decision.kind,
  decision.outcome,
  true,
  decision.reviewerId,
  JSON.stringify(decision.reasons),
  decision.note,
  JSON.stringify(decision.details),
  iso(decision.decidedAt),
];

const AUDIT_COLUMNS = cols(
  `id at:timestamptz actor_id:uuid subject_type subject_id item_id:uuid action
    from_state to_state reason details:jsonb`,
);
const auditRow = (event: PlannedAuditEvent): unknown[] => [
  event.id,
  iso(event.at),
  event.actorId,
  event.subjectType,
  event.subjectId,
  event.itemId,
  event.action,
  event.fromState,
  event.toState,
  event.reason,
  JSON.stringify(event.details),
];

// ── People ──────────────────────────────────────────────────────────────────────────────────

interface People {
  readonly created: string[];
  readonly userIds: ReadonlyMap<string, string>;
  readonly institutionIds: ReadonlyMap<string, string>;
  /** Verified mentor profile ids per provider key. */
  readonly verifiedMentors: ReadonlyMap<string, readonly string[]>;
}

function userId(people: People, username: string): string {
  const id = people.userIds.get(username);
  if (id === undefined) {
    throw new Error(`demo user ${username} is missing`);
  }
  return id;
}

async function seedPeople(tx: Queryable, password: string, now: number): Promise<People> {
  const since = now - 60 * DAY_MS;
  const institutionIds = new Map<string, string>();
  const institutionRows = DEMO_INSTITUTIONS.map((provider, index) => {
    const id = randomUUID();
    institutionIds.set(provider.key, id);
    return [id, provider.name, provider.kind, provider.creditCode, iso(since + index * DAY_MS)];
  });
  await insertRows(
    tx,
    'institutions',
    cols('id name kind credit_code created_at:timestamptz'),
    institutionRows,
    true,
  );

  const verifiedMentors = new Map<string, string[]>();
  const mentorRows = DEMO_MENTORS.map((mentor, index) => {
    const id = randomUUID();
    if (mentor.verified) {
      verifiedMentors.set(mentor.institutionKey, [
        ...(verifiedMentors.get(mentor.institutionKey) ?? []),
        id,
      ]);
    }
    return [
      id,
      institutionIds.get(mentor.institutionKey) ?? null,
      mentor.name,
      mentor.title,
      mentor.verified,
      iso(since + (index + 14) * DAY_MS),
    ];
  });
  await insertRows(
    tx,
    'mentor_profiles',
    cols('id institution_id:uuid name title verified:boolean created_at:timestamptz'),
    mentorRows,
    true,
  );

  const wanted = demoUsers().map((user) => ({
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    active: user.active,
    institutionId:
      user.institutionKey === null ? null : (institutionIds.get(user.institutionKey) ?? null),
  }));
  const userIds = new Map<string, string>();
  const created: string[] = [];
  for (const user of wanted) {
    const existing = await findUserByUsername(tx, user.username);
    if (existing !== null) {
      userIds.set(user.username, existing.id);
      continue;
    }
    userIds.set(user.username, await createUser(tx, { ...user, password }, since));
    created.push(user.username);
  }
  return { created, userIds, institutionIds, verifiedMentors };
}

// ── Listings ────────────────────────────────────────────────────────────────────────────────

interface StoredKeys {
  /** Storage key already written, by `<owner id>/<sha256>`. */
  readonly keys: Map<string, string>;
}

async function writeListings(
  ctx: SeedContext,
  plans: readonly ListingPlan[],
  firstIndex: number,
  papers: DemoPapers,
  stored: StoredKeys,
): Promise<void> {
  // Bytes first: storage is not transactional, and a stored object nobody references is harmless.
  const fileRows: unknown[][] = [];
  for (const [offset, plan] of plans.entries()) {
    for (const file of plan.files) {
      const reuseKey = `${plan.institutionId}/${file.source.sha256}`;
      let key = firstIndex + offset >= FULLY_STORED_ITEMS ? stored.keys.get(reuseKey) : undefined;
      if (key === undefined) {
        key = credentialFileKey(plan.institutionId, plan.id, file.source.sha256);
        await ctx.storage.put(key, bytesOf(papers, file.source));
        if (!stored.keys.has(reuseKey)) {
          stored.keys.set(reuseKey, key);
        }
      }
      fileRows.push([
        file.id,
        plan.id,
        plan.institutionId,
        file.source.sha256,
        file.source.mimeType,
        file.source.sizeBytes,
        file.fileName,
        key,
        file.uploadedBy,
        iso(file.createdAt),
      ]);
    }
  }

  await ctx.db.transaction(async (tx) => {
    await insertRows(
      tx,
      'listings',
      cols(
        `id institution_id owner_id state current_revision_id:uuid
          live_revision_id:uuid name country offline_reason created_at:timestamptz
          updated_at:timestamptz`,
      ),
      plans.map((plan) => [
        plan.id,
        plan.institutionId,
        plan.ownerId,
        plan.state,
        plan.currentRevisionId,
        plan.liveRevisionId,
        plan.name,
        plan.country,
        plan.offlineReason,
        iso(plan.createdAt),
        iso(plan.updatedAt),
      ]),
      true,
    );
    await insertRows(
      tx,
      'listing_revisions',
      cols(
        `id listing_id number:int state document:jsonb name country stages:text[]
          provider_name created_by created_at:timestamptz updated_at:timestamptz
          submitted_at:timestamptz decided_at:timestamptz`,
      ),
      plans.flatMap((plan) =>
        plan.revisions.map((revision) => [
          revision.id,
          plan.id,
          revision.number,
          revision.state,
          JSON.stringify(revision.document),
          revision.document.basic.name,
          revision.document.basic.country,
          textArray(revision.document.basic.stages),
          revision.document.provider.name,
          revision.createdBy,
          iso(revision.createdAt),
          iso(revision.updatedAt),
          isoOrNull(revision.submittedAt),
          isoOrNull(revision.decidedAt),
        ]),
      ),
      true,
    );
    await insertRows(
      tx,
      'credential_files',
      cols(
        `id listing_id institution_id sha256 mime_type size_bytes:bigint original_name
          storage_key uploaded_by created_at:timestamptz`,
      ),
      fileRows,
      true,
    );
    await insertRows(
      tx,
      'review_items',
      REVIEW_ITEM_COLUMNS,
      plans.flatMap((plan) => plan.items.map(reviewItemRow)),
      true,
    );
    await insertRows(
      tx,
      'claims',
      cols(
        `id item_id reviewer_id claimed_at:timestamptz expires_at:timestamptz
          released_at:timestamptz release_reason assigned_by:uuid`,
      ),
      plans.flatMap((plan) =>
        plan.claims.map((claim) => [
          claim.id,
          claim.itemId,
          claim.reviewerId,
          iso(claim.claimedAt),
          iso(claim.expiresAt),
          isoOrNull(claim.releasedAt),
          claim.releaseReason,
          claim.assignedBy,
        ]),
      ),
      false,
    );
    await insertRows(
      tx,
      'decisions',
      DECISION_COLUMNS,
      plans.flatMap((plan) => plan.decisions.map(decisionRow)),
      true,
    );
    await insertRows(
      tx,
      'field_comments',
      cols(
        `id item_id revision_id:uuid decision_id:uuid author_id path reason_code text
          created_at:timestamptz`,
      ),
      plans.flatMap((plan) =>
        plan.comments.map((comment) => [
          comment.id,
          comment.itemId,
          comment.revisionId,
          comment.decisionId,
          comment.authorId,
          comment.path,
          comment.reasonCode,
          comment.text,
          iso(comment.createdAt),
        ]),
      ),
      true,
    );
    await insertRows(
      tx,
      'audit_events',
      AUDIT_COLUMNS,
      plans.flatMap((plan) => plan.audit.map(auditRow)),
      true,
    );
  });
}

function planListings(
  specsFrom: number,
  specs: ReturnType<typeof listingCatalogue>,
  context: {
    people: People;
    papers: DemoPapers;
    now: number;
    leaseMs: number;
    rng: Rng;
  },
): ListingPlan[] {
  const { people, papers, now, leaseMs, rng } = context;
  const reviewers: [string, string] = [userId(people, 'reviewer1'), userId(people, 'reviewer2')];
  return specs.map((spec, index) => {
    const provider = demoInstitution(spec.providerKey);
    const { licences, certificates } = papersOf(papers.manifest, provider.key);
    const jpeg = licences.find((file) => file.mimeType === 'image/jpeg');
    const pdf = licences.find((file) => file.mimeType === 'application/pdf');
    // Alternate scans and PDFs so both kinds of papers show up in the queue.
    const licence = pdf !== undefined && (specsFrom + index) % 2 === 1 ? pdf : jpeg;
    const paperList =
      provider.kind === 'institution' ? (licence === undefined ? [] : [licence]) : certificates;
    return planListing({
      story: spec.story,
      provider,
      institutionId: must(people.institutionIds.get(provider.key), provider.key),
      product: demoProduct(spec.productKey),
      people: {
        ownerId: userId(people, provider.submitter.username),
        reviewerIds: reviewers,
        opsId: userId(people, 'ops1'),
        assistantId: userId(people, 'assistant1'),
      },
      mentorIds: (people.verifiedMentors.get(provider.key) ?? []).slice(0, 2),
      papers: paperList,
      rejections: spec.rejections,
      draftProgress: spec.draftProgress,
      nameSuffix: spec.nameSuffix,
      priceFactor: spec.priceFactor,
      now,
      leaseMs,
      rng,
      newId: randomUUID,
    });
  });
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`demo seed: missing ${what}`);
  }
  return value;
}

// ── Homework, refunds, commissions ──────────────────────────────────────────────────────────

const SCREENSHOT_NAMES: Readonly<Record<string, string>> = {
  'wechat-article': '公众号文章截图.png',
  'wechat-dashboard': '公众号后台数据.png',
  'xhs-note': '小红书笔记截图.png',
};

/** The demo screenshots of the manifest, by key. */
function screenshotFiles(papers: DemoPapers): Map<string, DemoScreenshotFile> {
  const screenshots = new Map<string, DemoScreenshotFile>();
  for (const file of papers.manifest.files) {
    if (file.kind === 'homework_screenshot') {
      screenshots.set(file.key, file);
    }
  }
  return screenshots;
}

const workOf = (plan: HomeworkPlan): PlannedWork => ({
  articleUrl: plan.articleUrl,
  articleText: plan.articleText,
  reflection: plan.reflection,
  screenshots: plan.screenshots,
});

/** The screenshots' SHA-256, in the order the student attached them. */
function screenshotShas(
  screenshots: ReadonlyMap<string, DemoScreenshotFile>,
  work: PlannedWork,
): string[] {
  return work.screenshots.flatMap((key) => {
    const file = screenshots.get(key);
    return file === undefined ? [] : [file.sha256];
  });
}

/** The evidence digest the server computes on intake (homework/evidence.ts), for demo work. */
function demoEvidenceDigest(
  screenshots: ReadonlyMap<string, DemoScreenshotFile>,
  work: PlannedWork,
): string {
  return evidenceDigest({ ...work, screenshots: screenshotShas(screenshots, work) });
}

function evidenceRow(
  submissionId: string,
  version: number,
  work: PlannedWork,
  screenshots: ReadonlyMap<string, DemoScreenshotFile>,
  capturedAt: number,
): unknown[] {
  const shas = screenshotShas(screenshots, work);
  return [
    randomUUID(),
    submissionId,
    version,
    work.articleUrl,
    work.articleText,
    work.reflection,
    JSON.stringify(shas),
    evidenceDigest({ ...work, screenshots: shas }),
    iso(capturedAt),
  ];
}

/** What the course part of the demo consists of (homeworkContent.ts). */
interface CoursePlan {
  readonly roster: readonly DemoStudent[];
  readonly rubrics: readonly DemoRubric[];
  readonly bank: readonly DemoBankComment[];
  readonly homework: HomeworkPlanning;
}

/** The contact note of the first follow-up student: the TA already wrote to them. */
const DEMO_CONTACT_NOTE = '已私信提醒补交第 1 章作业，学员说这周末完成。';

async function writeCourseOperations(
  ctx: SeedContext,
  input: {
    course: CoursePlan;
    refunds: readonly RefundPlan[];
    papers: DemoPapers;
    now: number;
    marker: string;
    taId: string;
    opsId: string;
    network: DemoCourseNetwork;
  },
): Promise<void> {
  const { course } = input;
  const homework = course.homework.submissions;
  const screenshots = screenshotFiles(input.papers);
  const storedBySha = new Map<string, string>();
  const fileRows: unknown[][] = [];
  const screenshotIds = new Map<string, string[]>();
  for (const [index, plan] of homework.entries()) {
    const ids: string[] = [];
    for (const key of plan.screenshots) {
      const file = screenshots.get(key);
      if (file === undefined) {
        continue;
      }
      let storageKey = index >= FULLY_STORED_ITEMS ? storedBySha.get(file.sha256) : undefined;
      if (storageKey === undefined) {
        storageKey = homeworkFileKey(plan.id, file.sha256);
        await ctx.storage.put(storageKey, bytesOf(input.papers, file));
        if (!storedBySha.has(file.sha256)) {
          storedBySha.set(file.sha256, storageKey);
        }
      }
      const id = randomUUID();
      ids.push(id);
      fileRows.push([
        id,
        plan.id,
        file.sha256,
        file.mimeType,
        file.sizeBytes,
        SCREENSHOT_NAMES[key] ?? `${key}.png`,
        storageKey,
        iso(plan.submittedAt),
      ]);
    }
    screenshotIds.set(plan.id, ids);
  }
  // Evidence: version 1 as submitted; a second version where the student edited after the grade.
  const evidenceRows: unknown[][] = [];
  const evidence = new Map<string, { sha256: string; version: number; submitted: string }>();
  for (const plan of homework) {
    const submitted = workOf(plan);
    const first = demoEvidenceDigest(screenshots, submitted);
    evidenceRows.push(evidenceRow(plan.id, 1, submitted, screenshots, plan.submittedAt));
    let current = { sha256: first, version: 1, submitted: first };
    if (plan.update !== null) {
      const edited = { ...submitted, articleText: plan.update.articleText };
      evidenceRows.push(evidenceRow(plan.id, 2, edited, screenshots, plan.update.at));
      current = { sha256: demoEvidenceDigest(screenshots, edited), version: 2, submitted: first };
    }
    evidence.set(plan.id, current);
  }
  const followUp = new Set(
    followUpStudents(course.roster, course.homework.progress, input.now).map((s) => s.studentId),
  );
  const contacted = course.roster.find((student) => followUp.has(student.studentId));
  await ctx.db.transaction(async (tx) => {
    await insertRows(
      tx,
      'homework_submissions',
      cols(
        `id student_id student_name chapter article_url reflection
          screenshots:jsonb state score:int ta_feedback ta_id:uuid mentor_id:uuid
          excellent:boolean mentor_comment submitted_at:timestamptz
          ta_due_at:timestamptz ta_decided_at:timestamptz mentor_reviewed_at:timestamptz
          archived_at:timestamptz updated_at:timestamptz article_text evidence_sha256
          evidence_version:int criterion_scores:jsonb graded_evidence_sha256
          duplicate_flags:jsonb`,
      ),
      homework.map((plan) => [
        plan.id,
        plan.studentId,
        plan.studentName,
        plan.chapter,
        plan.articleUrl,
        plan.reflection,
        // The ids of the submission's homework_files rows.
        JSON.stringify(screenshotIds.get(plan.id) ?? []),
        plan.state,
        plan.score,
        plan.taFeedback,
        plan.taId,
        plan.mentorId,
        plan.excellent,
        plan.mentorComment,
        iso(plan.submittedAt),
        iso(plan.taDueAt),
        isoOrNull(plan.taDecidedAt),
        isoOrNull(plan.mentorReviewedAt),
        isoOrNull(plan.archivedAt),
        iso(plan.updatedAt),
        plan.update?.articleText ?? plan.articleText,
        evidence.get(plan.id)?.sha256 ?? null,
        evidence.get(plan.id)?.version ?? 1,
        plan.criterionScores === null ? null : JSON.stringify(plan.criterionScores),
        plan.taDecidedAt === null ? null : (evidence.get(plan.id)?.submitted ?? null),
        '[]',
      ]),
      true,
    );
    await insertRows(
      tx,
      'homework_evidence',
      cols(
        `id submission_id version:int article_url article_text reflection screenshots:jsonb
          sha256 captured_at:timestamptz`,
      ),
      evidenceRows,
      true,
    );
    await insertRows(
      tx,
      'students',
      cols(
        `id student_id name cohort language joined_at:timestamptz progress_percent:numeric
          purchased_at:timestamptz contacted_at:timestamptz contacted_by:uuid contact_note
          updated_at:timestamptz`,
      ),
      course.roster.map((student) => {
        const isContacted = student.studentId === contacted?.studentId;
        const contactedAt = input.now - DAY_MS;
        return [
          randomUUID(),
          student.studentId,
          student.name,
          student.cohort,
          student.language,
          iso(student.joinedAt),
          course.homework.progress.get(student.studentId) ?? '0',
          iso(student.purchasedAt),
          isContacted ? iso(contactedAt) : null,
          isContacted ? input.taId : null,
          isContacted ? DEMO_CONTACT_NOTE : null,
          iso(isContacted ? contactedAt : student.joinedAt),
        ];
      }),
      true,
    );
    await insertRows(
      tx,
      'rubrics',
      cols('id chapter title max_score:int criteria:jsonb updated_by:uuid updated_at:timestamptz'),
      course.rubrics.map((rubric) => [
        rubric.id,
        rubric.chapter,
        rubric.title,
        rubric.maxScore,
        JSON.stringify(rubric.criteria),
        input.opsId,
        iso(input.now - 60 * DAY_MS),
      ]),
      true,
    );
    await insertRows(
      tx,
      'comment_bank',
      cols(
        `id chapter language text use_count:int created_by:uuid created_at:timestamptz
          updated_at:timestamptz`,
      ),
      course.bank.map((entry) => [
        entry.id,
        entry.chapter,
        entry.language,
        entry.text,
        entry.useCount,
        input.opsId,
        iso(input.now - 60 * DAY_MS),
        iso(input.now - 60 * DAY_MS),
      ]),
      true,
    );
    await insertRows(
      tx,
      'student_records',
      cols(
        `id submission_id:uuid student_id student_name chapter score:int excellent:boolean
          mentor_comment ta_id:uuid mentor_id:uuid archived_at:timestamptz`,
      ),
      course.homework.records.map((record) => [
        record.id,
        record.submissionId,
        record.studentId,
        record.studentName,
        record.chapter,
        record.score,
        record.excellent,
        record.mentorComment,
        record.taId,
        record.mentorId,
        iso(record.archivedAt),
      ]),
      true,
    );
    await insertRows(
      tx,
      'homework_files',
      cols(
        `id submission_id sha256 mime_type size_bytes:bigint original_name storage_key
          created_at:timestamptz`,
      ),
      fileRows,
      false,
    );
    await insertRows(
      tx,
      'refund_requests',
      cols(
        `id student_id student_name order_id amount:numeric currency
          purchased_at:timestamptz requested_at:timestamptz progress_percent:numeric
          eligible:boolean ineligibility_reasons:jsonb state decided_by:uuid
          decided_at:timestamptz refund_due_by:date updated_at:timestamptz`,
      ),
      input.refunds.map((plan) => [
        plan.id,
        plan.studentId,
        plan.studentName,
        plan.orderId,
        plan.amount,
        plan.currency,
        iso(plan.purchasedAt),
        iso(plan.requestedAt),
        plan.progressPercent,
        plan.eligible,
        JSON.stringify(plan.ineligibilityReasons),
        plan.state,
        plan.decidedBy,
        isoOrNull(plan.decidedAt),
        plan.refundDueBy,
        iso(plan.updatedAt),
      ]),
      true,
    );
    const all = [...homework, ...input.refunds];
    await insertRows(
      tx,
      'review_items',
      REVIEW_ITEM_COLUMNS,
      all.flatMap((plan) => plan.items.map(reviewItemRow)),
      true,
    );
    await insertRows(
      tx,
      'decisions',
      DECISION_COLUMNS,
      all.flatMap((plan) => plan.decisions.map(decisionRow)),
      true,
    );
    await insertRows(
      tx,
      'audit_events',
      AUDIT_COLUMNS,
      all.flatMap((plan) => plan.audit.map(auditRow)),
      true,
    );
    await insertRows(
      tx,
      'commission_records',
      cols(
        `id order_id buyer_id member_id level:int rate:numeric amount:numeric
          settle_on:date created_at:timestamptz`,
      ),
      planCommissions({ now: input.now, newId: randomUUID }).map((row) => [
        row.id,
        row.orderId,
        row.buyerId,
        row.memberId,
        row.level,
        row.rate,
        row.amount,
        row.settleOn,
        iso(row.createdAt),
      ]),
      false,
    );
    // The course platform's members and orders, which the monthly commission runs settle.
    const sentAt = iso(input.now - DAY_MS);
    await insertRows(
      tx,
      'course_members',
      cols('id name paying:boolean referrer_id updated_at:timestamptz'),
      input.network.members.map((member) => [
        member.id,
        member.name,
        member.paying,
        member.referrerId,
        sentAt,
      ]),
      false,
    );
    await insertRows(
      tx,
      'course_orders',
      cols(
        'id buyer_id amount:numeric refunded:numeric paid_at:timestamptz updated_at:timestamptz',
      ),
      input.network.orders.map((order) => [
        order.id,
        order.buyerId,
        order.amount,
        order.refunded,
        iso(order.paidAt),
        sentAt,
      ]),
      false,
    );
    await tx.query(
      `INSERT INTO server_meta (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [DEMO_SEEDED_KEY, input.marker],
    );
  });
}

// ── Entry point ─────────────────────────────────────────────────────────────────────────────

function count(value: number | undefined, fallback: number, name: string): number {
  const result = value ?? fallback;
  if (!Number.isSafeInteger(result) || result < 0) {
    throw new RangeError(`${name} must be a whole number ≥ 0, got ${String(value)}`);
  }
  return result;
}

/**
 * Loads the demo data: institutions and tutors, the demo users (all with `options.password`),
 * listings in every state with their revisions, review items, claims, decisions, comments, audit
 * trail and papers, homework, refunds and commissions.
 *
 * Refuses (DemoSeedRefusedError) when the database already has users or was seeded before,
 * unless `options.force`. Not atomic as a whole: people, each batch of listings, and course
 * operations are separate transactions (so 50 000 listings do not make one giant transaction);
 * `demo_seeded` is written last, by the final transaction.
 */
/** Minutes of focused work a demo decision took, by review kind: [shortest, longest]. */
const DEMO_WORK_MINUTES: Readonly<Record<string, readonly [number, number]>> = {
  listing_revision: [4, 40],
  homework: [3, 18],
  // A mentor's Friday review of an excellent piece: reading it, then a short note.
  homework_mentor: [2, 12],
  refund: [2, 10],
};

/**
 * The time actually worked on each decided demo item (what the workstation records while an
 * item is focused), so the ops console's throughput against actual hours and its time-per-item
 * distribution have something to show: one entry per final decision, ending when it was
 * decided, most of them short and a few long (the square of a uniform draw).
 */
async function writeTimeEntries(ctx: SeedContext, rng: () => number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const decided = await tx.query<{
      item_id: string;
      reviewer_id: string;
      kind: string;
      decided_at: string;
    }>(
      `SELECT d.item_id, d.reviewer_id, i.kind, d.decided_at
         FROM decisions d JOIN review_items i ON i.id = d.item_id
        WHERE d.is_final ORDER BY d.decided_at, d.item_id`,
    );
    const rows = decided.map((decision) => {
      const [shortest, longest] = DEMO_WORK_MINUTES[decision.kind] ?? [3, 20];
      const seconds = Math.round(60 * (shortest + (longest - shortest) * rng() ** 2));
      const endedAt = Date.parse(decision.decided_at);
      return [
        randomUUID(),
        decision.item_id,
        decision.reviewer_id,
        iso(endedAt - seconds * 1000),
        seconds,
        iso(endedAt),
      ];
    });
    await insertRows(
      tx,
      'time_entries',
      cols('id item_id user_id started_at:timestamptz seconds:int recorded_at:timestamptz'),
      rows,
      true,
    );
  });
}

export async function seedDemoData(ctx: SeedContext, options: SeedOptions): Promise<SeedResult> {
  const listingCount = count(options.listings, DEFAULT_DEMO_LISTINGS, 'listings');
  const homeworkCount = count(options.homework, DEFAULT_DEMO_HOMEWORK, 'homework');
  const refundCount = count(options.refunds, DEFAULT_DEMO_REFUNDS, 'refunds');
  if (options.password.length < 8) {
    throw new RangeError('the demo password must have at least 8 characters');
  }
  const now = options.now ?? ctx.clock.now();
  const leaseMs = ctx.config?.leaseMs ?? 4 * 60 * 60 * 1000;
  const { db } = ctx;
  if (options.force !== true) {
    if (await isDemoSeeded(db)) {
      throw new DemoSeedRefusedError(
        'demo data was already loaded into this database; seeding again would duplicate it',
      );
    }
    if (!(await isDatabaseEmpty(db))) {
      throw new DemoSeedRefusedError(
        'the database already has users; demo data is only loaded into an empty database',
      );
    }
  }
  const papers = await loadDemoPapers(options.demoDir);
  // One stream per kind of content, so that more listings do not change the homework.
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const rng = mulberry32(seed);

  const people = await db.transaction((tx) => seedPeople(tx, options.password, now));

  const specs = listingCatalogue(listingCount, rng);
  const stored: StoredKeys = { keys: new Map() };
  for (let start = 0; start < specs.length; start += LISTINGS_PER_TRANSACTION) {
    const slice = specs.slice(start, start + LISTINGS_PER_TRANSACTION);
    const plans = planListings(start, slice, { people, papers, now, leaseMs, rng });
    await writeListings(ctx, plans, start, papers, stored);
    options.onProgress?.(start + slice.length, specs.length);
  }

  const roster = planRoster(now, mulberry32(seed + 3));
  const rubrics = planRubrics(randomUUID);
  const screenshots = screenshotFiles(papers);
  const homework = planHomework({
    count: homeworkCount,
    now,
    rng: mulberry32(seed + 1),
    newId: randomUUID,
    taId: userId(people, 'ta1'),
    mentorId: userId(people, 'mentor1'),
    roster,
    rubrics,
    digestOf: (work) => demoEvidenceDigest(screenshots, work),
  });
  const refunds = planRefunds({
    count: refundCount,
    now,
    rng: mulberry32(seed + 2),
    newId: randomUUID,
    opsId: userId(people, 'ops1'),
  });
  await writeCourseOperations(ctx, {
    course: {
      roster,
      rubrics,
      bank: planCommentBank(mulberry32(seed + 4), randomUUID),
      homework,
    },
    refunds,
    papers,
    now,
    taId: userId(people, 'ta1'),
    opsId: userId(people, 'ops1'),
    network: planCourseNetwork({ now, rng: mulberry32(seed + 6) }),
    marker: JSON.stringify({
      at: iso(now),
      listings: listingCount,
      homework: homeworkCount,
      refunds: refundCount,
      // The planted near-duplicates (homeworkContent.ts), for the checks that look for them.
      nearDuplicates: homework.nearDuplicates,
    }),
  });
  await writeTimeEntries(ctx, mulberry32(seed + 5));
  await writeDemoActuals(db, people.userIds, now, mulberry32(seed + 7));
  await writeDemoEscalations(db, { id: userId(people, 'ops1'), username: 'ops1' }, now);
  ctx.hints?.notify(await currentSpaceVersion(db));
  return {
    users: people.created,
    listings: listingCount,
    homework: homeworkCount,
    refunds: refundCount,
  };
}
