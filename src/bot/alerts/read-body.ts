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
  // A declared size gets one buffer of that size, filled in place: one large allocation that
  // is given back whole, where many socket-sized chunks held until the end fragment the heap.
  const sized = Number.isInteger(declared) && declared > 0 && o.keep !== false;
  const whole = sized ? Buffer.allocUnsafeSlow(declared) : undefined;
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
      const at = size;
      size += chunk.length;
      if (size > limit || (whole && size > whole.length)) {
        req.pause();
        finish({ ok: false, reason: 'too_large' });
        return;
      }
      o.onChunk?.(chunk);
      // A body nobody will parse (a hash is enough) is not kept: nothing to hold in memory.
      if (whole) chunk.copy(whole, at);
      else if (o.keep !== false) chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () =>
      finish({ ok: true, body: whole ? whole.subarray(0, size) : Buffer.concat(chunks) }),
    );
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
    req.on('aborted', () => finish({ ok: false, reason: 'aborted' }));
  });
}
