import { describe, expect, it } from 'vitest';
import { LISTING_STEPS } from '#shared/domain/listing/document';
import { DOCUMENT_LABEL, STEP_LABELS, fieldLabel } from '#shared/domain/listing/fieldLabels';
import type { PathSegment } from '#shared/domain/validationIssue';
import validFull from '../../../fixtures/listings/valid-full.json';

/** Every path in a JSON value, parents before children. */
function allPaths(value: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  const children: [PathSegment, unknown][] = Array.isArray(value)
    ? value.map((item: unknown, index) => [index, item])
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
      : [];
  return [prefix, ...children.flatMap(([key, child]) => allPaths(child, [...prefix, key]))];
}

describe('fieldLabel', () => {
  it.each([
    [[], '项目文档', 'Listing'],
    [['basic'], '基础信息', 'Basic info'],
    [['basic', 'name'], '项目名称', 'Project name'],
    [['basic', 'stages'], '适用阶段', 'Stages'],
    [['basic', 'stages', 0], '第 1 个适用阶段', 'Stage 1'],
    [['highlights', 'advantages', 5], '第 6 条核心优势', 'Advantage 6'],
    [
      ['highlights', 'mentors', 1, 'mentorId'],
      '第 2 位导师 › 导师资料',
      'Mentor 2 › Mentor profile',
    ],
    [['packages', 'items'], '套餐列表', 'Packages'],
    [['packages', 'items', 2], '第 3 个套餐', 'Package 3'],
    [
      ['packages', 'items', 2, 'price', 'min'],
      '第 3 个套餐 › 价格 › 最低价',
      'Package 3 › Price › Minimum',
    ],
    [
      ['packages', 'items', 0, 'serviceItems', 1],
      '第 1 个套餐 › 第 2 个服务项',
      'Package 1 › Service item 2',
    ],
    [
      ['packages', 'refundPolicy', 'customText'],
      '退费规则 › 自定义补充',
      'Refund policy › Custom terms',
    ],
    [
      ['process', 'timeline', 3, 'duration', 'unit'],
      '第 4 个时间轴节点 › 时长 › 单位',
      'Timeline node 4 › Duration › Unit',
    ],
    [
      ['requirements', 'items', 0, 'required'],
      '第 1 项条件 › 是否必须',
      'Requirement 1 › Mandatory',
    ],
    [['risk', 'confirmed'], '风险提示确认', 'Risk disclosure confirmation'],
    [
      ['credentials', 'files', 1, 'validUntil'],
      '第 2 个资质文件 › 有效期至',
      'Credential file 2 › Valid until',
    ],
    [['provider', 'name'], '提供方名称', 'Provider name'],
  ] as const)('labels %j', (path, zh, en) => {
    expect(fieldLabel(path)).toEqual({ 'zh-CN': zh, en });
  });

  it('reads numeric strings as list positions', () => {
    expect(fieldLabel(['packages', 'items', '2', 'name'])).toEqual({
      'zh-CN': '第 3 个套餐 › 名称',
      en: 'Package 3 › Name',
    });
  });

  it('shows keys the document does not define as they are, after their known parent', () => {
    expect(fieldLabel(['extra'])).toEqual({ 'zh-CN': 'extra', en: 'extra' });
    expect(fieldLabel(['basic', 'slogan'])).toEqual({
      'zh-CN': '基础信息 › slogan',
      en: 'Basic info › slogan',
    });
    expect(fieldLabel(['packages', 'items', 0, 'price', 'discount'])).toEqual({
      'zh-CN': '第 1 个套餐 › 价格 › discount',
      en: 'Package 1 › Price › discount',
    });
    expect(fieldLabel(['packages', 'items', 0, 'notes', 2, 'text'])).toEqual({
      'zh-CN': '第 1 个套餐 › notes › 第 3 项 › text',
      en: 'Package 1 › notes › Item 3 › text',
    });
  });

  it('does not take inherited object members for fields', () => {
    expect(fieldLabel(['basic', 'toString'])['zh-CN']).toBe('基础信息 › toString');
  });

  it('labels every path of a complete document in Chinese without falling back to its keys', () => {
    const paths = allPaths(validFull);
    expect(paths.length).toBeGreaterThan(100);
    for (const path of paths) {
      const label = fieldLabel(path);
      expect(label['zh-CN']).not.toBe('');
      expect(label.en).not.toBe('');
      for (const segment of path) {
        if (typeof segment === 'string') {
          expect(label['zh-CN'], path.join('.')).not.toContain(segment);
        }
      }
    }
  });

  it('has a distinct title for every step', () => {
    expect(Object.keys(STEP_LABELS).sort()).toEqual([...LISTING_STEPS].sort());
    const titles = LISTING_STEPS.map((step) => STEP_LABELS[step]['zh-CN']);
    expect(new Set(titles).size).toBe(LISTING_STEPS.length);
    for (const step of LISTING_STEPS) {
      expect(fieldLabel([step])).toEqual(STEP_LABELS[step]);
    }
    expect(fieldLabel([])).toEqual(DOCUMENT_LABEL);
  });
});
