import { createReadStream, type ReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../lib/config';

/** The stored file's name on disk: the original name is kept in the database, never used as a path. */
const STORED_NAME = 'file';

/**
 * Bonus files on local disk: `<filesDir>/<teamId>/<bonusId>/file`. Paths in the database are relative to
 * filesDir, so the folder can move with the data.
 */
export function createBonusFiles(config: Pick<Config, 'bonuses'>) {
  const root = path.resolve(config.bonuses.filesDir);

  /** Resolves a stored relative path, refusing anything that would leave the folder. */
  const absolute = (relative: string): string => {
    const full = path.resolve(root, relative);
    if (full !== root && !full.startsWith(root + path.sep)) {
      throw new Error(`bonus file path escapes the files folder: ${relative}`);
    }
    return full;
  };

  return {
    /** Where uploads land before they belong to a bonus (same disk, so moving them is a rename). */
    uploadDir: path.join(root, '.uploads'),

    /** Moves an uploaded temp file into the bonus's folder; returns the relative path to store. */
    async adopt(tempPath: string, teamId: string, bonusId: string): Promise<string> {
      const relative = path.join(teamId, bonusId, STORED_NAME);
      const target = absolute(relative);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.rename(tempPath, target);
      return relative;
    },

    /** Removes a bonus's folder (its file); missing is fine. */
    async remove(teamId: string, bonusId: string): Promise<void> {
      await fs.rm(absolute(path.join(teamId, bonusId)), { recursive: true, force: true });
    },

    async discard(tempPath: string): Promise<void> {
      await fs.rm(tempPath, { force: true });
    },

    /** Opens a stored file for streaming; undefined when it is gone. */
    async open(relative: string): Promise<{ stream: ReadStream; size: number } | undefined> {
      const full = absolute(relative);
      try {
        const stat = await fs.stat(full);
        return { stream: createReadStream(full), size: stat.size };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
  };
}

export type BonusFiles = ReturnType<typeof createBonusFiles>;
