import ICAL from 'ical.js';

/** Calendars as calendar programs read them, for the tests of the programme's feeds. */

export interface EventReading {
  uid: string;
  sequence: number;
  summary: string;
  status: string | null;
  tzid: string | null;
  localStart: string;
  start: string;
  end: string;
  location: string | null;
  description: string | null;
}

/** Reads a calendar the way a calendar program does (ical.js, with the file's own VTIMEZONEs). */
export function readCalendar(text: string): EventReading[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  }
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    const start = component.getFirstProperty('dtstart')!;
    return {
      uid: event.uid,
      sequence: event.sequence,
      summary: event.summary,
      status: component.getFirstPropertyValue('status') as string | null,
      tzid: start.getParameter('tzid') as string | null,
      localStart: event.startDate.toString(),
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      location: event.location,
      description: event.description,
    };
  });
}
