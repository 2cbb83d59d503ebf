import type { Provider } from '../../shared/providers.js';
import type { Stack } from '../support/stack.js';
import { waitFor } from '../support/truth.js';

// Two SPA callers whose Microsoft data overlap: both connect the SAME Microsoft account (identical
// Graph ids, subjects and senders in both their partitions), and each also connects an account of
// their own. Whatever one of them asks, nothing of the other may come back.

export interface Caller {
  email: string;
  token: string;
  /** Every integration id of this caller, by provider. */
  ids: string[];
  calendarIds: string[];
  mailIds: string[];
}

export const SHARED_ACCOUNT = 'shared.mailbox@contoso.example';

async function connect(stack: Stack, caller: string, provider: Provider, account: string): Promise<string> {
  const res = await stack.connect(caller, provider, account);
  if (res.status !== 201) throw new Error(`connect ${caller}/${provider}/${account} answered ${res.status}`);
  return res.body.id as string;
}

/** Waits until every integration's first sync succeeded (fails fast on a failed one). */
export async function synced(stack: Stack, caller: Caller): Promise<void> {
  await Promise.all(
    caller.ids.map((id) =>
      waitFor(async () => {
        const res = await stack.api('GET', `integrations/${id}`, { token: caller.token });
        if (res.body?.last_sync?.status === 'failed')
          throw new Error(`sync of ${id} failed: ${JSON.stringify(res.body.last_sync.error)}`);
        return res.body?.last_sync?.status === 'succeeded';
      }, 90_000),
    ),
  );
}

export async function twoCallers(stack: Stack, sizes = { events: 30, messages: 40 }): Promise<[Caller, Caller]> {
  const seed = (email: string) => ({
    email,
    calendar: { events: sizes.events, recurring_series: 1, all_day: 2 },
    mailbox: { messages: sizes.messages, unread_share: 0.5 },
  });
  stack.user(SHARED_ACCOUNT, seed(SHARED_ACCOUNT));
  const callers: Caller[] = [];
  for (const who of ['alice', 'bob']) {
    const email = `${who}@fabrikam.example`;
    const own = `${who}.own@contoso.example`;
    stack.user(own, seed(own));
    const calendarIds = [
      await connect(stack, email, 'microsoft_calendar', SHARED_ACCOUNT),
      await connect(stack, email, 'microsoft_calendar', own),
    ];
    const mailIds = [
      await connect(stack, email, 'microsoft_outlook', SHARED_ACCOUNT),
      await connect(stack, email, 'microsoft_outlook', own),
    ];
    callers.push({
      email,
      token: await stack.callerToken(email),
      ids: [...calendarIds, ...mailIds],
      calendarIds,
      mailIds,
    });
  }
  await Promise.all(callers.map((c) => synced(stack, c)));
  return callers as [Caller, Caller];
}
