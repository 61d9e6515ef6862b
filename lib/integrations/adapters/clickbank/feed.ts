/**
 * Streams ClickBank's marketplace feed: the zip is downloaded to a temp file (never held in memory whole),
 * opened with yauzl, and its XML entry parsed with saxes as it inflates, emitting MarketplaceSite batches.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { SaxesParser } from 'saxes';
import yauzl from 'yauzl';
import { IntegrationError, fromHttpStatus, fromNetworkError } from '../errors';
import type { MarketplaceSite } from './types';

interface FeedProgress {
  phase: 'download' | 'parse';
  bytes: number;
  sites: number;
}

export interface StreamFeedOptions {
  batchSize?: number;
  onProgress?: (progress: FeedProgress) => void;
  /** Download timeout (default 5 minutes: the real feed is tens of MB). */
  timeoutMs?: number;
  /** Where the temp file goes (default os.tmpdir()). */
  tmpDir?: string;
}

export interface FeedSummary {
  sites: number;
  categories: number;
  zipBytes: number;
  durationMs: number;
}

const numberFields = {
  Gravity: 'gravity',
  Commission: 'commission',
  InitialEarningsPerSale: 'initialEarningsPerSale',
  AverageEarningsPerSale: 'averageEarningsPerSale',
  PercentPerSale: 'percentPerSale',
  PercentPerRebill: 'percentPerRebill',
  TotalRebillAmt: 'totalRebillAmt',
  Referred: 'referred',
  PopularityRank: 'popularityRank',
} as const satisfies Record<string, keyof MarketplaceSite>;

const toNumber = (text: string): number => {
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : 0;
};

const emptySite = (categoryPath: string[]): MarketplaceSite => ({
  id: '',
  title: '',
  description: '',
  categoryPath,
  gravity: 0,
  commission: 0,
  initialEarningsPerSale: 0,
  averageEarningsPerSale: 0,
  percentPerSale: 0,
  percentPerRebill: 0,
  totalRebillAmt: 0,
  referred: 0,
  hasRecurringProducts: false,
  popularityRank: 0,
  activateDate: null,
});

const damaged = (detail: string, cause?: unknown): IntegrationError =>
  new IntegrationError({
    provider: 'clickbank',
    kind: 'unavailable',
    message: `ClickBank marketplace feed could not be read: ${detail}`,
    plainMessage:
      "ClickBank's marketplace feed could not be read (the download looks damaged); we will try again.",
    cause,
  });

/** Parser state machine: categories nest, sites sit inside them, fields are leaf elements of <Site>. */
function createFeedParser(onSite: (site: MarketplaceSite) => void) {
  const parser = new SaxesParser();
  const categories: string[] = [];
  let categoryCount = 0;
  let site: MarketplaceSite | null = null;
  let text = '';
  parser.on('opentag', (tag) => {
    text = '';
    if (tag.name === 'Category') {
      categories.push('');
      categoryCount++;
    } else if (tag.name === 'Site') {
      site = emptySite(categories.filter(Boolean));
    }
  });
  parser.on('text', (t) => (text += t));
  parser.on('cdata', (t) => (text += t));
  parser.on('closetag', (tag) => {
    const name = tag.name;
    if (name === 'Category') categories.pop();
    else if (name === 'Name' && !site && categories.length) categories[categories.length - 1] = text.trim();
    else if (name === 'Site' && site) {
      if (site.id) onSite(site);
      site = null;
    } else if (site) {
      const current: MarketplaceSite = site;
      if (name === 'Id') current.id = text.trim();
      else if (name === 'Title') current.title = text.trim();
      else if (name === 'Description') current.description = text.trim();
      else if (name === 'HasRecurringProducts')
        current.hasRecurringProducts = text.trim().toLowerCase() === 'true';
      else if (name === 'ActivateDate') current.activateDate = text.trim() || null;
      else if (name in numberFields)
        current[numberFields[name as keyof typeof numberFields]] = toNumber(text);
    }
    text = '';
  });
  return { parser, categoryCount: () => categoryCount };
}

