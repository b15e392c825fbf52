import { resolveServerConfig } from '../config';
import type { Database } from '../db/database';
import { createWorkScope } from '../review/scope';
import { putConversation, type ConversationBody } from '../support/conversations';

/**
 * Demo conversations of the AI customer service (运营 SOP 9.2), put through the same intake as
 * the platform's: three escalate (three follow-ups about an invoice, a question the bot cannot
 * answer about transferring a course, which is already past its response deadline, and a refund
 * question with a phone number that assistants see masked), one the bot settles stays with it.
 */

const MINUTE = 60_000;

type Turn = readonly [
  author: 'customer' | 'bot',
  text: string,
  minutesAgo: number,
  flags?: { unanswerable?: boolean; helpful?: boolean },
];

interface DemoConversation {
  readonly id: string;
  readonly channel: string;
  readonly customer: ConversationBody['customer'];
  readonly topic: string;
  readonly turns: readonly Turn[];
}

export const DEMO_CONVERSATIONS: readonly DemoConversation[] = [
  {
    id: 'CS-DEMO-0001',
    channel: '微信公众号',
    customer: { id: 'M20481', name: '陈思远', contact: '13812345678' },
    topic: '发票开具',
    turns: [
      ['customer', '你好，我上周买的 AI 写作课怎么开发票？', 52],
      [
        'bot',
        '您好！可以在「我的订单」中点击「申请开票」，填写抬头后 1 个工作日内开具电子发票。',
        51,
      ],
      ['customer', '我的订单里没有「申请开票」这个按钮', 49],
      ['bot', '请确认订单状态为「已完成」，支付成功后按钮才会出现。', 48],
      ['customer', '已经付款成功了，订单显示已完成，还是没有', 46],
      ['bot', '建议您退出账号后重新登录，或更新到最新版本后再试。', 45],
      ['customer', '都试过了还是不行，公司月底报销急用，能不能人工帮我开？', 40],
    ],
  },
  {
    id: 'CS-DEMO-0002',
    channel: '飞书',
    customer: { id: 'M20517', name: '王小雨', contact: '微信号：wxy_2026study' },
    topic: '课程转让',
    turns: [
      ['customer', '我买的课程能转给同事学吗？我这边工作调动没时间学了。', 330],
      [
        'bot',
        '抱歉，这个问题我暂时无法回答，正在为您转接人工客服，请稍候。',
        329,
        { unanswerable: true },
      ],
      ['customer', '好的，麻烦尽快，同事下周就想开始学。', 325],
    ],
  },
  {
    id: 'CS-DEMO-0003',
    channel: '小程序',
    customer: { id: 'M20533', name: '周婷', contact: '18667781234' },
    topic: '退款进度',
    turns: [
      ['customer', '我前天申请了 7 天无理由退款，现在是什么进度？', 130],
      ['bot', '退款申请审核通过后，款项会在 3 个工作日内原路退回。', 129],
      ['customer', '可是我还没收到审核结果', 127],
      ['bot', '审核一般在 1 个工作日内完成，请留意短信通知。', 126],
      ['customer', '已经两天了也没有短信', 124],
      ['bot', '您可以在「我的订单」-「退款详情」中查看审核状态。', 123],
      ['customer', '页面显示「处理中」，请人工帮我看一下，我的电话 18667781234', 120],
    ],
  },
  {
    id: 'CS-DEMO-0004',
    channel: '微信公众号',
    customer: { id: 'M20540', name: '刘洋', contact: null },
    topic: '忘记密码',
    turns: [
      ['customer', '忘记密码了怎么办？', 200],
      ['bot', '在登录页点击「忘记密码」，用注册手机号接收验证码即可重置。', 199, { helpful: true }],
      ['customer', '好的，已经重置成功了，谢谢！', 197],
    ],
  },
];

function bodyOf(conversation: DemoConversation, now: number): ConversationBody {
  return {
    channel: conversation.channel,
    customer: conversation.customer,
    topic: conversation.topic,
    messages: conversation.turns.map(([author, text, minutesAgo, flags], index) => ({
      id: `${conversation.id}-${String(index + 1).padStart(2, '0')}`,
      author,
      text,
      sentAt: new Date(now - minutesAgo * MINUTE).toISOString(),
      unanswerable: flags?.unanswerable ?? false,
      helpful: flags?.helpful ?? false,
    })),
  };
}

/** Puts the demo conversations as the platform's integration account (`ops1`) would. */
export async function writeDemoEscalations(
  db: Database,
  ops: { readonly id: string; readonly username: string },
  now: number,
): Promise<void> {
  const config = resolveServerConfig({ seed: false }, {}, '.');
  await db.transaction(async (tx) => {
    const scope = createWorkScope({
      tx,
      principal: {
        id: ops.id,
        username: ops.username,
        displayName: ops.username,
        role: 'ops_manager',
        institutionId: null,
      },
      now,
      config,
    });
    for (const conversation of DEMO_CONVERSATIONS) {
      await putConversation(scope, conversation.id, bodyOf(conversation, now));
    }
  });
}
