import type { TransactionAction } from '@azure/data-tables';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailMessages } from '../../functions/email-messages.js';
import { callerFrom } from '../../shared/identity/caller.js';
import { connected } from '../../shared/integrations/lifecycle.js';
import { messageRowKey } from '../../shared/items/keys.js';
import { messageToRow } from '../../shared/items/message.js';
import { MAX_ROWS_SCANNED } from '../../shared/query/page.js';
import { providers } from '../../shared/providers.js';
import { adapters } from '../../shared/root.js';
import { submitGroups } from '../../shared/storage/partition.js';
import { startAzurite, type Azurite } from '../support/azurite.js';
import { principalHeader, useSettings } from '../support/settings.js';
import { call, type Page } from './client.js';
import { MINUTE, generateMessage, rng } from './generate.js';

// A search matches text Table Storage cannot filter on, so the rows are read and matched here.
// Without a budget, one request over a big mailbox that matches little reads the whole mailbox.
describe('search reads at most MAX_ROWS_SCANNED rows per request and resumes at the scan frontier', () => {
  const ROWS = MAX_ROWS_SCANNED + 1_500;
  const MATCH_AT = [0, MAX_ROWS_SCANNED + 200, ROWS - 1];
  let azurite: Azurite | undefined;
  let header: string;
  let matchIds: string[];

  beforeAll(async () => {
    azurite = await startAzurite();
    useSettings({ AzureWebJobsStorage: azurite.connectionString });
    const objectId = randomUUID();
    const { userKey } = callerFrom('tenant-1', objectId, undefined, 'aad') ?? { userKey: '' };
    header = principalHeader('tenant-1', objectId);
    const now = Date.now();
    const integration = connected(
      { id: randomUUID(), userKey, provider: 'microsoft_outlook' },
      {
        account: { email: 'big@example.com', displayName: 'Big Mailbox', tenantId: 'tenant-1' },
        microsoftUserId: randomUUID(),
        homeAccountId: `${randomUUID()}.tenant-1`,
        scopes: providers.microsoft_outlook.graphScopes,
      },
      new Date(now),
    );
    const d = await adapters();
    await (await d.stores()).integrations.create(integration);
    const r = rng(7);
    // Newest first: message i was received i minutes ago, so index i is the i-th row a scan reads.
    const messages = Array.from({ length: ROWS }, (_, i) => {
      const m = generateMessage(r, integration.id, now);
      const subject = MATCH_AT.includes(i) ? `needle ${i}` : `hay ${i}`;
      return { ...m, receivedMs: now - i * MINUTE, subject, bodyPreview: '', from: null };
    });
    matchIds = MATCH_AT.map((i) => messages[i]?.id ?? '');
    const table = await d.storage.table('EmailMessages');
    const groups = messages.map((m) => {
      const action: TransactionAction = [
        'upsert',
        messageToRow(integration.id, messageRowKey(m.receivedMs, m.id), m),
        'Replace',
      ];
      return { actions: [action], tag: null };
    });
    await submitGroups(table, groups);
  });
  afterAll(async () => azurite?.stop());

  it('answers a first page before the end of the mailbox, and the pages together hold every match once', async () => {
    const first = await call(emailMessages, header, [
      ['search', 'NEEDLE'],
      ['limit', '10'],
    ]);
    expect(first.status).toBe(200);
    const page = first.body as unknown as Page;
    // The budget ran out after the first match: only it is on this page, and a cursor resumes the scan.
    expect(page.results.map((m) => m.id)).toEqual([matchIds[0]]);
    expect(page.next_cursor).not.toBeNull();

    const seen = page.results.map((m) => String(m.id));
    let cursor = page.next_cursor;
    let pages = 1;
    while (cursor !== null) {
      const next = await call(emailMessages, header, [
        ['search', 'NEEDLE'],
        ['limit', '10'],
        ['cursor', cursor],
      ]);
      expect(next.status).toBe(200);
      const body = next.body as unknown as Page;
      seen.push(...body.results.map((m) => String(m.id)));
      cursor = body.next_cursor;
      pages++;
      expect(pages).toBeLessThan(10);
    }
    expect(seen).toEqual(matchIds);
    expect(pages).toBe(2);
  });
});
