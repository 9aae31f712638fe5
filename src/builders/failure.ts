/** What a failed login or push says about the registry, read from the tool's output. */
export type RegistryFailure = 'unreachable' | 'unauthorized' | 'tls' | 'other';

const PATTERNS: Array<[RegistryFailure, RegExp]> = [
  [
    'tls',
    /server gave HTTP response to HTTPS client|x509:|certificate (?:signed by unknown|is not valid)|tls: /i,
  ],
  [
    'unauthorized',
    /unauthorized|authentication required|invalid username\/password|incorrect username or password|\b401\b|access denied|denied: /i,
  ],
  [
    'unreachable',
    /connection refused|no such host|i\/o timeout|network is unreachable|no route to host|dial tcp|connection reset|TLS handshake timeout/i,
  ],
];

/** The first kind whose pattern matches any line, most specific first. */
export function classifyRegistryFailure(lines: readonly string[]): RegistryFailure {
  const text = lines.join('\n');
  for (const [kind, pattern] of PATTERNS) if (pattern.test(text)) return kind;
  return 'other';
}
