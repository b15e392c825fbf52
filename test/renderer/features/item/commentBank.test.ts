import { describe, expect, it } from 'vitest';
import { REVIEW_REASON_CODES } from '#shared/domain/review/reasons';
import {
  COMMENT_BANK,
  findTemplate,
  patternMatches,
  templatesFor,
} from '../../../../renderer/src/features/item/commentBank';
import { listingAnchors } from '../../../../renderer/src/features/item/fields';

describe('the comment bank', () => {
  it('has unique ids, a known reason and text in both languages for every template', () => {
    const ids = COMMENT_BANK.map((template) => template.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const template of COMMENT_BANK) {
      expect(REVIEW_REASON_CODES).toContain(template.reasonCode);
      expect(template.text['zh-CN'].trim(), template.id).not.toBe('');
      expect(template.text.en.trim(), template.id).not.toBe('');
      expect(template.title['zh-CN'].trim(), template.id).not.toBe('');
      expect(template.title.en.trim(), template.id).not.toBe('');
    }
  });

  it('only suggests templates for fields the listing view has', () => {
    const doc = {
      highlights: { advantages: [1], mentors: [{}], successCases: [{}] },
      packages: { items: [{}] },
      process: { timeline: [{}] },
      requirements: { items: [{}] },
      credentials: { files: [{}] },
    };
    const anchors = listingAnchors(doc).map((anchor) => anchor.path);
    for (const template of COMMENT_BANK) {
      for (const pattern of template.paths) {
        expect(
          anchors.some((path) => patternMatches(pattern, path)),
          `${template.id}: ${pattern}`,
        ).toBe(true);
      }
    }
  });

  it('matches patterns segment by segment, `*` standing for one segment', () => {
    expect(patternMatches('/credentials/files/*', '/credentials/files/3')).toBe(true);
    expect(patternMatches('/credentials/files/*', '/credentials/files')).toBe(false);
    expect(patternMatches('/credentials/files/*', '/credentials/files/3/name')).toBe(false);
    expect(patternMatches('/basic/name', '/basic/name')).toBe(true);
    expect(patternMatches('/basic/name', '/basic/names')).toBe(false);
    expect(patternMatches('not a pointer', 'not a pointer')).toBe(false);
  });

  it('suggests the templates for a field first and keeps the rest', () => {
    const { suggested, others } = templatesFor('/credentials/files/0');
    expect(suggested.length).toBeGreaterThan(0);
    expect(suggested.length + others.length).toBe(COMMENT_BANK.length);
    for (const template of suggested) {
      expect(
        template.paths.some((pattern) => patternMatches(pattern, '/credentials/files/0')),
      ).toBe(true);
    }
    expect(findTemplate(suggested[0]?.id ?? '')).toBe(suggested[0]);
    expect(findTemplate('no-such-template')).toBeUndefined();
  });
});
