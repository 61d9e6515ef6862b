import pino from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config';

export type Logger = pino.Logger;

function usePretty(format: Config['logFormat']): boolean {
  return format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
}

export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>, name: string): Logger {
  const options: pino.LoggerOptions = {
    name,
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-hopflow-ui-secret"]',
        '*.password',
        '*.refreshToken',
        '*.accessToken',
      ],
      censor: '[redacted]',
    },
  };
  if (!usePretty(config.logFormat)) return pino(options);
  // Synchronous pretty stream: no worker thread, lines stay in order with the launcher's own output.
  return pino(
    options,
    pretty({ sync: true, colorize: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss' }),
  );
}