/** A kept-alive socket the server had already closed when the request went out (undici's `other side closed`). */
function isStaleSocket(err: unknown): boolean {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  return cause?.code === 'UND_ERR_SOCKET';
}

async function download(feedUrl: string, file: string, opts: StreamFeedOptions): Promise<number> {
  let res: Response;
  try {
    const get = () => fetch(feedUrl, { signal: AbortSignal.timeout(opts.timeoutMs ?? 300_000) });
    // A GET that died on a stale pooled socket never reached the server: ask again once, on a new socket.
    res = await get().catch((err: unknown) => {
      if (isStaleSocket(err)) return get();
      throw err;
    });
  } catch (err) {
    throw fromNetworkError('clickbank', err);
  }
  if (!res.ok || !res.body) {
    throw fromHttpStatus('clickbank', res.status, await res.text().catch(() => ''), res.headers);
  }
  let bytes = 0;
  const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    opts.onProgress?.({ phase: 'download', bytes, sites: 0 });
  });
  try {
    await pipeline(body, createWriteStream(file));
  } catch (err) {
    throw fromNetworkError('clickbank', err);
  }
  return bytes;
}

async function openXmlEntry(file: string): Promise<{ stream: Readable; zip: yauzl.ZipFile }> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: true });
  } catch (err) {
    throw damaged(`not a zip file (${(err as Error).message})`, err);
  }
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName.toLowerCase().endsWith('.xml')) {
      return { stream: await zip.openReadStreamPromise(entry), zip };
    }
  }
  zip.close();
  throw damaged('the zip holds no XML file');
}

/**
 * Downloads and parses the feed, calling `onBatch` with up to `batchSize` sites at a time (awaited, so a
 * slow consumer slows the parse instead of piling sites up in memory). Deletes the temp file afterwards.
 */
export async function streamMarketplaceFeed(
  feedUrl: string,
  onBatch: (sites: MarketplaceSite[]) => Promise<void>,
  opts: StreamFeedOptions = {},
): Promise<FeedSummary> {
  const started = Date.now();
  const batchSize = opts.batchSize ?? 500;
  const dir = await mkdtemp(path.join(opts.tmpDir ?? os.tmpdir(), 'clickbank-feed-'));
  try {
    const file = path.join(dir, 'marketplace_feed_v2.xml.zip');
    const zipBytes = await download(feedUrl, file, opts);
    const { stream, zip } = await openXmlEntry(file);
    let pending: MarketplaceSite[] = [];
    let sites = 0;
    const { parser, categoryCount } = createFeedParser((site) => {
      pending.push(site);
      sites++;
    });
    const flush = async (all: boolean) => {
      while (pending.length >= batchSize || (all && pending.length)) {
        const batch = pending.slice(0, batchSize);
        pending = pending.slice(batchSize);
        await onBatch(batch);
        opts.onProgress?.({ phase: 'parse', bytes: zipBytes, sites: sites - pending.length });
      }
    };
    const decoder = new TextDecoder('utf-8');
    // Zip/inflate and XML errors mean a damaged feed; errors thrown by onBatch are the caller's and pass through.
    const parse = (text: string, last = false) => {
      try {
        parser.write(text);
        if (last) parser.close();
      } catch (err) {
        throw damaged(`malformed XML (${(err as Error).message})`, err);
      }
    };
    const chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await chunks.next();
        } catch (err) {
          throw damaged(`could not inflate the XML (${(err as Error).message})`, err);
        }
        if (next.done) break;
        parse(decoder.decode(next.value, { stream: true }));
        await flush(false);
      }
      parse(decoder.decode(), true);
    } finally {
      stream.destroy();
      zip.close();
    }
    await flush(true);
    return { sites, categories: categoryCount(), zipBytes, durationMs: Date.now() - started };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
