import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { isNotFound } from '../storage/status.js';

// SyncState: PartitionKey = integration id, RowKey = stream (`calendar`, `mail:<folder>`).
// A row is the stream's checkpoint: the deltaLink of the last finished round, or the nextLink of
// the round under way (saved only after that page's items were committed), and the round id that
// marks the items seen by a full round, so a crash resumes where it stopped and loses nothing.

export const streamStateSchema = z.object({
  deltaLink: z.string().optional(),
  deltaSavedAt: z.string().optional(),
  nextLink: z.string().optional(),
  round: z.string(),
  roundKind: z.enum(['full', 'delta']),
  windowStart: z.string().optional(),
  windowEnd: z.string().optional(),
  etag: z.string().optional(),
});
export type StreamState = z.infer<typeof streamStateSchema>;

export class SyncStateStore {
  constructor(
    private readonly table: TableClient,
    readonly integrationId: string,
  ) {}

  async get(stream: string): Promise<StreamState | undefined> {
    try {
      const row = await this.table.getEntity(this.integrationId, stream);
      const parsed = streamStateSchema.safeParse(row);
      // A row that does not parse is treated as absent: the stream starts a fresh full round.
      return parsed.success ? parsed.data : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async put(stream: string, state: StreamState): Promise<void> {
    const { etag: _ignored, ...fields } = state;
    const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    await this.table.upsertEntity({ partitionKey: this.integrationId, rowKey: stream, ...clean }, 'Replace');
  }
}
