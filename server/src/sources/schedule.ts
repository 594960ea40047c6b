import { CronExpressionParser } from 'cron-parser';
import { InvalidParameterError } from '../platform/errors';

/** Words a publisher may use instead of a cron expression; times in Europe/London, away from the working day. */
const PRESETS: Record<string, string> = {
  hourly: '17 * * * *',
  daily: '30 2 * * *',
  weekly: '30 2 * * 1',
  monthly: '30 2 1 * *',
};

export const MANUAL = 'manual';

/** A schedule as stored: "manual", a preset word, or a 5-field cron expression. Throws a 400 naming the mistake. */
export function parseSchedule(input: unknown): string {
  if (input === undefined || input === null || input === '') return 'daily';
  if (typeof input !== 'string') throw new InvalidParameterError('schedule must be a string: "hourly", "daily", "weekly", "monthly", "manual" or a cron expression such as "0 6 * * 1-5".');
  const s = input.trim().toLowerCase();
  if (s === MANUAL || PRESETS[s]) return s;
  if (s.split(/\s+/).length !== 5) throw new InvalidParameterError(`schedule "${input}" is not one we understand; use "hourly", "daily", "weekly", "monthly", "manual" or a five-field cron expression such as "0 6 * * 1-5".`);
  try {
    CronExpressionParser.parse(s, { tz: 'Europe/London' });
  } catch (err) {
    throw new InvalidParameterError(`schedule "${input}" is not a valid cron expression: ${(err as Error).message}`);
  }
  return s;
}

/** When a source on this schedule next runs after `from`; null for manual. */
export function nextRun(schedule: string, from = new Date()): Date | null {
  if (schedule === MANUAL) return null;
  return CronExpressionParser.parse(PRESETS[schedule] ?? schedule, { currentDate: from, tz: 'Europe/London' }).next().toDate();
}

/** How long between runs, roughly: what "stale" is measured against. Null for manual. */
export function interval(schedule: string, from = new Date()): number | null {
  const first = nextRun(schedule, from);
  if (!first) return null;
  return nextRun(schedule, first)!.getTime() - first.getTime();
}
