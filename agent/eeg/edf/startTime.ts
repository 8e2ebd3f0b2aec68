/**
 * Recording start date and time. The header holds 'dd.mm.yy' and 'hh.mm.ss'; two-digit years
 * follow the EDF rule (85..99 -> 1985..1999, 00..84 -> 2000..2084). EDF+/BDF+ put the full date
 * in the recording field ('Startdate dd-MMM-yyyy ...'), which wins when present.
 */
import type { EegWarning } from '../../protocol';
import { headerError } from './headerField';
import { MAIN_FIELDS } from './header';

export interface CivilDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

export function yearFromTwoDigits(yy: number): number {
  return yy >= 85 ? 1900 + yy : 2000 + yy;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 'Startdate 02-MAR-2002 ...' -> {year, month, day}; undefined when absent or 'Startdate X'. */
export function edfPlusStartDate(
  recording: string,
): { year: number; month: number; day: number } | undefined {
  const m = /^Startdate\s+(\d{1,2})-([A-Za-z]{3})-(\d{4})(\s|$)/.exec(recording);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2].toUpperCase()) + 1;
  const day = Number(m[1]);
  const year = Number(m[3]);
  if (month < 1 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

export function parseStartDateTime(
  path: string,
  startDate: string,
  startTime: string,
  recording: string,
  plus: boolean,
  warnings: EegWarning[],
): CivilDateTime {
  const d = /^\s*(\d{1,2})[.:\-/ ](\d{1,2})[.:\-/ ](\d{2})\s*$/.exec(startDate);
  if (!d) throw headerError(path, MAIN_FIELDS.startDate, 'expected dd.mm.yy', startDate);
  const t = /^\s*(\d{1,2})[.: ](\d{1,2})[.: ](\d{1,2})\s*$/.exec(startTime);
  if (!t) throw headerError(path, MAIN_FIELDS.startTime, 'expected hh.mm.ss', startTime);
  let day = Number(d[1]);
  let month = Number(d[2]);
  let year = yearFromTwoDigits(Number(d[3]));
  const [hour, minute, second] = [Number(t[1]), Number(t[2]), Number(t[3])];
  if (hour > 23 || minute > 59 || second > 59) {
    throw headerError(path, MAIN_FIELDS.startTime, 'time of day out of range', startTime);
  }
  const full = plus ? edfPlusStartDate(recording) : undefined;
  if (full) {
    if (full.day !== day || full.month !== month || full.year % 100 !== year % 100) {
      warnings.push({
        code: 'E_EDF_HEADER',
        message: `startdate of recording (${startDate}) differs from the EDF+ Startdate in the recording field; the EDF+ date is used`,
        field: MAIN_FIELDS.startDate.field,
        offset: MAIN_FIELDS.startDate.offset,
      });
    }
    ({ year, month, day } = full);
  } else if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw headerError(path, MAIN_FIELDS.startDate, 'not a calendar date', startDate);
  }
  return { year, month, day, hour, minute, second };
}

/**
 * ISO 8601 local time without zone, with the sub-second start of the first data record added
 * (EDF+ time-keeping TAL), e.g. "2020-01-24T04:05:56.394531".
 */
export function isoLocal(t: CivilDateTime, offsetSeconds = 0): string {
  const micros = Math.round(offsetSeconds * 1e6);
  const whole = Math.floor(micros / 1e6);
  const frac = micros - whole * 1e6;
  const ms = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) + whole * 1000;
  const base = new Date(ms).toISOString().slice(0, 19);
  if (frac === 0) return base;
  return `${base}.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;
}
