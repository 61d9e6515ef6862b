import { defineQuery } from '@temporalio/workflow';

/** A big CSV import of contacts, read once into pieces and upserted piece by piece (`contact-import-<id>`). */
export const CONTACT_IMPORT_WORKFLOW = 'contactImportWorkflow';

export type ContactImportStatus = 'queued' | 'reading' | 'importing' | 'finished' | 'failed';

/** Counts only: the file and its rows stay in the database, never in workflow history. */
export interface ContactImportProgress {
  status: ContactImportStatus;
  /** Data rows in the file (null until it is read). */
  total: number | null;
  /** Rows accounted for: skipped and duplicate rows once the file is read, then each imported piece's rows. */
  rowsDone: number;
  piecesTotal: number | null;
  piecesDone: number;
  created: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  /** How many rows were skipped (the rows themselves, with their lines, are in the database). */
  skipped: number;
}

/** One object argument; nextPiece and progress carry the state across continueAsNew. */
export interface ContactImportInput {
  teamId: string;
  importId: string;
  /** Pieces per run before continueAsNew, which keeps each history short: at least 1 (a run fails otherwise). */
  piecesPerRun?: number;
  /** Set after continueAsNew: the file is read and pieces before this one are imported. */
  nextPiece?: number;
  progress?: ContactImportProgress;
}

/** Why a file cannot be imported at all (no email column, text that cannot be stored): never retried. */
export const CONTACT_IMPORT_FILE_INVALID = 'ContactImportFileInvalid';

export const contactImportProgressQuery = defineQuery<ContactImportProgress>('contactImportProgress');

/** Business key: one run per import. */
export const contactImportWorkflowId = (importId: string): string => `contact-import-${importId}`;
