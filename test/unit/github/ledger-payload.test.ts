import { describe, expect, it } from 'vitest';
import { deploymentRequest } from '../../../src/github/deployments.js';
import {
  ledgerPayload,
  payloadVersion,
  readLedgerPayload,
} from '../../../src/github/ledger-payload.js';

const v2 = {
  version: 'v2',
  sha: 'b'.repeat(40),
  image: 'ghcr.io/o/m@sha256:2222',
  digest: 'sha256:2222',
};
const v1 = { version: 'v1', sha: 'a'.repeat(40), image: 'ghcr.io/o/m:v1' };

describe('the ledger payload, written once and read by the action and the bot', () => {
  it('what deploy writes is what both readers read back, as an object or a JSON string', () => {
    const written = deploymentRequest(v2, v1, 'production').payload;
    expect(written).toEqual(ledgerPayload(v2, v1));
    for (const stored of [written, JSON.stringify(written)]) {
      expect(readLedgerPayload(stored)).toEqual({
        version: 'v2',
        image: v2.image,
        digest: 'sha256:2222',
        previousImage: v1.image,
      });
      expect(payloadVersion(stored)).toBe('v2');
    }
  });

  it.each([
    ['no payload', undefined, undefined, undefined],
    ['an empty string', '', undefined, undefined],
    ['malformed JSON', '{"version":', undefined, undefined],
    ['another tool’s payload', { task: 'deploy' }, undefined, undefined],
    ['an image only (older payloads)', { image: 'm:v0' }, undefined, 'm:v0'],
    ['a non-string version', { version: 3, image: 'm:v3' }, undefined, 'm:v3'],
  ])('%s: strict reader %j, version %j', (_, stored, strict, version) => {
    expect(readLedgerPayload(stored)).toEqual(strict);
    expect(payloadVersion(stored)).toEqual(version);
  });
});
