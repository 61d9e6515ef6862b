import fs from 'node:fs';
import type { Request, Response } from 'express';
import multer from 'multer';
import type { z } from 'zod';
import { AppError, badRequest } from '../../lib/errors';
import type { UploadedFile } from '../services/bonuses';
import { parseInput } from '../http/validate';

/** Longest original file name kept (in characters, not bytes): longer ones are refused, not cut. */
const MAX_FILE_NAME_CHARS = 200;

/**
 * Reads a bonus create request: JSON (already parsed by express.json) or multipart/form-data with one `file`
 * part, streamed to the upload folder with the size limit enforced while it arrives. Runs inside the handler,
 * after the tenancy check, so an outsider's upload is never read. Where the team comes from the form itself
 * (the POST /bonuses alias), `beforeFile` runs when the file part begins, with the fields sent before it: it
 * throws to refuse the request before a byte of the file is written (the rest of the body is discarded).
 * File names are read as UTF-8 (browsers and curl send them so; busboy's default is latin1).
 */
export async function readBonusRequest<J extends z.ZodType, F extends z.ZodType>(
  req: Request,
  res: Response,
  opts: {
    json: J;
    form: F;
    uploadDir: string;
    maxBytes: number;
    beforeFile?: (fieldsSoFar: Record<string, unknown>) => Promise<void>;
  },
): Promise<{ kind: 'json'; body: z.output<J> } | { kind: 'file'; fields: z.output<F>; file: UploadedFile }> {
  if (!req.is('multipart/form-data')) {
    return { kind: 'json', body: parseInput(opts.json, req.body ?? {}) };
  }
  fs.mkdirSync(opts.uploadDir, { recursive: true });
  const beforeFile = opts.beforeFile;
  const upload = multer({
    dest: opts.uploadDir,
    defParamCharset: 'utf8',
    limits: { fileSize: opts.maxBytes, files: 1, fields: 20, fieldSize: 64 * 1024 },
    fileFilter: (request, file, accept) => {
      if ([...file.originalname].length > MAX_FILE_NAME_CHARS) {
        accept(
          badRequest('The request is not valid', [
            { path: 'file', message: `The file name is longer than ${MAX_FILE_NAME_CHARS} characters` },
          ]),
        );
        return;
      }
      if (!beforeFile) {
        accept(null, true);
        return;
      }
      beforeFile({ ...(request.body as Record<string, unknown>) }).then(
        () => accept(null, true),
        (err: unknown) => accept(err instanceof Error ? err : new Error(String(err))),
      );
    },
  }).single('file');
  await new Promise<void>((resolve, reject) => {
    upload(req, res, (err?: unknown) => {
      if (!err) resolve();
      else reject(uploadError(err, opts.maxBytes));
    });
  });
  const file = req.file;
  let fields: z.output<F>;
  try {
    // Multipart fields are parsed here, after the shared validation step, with the same checks. (A file name
    // cannot carry text PostgreSQL refuses: multipart headers are UTF-8, and busboy refuses a NUL in them.)
    fields = parseInput(opts.form, { ...(req.body as Record<string, unknown>) });
    if (!file) {
      throw badRequest('The request is not valid', [
        { path: 'file', message: 'Attach the bonus file as the "file" part (or send JSON with a url)' },
      ]);
    }
  } catch (err) {
    if (file) fs.rmSync(file.path, { force: true });
    throw err;
  }
  return {
    kind: 'file',
    fields,
    file: {
      tempPath: file.path,
      originalName: file.originalname,
      contentType: file.mimetype || 'application/octet-stream',
      size: file.size,
    },
  };
}

function uploadError(err: unknown, maxBytes: number): Error {
  if (err instanceof AppError) return err; // refused by the file filter (name, tenancy)
  if (!(err instanceof multer.MulterError)) {
    if (!(err instanceof Error)) return new Error(String(err));
    // Disk trouble (ENOSPC, EACCES) is ours; anything else from the parser is a malformed or cut-off body.
    if (typeof (err as NodeJS.ErrnoException).code === 'string') return err;
    return badRequest('The upload could not be read', [{ path: 'file', message: err.message }]);
  }
  const path = err.field ?? 'file';
  switch (err.code) {
    case 'LIMIT_FILE_SIZE':
      return new AppError(413, 'payload_too_large', 'The file is too large', [
        {
          path: 'file',
          message: `At most ${Math.floor(maxBytes / (1024 * 1024)) || maxBytes} ${maxBytes >= 1024 * 1024 ? 'MB' : 'bytes'}`,
        },
      ]);
    case 'LIMIT_UNEXPECTED_FILE':
    case 'LIMIT_FILE_COUNT':
      return badRequest('The request is not valid', [
        { path, message: 'Send exactly one file, as the "file" part' },
      ]);
    default:
      return badRequest('The upload could not be read', [{ path, message: err.message }]);
  }
}
