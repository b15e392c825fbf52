import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateListing } from '#shared/domain/listing/validate';
import { refundEligibility } from '#shared/domain/refund';
import { shanghaiDate } from '#shared/domain/time';
import { checkUscc } from '#shared/domain/uscc';
import {
  buildListingDocument,
  DEMO_INSTITUTIONS,
  DEMO_MENTORS,
  DEMO_SCREENSHOTS,
  demoInstitution,
  demoProduct,
  draftOf,
  isInGoodStanding,
  LISTING_STORIES,
  listingCatalogue,
  mulberry32,
  planCommissions,
  planListing,
  planRefunds,
  PRODUCTS,
  REJECTION_SCENARIOS,
  type DemoCertificateFile,
  type DemoLicenceFile,
  type DemoManifest,
  type ListingPlan,
  type ListingSpec,
} from '../../../server/src/demo/content';

const NOW = Date.parse('2026-11-21T01:00:00.000Z');
const HOUR = 3_600_000;

const manifest = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../../resources/demo/manifest.json', import.meta.url)),
    'utf8',
  ),
) as DemoManifest;

const people = {
  ownerId: randomUUID(),
  reviewerIds: [randomUUID(), randomUUID()] as const,
  opsId: randomUUID(),
  assistantId: randomUUID(),
};

/** Stand-in ids of the verified mentor profiles of each provider. */
const mentorIds = new Map(
  DEMO_INSTITUTIONS.map((provider) => [
    provider.key,
    DEMO_MENTORS.filter((mentor) => mentor.institutionKey === provider.key && mentor.verified).map(
      () => randomUUID(),
    ),
  ]),
);
const verifiedMentorIds = new Set([...mentorIds.values()].flat());

function papersOf(providerKey: string, pdf: boolean): (DemoLicenceFile | DemoCertificateFile)[] {
  const mine = manifest.files.filter(
    (file): file is DemoLicenceFile | DemoCertificateFile =>
      file.kind !== 'homework_screenshot' && file.institutionKey === providerKey,
  );
  const licence =
    mine.find(
      (file) => file.kind === 'business_licence' && (file.mimeType === 'application/pdf') === pdf,
    ) ?? mine.find((file) => file.kind === 'business_licence');
  const certificates = mine.filter((file) => file.kind === 'mentor_certificate');
  return licence === undefined ? certificates : [licence];
}

function plan(spec: ListingSpec, index: number, seed = 7): ListingPlan {
  return planListing({
    story: spec.story,
    provider: demoInstitution(spec.providerKey),
    institutionId: randomUUID(),
    product: demoProduct(spec.productKey),
    people,
    mentorIds: mentorIds.get(spec.providerKey) ?? [],
    papers: papersOf(spec.providerKey, index % 2 === 1),
    rejections: spec.rejections,
    draftProgress: spec.draftProgress,
    nameSuffix: spec.nameSuffix,
    priceFactor: spec.priceFactor,
    now: NOW,
    leaseMs: 4 * HOUR,
    rng: mulberry32(seed + index),
    newId: randomUUID,
  });
}

const catalogue = listingCatalogue(400, mulberry32(11));
const plans = catalogue.map((spec, index) => plan(spec, index));

/** Resolves an RFC 6901 pointer in a JSON value; undefined when it does not exist. */
function resolvePointer(value: unknown, pointer: string): unknown {
  let current = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      current = current[Number(key)];
    } else if (typeof current === 'object' && current !== null) {
      current = (current as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
  }
  return current;
}

