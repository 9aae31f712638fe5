// The bot's memory while it rejects 64 MiB of webhook bodies: 64 bodies of 1 MiB (read to
// the limit, then refused for their signature) and one of 64 MiB streamed without a
// Content-Length (refused at the limit). The bot runs alone in a child process so its RSS
// is its own (/proc/<pid>/status, Linux).
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { freePort } from '../../src/core/free-port.js';

const MiB = 1024 * 1024;

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error('no VmRSS in /proc: Linux only');
  return Number(m[1]) / 1024;
}

/** POSTs `size` bytes to the webhook route, chunked or with a Content-Length; resolves on the answer. */
function post(url: string, size: number, chunked: boolean): Promise<number> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-github-event': 'issue_comment',
      'x-github-delivery': 'bench',
      'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
    };
    if (!chunked) headers['content-length'] = String(size);
    // The answer may come (413) while the body is still being sent; the bot then closes the
    // connection, which ends the upload with an error here: the answer is what counts.
    const req = request(`${url}/api/github/webhooks`, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < size && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

/** Idle and after-rejection RSS of a bot process (MiB), with the answers it gave. */
export async function rejectedBodiesMemory(githubUrl: string) {
  const port = await freePort();
  const child = execa(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./bot-process.ts', import.meta.url).pathname,
      String(port),
      githubUrl,
    ],
    { reject: false, stdout: 'pipe', stderr: 'inherit' },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.catch(reject);
    });
    const url = `http://127.0.0.1:${port}`;
    // Idle: after start-up and a few plain requests.
    for (let i = 0; i < 20; i++) await (await fetch(`${url}/ping`)).text();
    const pid = child.pid as number;
    const idle = rssMiB(pid);
    const statuses = new Map<number, number>();
    const count = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
    for (let i = 0; i < 64; i++) count(await post(url, MiB, false));
    count(await post(url, 64 * MiB, true));
    const after = rssMiB(pid);
    return {
      rssIdleMiB: Math.round(idle),
      rssAfterRejectedMiB: Math.round(after),
      rssRatio: Math.round((after / idle) * 100) / 100,
      rejectedAnswers: Object.fromEntries(statuses),
    };
  } finally {
    child.kill('SIGTERM');
    await child;
  }
}
