import { mentorReviewDay, taDeadline, type HomeworkState } from '#shared/domain/homework';
import type { RubricCriterion } from '#shared/domain/rubric';
import { DAY_MS, fromShanghai, HOUR_MS, MINUTE_MS } from '#shared/domain/time';
import {
  chance,
  DEMO_STUDENTS,
  must,
  pick,
  randomBetween,
  randomInt,
  shuffled,
  type PlannedAuditEvent,
  type PlannedDecision,
  type PlannedReviewItem,
  type Rng,
} from './content';

/*
 * Demo content of the AI-writing course (运营 SOP §2, §4, §7): two cohorts of students with their
 * progress, eight chapters with rubrics and comment banks, and the homework as it happened until
 * "now" (graded, rejected and resubmitted, in the mentors' Friday pool, archived to the student
 * record), with planted near-duplicates for the on-device detector. Pure: a seeded PRNG, ids from
 * the caller; the seed (seed.ts) writes it.
 */

export interface CourseChapter {
  readonly chapter: number;
  readonly title: string;
  readonly platform: 'wechat' | 'xhs' | 'zhihu';
}

export const COURSE_CHAPTERS: readonly CourseChapter[] = [
  {
    chapter: 1,
    title: '01_基础篇：AI 写作工具入门',
    platform: 'wechat',
  },
  {
    chapter: 2,
    title: '02_选题与爆款标题',
    platform: 'wechat',
  },
  {
    chapter: 3,
    title: '03_Prompt 结构化写作',
    platform: 'wechat',
  },
  {
    chapter: 4,
    title: '04_公众号排版与发布',
    platform: 'wechat',
  },
  {
    chapter: 5,
    title: '05_小红书图文笔记',
    platform: 'xhs',
  },
  {
    chapter: 6,
    title: '06_知乎长文与搜索流量',
    platform: 'zhihu',
  },
  {
    chapter: 7,
    title: '07_私域引流与转化',
    platform: 'wechat',
  },
  {
    chapter: 8,
    title: '08_商业计划书（BP）',
    platform: 'wechat',
  },
];

const TA_REJECT_FEEDBACK = [
  '文章链接无法打开，请确认已发布为公开文章后重新提交。',
  '截图缺少阅读数据，请补充公众号后台的数据截图。',
  '心得少于 200 字，请结合本章的 Prompt 方法补充具体的写作过程。',
  '本章作业要求发布小红书图文笔记，提交的是公众号文章，请按本章要求重新完成。',
];
const TA_PASS_NOTES = [
  '链接可访问，截图完整，符合本章要求。',
  '符合要求。标题有改进空间，可参考第 2 章的公式。',
  '完成度不错，已进入导师点评池。',
];
const EXCELLENT_COMMENTS = [
  '选题切口小而具体，标题用了数字加反差，开头三行就抛出痛点，值得全班参考。',
  'Prompt 模板拆解清楚，还给出了三版对比，方法可以直接复用，推荐作为本章范文。',
  '数据复盘扎实：不仅有阅读量，还分析了完读率和分享率的变化，这是很多同学忽略的。',
  '把个人经历和 AI 辅助结合得很自然，读起来有温度，没有“AI 味”。',
];
const REVIEWED_COMMENTS = [
  '结构完整，建议下一篇在结尾加一个互动问题，提高评论率。',
  '案例可以更具体一些，比如写出你用的完整 Prompt。',
  '排版清爽，正文第二部分略长，可以拆成两个小节。',
  '选题不错，标题还可以更聚焦目标读者。',
];

const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

function randomString(rng: Rng, alphabet: string, length: number): string {
  let text = '';
  for (let i = 0; i < length; i += 1) {
    text += alphabet.charAt(Math.floor(rng() * alphabet.length));
  }
  return text;
}

