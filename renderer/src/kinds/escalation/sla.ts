/** Where an escalation stands against its response deadline (server time, never the device's). */
export type ResponseSla =
  | { readonly status: 'due'; readonly leftMs: number; readonly soon: boolean }
  | { readonly status: 'overdue'; readonly lateMs: number }
  | { readonly status: 'met' | 'late'; readonly tookMs: number }
  | { readonly status: 'none' };

/** Under this much time left the countdown turns orange. */
export const SLA_SOON_MS = 30 * 60_000;

export interface SlaFacts {
  readonly escalatedAt: string | null;
  readonly respondBy: string | null;
  readonly firstRepliedAt: string | null;
}

/**
 * The response deadline of an escalation: counting down until the desk's first reply, then
 * whether that reply came in time. A reply recorded on this device but not yet synced does not
 * count: the server's time of the reply decides.
 */
export function responseSla(facts: SlaFacts, serverNow: number): ResponseSla {
  if (facts.respondBy === null || facts.escalatedAt === null) {
    return { status: 'none' };
  }
  const respondBy = Date.parse(facts.respondBy);
  if (facts.firstRepliedAt !== null) {
    const repliedAt = Date.parse(facts.firstRepliedAt);
    return {
      status: repliedAt <= respondBy ? 'met' : 'late',
      tookMs: repliedAt - Date.parse(facts.escalatedAt),
    };
  }
  const left = respondBy - serverNow;
  return left > 0
    ? { status: 'due', leftMs: left, soon: left < SLA_SOON_MS }
    : { status: 'overdue', lateMs: serverNow - respondBy };
}
