import { pino, type DestinationStream, type Logger } from 'pino';

/** Request logs carry method and url only: headers hold tokens and signatures. */
const REDACT = [
  'req.headers',
  'res.headers',
  'headers.authorization',
  '*.authorization',
  'config.headers',
];

/** The bot's pino logger (JSON lines), with every place a credential could hide removed. */
export function createBotLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT, remove: true } };
  return destination ? pino(options, destination) : pino(options);
}

/** pino-http options for Probot's Server: the request as method and url, nothing else. */
export const REQUEST_LOGGING = {
  serializers: {
    req: (req: { method?: string; url?: string }) => ({
      method: req.method,
      url: req.url?.split('?')[0],
    }),
  },
};