/** A link to published work on the chapter's platform. */
export function articleUrl(rng: Rng, platform: CourseChapter['platform']): string {
  switch (platform) {
    case 'wechat':
      return `https://mp.weixin.qq.com/s/${randomString(rng, URL_ALPHABET, 22)}`;
    case 'xhs':
      return `https://www.xiaohongshu.com/explore/${randomString(rng, '0123456789abcdef', 24)}`;
    case 'zhihu':
      return `https://zhuanlan.zhihu.com/p/${String(randomInt(rng, 600_000_000, 1_999_999_999))}`;
  }
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// The written work: article text and reflection, generated so that two students' texts share
// little (the on-device near-duplicate detector must flag only the planted copies)

const TOOLS = [
  '豆包',
  'Kimi',
  '通义千问',
  '文心一言',
  'DeepSeek',
  'ChatGPT',
  '讯飞星火',
  '智谱清言',
];

const TOPICS = [
  '职场新人的第一份周报',
  '宝妈的碎片时间',
  '考研英语作文',
  '居家健身计划',
  '周末露营清单',
  '工资理财入门',
  '精品咖啡手冲',
  '新手养猫',
  '城市骑行路线',
  '手机人像摄影',
  '一周读完一本书',
  '早起打卡三十天',
  '副业记账',
  '毕业租房避坑',
  '小众海岛旅行',
  '十分钟家常菜',
  '亲子绘本共读',
  '校招面试准备',
  '极简衣橱收纳',
  '潮汕方言趣谈',
  '江南古镇漫游',
  '零基础跑步',
  '跨部门沟通',
  '阳台植物养护',
  '闲置物品转卖',
  '番茄工作法',
  '板绘插画自学',
  '独居生活仪式感',
  '中老年人学手机',
  '短视频脚本拆解',
  '高原徒步装备',
  '社区团购选品',
];

const FILLERS = [
  '说实话',
  '回头看',
  '一开始',
  '后来',
  '意外的是',
  '最难的是',
  '没想到',
  '更重要的是',
];

/** Sentences of any chapter; {tool} {topic} {n} {m} {p} {f} are filled per use. */
const ARTICLE_SENTENCES = [
  '{f}，我把“{topic}”这个选题先交给{tool}列了{n}条提纲，又删掉了其中{m}条空泛的。',
  '开头我没有直接讲道理，而是写了自己第{n}次尝试{topic}时踩过的坑。',
  '为了让读者愿意读下去，每一小节我都控制在{n}行以内，并配了一张自己拍的图。',
  '{tool}给的初稿很通顺，但读起来像说明书，我逐段改成了和朋友聊天的语气。',
  '我在群里问了{n}位同学对{topic}最关心什么，答案出乎意料地集中在价格和时间上。',
  '文章发布{m}小时后阅读量到了{n}，其中一半来自朋友圈转发。',
  '评论区有读者追问细节，我把回答整理成了文末的问答，顺手又多了{m}条留言。',
  '{f}，我发现让{tool}扮演挑剔的编辑来挑错，比让它直接改写有用得多。',
  '我把写作过程拆成收集、提纲、初稿、精修四步，每一步都给自己定了{n}分钟的时限。',
  '关于{topic}的数据，我没有照搬{tool}的说法，而是查了{m}个来源逐条核对。',
  '标题前后换了{n}版，最后选了带具体数字的那一版，点击率高了{p}%。',
  '文中最受欢迎的是那张对比表，不少读者截图保存，收藏数比点赞还多。',
  '{f}，我用{tool}把长段落压缩成要点，再按自己的经历补上细节，篇幅从{n}字减到{m}字。',
  '写到一半卡住时，我让{tool}给出三种不同的结尾，最后把其中两种拼在了一起。',
  '这篇文章的读者画像很明确：刚开始接触{topic}、预算有限、时间不多的人。',
  '我特意在第二段放了一个反常识的结论，后台数据显示跳出率明显下降了。',
  '发布前我请家人读了一遍，他们卡住的{n}个地方我都重新写了。',
  '{f}，写作最花时间的不是打字，而是想清楚读者读完之后能做什么。',
  '我把{tool}生成的例子全部换成了自己的真实经历，文章的可信度一下子就上来了。',
  '为了验证选题，我先发了一条短动态试水，收到{n}个赞后才决定写成长文。',
  '配图我用了{m}张实拍和一张手绘示意图，排版时刻意留白，手机上读起来不累。',
  '文章结尾我留了一个问题：你在{topic}上最想省下的是钱还是时间？',
  '和上一篇相比，这次的完读率从{m}%提高到了{p}%，分享率也翻了一倍。',
  '{tool}有两处事实说错了，幸好我在定稿前对照原始资料改了过来。',
  '我给自己定了一个规则：每段只讲一件事，讲不清楚就拆成两段。',
  '有位读者私信说照着文章做了一遍，{n}天后真的看到了变化，这比阅读量更让我开心。',
  '{f}，我删掉了所有“首先、其次、最后”，改用小标题和编号，节奏清爽了很多。',
  '这次我尝试在文中插入了一个{n}秒的小视频，停留时长比纯图文多了{m}秒。',
  '选题会上老师提醒我切口太大，于是我把“{topic}”缩小到一个具体的周末场景。',
  '文章被一个{n}万粉丝的号转载了，评论区的问题我花了一个晚上逐条回复。',
  '我把常用的提示词存成了模板，下次写{topic}相关内容时可以直接复用。',
  '{f}，真正打动读者的不是技巧，而是我写下的那次失败经历。',
  '为了让内容更可靠，我采访了一位做了{n}年{topic}的朋友，引用了她的原话。',
  '后台显示{p}%的读者来自搜索，说明标题里的关键词起了作用。',
  '改稿时我用{tool}逐句检查语病，又把{m}个长句拆成了短句。',
  '这篇文章我前后写了{n}个晚上，最满意的是中间那段自己的对比实验。',
  '我在文末附上了清单下载，当天就有{n}位读者留言索取。',
  '{f}，我把目标读者从“所有人”改成了“刚毕业的第一年”，内容立刻具体了。',
  '发布时间我选在晚上九点，比上次中午发布的打开率高出{p}个百分点。',
  '复盘时我列了三件下次要保留的事和两件要改掉的事，贴在了书桌前。',
];

/** Sentences tied to one chapter's method (chapter number → sentences). */
const CHAPTER_SENTENCES: Readonly<Record<number, readonly string[]>> = {
  1: [
    '这是我第一次系统对比几款 AI 写作工具，{tool}在列提纲上最顺手。',
    '按本章要求，我先给{tool}写清人设、读者和目标，再让它动笔，初稿明显不再空泛。',
  ],
  2: [
    '我用“痛点 × 场景 × 反差”的公式让{tool}一次生成了{n}个标题，再逐个打分。',
    '选题前我在评论区收集了{n}个真实问题，挑出最集中的一个来写。',
  ],
  3: [
    '我把 Prompt 拆成角色、任务、约束、示例四段，保存成了自己的模板。',
    '同一个主题我试了{n}版 Prompt，对比后发现“给示例”这一段最影响语气。',
  ],
  4: [
    '这一章我重做了公众号排版：小标题统一，段落不超过四行，每屏一张图。',
    '我用{tool}生成了{n}版摘要做对比，带数字的摘要打开率最高。',
  ],
  5: [
    '小红书笔记的首图要有信息量，我把封面改了{n}次才满意。',
    '我把一篇长文拆成了{n}条小红书笔记，其中一条收藏过了{m}。',
  ],
  6: [
    '我先让{tool}汇总了知乎前{n}个高赞回答的角度，再写他们没覆盖的部分。',
    '按本章的关键词规划，我把长文分成了{n}个可以被搜索到的小标题。',
  ],
  7: [
    '我在文末设计了一个免费资料包作为钩子，{n}天加了{m}位好友。',
    '这一章让我明白转化靠信任，我把学员反馈写成了一篇复盘文。',
  ],
  8: [
    '我用{tool}梳理了写作变现的商业计划：目标用户、产品阶梯、定价和获客渠道。',
    '写 BP 逼我把想法量化，第一季度的目标定成了月入{n}元。',
  ],
};

/** Reflection sentences (心得). */
const REFLECTION_SENTENCES = [
  '这一章最大的收获是学会了先想读者，再动笔。',
  '以前我习惯让 AI 直接写全文，现在我只让它帮我搭骨架。',
  '我意识到自己的真实经历才是文章里最值钱的部分。',
  '下一篇我想试试把数据复盘放在文章开头。',
  '这次作业让我第一次敢把文章发给陌生人看。',
  '原来标题和首段决定了一大半的阅读量。',
  '我给自己的写作流程做了一张检查清单，每次发布前对一遍。',
  '和同组同学互评之后，我发现自己的段落普遍太长。',
  '我最需要改进的是结尾，总是草草收场。',
  '用 AI 节省下来的时间，我都花在了修改和核实上。',
  '这一周我每天写三百字，坚持下来比想象中容易。',
  '老师的点评让我明白，具体比漂亮更重要。',
  '我开始留意别人文章的结构，看到好的开头就记下来。',
  '写作之外，我还学会了看后台数据找问题。',
  '我把这次的 Prompt 模板分享到了学习群，好几位同学在用。',
  '下一章我打算换一个平台，试试不同读者的反应。',
  '我发现写之前先跟朋友口头讲一遍，思路会清楚很多。',
  '这次我没有追求完美，先发出去再根据反馈修改。',
  '看到陌生读者的留言时，我第一次觉得写作是有回应的。',
  '我的问题是想写的太多，这一章教会我取舍。',
  '我把 AI 当成陪练，而不是代笔，心态轻松了不少。',
  '坚持记录写作时长之后，我知道了自己最容易拖延的环节。',
  '这一章的作业我重写了两遍，第二遍才找到自己的语气。',
  '我开始习惯在发布前大声朗读全文，读不顺的地方就改。',
];

const ARTICLE_SENTENCES_EN = [
  'I started by asking {tool} for an outline about {topic} and threw away the generic parts.',
  'The first draft read like a manual, so I rewrote it in the voice I use with friends.',
  'I checked every figure {tool} gave me against two sources before publishing.',
  'Readers liked the comparison table most; it was saved {n} times in the first day.',
  'I cut the article from {n} to {m} words and it got easier to finish.',
  'The title went through {n} versions; the one with a number won by {p}%.',
  'I opened with my own mistake, which kept people reading past the first screen.',
  'A reader messaged me that she tried the steps and it worked, which meant more than the views.',
  'I published at nine in the evening and the open rate rose by {p} points.',
  'My rule this time: one idea per paragraph, and a picture every screen.',
  'I asked {n} classmates what they wanted to know about {topic} before writing.',
  'Next time I will put the data review at the top instead of the end.',
  'Halfway through I got stuck, so I asked {tool} for three endings and merged two of them.',
  'My target reader became one person: a graduate in the first year of a job.',
  'I interviewed a friend who has spent {n} years on {topic} and quoted her directly.',
  'Search brought in {p}% of the readers, so the keywords in the title worked.',
  'I replaced every example {tool} invented with something that happened to me.',
  'Before publishing I read the piece aloud and rewrote the {m} sentences I stumbled over.',
  'The checklist at the end was downloaded by {n} readers on the first evening.',
  'A small test post got {n} likes, which convinced me the topic was worth a long piece.',
  'I dropped "firstly" and "finally" and used numbered headings; the rhythm got lighter.',
  'A short clip of {n} seconds kept readers on the page {m} seconds longer.',
  'My teacher said the angle was too wide, so I narrowed {topic} to a single weekend.',
  'The piece was shared by an account with {n} thousand followers; I answered every comment.',
  'I saved my prompts as templates so the next piece on {topic} starts faster.',
  'Compared with last time the read-through rate went from {m}% to {p}%.',
];

const REFLECTION_SENTENCES_EN = [
  'The biggest lesson of this chapter: think about the reader before writing.',
  'AI saves me time on structure; I spend that time on checking facts.',
  'My own story turned out to be the most valuable part of the piece.',
  'I still need to work on endings, they are always rushed.',
  'Peer review showed me that my paragraphs are too long.',
  'I made a checklist and go through it before every post.',
  'Telling a friend the story before writing it made the structure obvious.',
  'This time I published first and improved it after the feedback.',
  'Comments from strangers made writing feel like a conversation.',
  'I want to write less and choose better; this chapter taught me that.',
  'Reading the draft aloud is now the last step before I post.',
  'I rewrote this assignment twice before it sounded like me.',
];

interface TextSlots {
  readonly tool: string;
  readonly topic: string;
}

function fill(rng: Rng, template: string, slots: TextSlots): string {
  return template
    .replaceAll('{tool}', slots.tool)
    .replaceAll('{topic}', slots.topic)
    .replaceAll('{f}', pick(rng, FILLERS))
    .replaceAll('{n}', String(randomInt(rng, 3, 480)))
    .replaceAll('{m}', String(randomInt(rng, 2, 90)))
    .replaceAll('{p}', String(randomInt(rng, 12, 68)));
}

function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  return shuffled(rng, items).slice(0, count);
}

