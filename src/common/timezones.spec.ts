import { currentTimezoneName, isTimezone } from './timezones.js';

describe('currentTimezoneName', () => {
  it.each([
    ['Europe/Kyiv', 'Europe/Kyiv'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['europe/kiev', 'Europe/Kyiv'],
    ['Asia/Ho_Chi_Minh', 'Asia/Ho_Chi_Minh'],
    ['Asia/Saigon', 'Asia/Ho_Chi_Minh'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Asia/Almaty', 'Asia/Almaty'],
    ['asia/almaty', 'Asia/Almaty'],
    ['Asia/Tashkent', 'Asia/Tashkent'],
    ['Asia/Samarkand', 'Asia/Samarkand'],
    ['America/Godthab', 'America/Nuuk'],
    ['America/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    // IANA links these to a zone with the same rules, but they are other cities: kept.
    ['Europe/Copenhagen', 'Europe/Copenhagen'],
    ['Atlantic/Reykjavik', 'Atlantic/Reykjavik'],
    ['UTC', 'UTC'],
  ])('%s is stored as %s', (given, stored) => {
    expect(currentTimezoneName(given)).toBe(stored);
  });

  it('every current name is accepted, and formats like its legacy alias', () => {
    const instant = new Date('2024-03-01T12:00:00Z');
    const clock = (timeZone: string) =>
      new Intl.DateTimeFormat('en-GB', { timeZone, timeStyle: 'long' }).format(instant);
    for (const [legacy, current] of [
      ['Europe/Kiev', 'Europe/Kyiv'],
      ['Asia/Saigon', 'Asia/Ho_Chi_Minh'],
      ['Asia/Calcutta', 'Asia/Kolkata'],
    ]) {
      expect(isTimezone(current)).toBe(true);
      expect(clock(current)).toBe(clock(legacy));
    }
  });

  it('refuses fixed offsets and made-up names', () => {
    for (const value of ['+05:00', 'GMT+5', 'Asia/Atlantis', 'Kyiv', '']) {
      expect(isTimezone(value)).toBe(false);
    }
  });
});
