import type { Locale } from '../../identity/roles.js';
import type { NotificationKind } from '../notifications.constants.js';
import { countryName, dateRange, instantIn, timeSpanIn } from './format.js';
import type { MessageContext, TripFacts } from './message-context.js';
import { render, type Block, type Message, type RenderedMessage } from './render.js';

/** The words of one language; templates below are written once against them. */
interface Words {
  greeting(context: MessageContext): string;
  dates: string;
  stations: string;
  deadline: string;
  localTime: string;
  closing(agency: string): string;
  subjects: Record<NotificationKind, (trip: string, context: MessageContext) => string>;
  invited(agency: string, trip: string): string;
  reminded(deadline: string): string;
  decide: string;
  open: string;
  received: string;
  waitlisted(position: number | null): string;
  confirmed: string;
  rejected: string;
  cancelled: string;
  manage: string;
  selfService: string;
  calendar: string;
  subscribe: string;
  meetingReminded(trip: string): string;
  meeting: string;
  when: string;
  where: string;
  with: string;
  attached: string;
  departure(trip: string, start: string): string;
  departureLinks: string;
  followUpDue(agreement: string, dueOn: string): string;
  followUpOverdue(agreement: string, dueOn: string): string;
  notes: string;
  openAgreement: string;
  travelDocument(trip: string): string;
  announcementSentBy(agency: string, trip: string): string;
  webhookDisabled(url: string, since: string): string;
  webhookAgain: string;
  deliveryLog: string;
}

