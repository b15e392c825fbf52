import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Paper,
  NativeSelect,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ESCALATION_REASON_LABELS,
  ESCALATION_RESOLUTION_LABELS,
  ESCALATION_RESOLUTIONS,
  readThread,
  type EscalationReason,
  type EscalationResolution,
  type SupportAuthor,
} from '#shared/domain/escalation';
import { mutationItemId } from '#shared/sync/view';
import { formatServerTime, useNow } from '../../app/format';
import { RedactedText } from '../../app/RedactedText';
import { formatDuration } from '../../features/queue/lease';
import { useLocale } from '../../i18n/useLocale';
import type { KindItemViewProps } from '../registry';
import { responseSla } from './sla';

/** An escalated conversation as the desk's device mirrors it (`support_conversations`). */
interface ConversationRow {
  readonly id: string;
  readonly externalId: string;
  readonly channel: string;
  readonly customerName: string;
  readonly customerContact: string | null;
  readonly topic: string;
  readonly state: 'bot' | 'escalated' | 'closed';
  readonly escalationReason: EscalationReason | null;
  readonly escalatedAt: string | null;
  readonly respondBy: string | null;
  readonly firstRepliedAt: string | null;
  readonly resolution: EscalationResolution | null;
  readonly resolutionNote: string | null;
  readonly redacted?: readonly string[];
}

/** A message of the thread (`support_messages`). */
interface MessageRow {
  readonly id: string;
  readonly conversationId: string;
  readonly author: SupportAuthor;
  readonly agentId: string | null;
  readonly text: string;
  readonly unanswerable: boolean;
  readonly helpful: boolean;
  readonly sentAt: string;
}

/** A reply of mine still in the outbox, shown in the thread as "waiting to sync". */
interface PendingReply {
  readonly seq: number;
  readonly text: string;
  readonly createdAt: string;
}

/** The text of a recorded `replyEscalation`. */
function replyText(args: unknown): string {
  const text = typeof args === 'object' && args !== null ? (args as { text?: unknown }).text : null;
  return typeof text === 'string' ? text : '';
}

const AUTHOR_COLOR: Readonly<Record<SupportAuthor, string>> = {
  customer: 'gray',
  bot: 'blue',
  agent: 'teal',
};

/**
 * An escalation's page: the conversation with the bot's answers, the customer's follow-ups and
 * the message that escalated it marked; the response deadline counted down (server time); a
 * reply box and closing with a resolution. Both go through the outbox, offline too.
 */
