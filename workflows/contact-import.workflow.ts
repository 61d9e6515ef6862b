import {
  ApplicationFailure,
  CancellationScope,
  continueAsNew,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { ContactImportActivities } from '../activities/contact-import';
import {
  CONTACT_IMPORT_FILE_INVALID,
  contactImportProgressQuery,
  type ContactImportInput,
  type ContactImportProgress,
} from './contracts/contact-import';
import { databaseStep } from './activity-options';

const DEFAULT_PIECES_PER_RUN = 200;

const db = proxyActivities<ContactImportActivities>(databaseStep);
// Reading a file of up to 50 MB (over a million rows) into pieces takes a while; it is done once. It heartbeats,
// so the attempt of a worker that died is retried after the heartbeat timeout.
const reader = proxyActivities<ContactImportActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [CONTACT_IMPORT_FILE_INVALID],
  },
});

/**
 * A big CSV import (`contact-import-<id>`): one step reads the stored file into pieces in the database, then each
 * piece is imported in its own short transaction (idempotent: a piece is marked done in the transaction that
 * writes it). Progress is the import's counts, kept both here (query) and in the table (the API's GET). The run
 * continues as new every few hundred pieces, so even a 50 MB file never builds a large history.
 */
export async function contactImportWorkflow(input: ContactImportInput): Promise<ContactImportProgress> {
  const { teamId, importId } = input;
  const piecesPerRun = input.piecesPerRun ?? DEFAULT_PIECES_PER_RUN;
  let progress: ContactImportProgress = input.progress ?? {
    status: 'queued',
    total: null,
    rowsDone: 0,
    piecesTotal: null,
    piecesDone: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    skipped: 0,
  };
  setHandler(contactImportProgressQuery, () => progress);

  let continueFrom: number | undefined;
  try {
    // 0 would continue as new forever without importing a piece. Inside the try: the import is marked failed.
    if (!Number.isInteger(piecesPerRun) || piecesPerRun < 1) {
      throw ApplicationFailure.nonRetryable(
        `The import was started with ${piecesPerRun} pieces per run: it needs at least 1`,
        'InvalidContactImportInput',
      );
    }
    if (input.nextPiece === undefined) {
      progress = { ...progress, status: 'reading' };
      progress = await reader.readContactImport.executeWithOptions(
        { summary: 'Read the file into pieces of 1000 contacts' },
        [{ teamId, importId }],
      );
    }
    const pieces = progress.piecesTotal ?? 0;
    for (let piece = input.nextPiece ?? 0, inRun = 0; piece < pieces; piece++, inRun++) {
      if (inRun === piecesPerRun) {
        continueFrom = piece;
        break;
      }
      progress = await db.importContactPiece.executeWithOptions(
        { summary: `Import piece ${piece + 1} of ${pieces}` },
        [{ teamId, importId, piece }],
      );
    }
    if (continueFrom === undefined) {
      progress = await db.finishContactImport.executeWithOptions({ summary: 'Mark the import finished' }, [
        { teamId, importId, status: 'finished' },
      ]);
      return progress;
    }
  } catch (err) {
    progress = { ...progress, status: 'failed' };
    progress = await CancellationScope.nonCancellable(() =>
      db.finishContactImport.executeWithOptions({ summary: 'Mark the import failed' }, [
        {
          teamId,
          importId,
          status: 'failed',
          error: err instanceof Error ? failureMessage(err) : String(err),
        },
      ]),
    );
    throw err;
  }
  return continueAsNew<typeof contactImportWorkflow>({ ...input, nextPiece: continueFrom, progress });
}

/** Activity errors arrive wrapped in ActivityFailure; the cause carries the useful message. */
function failureMessage(err: Error): string {
  const cause = (err as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : err.message;
}