const WORDS: Record<Locale, Words> = {
  de: {
    greeting: ({ recipient }) =>
      recipient.firstName || recipient.title
        ? `Guten Tag ${[recipient.title, recipient.firstName, recipient.lastName].filter(Boolean).join(' ')},`
        : `Guten Tag,`,
    dates: 'Reisezeitraum',
    stations: 'Stationen',
    deadline: 'Anmeldeschluss',
    localTime: 'Ortszeit',
    closing: (agency) => `Mit freundlichen Grüßen\n${agency}`,
    subjects: {
      invitation: (trip) => `Einladung: ${trip}`,
      invitation_reminder: (trip) => `Erinnerung: Anmeldung zu „${trip}“ endet bald`,
      registration_received: (trip) => `Anmeldung eingegangen: ${trip}`,
      registration_waitlisted: (trip) => `Warteliste: ${trip}`,
      registration_confirmed: (trip) => `Teilnahme bestätigt: ${trip}`,
      registration_rejected: (trip) => `Ihre Anmeldung zu „${trip}“`,
      registration_cancelled: (trip) => `Teilnahme storniert: ${trip}`,
      departure_reminder: (trip, context) =>
        `Reisebeginn ${dateRange(context.locale, tripOf(context).startDate, tripOf(context).startDate)}: ${trip}`,
      follow_up_reminder: (_trip, { followUp }) =>
        `${followUp?.overdue ? 'Überfällig' : 'Heute fällig'}: ${followUp?.title ?? ''}`,
      travel_document_reminder: (trip) => `Passdaten für Ihr Visum fehlen: ${trip}`,
      announcement: (_trip, { announcement }) => announcement?.subject ?? '',
      webhook_endpoint_disabled: () => 'Webhook abgeschaltet: Zustellungen schlugen drei Tage fehl',
      meeting_reminder: (_trip, { meeting, locale }) =>
        `Erinnerung: ${meeting?.title ?? 'Termin'}${meeting ? `, ${instantIn(locale, meeting.startsAt, meeting.timeZone)}` : ''}`,
    },
    invited: (agency, trip) => `${agency} lädt Sie herzlich zur Teilnahme an „${trip}“ ein.`,
    reminded: (deadline) =>
      `Sie haben auf unsere Einladung noch nicht geantwortet. Die Anmeldung ist bis ${deadline} möglich.`,
    decide: 'Über den folgenden Link sehen Sie alle Angaben und können zusagen oder absagen.',
    open: 'Einladung öffnen',
    received:
      'vielen Dank für Ihre Anmeldung. Wir prüfen sie und melden uns, sobald wir entschieden haben.',
    waitlisted: (position) =>
      `vielen Dank für Ihre Anmeldung. Derzeit sind alle Plätze vergeben; Sie stehen auf der Warteliste${position ? ` (Platz ${position})` : ''}. Sobald ein Platz frei wird, rücken Sie automatisch nach und erhalten eine Bestätigung.`,
    confirmed: 'Ihre Teilnahme ist bestätigt. Wir freuen uns, Sie dabeizuhaben.',
    rejected:
      'leider können wir Ihre Anmeldung nicht berücksichtigen. Bei Fragen wenden Sie sich gern an uns.',
    cancelled:
      'Ihre Teilnahme wurde storniert. Ihr Platz steht anderen Interessierten zur Verfügung.',
    manage:
      'Über den folgenden Link sehen und ändern Sie Ihre Angaben bis zum Anmeldeschluss, etwa Ihre Passdaten, oder sagen ab.',
    selfService: 'Meine Anmeldung',
    calendar:
      'Ihr persönlicher Kalender mit dem Programm in der Ortszeit jeder Station; abonniert auf dem Telefon oder in Outlook, bleibt er bei Änderungen aktuell.',
    subscribe: 'Kalender abonnieren',
    meetingReminded: (trip) => `wir erinnern Sie an Ihren nächsten Termin der Reise „${trip}“.`,
    meeting: 'Termin',
    when: 'Wann',
    where: 'Wo',
    with: 'Mit',
    attached:
      'Der Termin hängt als Kalenderdatei (.ics) an; Ihr Kalender übernimmt ihn in Ortszeit.',
    departure: (trip, start) =>
      `bald geht es los: Ihre Reise „${trip}“ beginnt am ${start}. Hier noch einmal die Stationen mit ihrer Ortszeit.`,
    departureLinks:
      'Ihre Anmeldung und Ihr persönliches Programm finden Sie über die folgenden Links.',
    followUpDue: (agreement, dueOn) =>
      `heute, am ${dueOn}, ist eine Nachverfolgung zu „${agreement}“ fällig, für die Sie zuständig sind:`,
    followUpOverdue: (agreement, dueOn) =>
      `eine Nachverfolgung zu „${agreement}“, für die Sie zuständig sind, war am ${dueOn} fällig und ist noch offen:`,
    notes: 'Notizen',
    openAgreement: 'Vereinbarung öffnen',
    travelDocument: (trip) =>
      `für Ihr Visum zur Reise „${trip}“ fehlen uns noch Ihre Passdaten, oder Ihr Pass ist nicht lange genug gültig. Bitte tragen Sie Ihren Pass über den folgenden Link ein; die Nummer wird verschlüsselt gespeichert.`,
    announcementSentBy: (agency, trip) =>
      `Diese Nachricht schickt Ihnen ${agency} als Teilnehmerin oder Teilnehmer der Reise „${trip}“.`,
    webhookDisabled: (url, since) =>
      `seit ${since} hat der Webhook-Empfänger ${url} keine Zustellung angenommen. Wir haben den Webhook deshalb abgeschaltet; Ereignisse gehen dort nicht mehr ein.`,
    webhookAgain:
      'Sobald der Empfänger wieder antwortet, schalten Sie den Webhook wieder ein (PATCH mit "active": true); das Zustellprotokoll zeigt, was er geantwortet hat.',
    deliveryLog: 'Zustellprotokoll öffnen',
  },
  en: {
    greeting: ({ recipient }) =>
      recipient.firstName || recipient.title
        ? `Dear ${[recipient.title, recipient.firstName, recipient.lastName].filter(Boolean).join(' ')},`
        : `Hello,`,
    dates: 'Dates',
    stations: 'Stations',
    deadline: 'Registration closes',
    localTime: 'local time',
    closing: (agency) => `Kind regards\n${agency}`,
    subjects: {
      invitation: (trip) => `Invitation: ${trip}`,
      invitation_reminder: (trip) => `Reminder: registration for "${trip}" closes soon`,
      registration_received: (trip) => `Registration received: ${trip}`,
      registration_waitlisted: (trip) => `Waiting list: ${trip}`,
      registration_confirmed: (trip) => `Participation confirmed: ${trip}`,
      registration_rejected: (trip) => `Your registration for "${trip}"`,
      registration_cancelled: (trip) => `Participation cancelled: ${trip}`,
      departure_reminder: (trip, context) =>
        `Departure ${dateRange(context.locale, tripOf(context).startDate, tripOf(context).startDate)}: ${trip}`,
      follow_up_reminder: (_trip, { followUp }) =>
        `${followUp?.overdue ? 'Overdue' : 'Due today'}: ${followUp?.title ?? ''}`,
      travel_document_reminder: (trip) => `Passport details needed for your visa: ${trip}`,
      announcement: (_trip, { announcement }) => announcement?.subject ?? '',
      webhook_endpoint_disabled: () => 'Webhook switched off: deliveries failed for three days',
      meeting_reminder: (_trip, { meeting, locale }) =>
        `Reminder: ${meeting?.title ?? 'meeting'}${meeting ? `, ${instantIn(locale, meeting.startsAt, meeting.timeZone)}` : ''}`,
    },
    invited: (agency, trip) => `${agency} cordially invites you to take part in "${trip}".`,
    reminded: (deadline) =>
      `You have not yet answered our invitation. Registration is open until ${deadline}.`,
    decide: 'The link below shows all details and lets you accept or decline.',
    open: 'Open the invitation',
    received: 'thank you for registering. We are reviewing it and will let you know our decision.',
    waitlisted: (position) =>
      `thank you for registering. All seats are taken at the moment, so you are on the waiting list${position ? ` (position ${position})` : ''}. When a seat frees up you move up automatically and we will confirm by email.`,
    confirmed: 'your participation is confirmed. We look forward to travelling with you.',
    rejected:
      'unfortunately we cannot accept your registration. Please get in touch if you have questions.',
    cancelled: 'your participation has been cancelled. Your seat is now open to others.',
    manage:
      'The link below shows your registration; until registration closes you can correct it, add your passport details, or cancel.',
    selfService: 'My registration',
    calendar:
      'Your personal calendar with the programme, in the local time of each station; subscribed to on your phone or in Outlook, it stays up to date as plans change.',
    subscribe: 'Subscribe to the calendar',
    meetingReminded: (trip) => `this is a reminder of your next appointment on "${trip}".`,
    meeting: 'Appointment',
    when: 'When',
    where: 'Where',
    with: 'With',
    attached:
      'The appointment is attached as a calendar file (.ics); your calendar shows it in local time.',
    departure: (trip, start) =>
      `it will soon be time to leave: "${trip}" starts on ${start}. Here are the stations again, with their local time.`,
    departureLinks: 'Your registration and your personal programme are at the links below.',
    followUpDue: (agreement, dueOn) =>
      `a follow-up on "${agreement}" that you are in charge of is due today, ${dueOn}:`,
    followUpOverdue: (agreement, dueOn) =>
      `a follow-up on "${agreement}" that you are in charge of was due on ${dueOn} and is still open:`,
    notes: 'Notes',
    openAgreement: 'Open the agreement',
    travelDocument: (trip) =>
      `for your visa for "${trip}" we still need your passport details, or your passport is not valid long enough. Please enter your passport at the link below; its number is stored encrypted.`,
    announcementSentBy: (agency, trip) =>
      `${agency} sent you this message as a participant of "${trip}".`,
    webhookDisabled: (url, since) =>
      `the webhook receiver ${url} has not accepted a delivery since ${since}, so we have switched the webhook off; events no longer go there.`,
    webhookAgain:
      'Once the receiver answers again, switch the webhook back on (PATCH with "active": true); the delivery log shows what it answered.',
    deliveryLog: 'Open the delivery log',
  },
};