/** One student's written work for a chapter: an article and a reflection. */
export function writtenWork(
  rng: Rng,
  chapter: number,
  language: 'zh-CN' | 'en',
): { readonly articleText: string; readonly reflection: string } {
  const slots: TextSlots = { tool: pick(rng, TOOLS), topic: pick(rng, TOPICS) };
  if (language === 'en') {
    const article = sample(rng, ARTICLE_SENTENCES_EN, 7).map((s) => fill(rng, s, slots));
    return {
      articleText: `${slots.topic} — notes from chapter ${String(chapter)}\n${article.join(' ')}`,
      reflection: sample(rng, REFLECTION_SENTENCES_EN, 1).join(' '),
    };
  }
  const own = pick(rng, CHAPTER_SENTENCES[chapter] ?? []);
  const sentences = [own, ...sample(rng, ARTICLE_SENTENCES, 7)].map((s) => fill(rng, s, slots));
  const [first, ...rest] = sentences;
  return {
    articleText: `《${slots.topic}》\n${first ?? ''}\n${rest.slice(0, 3).join('')}\n${rest.slice(3, 5).join('')}\n${rest.slice(5).join('')}`,
    reflection: sample(rng, REFLECTION_SENTENCES, 2).join(''),
  };
}

/** Characters a copier swaps in: the "light edits" that hide a copy from a casual look. */
const EDIT_CHARACTERS = Array.from('的了是我在有和就不人都一个上也很到说要去你会着没看好自己这');

