/** Helpers for the bonuses pages (the API's shapes: $api/bonuses). */
import type { Bonus } from '$api/bonuses';

/** 1 delivery, 2 deliveries. */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export interface UploadAnswer {
  ok: boolean;
  status: number;
  body: { bonus?: Bonus; error?: { message?: string; details?: { path: string; message: string }[] } } | null;
}

/** multipart POST with upload progress (fetch cannot report it; XMLHttpRequest can). */
export function uploadWithProgress(
  url: string,
  data: FormData,
  onProgress: (sent: number, total: number) => void,
): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => {
      let body: UploadAnswer['body'] = null;
      try {
        body = JSON.parse(xhr.responseText) as UploadAnswer['body'];
      } catch {
        body = null;
      }
      resolve({ ok: xhr.status >= 200 && xhr.status < 300, status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('Connection problem: the upload did not reach the server'));
    xhr.send(data);
  });
}

/** The API's limit on a bonus name (api/schemas/bonuses.ts). */
export const BONUS_NAME_MAX = 200;