/** The trip a message is about; every kind but those about agreements has one. */
function tripOf(context: MessageContext): TripFacts {
  if (!context.trip) throw new Error(`A ${context.kind} message needs its trip`);
  return context.trip;
}

function tripFacts(words: Words, context: MessageContext, withDeadline: boolean): Block {
  const { locale, agency } = context;
  const trip = tripOf(context);
  const facts: [string, string][] = [
    [words.dates, dateRange(locale, trip.startDate, trip.endDate)],
  ];
  if (trip.stations.length > 0) {
    facts.push([
      words.stations,
      trip.stations
        .map(
          (station) =>
            `${station.city}, ${countryName(locale, station.country)}: ${dateRange(locale, station.arrivalDate, station.departureDate)} (${words.localTime} ${station.timezone})`,
        )
        .join('\n'),
    ]);
  }
  if (withDeadline && trip.registrationClosesAt) {
    facts.push([words.deadline, instantIn(locale, trip.registrationClosesAt, agency.timezone)]);
  }
  return { facts };
}

/** The words of each kind of message, before the closing. */
function body(words: Words, context: MessageContext): Block[] {
  if (context.kind === 'follow_up_reminder') return followUpReminder(words, context);
  if (context.kind === 'webhook_endpoint_disabled') return webhookDisabled(words, context);
  const { agency } = context;
  const trip = tripOf(context);
  const manage: Block[] = [
    { paragraph: words.manage },
    { button: { label: words.selfService, url: context.link } },
  ];
  const statusLetter = (text: string, withLink: boolean): Block[] => [
    { paragraph: `${words.greeting(context)}\n\n${text}` },
    tripFacts(words, context, withLink),
    ...(withLink ? manage : []),
  ];
  switch (context.kind) {
    case 'invitation':
    case 'invitation_reminder': {
      const deadline = trip.registrationClosesAt
        ? instantIn(context.locale, trip.registrationClosesAt, agency.timezone)
        : null;
      return [
        { paragraph: words.greeting(context) },
        {
          paragraph:
            context.kind === 'invitation_reminder' && deadline
              ? words.reminded(deadline)
              : words.invited(agency.name, trip.title),
        },
        ...(context.personalMessage ? [{ quote: context.personalMessage }] : []),
        tripFacts(words, context, true),
        { paragraph: words.decide },
        { button: { label: words.open, url: context.link } },
      ];
    }
    case 'registration_received':
      return statusLetter(words.received, true);
    case 'registration_waitlisted':
      return statusLetter(words.waitlisted(context.waitlistPosition), true);
    case 'registration_confirmed':
      return [
        ...statusLetter(words.confirmed, true),
        ...(context.calendarFeed
          ? [
              { paragraph: words.calendar },
              { button: { label: words.subscribe, url: context.calendarFeed } },
            ]
          : []),
      ];
    case 'registration_rejected':
      return statusLetter(words.rejected, false);
    case 'registration_cancelled':
      return statusLetter(words.cancelled, false);
    case 'meeting_reminder':
      return meetingReminder(words, context);
    case 'announcement':
      return announcement(words, context);
    case 'travel_document_reminder':
      return [
        { paragraph: `${words.greeting(context)}\n\n${words.travelDocument(trip.title)}` },
        tripFacts(words, context, false),
        { button: { label: words.selfService, url: context.link } },
      ];
    case 'departure_reminder':
      return [
        {
          paragraph: `${words.greeting(context)}\n\n${words.departure(trip.title, dateRange(context.locale, trip.startDate, trip.startDate))}`,
        },
        tripFacts(words, context, false),
        { paragraph: words.departureLinks },
        { button: { label: words.selfService, url: context.link } },
        ...(context.calendarFeed
          ? [
              { paragraph: words.calendar },
              { button: { label: words.subscribe, url: context.calendarFeed } },
            ]
          : []),
      ];
  }
}

