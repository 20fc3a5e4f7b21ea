import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { redactJsonLine } from './redact.js';

export type { Logger };

export type LoggerSettings = {
  level: string;
  /** Where lines go; tests pass a stream that captures them. Default: stdout. */
  destination?: DestinationStream;
  base?: Record<string, unknown>;
};

/**
 * The one logger factory. Every line is redacted as it is written (see redact.ts), whatever
 * produced it: our code, Fastify's request logs or a library's error. Modules and jobs use
 * `logger.child({ module })`.
 */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: settings.base ?? { service: 'recado' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    hooks: { streamWrite: redactJsonLine },
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}

/** A logger that writes nothing; for tests and tools that do not care. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