/**
 * A near-copy of `text`: about `rate` of its characters (letters and digits, not punctuation or
 * line breaks) replaced by common characters, the way a student lightly edits a classmate's work.
 */
export function lightlyEdited(rng: Rng, text: string, rate: number): string {
  return Array.from(text)
    .map((character) =>
      /[\p{L}\p{N}]/u.test(character) && chance(rng, rate) ? pick(rng, EDIT_CHARACTERS) : character,
    )
    .join('');
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// The roster: two cohorts

export interface DemoCohort {
  readonly name: string;
  /** Days before "now" the cohort started. */
  readonly startedDaysAgo: number;
  readonly students: number;
  /** Days a student of the cohort takes per chapter, from–to. */
  readonly pace: readonly [number, number];
}

export const DEMO_COHORTS: readonly DemoCohort[] = [
  { name: '2026 秋季一期', startedDaysAgo: 45, students: 40, pace: [4.6, 7.5] },
  { name: '2026 秋季二期', startedDaysAgo: 16, students: 30, pace: [3, 5] },
];

const FAMILY_NAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程';
const GIVEN_NAMES = [
  '子涵',
  '欣怡',
  '梓轩',
  '雨萱',
  '浩宇',
  '思琪',
  '宇航',
  '佳琪',
  '俊熙',
  '诗雨',
  '明轩',
  '可馨',
  '一诺',
  '晨曦',
  '嘉懿',
  '语桐',
  '若溪',
  '子墨',
  '沐阳',
  '静姝',
];
const ENGLISH_NAMES = ['Emily Zhang', 'Daniel Wu', 'Sophie Lin'];

export interface DemoStudent {
  readonly studentId: string;
  readonly name: string;
  readonly cohort: string;
  readonly language: 'zh-CN' | 'en';
  readonly joinedAt: number;
  readonly purchasedAt: number;
  /** Days per chapter. */
  readonly pace: number;
  /** Stopped after joining: no homework, progress below 10 %. */
  readonly stalled: boolean;
}

/** Students of the first cohort (by position) who stopped after joining. */
const STALLED_IN_FIRST = [13, 29];
/** Students of the second cohort (by position) who stopped after joining. */
const STALLED_IN_SECOND = [2, 7, 11, 18, 24, 27];

/**
 * The course roster: the first cohort starts with the refund-requesting students of content.ts
 * (same ids), three students of the first cohort take the course in English; a few students of
 * each cohort stopped right after joining (the progress board's follow-up list).
 */
export function planRoster(now: number, rng: Rng): DemoStudent[] {
  const roster: DemoStudent[] = [];
  let serial = 101;
  for (const [cohortIndex, cohort] of DEMO_COHORTS.entries()) {
    const stalledAt = cohortIndex === 0 ? STALLED_IN_FIRST : STALLED_IN_SECOND;
    for (let position = 0; position < cohort.students; position += 1) {
      const known = cohortIndex === 0 ? DEMO_STUDENTS[position] : undefined;
      const english = cohortIndex === 0 && position >= 34 && position < 34 + ENGLISH_NAMES.length;
      const name =
        known?.name ??
        (english
          ? must(ENGLISH_NAMES[position - 34], 'name')
          : `${FAMILY_NAMES.charAt((serial * 7) % FAMILY_NAMES.length)}${must(GIVEN_NAMES[serial % GIVEN_NAMES.length], 'name')}`);
      // The second cohort keeps joining for two weeks: its last students joined days ago.
      const daysAgo =
        cohortIndex === 0
          ? cohort.startedDaysAgo - randomBetween(rng, 0, 2)
          : cohort.startedDaysAgo - (position / cohort.students) * 14;
      const joinedAt = Math.round(now - daysAgo * DAY_MS);
      roster.push({
        studentId: known?.id ?? `AIW26${String(serial).padStart(4, '0')}`,
        name,
        cohort: cohort.name,
        language: english ? 'en' : 'zh-CN',
        joinedAt,
        purchasedAt: joinedAt - Math.round(randomBetween(rng, 0.5, 6) * HOUR_MS),
        pace: randomBetween(rng, cohort.pace[0], cohort.pace[1]),
        stalled: stalledAt.includes(position),
      });
      serial += 1;
    }
  }
  return roster;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Rubrics and the comment bank

export interface DemoRubric {
  readonly id: string;
  readonly chapter: string;
  readonly title: string;
  readonly maxScore: number;
  readonly criteria: readonly RubricCriterion[];
}

/** What each chapter asks for, named in its rubric's method criterion. */
const CHAPTER_METHODS: Readonly<Record<number, string>> = {
  1: '给 AI 写清人设、读者和目标，再让它列提纲',
  2: '用“痛点 × 场景 × 反差”生成并筛选标题',
  3: '角色、任务、约束、示例四段式 Prompt',
  4: '公众号排版：小标题、短段落、每屏配图',
  5: '小红书首图与短标题，长文拆成系列笔记',
  6: '按关键词规划知乎长文结构',
  7: '设计钩子，把读者引到私域并转化',
  8: '用 AI 梳理商业计划书并逐条核实数据',
};

/** The rubric of every chapter: four criteria adding up to 100. */
export function planRubrics(newId: () => string): DemoRubric[] {
  return COURSE_CHAPTERS.map((chapter) => ({
    id: newId(),
    chapter: String(chapter.chapter),
    title: `第 ${String(chapter.chapter)} 章评分标准`,
    maxScore: 100,
    criteria: [
      {
        id: newId(),
        title: '完成度与规范',
        description: `已在${PLATFORM_NAMES[chapter.platform]}公开发布，链接可打开，截图完整（含后台数据）。`,
        points: 25,
      },
      {
        id: newId(),
        title: '本章方法',
        description: `用到了本章的方法：${must(CHAPTER_METHODS[chapter.chapter], 'method')}。`,
        points: 35,
      },
      {
        id: newId(),
        title: '数据与复盘',
        description: '给出阅读、互动等数据，并说明下一篇要保留和改进什么。',
        points: 20,
      },
      {
        id: newId(),
        title: '表达与原创',
        description: '有自己的经历和观点，语句通顺，没有明显的“AI 味”和照搬。',
        points: 20,
      },
    ],
  }));
}

const PLATFORM_NAMES: Readonly<Record<CourseChapter['platform'], string>> = {
  wechat: '公众号',
  xhs: '小红书',
  zhihu: '知乎',
};

export interface DemoBankComment {
  readonly id: string;
  readonly chapter: string;
  readonly language: 'zh-CN' | 'en';
  readonly text: string;
  readonly useCount: number;
}

const BANK_COMMENTS_ZH = [
  '链接可以打开，截图完整，符合本章要求。',
  '标题还可以更具体，试试加入数字或目标读者。',
  '请补充后台数据截图（阅读量、完读率），再重新提交。',
  '方法用得很到位，建议把你的 Prompt 附在文末分享给读者。',
  '心得写得比较笼统，请结合本章方法写出具体的写作过程。',
];
const BANK_COMMENTS_EN = [
  'The link opens and the screenshots are complete: this meets the chapter’s requirements.',
  'Please add the dashboard screenshot (views, read-through rate) and submit again.',
];

/** Each chapter's comment bank: five entries in Chinese, two in English, some already used. */
export function planCommentBank(rng: Rng, newId: () => string): DemoBankComment[] {
  return COURSE_CHAPTERS.flatMap((chapter) => [
    ...BANK_COMMENTS_ZH.map((text) => ({
      id: newId(),
      chapter: String(chapter.chapter),
      language: 'zh-CN' as const,
      text,
      useCount: randomInt(rng, 0, 12),
    })),
    ...BANK_COMMENTS_EN.map((text) => ({
      id: newId(),
      chapter: String(chapter.chapter),
      language: 'en' as const,
      text,
      useCount: randomInt(rng, 0, 3),
    })),
  ]);
}

/** A grade that adds up: criterion scores (by criterion id) summing to about `target`. */
function criterionScores(rng: Rng, rubric: DemoRubric, fraction: number): Record<string, number> {
  const scores: Record<string, number> = {};
  for (const criterion of rubric.criteria) {
    const share = Math.min(1, Math.max(0, fraction + randomBetween(rng, -0.12, 0.12)));
    scores[criterion.id] = Math.round(criterion.points * share);
  }
  return scores;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Submissions

export interface HomeworkPlan {
  readonly id: string;
  readonly studentId: string;
  readonly studentName: string;
  readonly language: 'zh-CN' | 'en';
  /** The chapter number as the server names chapters: '1' … '8'. */
  readonly chapter: string;
  readonly articleUrl: string;
  /** The text as submitted (evidence version 1). */
  readonly articleText: string;
  readonly reflection: string;
  /** Keys of the demo screenshots (manifest), one or two, distinct. */
  readonly screenshots: readonly string[];
  readonly state: HomeworkState;
  readonly score: number | null;
  readonly criterionScores: Readonly<Record<string, number>> | null;
  readonly taFeedback: string | null;
  readonly taId: string | null;
  readonly mentorId: string | null;
  readonly excellent: boolean | null;
  readonly mentorComment: string | null;
  readonly submittedAt: number;
  readonly taDueAt: number;
  readonly taDecidedAt: number | null;
  readonly mentorReviewedAt: number | null;
  readonly archivedAt: number | null;
  readonly updatedAt: number;
  /** The student updated the article after the grade (evidence version 2), or null. */
  readonly update: { readonly articleText: string; readonly at: number } | null;
  /** A planted near-duplicate: the id of the submission this one copies, or null. */
  readonly copyOf: string | null;
  readonly items: readonly PlannedReviewItem[];
  readonly decisions: readonly PlannedDecision[];
  readonly audit: readonly PlannedAuditEvent[];
}

/** What was submitted, by screenshot keys: the planner's callers turn it into the SHA-256. */
export interface PlannedWork {
  readonly articleUrl: string;
  readonly articleText: string;
  readonly reflection: string;
  readonly screenshots: readonly string[];
}

export interface HomeworkPlanInput {
  readonly count: number;
  readonly now: number;
  readonly rng: Rng;
  readonly newId: () => string;
  readonly taId: string;
  readonly mentorId: string;
  readonly roster: readonly DemoStudent[];
  readonly rubrics: readonly DemoRubric[];
  /** The evidence digest of submitted work (the seed hashes the screenshots' bytes). */
  readonly digestOf: (work: PlannedWork) => string;
}

export interface StudentRecordPlan {
  readonly id: string;
  readonly submissionId: string;
  readonly studentId: string;
  readonly studentName: string;
  readonly chapter: string;
  readonly score: number | null;
  readonly excellent: boolean;
  readonly mentorComment: string | null;
  readonly taId: string | null;
  readonly mentorId: string | null;
  readonly archivedAt: number;
}

export interface PlantedNearDuplicate {
  readonly chapter: string;
  /** The pending submission that copies … */
  readonly copyId: string;
  /** … this classmate's submission. */
  readonly sourceId: string;
}

export interface HomeworkPlanning {
  readonly submissions: readonly HomeworkPlan[];
  readonly records: readonly StudentRecordPlan[];
  /** Each student's course progress in percent, as `numeric(5, 2)` text ("37.5"). */
  readonly progress: ReadonlyMap<string, string>;
  readonly nearDuplicates: readonly PlantedNearDuplicate[];
}

/** Chapters that get a planted near-duplicate (when they have a pending submission). */
const PLANTED_CHAPTERS = ['1', '3', '6', '8'];
/** Share of characters a copier changes. */
const COPY_EDIT_RATE = 0.07;
/** Chance that the TA rejects a submission. */
const REJECT_RATE = 0.12;

/** When the TA decided: mostly before the 18:00 deadline, sometimes late. */
function taDecisionTime(rng: Rng, submittedAt: number): number {
  const due = taDeadline(submittedAt);
  if (chance(rng, 0.15)) {
    return due + Math.round(randomBetween(rng, 1, 10) * HOUR_MS);
  }
  const earliest = submittedAt + 20 * MINUTE_MS;
  return Math.round(
    randomBetween(rng, earliest, Math.max(earliest + MINUTE_MS, due - 5 * MINUTE_MS)),
  );
}

/** The most homework {@link planHomework} can plan for this roster at `now`. */
export class HomeworkCountError extends RangeError {
  override readonly name = 'HomeworkCountError';
}

interface Draft {
  readonly student: DemoStudent;
  readonly chapter: CourseChapter;
  readonly submittedAt: number;
  readonly resubmission: boolean;
  readonly state: HomeworkState;
  readonly decidedAt: number | null;
  readonly reviewedAt: number | null;
}

/**
 * The course's homework as it happened until `now`: each student of the roster submits chapter
 * after chapter at their own pace; the TA grades most work before the 18:00 deadline (a backlog of
 * recent work is still open, some of it overdue), rejects about one in eight (the student fixes
 * and submits again), and passed work goes to the mentors' Friday pool and, once reviewed, into
 * the student record. The newest `count` submissions are kept. Planted near-duplicates: in a few
 * chapters one pending submission is a lightly edited copy of a classmate's.
 */
export function planHomework(input: HomeworkPlanInput): HomeworkPlanning {
  const { rng, newId, now, taId, mentorId } = input;
  const drafts: Draft[] = [];
  const chaptersDone = new Map<string, number>();
  const latest = now - 20 * MINUTE_MS;

  const submit = (student: DemoStudent, chapter: CourseChapter, at: number, again: boolean) => {
    const decided = taDecisionTime(rng, at);
    const backlog = now - taDeadline(at) < 3 * DAY_MS && chance(rng, 0.6);
    if (decided > latest || backlog) {
      drafts.push({
        student,
        chapter,
        submittedAt: at,
        resubmission: again,
        state: 'submitted',
        decidedAt: null,
        reviewedAt: null,
      });
      return;
    }
    if (!again && chance(rng, REJECT_RATE)) {
      drafts.push({
        student,
        chapter,
        submittedAt: at,
        resubmission: again,
        state: 'ta_rejected',
        decidedAt: decided,
        reviewedAt: null,
      });
      const resubmitAt = decided + Math.round(randomBetween(rng, 0.3, 1.2) * DAY_MS);
      if (resubmitAt < now - 30 * MINUTE_MS) {
        submit(student, chapter, resubmitAt, true);
      }
      return;
    }
    const reviewedAt = fromShanghai(
      mentorReviewDay(decided),
      randomInt(rng, 14, 17),
      randomInt(rng, 0, 59),
    );
    const archived = reviewedAt <= latest;
    drafts.push({
      student,
      chapter,
      submittedAt: at,
      resubmission: again,
      state: archived ? 'archived' : 'ta_passed',
      decidedAt: decided,
      reviewedAt: archived ? reviewedAt : null,
    });
  };

  for (const student of input.roster) {
    let done = 0;
    if (!student.stalled) {
      for (const chapter of COURSE_CHAPTERS) {
        const at = Math.round(
          student.joinedAt +
            (chapter.chapter * student.pace + randomBetween(rng, -0.3, 0.3)) * DAY_MS,
        );
        if (at > now - 30 * MINUTE_MS) {
          break;
        }
        submit(student, chapter, at, false);
        done += 1;
      }
    }
    chaptersDone.set(student.studentId, done);
  }
  if (input.count > drafts.length) {
    throw new HomeworkCountError(
      `the demo course has at most ${String(drafts.length)} homework submissions, asked for ${String(input.count)}`,
    );
  }
  const kept = [...drafts].sort((a, b) => b.submittedAt - a.submittedAt).slice(0, input.count);
  kept.reverse();

  const rubricOf = new Map(input.rubrics.map((rubric) => [rubric.chapter, rubric]));
  const plans: HomeworkPlan[] = [];
  const records: StudentRecordPlan[] = [];
  let updatePlanned = false;
  for (const draft of kept) {
    const { student, chapter, state } = draft;
    const chapterName = String(chapter.chapter);
    const rubric = must(rubricOf.get(chapterName), `rubric of chapter ${chapterName}`);
    const id = newId();
    const work = writtenWork(rng, chapter.chapter, student.language);
    const reflection = draft.resubmission
      ? `${student.language === 'en' ? '(Revised after the TA’s feedback.) ' : '（已根据助教意见修改后重新提交）'}${work.reflection}`
      : work.reflection;
    const screenshots =
      chapter.platform === 'xhs'
        ? ['xhs-note']
        : chance(rng, 0.5)
          ? ['wechat-article', 'wechat-dashboard']
          : ['wechat-article'];
    const url = articleUrl(rng, chapter.platform);
    const submitted: PlannedWork = {
      articleUrl: url,
      articleText: work.articleText,
      reflection,
      screenshots,
    };
    const passed = state === 'ta_passed' || state === 'archived';
    const reviewed = state === 'archived';
    const excellent = reviewed ? chance(rng, 0.35) : null;
    let scores: Record<string, number> | null = null;
    if (draft.decidedAt !== null) {
      const fraction = passed
        ? randomBetween(rng, excellent === true ? 0.88 : 0.68, excellent === true ? 0.98 : 0.9)
        : randomBetween(rng, 0.25, 0.5);
      scores = criterionScores(rng, rubric, fraction);
    }
    const total =
      scores === null ? null : Object.values(scores).reduce((sum, points) => sum + points, 0);
    const score = passed ? total : null;
    const taFeedback = state === 'ta_rejected' ? pick(rng, TA_REJECT_FEEDBACK) : null;
    const mentorComment =
      excellent === true
        ? pick(rng, EXCELLENT_COMMENTS)
        : excellent === false && chance(rng, 0.7)
          ? pick(rng, REVIEWED_COMMENTS)
          : null;
    const taDueAt = taDeadline(draft.submittedAt);
    const title = `第 ${chapterName} 章作业 · ${student.name}`;
    const items: PlannedReviewItem[] = [];
    const decisions: PlannedDecision[] = [];
    const audit: PlannedAuditEvent[] = [];
    const event = (
      at: number,
      actorId: string | null,
      action: string,
      from: HomeworkState | null,
      to: HomeworkState,
      itemId: string | null,
    ) => {
      audit.push({
        id: newId(),
        at,
        actorId,
        subjectType: 'homework',
        subjectId: id,
        itemId,
        action,
        fromState: from,
        toState: to,
        reason: null,
        details: { studentId: student.studentId, chapter: chapterName },
      });
    };
    const taItem: PlannedReviewItem = {
      id: newId(),
      kind: 'homework',
      subjectId: id,
      revisionId: null,
      state: draft.decidedAt === null ? 'pending' : 'decided',
      priority: 0,
      dueAt: taDueAt,
      assigneeId: draft.decidedAt === null ? null : taId,
      supersedesItemId: null,
      title,
      createdAt: draft.submittedAt,
      updatedAt: draft.decidedAt ?? draft.submittedAt,
    };
    items.push(taItem);
    event(draft.submittedAt, null, 'submit', null, 'submitted', taItem.id);
    let update: HomeworkPlan['update'] = null;
    if (draft.decidedAt !== null && scores !== null) {
      decisions.push({
        id: newId(),
        itemId: taItem.id,
        revisionId: null,
        kind: 'homework',
        outcome: passed ? 'pass' : 'reject',
        reviewerId: taId,
        reasons: [],
        note: taFeedback ?? pick(rng, TA_PASS_NOTES),
        details: {
          score,
          rubricTotal: total,
          rubricId: rubric.id,
          rubricRevision: 1,
          criterionScores: scores,
          evidenceSha256: input.digestOf(submitted),
          bankCommentIds: [],
        },
        decidedAt: draft.decidedAt,
      });
      event(
        draft.decidedAt,
        taId,
        passed ? 'ta_pass' : 'ta_reject',
        'submitted',
        passed ? 'ta_passed' : 'ta_rejected',
        taItem.id,
      );
      if (passed) {
        const friday = mentorReviewDay(draft.decidedAt);
        const mentorItem: PlannedReviewItem = {
          id: newId(),
          kind: 'homework_mentor',
          subjectId: id,
          revisionId: null,
          state: draft.reviewedAt === null ? 'pending' : 'decided',
          priority: 0,
          dueAt: fromShanghai(friday, 18),
          assigneeId: draft.reviewedAt === null ? null : mentorId,
          supersedesItemId: null,
          title,
          createdAt: draft.decidedAt,
          updatedAt: draft.reviewedAt ?? draft.decidedAt,
        };
        items.push(mentorItem);
        // One passed piece of work was edited by its student after the grade: the grading page
        // shows what changed since the version the TA graded.
        const editedAt = draft.decidedAt + 3 * HOUR_MS;
        if (!updatePlanned && !reviewed && student.language === 'zh-CN' && editedAt < latest) {
          updatePlanned = true;
          update = {
            articleText: `${work.articleText}\n（更新）发布一周后的数据：阅读 ${String(randomInt(rng, 800, 3000))}，新增关注 ${String(randomInt(rng, 20, 90))}。`,
            at: editedAt,
          };
        }
        if (draft.reviewedAt !== null) {
          decisions.push({
            id: newId(),
            itemId: mentorItem.id,
            revisionId: null,
            kind: 'homework_mentor',
            outcome: excellent === true ? 'excellent' : 'reviewed',
            reviewerId: mentorId,
            reasons: [],
            note: mentorComment ?? '',
            details: { excellent: excellent === true },
            decidedAt: draft.reviewedAt,
          });
          event(
            draft.reviewedAt,
            mentorId,
            'mentor_review',
            'ta_passed',
            'mentor_reviewed',
            mentorItem.id,
          );
          // Reviewing archives to the student record in the same step (kinds/homework.ts).
          event(draft.reviewedAt, mentorId, 'archive', 'mentor_reviewed', 'archived', null);
          records.push({
            id: newId(),
            submissionId: id,
            studentId: student.studentId,
            studentName: student.name,
            chapter: chapterName,
            score,
            excellent: excellent === true,
            mentorComment,
            taId,
            mentorId,
            archivedAt: draft.reviewedAt,
          });
        }
      }
    }
    plans.push({
      id,
      studentId: student.studentId,
      studentName: student.name,
      language: student.language,
      chapter: chapterName,
      articleUrl: url,
      articleText: work.articleText,
      reflection,
      screenshots,
      state,
      score,
      criterionScores: scores,
      taFeedback,
      taId: draft.decidedAt === null ? null : taId,
      mentorId: draft.reviewedAt === null ? null : mentorId,
      excellent,
      mentorComment,
      submittedAt: draft.submittedAt,
      taDueAt,
      taDecidedAt: draft.decidedAt,
      mentorReviewedAt: draft.reviewedAt,
      archivedAt: draft.reviewedAt,
      updatedAt: update?.at ?? draft.reviewedAt ?? draft.decidedAt ?? draft.submittedAt,
      update,
      copyOf: null,
      items,
      decisions,
      audit,
    });
  }

  const { submissions, nearDuplicates } = plantNearDuplicates(rng, plans);
  const progress = new Map<string, string>();
  for (const student of input.roster) {
    const done = chaptersDone.get(student.studentId) ?? 0;
    const percent =
      done === 0
        ? randomBetween(rng, 0, 9.5)
        : Math.min(
            100,
            Math.max(10.5, (done / COURSE_CHAPTERS.length) * 100 - randomBetween(rng, 0, 6)),
          );
    progress.set(student.studentId, (Math.round(percent * 2) / 2).toString());
  }
  return { submissions, records, progress, nearDuplicates };
}

/**
 * In each chapter of {@link PLANTED_CHAPTERS}: the most overdue pending submission (Chinese,
 * first attempt) becomes a lightly edited copy of the earliest other student's submission.
 */
function plantNearDuplicates(
  rng: Rng,
  plans: readonly HomeworkPlan[],
): { submissions: HomeworkPlan[]; nearDuplicates: PlantedNearDuplicate[] } {
  const submissions = [...plans];
  const nearDuplicates: PlantedNearDuplicate[] = [];
  for (const chapter of PLANTED_CHAPTERS) {
    const inChapter = submissions
      .map((plan, index) => ({ plan, index }))
      .filter(({ plan }) => plan.chapter === chapter && plan.language === 'zh-CN');
    const copy = inChapter
      .filter(({ plan }) => plan.state === 'submitted' && !plan.reflection.startsWith('（'))
      .sort((a, b) => a.plan.taDueAt - b.plan.taDueAt)[0];
    if (copy === undefined) {
      continue;
    }
    const source = inChapter
      .filter(({ plan }) => plan.studentId !== copy.plan.studentId)
      .sort((a, b) => a.plan.submittedAt - b.plan.submittedAt)[0];
    if (source === undefined) {
      continue;
    }
    submissions[copy.index] = {
      ...copy.plan,
      articleText: lightlyEdited(rng, source.plan.articleText, COPY_EDIT_RATE),
      reflection: lightlyEdited(rng, source.plan.reflection, COPY_EDIT_RATE),
      copyOf: source.plan.id,
    };
    nearDuplicates.push({ chapter, copyId: copy.plan.id, sourceId: source.plan.id });
  }
  return { submissions, nearDuplicates };
}

/** Students the progress board lists: joined more than 7 days ago, progress below 10 %. */
export function followUpStudents(
  roster: readonly DemoStudent[],
  progress: ReadonlyMap<string, string>,
  now: number,
): DemoStudent[] {
  return roster.filter(
    (student) =>
      now - student.joinedAt > 7 * DAY_MS && Number(progress.get(student.studentId) ?? '0') < 10,
  );
}
