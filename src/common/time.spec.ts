import { startOfDay } from './time.js';

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
