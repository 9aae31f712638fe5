import { pino, type DestinationStream, type Logger } from 'pino';

/** Every place a credential could hide: headers hold tokens and signatures. */
const REMOVED = [
  'req.headers',
  'res.headers',
  'headers.authorization',
  '*.authorization',
  'config.headers',
];

/** A URL without its query string (a `?token=` must never reach a log). */
export function withoutQuery(text: string): string {
  return text.replace(/\?[^\s"]*/g, '');
}

/**
 * The bot's pino logger (JSON lines). Probot's request logger (pino-http) cannot be given
 * options through Probot 14's Server, so the logger itself removes headers, drops query
 * strings from request URLs and from messages ("GET /ping?x 200").
 */
export function createBotLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: {
      paths: [...REMOVED, 'req.url'],
      // undefined drops the key from the JSON line; a URL keeps its path.
      censor: (value: unknown, path: string[]) =>
        path[path.length - 1] === 'url' && typeof value === 'string'
          ? withoutQuery(value)
          : undefined,
    },
    hooks: {
      logMethod(this: Logger, args: Parameters<Logger['info']>, method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? withoutQuery(a) : a)),
        );
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** pino-http options for Probot's Server: the request as method and url, nothing else. */
export const REQUEST_LOGGING = {
  serializers: {
    req: (req: { method?: string; url?: string }) => ({
      method: req.method,
      url: req.url === undefined ? undefined : withoutQuery(req.url),
    }),
  },
};