/** A follow-up due (or overdue), to the staff member in charge. */
function followUpReminder(words: Words, context: MessageContext): Block[] {
  const { followUp, locale } = context;
  if (!followUp) throw new Error('A follow-up reminder needs its follow-up');
  const dueOn = dateRange(locale, followUp.dueOn, followUp.dueOn);
  const text = followUp.overdue
    ? words.followUpOverdue(followUp.agreementTitle, dueOn)
    : words.followUpDue(followUp.agreementTitle, dueOn);
  return [
    { paragraph: `${words.greeting(context)}\n\n${text}` },
    { quote: followUp.title },
    ...(followUp.notes ? [{ facts: [[words.notes, followUp.notes]] as [string, string][] }] : []),
    { button: { label: words.openAgreement, url: followUp.agreementUrl } },
  ];
}

/** A webhook endpoint switched off after three days of failures, to the agency's admins. */
function webhookDisabled(words: Words, context: MessageContext): Block[] {
  const { webhookEndpoint: endpoint, locale, agency } = context;
  if (!endpoint) throw new Error('A webhook message needs its endpoint');
  const since = instantIn(locale, endpoint.failingSince, agency.timezone);
  return [
    { paragraph: `${words.greeting(context)}\n\n${words.webhookDisabled(endpoint.url, since)}` },
    ...(endpoint.description ? [{ quote: endpoint.description }] : []),
    { paragraph: words.webhookAgain },
    { button: { label: words.deliveryLog, url: endpoint.deliveriesUrl } },
  ];
}