describe('demo papers (resources/demo/manifest.json)', () => {
  const licences = manifest.files.filter((file) => file.kind === 'business_licence');

  it('declares credit codes whose validity checkUscc confirms', () => {
    expect(licences.length).toBeGreaterThanOrEqual(4);
    for (const licence of licences) {
      const check = checkUscc(licence.creditCode);
      expect(check.valid, licence.file).toBe(licence.creditCodeValid);
      if (!licence.creditCodeValid) {
        expect(check.reason).toBe('checksum');
      }
    }
  });

  it('covers valid and invalid codes with current and expired terms, as JPEG and PDF', () => {
    const scenarios = new Set(licences.map((licence) => licence.scenario));
    expect([...scenarios].sort()).toEqual([
      'invalid_code_current_term',
      'invalid_code_expired_term',
      'valid_code_current_term',
      'valid_code_expired_term',
      'valid_code_long_term',
    ]);
    for (const scenario of scenarios) {
      const types = licences.filter((l) => l.scenario === scenario).map((l) => l.mimeType);
      expect(types, scenario).toContain('image/jpeg');
      expect(types, scenario).toContain('application/pdf');
    }
    expect(licences.some((licence) => licence.validUntil === null)).toBe(true);
  });

  it('matches the institutions the seed creates', () => {
    for (const licence of licences) {
      const provider = demoInstitution(licence.institutionKey);
      expect(licence.name).toBe(provider.name);
      expect(licence.creditCode).toBe(provider.creditCode);
      expect(licence.validUntil).toBe(provider.licence?.validUntil);
    }
    const companies = DEMO_INSTITUTIONS.filter((provider) => provider.kind === 'institution');
    expect(companies.length).toBeGreaterThanOrEqual(12);
    expect(companies.filter((provider) => !provider.creditCodeValid)).toHaveLength(2);
    for (const company of companies) {
      expect(checkUscc(company.creditCode ?? '').valid).toBe(company.creditCodeValid);
      expect(licences.some((licence) => licence.institutionKey === company.key)).toBe(true);
    }
  });

  it('has tutor certificates and homework screenshots, every file below 300 KB', () => {
    expect(manifest.files.filter((file) => file.kind === 'mentor_certificate')).toHaveLength(2);
    expect(manifest.files.filter((file) => file.kind === 'homework_screenshot')).toHaveLength(
      DEMO_SCREENSHOTS.length,
    );
    for (const file of manifest.files) {
      expect(file.sizeBytes, file.file).toBeLessThan(300 * 1024);
      expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

describe('listing documents', () => {
  it('are valid for every product, institution papers or tutor papers alike', () => {
    for (const product of PRODUCTS) {
      const document = buildListingDocument({
        product,
        provider: { kind: 'institution', id: randomUUID(), name: '北京启明星途教育咨询有限公司' },
        mentorIds: [],
        files: [
          {
            id: 'file_1',
            kind: 'business_licence',
            fileName: '营业执照.jpg',
            mimeType: 'image/jpeg',
            sizeBytes: 1000,
            sha256: 'a'.repeat(64),
            validUntil: null,
          },
        ],
      });
      const issues = validateListing(document, { today: '2026-11-21' });
      expect(issues, product.key).toEqual([]);
    }
  });

  it('every submitted revision passes validateListing on its submission day', () => {
    let checked = 0;
    for (const listing of plans) {
      for (const revision of listing.revisions) {
        if (revision.submittedAt === null) {
          continue;
        }
        const issues = validateListing(revision.document, {
          today: shanghaiDate(revision.submittedAt),
          verifiedMentorIds,
        });
        expect(
          issues.filter((issue) => issue.severity === 'error'),
          `${listing.name} r${revision.number}`,
        ).toEqual([]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('drafts may be incomplete', () => {
    const document = buildListingDocument({
      product: demoProduct('jp_n2'),
      provider: { kind: 'tutor', id: randomUUID(), name: '王思琪' },
      mentorIds: [],
      files: [],
    });
    for (const progress of ['basic_only', 'no_credentials', 'unconfirmed'] as const) {
      const issues = validateListing(draftOf(document, progress), { today: '2026-11-21' });
      expect(
        issues.some((issue) => issue.severity === 'error'),
        progress,
      ).toBe(true);
    }
  });

  it('rejection comments point at fields that exist in the rejected revision', () => {
    const comments = plans.flatMap((listing) =>
      listing.comments.map((comment) => ({ listing, comment })),
    );
    expect(comments.length).toBeGreaterThan(20);
    for (const { listing, comment } of comments) {
      const revision = listing.revisions.find((candidate) => candidate.id === comment.revisionId);
      expect(revision?.state).toBe('rejected');
      expect(resolvePointer(revision?.document, comment.path), comment.path).toBeDefined();
    }
    const paths = new Set(comments.map(({ comment }) => comment.path));
    expect([...paths].some((path) => /^\/packages\/items\/\d\/price$/.test(path))).toBe(true);
    expect(paths.has('/credentials/files/0/validUntil')).toBe(true);
    expect(paths.has('/basic/introduction')).toBe(true);
  });

  it('every rejection scenario produces a comment on an existing field', () => {
    const provider = demoInstitution('boya');
    const document = buildListingDocument({
      product: demoProduct('uk_master_flagship'),
      provider: { kind: 'institution', id: randomUUID(), name: provider.name },
      mentorIds: [],
      files: [
        {
          id: 'file_1',
          kind: 'business_licence',
          fileName: '营业执照.jpg',
          mimeType: 'image/jpeg',
          sizeBytes: 1000,
          sha256: 'a'.repeat(64),
          validUntil: null,
        },
      ],
    });
    for (const scenario of REJECTION_SCENARIOS) {
      const flawed = scenario.flaw(document);
      const comments = scenario.comments(flawed, {
        ...provider,
        creditCodeValid: false,
      });
      expect(comments.length, scenario.key).toBeGreaterThan(0);
      for (const comment of comments) {
        expect(
          resolvePointer(flawed, comment.path),
          `${scenario.key} ${comment.path}`,
        ).toBeDefined();
      }
      if (scenario.fixable) {
        expect(
          validateListing(flawed, { today: '2026-11-21' }).filter((i) => i.severity === 'error'),
        ).toEqual([]);
      }
    }
  });
});

describe('listing stories', () => {
  it('cover every story and every listing state', () => {
    expect(new Set(catalogue.map((spec) => spec.story))).toEqual(new Set(LISTING_STORIES));
    expect(new Set(plans.map((listing) => listing.state))).toEqual(
      new Set(['draft', 'pending', 'in_review', 'rejected', 'live', 'offline']),
    );
  });

  it('the first 40 listings already show every state', () => {
    expect(new Set(plans.slice(0, 40).map((listing) => listing.state)).size).toBe(6);
  });

  it('generated listings only go to providers in good standing', () => {
    for (const spec of catalogue.slice(40)) {
      expect(isInGoodStanding(demoInstitution(spec.providerKey))).toBe(true);
    }
  });

  it('keep listing, revisions, items and claims consistent', () => {
    for (const listing of plans) {
      const numbers = listing.revisions.map((revision) => revision.number);
      expect(numbers).toEqual(numbers.map((_, index) => index + 1));
      const current = listing.revisions[listing.revisions.length - 1];
      expect(listing.currentRevisionId).toBe(current?.id);
      expect(listing.name).toBe(current?.document.basic.name);
      const live = listing.revisions.filter((revision) => revision.state === 'live');
      if (listing.state === 'live') {
        expect(live).toHaveLength(1);
        expect(listing.liveRevisionId).toBe(live[0]?.id);
      } else {
        expect(live).toHaveLength(0);
        expect(listing.liveRevisionId).toBeNull();
      }
      if (listing.state === 'offline') {
        expect(listing.offlineReason).not.toBeNull();
      }
      for (const item of listing.items) {
        const active = listing.claims.filter((c) => c.itemId === item.id && c.releasedAt === null);
        expect(active).toHaveLength(item.state === 'in_review' ? 1 : 0);
        for (const claim of active) {
          expect(claim.expiresAt).toBeGreaterThan(NOW);
          expect(claim.expiresAt - claim.claimedAt).toBe(4 * HOUR);
        }
        const decisions = listing.decisions.filter((d) => d.itemId === item.id);
        expect(decisions).toHaveLength(item.state === 'decided' ? 1 : 0);
        expect(item.dueAt).toBe(item.createdAt + 48 * HOUR);
      }
      for (const time of [
        ...listing.audit.map((event) => event.at),
        ...listing.revisions.map((revision) => revision.updatedAt),
      ]) {
        expect(time).toBeLessThanOrEqual(NOW);
      }
      const ordered = listing.audit.map((event) => event.at);
      expect(ordered).toEqual([...ordered].sort((a, b) => a - b));
    }
  });

  it('a live listing with an update under review keeps the old revision live', () => {
    const updating = plans.filter(
      (listing) => listing.state === 'live' && listing.liveRevisionId !== listing.currentRevisionId,
    );
    expect(updating.length).toBeGreaterThan(3);
    const flagship = plans[0];
    expect(flagship?.revisions.map((revision) => revision.state)).toEqual([
      'superseded',
      'live',
      'pending',
    ]);
  });

  it('resubmissions supersede the rejected item', () => {
    const resubmitted = plans.filter((listing) =>
      listing.items.some((item) => item.supersedesItemId !== null),
    );
    expect(resubmitted.length).toBeGreaterThan(0);
    for (const listing of resubmitted) {
      for (const item of listing.items.filter((candidate) => candidate.supersedesItemId !== null)) {
        const previous = listing.decisions.find((d) => d.itemId === item.supersedesItemId);
        expect(previous?.outcome).toBe('reject');
      }
    }
  });

  it('is deterministic for a seed, apart from ids', () => {
    expect(listingCatalogue(200, mulberry32(3))).toEqual(listingCatalogue(200, mulberry32(3)));
    const strip = (listing: ListingPlan) => ({
      state: listing.state,
      name: listing.name,
      times: listing.audit.map((event) => [event.action, event.at]),
    });
    expect(strip(plan(catalogue[0]!, 0, 5))).toEqual(strip(plan(catalogue[0]!, 0, 5)));
  });
});

describe('refunds and commissions', () => {
  it('refund eligibility is the system check of the SOP', () => {
    const refunds = planRefunds({
      count: 8,
      now: NOW,
      rng: mulberry32(4),
      newId: randomUUID,
      opsId: 'ops',
    });
    expect(refunds.some((refund) => refund.eligible)).toBe(true);
    expect(refunds.some((refund) => !refund.eligible)).toBe(true);
    expect(new Set(refunds.map((refund) => refund.state))).toEqual(
      new Set(['pending', 'approved', 'rejected']),
    );
    for (const refund of refunds) {
      const check = refundEligibility({
        purchasedAt: refund.purchasedAt,
        requestedAt: refund.requestedAt,
        progressPercent: refund.progressPercent,
      });
      expect(refund.eligible).toBe(check.eligible);
      expect(refund.ineligibilityReasons).toEqual(check.reasons);
      expect(refund.refundDueBy !== null).toBe(refund.state === 'approved');
      if (refund.state === 'approved') {
        expect(refund.eligible).toBe(true);
      }
    }
  });

  it('commissions follow the 20/15/10 split', () => {
    const rows = planCommissions({ now: NOW, newId: randomUUID });
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(new Set(rows.map((row) => row.rate))).toEqual(new Set(['0.20', '0.15', '0.10']));
    for (const row of rows) {
      expect(row.settleOn).toMatch(/^\d{4}-\d{2}-15$/);
    }
  });
});