export function EscalationItemView({ workspace, item }: KindItemViewProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  useNow(30_000);
  const serverNow = workspace.serverNow();
  const data = useLiveQuery(async () => {
    const [conversation, messages, outbox] = await Promise.all([
      workspace.db.mirror('support_conversations').get(item.subjectId),
      workspace.db
        .mirror('support_messages')
        .where('conversationId')
        .equals(item.subjectId)
        .toArray(),
      workspace.db.outbox.toArray(),
    ]);
    const mine = outbox.filter((row) => mutationItemId(row.args) === item.id);
    return {
      conversation: conversation as ConversationRow | undefined,
      messages: messages as unknown as MessageRow[],
      replies: mine
        .filter((row) => row.name === 'replyEscalation')
        .map((row) => ({
          seq: row.seq,
          text: replyText(row.args),
          createdAt: row.createdAt,
        })) satisfies PendingReply[],
      closing: mine.some((row) => row.name === 'closeEscalation'),
    };
  }, [workspace, item.id, item.subjectId]);
  const [reply, setReply] = useState('');
  const [resolution, setResolution] = useState<EscalationResolution | null>(null);
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState<'reply' | 'resolution' | null>(null);
  if (data === undefined) {
    return null;
  }
  const { conversation, messages, replies, closing } = data;
  if (conversation === undefined) {
    return <Text c="dimmed">{t('escalationView.notOnDevice')}</Text>;
  }
  const reading = readThread(
    messages.map((message) => ({ ...message, sentAt: Date.parse(message.sentAt) })),
  );
  const open = item.state === 'pending' || item.state === 'in_review';
  const canAct = open && !closing;
  const sla = responseSla(conversation, serverNow);
  const time = (iso: string) => formatServerTime(iso, locale, serverNow);

  const send = async () => {
    if (reply.trim() === '') {
      setMissing('reply');
      return;
    }
    await workspace.record('replyEscalation', { itemId: item.id, text: reply.trim() });
    setReply('');
  };
  const close = async () => {
    if (resolution === null) {
      setMissing('resolution');
      return;
    }
    await workspace.record('closeEscalation', { itemId: item.id, resolution, note: note.trim() });
  };

  return (
    <Stack
      p="md"
      maw={820}
      data-testid="escalation-view"
      data-state={conversation.state}
      data-closing={closing ? 'true' : undefined}
    >
      <Title order={2}>{t('escalationView.title', { name: conversation.customerName })}</Title>
      <Group gap="xs">
        {conversation.escalationReason !== null && (
          <Badge color="orange" variant="light" data-testid="escalation-reason">
            {ESCALATION_REASON_LABELS[conversation.escalationReason][locale]}
          </Badge>
        )}
        {conversation.topic !== '' && (
          <Badge variant="outline" color="gray" style={{ textTransform: 'none' }}>
            <RedactedText text={conversation.topic} />
          </Badge>
        )}
        {conversation.channel !== '' && (
          <Text size="sm" c="dimmed">
            {t('escalationView.channel', { channel: conversation.channel })}
          </Text>
        )}
        <Text size="sm" c="dimmed">
          {t('escalationView.conversationId', { id: conversation.externalId })}
        </Text>
      </Group>
      <Text size="sm" data-testid="escalation-contact">
        {t('escalationView.contact')}:{' '}
        {conversation.redacted?.includes('/customerContact') === true
          ? t('escalationView.contactHidden')
          : (conversation.customerContact ?? t('escalationView.noContact'))}
      </Text>
      <SlaBadge sla={sla} respondBy={conversation.respondBy} time={time} />

      <Card withBorder padding="sm">
        <Stack gap="xs" data-testid="escalation-thread">
          {reading.messages.map(({ message, followUp, trigger }) => (
            <Paper
              key={message.id}
              withBorder
              p="xs"
              ml={message.author === 'customer' ? 0 : 'xl'}
              {...(trigger ? { bg: 'orange.0' } : followUp !== null ? { bg: 'yellow.0' } : {})}
              data-testid="thread-message"
              data-author={message.author}
              data-follow-up={followUp ?? undefined}
              data-trigger={trigger ? 'true' : undefined}
            >
              <Group gap="xs" mb={4}>
                <Badge size="sm" color={AUTHOR_COLOR[message.author]} variant="light">
                  {message.author === 'customer'
                    ? conversation.customerName
                    : t(`escalationView.author.${message.author}`)}
                </Badge>
                <Text size="xs" c="dimmed">
                  {time(new Date(message.sentAt).toISOString())}
                </Text>
                {followUp !== null && (
                  <Badge size="sm" color="yellow" variant="filled">
                    {t('escalationView.followUp', { n: followUp })}
                  </Badge>
                )}
                {message.unanswerable && (
                  <Badge size="sm" color="red" variant="light">
                    {t('escalationView.unanswerable')}
                  </Badge>
                )}
                {message.helpful && (
                  <Badge size="sm" color="green" variant="light">
                    {t('escalationView.helpful')}
                  </Badge>
                )}
                {trigger && (
                  <Badge size="sm" color="orange" variant="filled">
                    {t('escalationView.escalatedHere')}
                  </Badge>
                )}
              </Group>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                <RedactedText text={message.text} />
              </Text>
            </Paper>
          ))}
          {replies.map((pending) => (
            <Paper
              key={`pending-${pending.seq}`}
              withBorder
              p="xs"
              ml="xl"
              style={{ borderStyle: 'dashed' }}
              data-testid="thread-message"
              data-author="agent"
              data-pending="true"
            >
              <Group gap="xs" mb={4}>
                <Badge size="sm" color="teal" variant="light">
                  {t('escalationView.author.me')}
                </Badge>
                <Badge size="sm" color="gray" variant="outline">
                  {t('escalationView.replyPending')}
                </Badge>
              </Group>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {pending.text}
              </Text>
            </Paper>
          ))}
        </Stack>
      </Card>

      {canAct && (
        <Stack gap="xs">
          <Textarea
            label={t('escalationView.reply')}
            placeholder={t('escalationView.replyPlaceholder')}
            autosize
            minRows={2}
            value={reply}
            error={missing === 'reply' ? t('escalationView.replyRequired') : undefined}
            onChange={(event) => {
              setReply(event.currentTarget.value);
              setMissing(null);
            }}
            data-testid="escalation-reply"
          />
          <Group>
            <Button onClick={() => void send()} data-testid="escalation-send">
              {t('escalationView.send')}
            </Button>
          </Group>
          <Group align="end" mt="md">
            <NativeSelect
              label={t('escalationView.resolution')}
              data={[
                { value: '', label: t('escalationView.choose') },
                ...ESCALATION_RESOLUTIONS.map((value) => ({
                  value,
                  label: ESCALATION_RESOLUTION_LABELS[value][locale],
                })),
              ]}
              value={resolution ?? ''}
              error={missing === 'resolution' ? t('escalationView.resolutionRequired') : undefined}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setResolution(ESCALATION_RESOLUTIONS.find((option) => option === value) ?? null);
                setMissing(null);
              }}
              w={240}
              data-testid="escalation-resolution"
            />
            <Textarea
              label={t('escalationView.note')}
              value={note}
              onChange={(event) => {
                setNote(event.currentTarget.value);
              }}
              style={{ flex: 1 }}
              autosize
              minRows={1}
              data-testid="escalation-note"
            />
            <Button
              color="gray"
              variant="light"
              onClick={() => void close()}
              data-testid="escalation-close"
            >
              {t('escalationView.close')}
            </Button>
          </Group>
        </Stack>
      )}
      {closing && (
        <Alert color="blue" data-testid="escalation-close-pending">
          {t('escalationView.closePending')}
        </Alert>
      )}
      {conversation.state === 'closed' && conversation.resolution !== null && (
        <Alert color="teal" data-testid="escalation-closed">
          {t('escalationView.closed', {
            resolution: ESCALATION_RESOLUTION_LABELS[conversation.resolution][locale],
          })}
          {conversation.resolutionNote !== null && conversation.resolutionNote !== '' && (
            <Text size="sm" mt={4}>
              <RedactedText text={conversation.resolutionNote} />
            </Text>
          )}
        </Alert>
      )}
    </Stack>
  );
}

function SlaBadge({
  sla,
  respondBy,
  time,
}: {
  readonly sla: ReturnType<typeof responseSla>;
  readonly respondBy: string | null;
  readonly time: (iso: string) => string;
}) {
  const { t } = useTranslation();
  if (sla.status === 'none' || respondBy === null) {
    return null;
  }
  const by = time(respondBy);
  const [color, text] =
    sla.status === 'due'
      ? [
          sla.soon ? 'orange' : 'blue',
          t('escalationView.sla.due', { duration: formatDuration(sla.leftMs, t), time: by }),
        ]
      : sla.status === 'overdue'
        ? [
            'red',
            t('escalationView.sla.overdue', { duration: formatDuration(sla.lateMs, t), time: by }),
          ]
        : sla.status === 'met'
          ? ['teal', t('escalationView.sla.met', { duration: formatDuration(sla.tookMs, t) })]
          : ['red', t('escalationView.sla.late', { duration: formatDuration(sla.tookMs, t) })];
  return (
    <Badge
      size="lg"
      color={color}
      variant="light"
      style={{ textTransform: 'none' }}
      data-testid="escalation-sla"
      data-status={sla.status}
    >
      {text}
    </Badge>
  );
}