/**
 * Staff's own words to the delegation, greeting and signature included
 * (ours would double theirs); a footnote says who sent it and why.
 */
function announcement(words: Words, context: MessageContext): Block[] {
  if (!context.announcement) throw new Error('An announcement needs its text');
  return [
    { markdown: context.announcement.body },
    { footnote: words.announcementSentBy(context.agency.name, tripOf(context).title) },
  ];
}

/** A meeting ahead: when in the station's local time (its zone named), where, with whom. */
function meetingReminder(words: Words, context: MessageContext): Block[] {
  const { meeting, locale } = context;
  if (!meeting) throw new Error('A meeting reminder needs its meeting');
  const facts: [string, string][] = [
    [words.meeting, meeting.title],
    [words.when, timeSpanIn(locale, meeting.startsAt, meeting.endsAt, meeting.timeZone)],
    [words.where, [meeting.location, meeting.city].filter(Boolean).join(', ')],
  ];
  if (meeting.counterparts.length > 0) facts.push([words.with, meeting.counterparts.join('\n')]);
  return [
    { paragraph: `${words.greeting(context)}\n\n${words.meetingReminded(tripOf(context).title)}` },
    { facts },
    { paragraph: words.attached },
    ...(context.calendarFeed
      ? [
          { paragraph: words.calendar },
          { button: { label: words.subscribe, url: context.calendarFeed } },
        ]
      : []),
  ];
}

/** Subject, HTML and plain text of a message, in the recipient's language. */
export function renderMessage(context: MessageContext): RenderedMessage {
  const words = WORDS[context.locale];
  const message: Message = {
    subject: words.subjects[context.kind](context.trip?.title ?? '', context),
    blocks: [
      ...body(words, context),
      ...(context.kind === 'announcement'
        ? []
        : [{ paragraph: words.closing(context.agency.name) }]),
    ],
  };
  return render(message, context.locale);
}

/** Whether messages of `kind` can be written in every language we write in. */
export function hasTemplate(kind: NotificationKind): boolean {
  return Object.values(WORDS).every((words) => typeof words.subjects[kind] === 'function');
}
