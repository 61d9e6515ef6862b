/** Shapes of the bonuses API. */
export interface Bonus {
  id: string;
  teamId: string;
  name: string;
  description: string | null;
  kind: 'url' | 'file';
  url: string | null;
  file: { name: string; contentType: string; size: number } | null;
  campaignIds: string[];
  deliveries: number;
  downloads: number;
  createdAt: string;
  updatedAt: string;
}

export interface BonusDelivery {
  id: string;
  bonusId: string;
  bonusName: string;
  campaignId: string | null;
  contactId: string | null;
  receipt: string;
  itemNo: string;
  buyerEmail: string;
  status: 'active' | 'revoked' | 'expired';
  expiresAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
  downloadCount: number;
  lastDownloadedAt: string | null;
  createdAt: string;
}

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
