import type { TableEntity } from '@azure/data-tables';
import { z } from 'zod';
import { graphLinkProblem } from '../graph/schemas.js';
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
export type StreamState = z.infer<typeof streamStateSchema> & {
  /** Read back with a link that is not Graph's (see graphLinkProblem): the links are gone, a full round follows. */
  linkRefused?: 'nextLink' | 'deltaLink';
};

/** The table operations the store uses: a TableClient in production, an in-memory table in unit tests. */
export interface SyncStateTable {
  getEntity(partitionKey: string, rowKey: string): Promise<object>;
  upsertEntity(entity: TableEntity, mode: 'Replace'): Promise<unknown>;
}

export class SyncStateStore {
  constructor(
    private readonly table: SyncStateTable,
    readonly integrationId: string,
    /** GRAPH_BASE_URL: a stored link elsewhere is never handed out. */
    private readonly graphBaseUrl: string,
  ) {}

  async get(stream: string): Promise<StreamState | undefined> {
    try {
      const row = await this.table.getEntity(this.integrationId, stream);
      const parsed = streamStateSchema.safeParse(row);
      // A row that does not parse is treated as absent: the stream starts a fresh full round.
      if (!parsed.success) return undefined;
      // A row written by someone with table access, or by an older version that followed any link, is
      // checked as a page's links are: a refused one is dropped (with its sibling) and never followed.
      const { nextLink, deltaLink, ...rest } = parsed.data;
      const refused = (link: string | undefined) =>
        link !== undefined && graphLinkProblem(link, this.graphBaseUrl) !== undefined;
      if (refused(nextLink)) return { ...rest, linkRefused: 'nextLink' };
      if (refused(deltaLink)) return { ...rest, linkRefused: 'deltaLink' };
      return parsed.data;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async put(stream: string, state: StreamState): Promise<void> {
    const { etag: _ignored, linkRefused: _notStored, ...fields } = state;
    const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    await this.table.upsertEntity({ partitionKey: this.integrationId, rowKey: stream, ...clean }, 'Replace');
  }
}
