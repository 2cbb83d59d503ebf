import { randomUUID } from 'node:crypto';
import type { GraphGet } from '../graph/client.js';
import type { DeltaEntry } from '../graph/schemas.js';
import type { Logger } from '../log.js';
import { asThrottled, isDeltaExpired } from './errors.js';
import type { ItemUpsert, ItemWriter } from './item-writer.js';
import type { StreamState, SyncStateStore } from './state-store.js';

/** A deltaLink unchanged for this long is saved again even when nothing changed, so it never ages out. */
const DELTA_REFRESH_MS = 24 * 3600 * 1000;

/** Pages one stream may fetch in one job (SYNC_MAX_PAGES_PER_STREAM): a cyclic nextLink cannot spin to the timeout. */
export const DEFAULT_PAGE_BUDGET = 3000;

export interface StreamSpec<T> {
  stream: string;
  /** The URL that starts a full round (window or filter frozen into it by Graph). */
  initialUrl: string;
  headers: Record<string, string>;
  /** Window bounds: a stored state for another window starts a new full round. */
  window?: { start: string; end: string };
  parsePage(body: unknown): { entries: DeltaEntry<T>[]; nextLink?: string; deltaLink?: string; rejected: number };
  /** Turns a page's upserts into rows (may fetch, e.g. series masters); ids are Graph ids. */
  toUpserts(items: T[]): Promise<ItemUpsert[]>;
  /** Our item id of a Graph id (removals carry only Graph's id). */
  itemIdOf(graphId: string): string;
}

/** The checkpoint store a stream needs (SyncStateStore in production, an in-memory map in unit tests). */
export type StreamStates = Pick<SyncStateStore, 'get' | 'put'>;
/** The item writer a stream needs (ItemWriter in production, an in-memory one in unit tests). */
export type PageWriter = Pick<ItemWriter, 'apply' | 'sweep'>;

export interface StreamContext {
  get: GraphGet;
  states: StreamStates;
  writer: PageWriter;
  log: Logger;
  /** Called after each committed page: renews the lease when it runs low (or now, when forced). */
  heartbeat(force?: boolean): Promise<void>;
  /** At most this many pages in this job (default DEFAULT_PAGE_BUDGET); the rest waits at its checkpoint. */
  pageBudget?: number;
}

export interface StreamResult {
  upserted: number;
  deleted: number;
  pages: number;
  fullRound: boolean;
  /** The page budget ran out: the round stopped at its last checkpoint and goes on in the next job. */
  exhausted?: true;
}

/**
 * Runs one delta stream to its deltaLink. Checkpoints after every committed page (nextLink), so a
 * crash resumes without loss; the deltaLink is saved only once all of its round's pages are in.
 * A full round marks what it sees and sweeps the rest at the end; an expired delta token starts
 * one full round over.
 */
export async function runDeltaStream<T>(spec: StreamSpec<T>, ctx: StreamContext): Promise<StreamResult> {
  const saved = await ctx.states.get(spec.stream);
  const sameWindow = !spec.window || (saved?.windowStart === spec.window.start && saved?.windowEnd === spec.window.end);
  const fresh = (): StreamState => ({
    round: randomUUID(),
    roundKind: 'full',
    windowStart: spec.window?.start,
    windowEnd: spec.window?.end,
  });
  // A stored link that is not Graph's is dropped by the store, and treated like an expired delta token.
  if (saved?.linkRefused) {
    ctx.log.warn('stored Graph link refused; full resync', { stream: spec.stream, link: saved.linkRefused });
  }
  const usable = saved && !saved.linkRefused && sameWindow && (saved.nextLink || saved.deltaLink);
  let state: StreamState = usable ? saved : fresh();
  let url = state.nextLink ?? (state.roundKind === 'delta' ? state.deltaLink : undefined) ?? spec.initialUrl;
  if (state !== saved && !saved?.linkRefused) {
    const reason = saved ? (sameWindow ? 'no checkpoint' : 'window moved') : 'first sync';
    ctx.log.info('full round', { stream: spec.stream, reason });
  }
  const resume = state.nextLink ? 'nextLink' : url === spec.initialUrl ? 'initial' : 'deltaLink';
  ctx.log.debug('stream started', { stream: spec.stream, round_kind: state.roundKind, resume });
  const result: StreamResult = { upserted: 0, deleted: 0, pages: 0, fullRound: state.roundKind === 'full' };
  const budget = ctx.pageBudget ?? DEFAULT_PAGE_BUDGET;
  let restarted = false;
  let changed = false;

  for (;;) {
    if (result.pages >= budget) {
      // The last page's nextLink is checkpointed: the next job resumes there instead of failing here.
      const pages = result.pages;
      ctx.log.warn('page budget used up; the round goes on in the next sync', { stream: spec.stream, pages });
      result.exhausted = true;
      return result;
    }
    let body: unknown;
    try {
      body = await ctx.get(url, spec.headers);
    } catch (error) {
      if (isDeltaExpired(error) && !restarted) {
        ctx.log.warn('delta token expired; full resync', { stream: spec.stream });
        restarted = true;
        state = fresh();
        url = spec.initialUrl;
        result.fullRound = true;
        continue;
      }
      throw asThrottled(error);
    }
    result.pages++;
    const page = spec.parsePage(body);
    if (page.rejected) ctx.log.warn('Graph items rejected by schema', { stream: spec.stream, count: page.rejected });
    const upserts = await spec.toUpserts(page.entries.flatMap((e) => (e.kind === 'upsert' ? [e.item] : [])));
    const removals = page.entries.flatMap((e) => (e.kind === 'remove' ? [spec.itemIdOf(e.id)] : []));
    const applied = await ctx.writer.apply(upserts, removals, state.round);
    result.upserted += applied.upserted;
    result.deleted += applied.deleted;
    changed ||= page.entries.length > 0;
    const checkpoint = page.nextLink ? 'nextLink' : 'deltaLink';
    ctx.log.debug('delta page', {
      stream: spec.stream,
      page: result.pages,
      upserts: upserts.length,
      removals: removals.length,
      rejected: page.rejected,
      checkpoint,
    });

    if (page.nextLink) {
      state = { ...state, nextLink: page.nextLink };
      await ctx.states.put(spec.stream, state);
      await ctx.heartbeat();
      url = page.nextLink;
      continue;
    }
    if (!page.deltaLink) throw new Error('a Graph delta page had neither nextLink nor deltaLink');
    if (state.roundKind === 'full') {
      await ctx.heartbeat(true); // a sweep deletes: only the lease holder may run it
      result.deleted += await ctx.writer.sweep(state.round);
    }
    const savedAt = state.deltaSavedAt ? Date.parse(state.deltaSavedAt) : 0;
    // Nothing changed and the stored deltaLink is recent: it still stands for the same state, so
    // keep it and write nothing (a quiet cycle costs one Graph request and no table write).
    const quiet =
      !changed && state.roundKind === 'delta' && result.pages === 1 && Date.now() - savedAt < DELTA_REFRESH_MS;
    if (!quiet) {
      await ctx.heartbeat(true);
      const { nextLink: _done, ...rest } = state;
      await ctx.states.put(spec.stream, {
        ...rest,
        roundKind: 'delta',
        deltaLink: page.deltaLink,
        deltaSavedAt: new Date().toISOString(),
      });
    }
    const finalCheckpoint = quiet ? 'deltaLink kept' : 'deltaLink saved';
    ctx.log.debug('stream finished', { stream: spec.stream, ...result, checkpoint: finalCheckpoint });
    return result;
  }
}
