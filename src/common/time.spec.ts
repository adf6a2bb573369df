import { instantAt, readIn, startOfDay } from './time.js';

describe('startOfDay', () => {
  it.each([
    ['2022-09-25', 'Europe/Berlin', '2022-09-24T22:00:00.000Z'],
    ['2022-12-01', 'Europe/Berlin', '2022-11-30T23:00:00.000Z'],
    // Asia/Almaty was UTC+6 until 1 March 2024 and is UTC+5 since.
    ['2023-04-23', 'Asia/Almaty', '2023-04-22T18:00:00.000Z'],
    ['2024-09-02', 'Asia/Almaty', '2024-09-01T19:00:00.000Z'],
    ['2024-09-02', 'Asia/Seoul', '2024-09-01T15:00:00.000Z'],
    ['2024-03-31', 'Europe/Berlin', '2024-03-30T23:00:00.000Z'],
    ['2024-10-27', 'Europe/Berlin', '2024-10-26T22:00:00.000Z'],
    ['2024-03-10', 'America/New_York', '2024-03-10T05:00:00.000Z'],
  ])('%s begins in %s at %s', (date, zone, instant) => {
    expect(startOfDay(date, zone).toISOString()).toBe(instant);
  });
});

describe('instantAt: a wall-clock time read in a zone', () => {
  it.each([
    // Asia/Almaty moved from UTC+6 to UTC+5 on 1 March 2024.
    ['2024-02-29T10:00', 'Asia/Almaty', '2024-02-29T04:00:00.000Z'],
    ['2024-03-01T10:00', 'Asia/Almaty', '2024-03-01T05:00:00.000Z'],
    ['2024-03-01T00:30', 'Asia/Almaty', '2024-02-29T19:30:00.000Z'],
    ['2025-03-30T01:59', 'Europe/Berlin', '2025-03-30T00:59:00.000Z'],
    ['2025-03-30T03:00', 'Europe/Berlin', '2025-03-30T01:00:00.000Z'],
    ['2025-10-26T01:59', 'Europe/Berlin', '2025-10-25T23:59:00.000Z'],
    ['2025-10-26T03:00', 'Europe/Berlin', '2025-10-26T02:00:00.000Z'],
    ['2024-09-02T09:30:15', 'Asia/Tashkent', '2024-09-02T04:30:15.000Z'],
    ['2024-03-10T03:00', 'America/New_York', '2024-03-10T07:00:00.000Z'],
  ])('%s in %s is %s', (local, zone, instant) => {
    expect(instantAt(local, zone)).toEqual({ instant: new Date(instant) });
  });

  it.each([
    // The clocks jump from 02:00 to 03:00: nothing happens at 02:30.
    ['2025-03-30T02:30', 'Europe/Berlin', 'nonexistent'],
    ['2025-03-30T02:00', 'Europe/Berlin', 'nonexistent'],
    ['2024-03-10T02:15', 'America/New_York', 'nonexistent'],
    // The clocks go back from 03:00 to 02:00: 02:30 happens twice.
    ['2025-10-26T02:30', 'Europe/Berlin', 'ambiguous'],
    ['2025-10-26T02:00', 'Europe/Berlin', 'ambiguous'],
    ['2024-11-03T01:30', 'America/New_York', 'ambiguous'],
    // Almaty's clocks went back from 00:00 on 1 March 2024 to 23:00 on 29 February.
    ['2024-02-29T23:30', 'Asia/Almaty', 'ambiguous'],
  ])('%s in %s is %s', (local, zone, problem) => {
    expect(instantAt(local, zone)).toEqual({ problem });
  });
});

describe('readIn: an instant as it reads in a zone', () => {
  it.each([
    ['2024-02-29T04:00:00Z', 'Asia/Almaty', '2024-02-29T10:00:00', '2024-02-29', '+06:00'],
    ['2024-03-01T05:00:00Z', 'Asia/Almaty', '2024-03-01T10:00:00', '2024-03-01', '+05:00'],
    ['2025-10-26T00:30:00Z', 'Europe/Berlin', '2025-10-26T02:30:00', '2025-10-26', '+02:00'],
    ['2025-10-26T01:30:00Z', 'Europe/Berlin', '2025-10-26T02:30:00', '2025-10-26', '+01:00'],
    ['2024-09-01T19:30:00Z', 'Asia/Samarkand', '2024-09-02T00:30:00', '2024-09-02', '+05:00'],
  ])('%s in %s reads %s (%s, %s)', (instant, zone, dateTime, date, utcOffset) => {
    expect(readIn(new Date(instant), zone)).toEqual({ dateTime, date, timeZone: zone, utcOffset });
  });
});
