import type { IncomingMessage } from 'node:http';

export type BodyResult =
  { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' };

/**
 * Reads the raw body (needed for HMAC) up to `limit` bytes, handing each chunk to `onChunk`. A declared or actual size over
 * the limit stops reading at once; the caller answers 413 and closes the connection.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  o: { onChunk?: (chunk: Buffer) => void; keep?: boolean } = {},
): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit)
    return Promise.resolve({ ok: false, reason: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ ok: false, reason: 'too_large' });
        return;
      }
      o.onChunk?.(chunk);
      // A body nobody will parse (a hash is enough) is not kept: nothing to hold in memory.
      if (o.keep !== false) chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => finish({ ok: true, body: Buffer.concat(chunks) }));
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
    req.on('aborted', () => finish({ ok: false, reason: 'aborted' }));
  });
}
