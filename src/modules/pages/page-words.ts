import type { Locale } from '../identity/roles.js';
import type {
  ParticipantCategory,
  ParticipantStatus,
} from '../participants/participants.constants.js';

/** Everything the participant pages say, in each language we write in. */
export interface PageWords {
  languageName: string;
  switchTo: string;
  invitationTitle: string;
  greeting(name: string): string;
  invited(agency: string): string;
  personalNote: string;
  dates: string;
  stations: string;
  localTime: string;
  deadline: string;
  register: string;
  registerIntro: string;
  organisation: string;
  onRecord(name: string): string;
  personalCapacity: string;
  category: string;
  categories: Record<ParticipantCategory, string>;
  dietaryNeeds: string;
  accessibilityNeeds: string;
  arrival: string;
  departure: string;
  arrivalHint: string;
  visaRequired: string;
  consent: string;
  consentDefault(agency: string): string;
  submitRegistration: string;
  decline: string;
  declineIntro: string;
  declined: string;
  accepted: string;
  expired: string;
  notOpenYet: string;
  closed: string;
  errorSummary: string;
  errors: {
    consent: string;
    tooLong(max: number): string;
    invalid: string;
    passportExpired: string;
  };
  registrationTitle: string;
  status: Record<ParticipantStatus, string>;
  waitlisted(position: number | null): string;
  underReview: string;
  registeredNow: string;
  saved: string;
  yourData: string;
  save: string;
  notEditable: string;
  passport: string;
  passportIntro: string;
  passportOnFile(masked: string, expires: string): string;
  passportNumber: string;
  nationality: string;
  issuingCountry: string;
  issuedOn: string;
  expiresOn: string;
  countryHint: string;
  dateHint: string;
  passportMissing: string;
  programme: string;
  openProgramme: string;
  subscribe: string;
  subscribeHint: string;
  downloadCalendar: string;
  cancelTitle: string;
  cancelLink: string;
  cancelQuestion(trip: string): string;
  cancelConsequence: string;
  cancelConfirm: string;
  keep: string;
  cancelled: string;
  itineraryTitle: string;
  noMeetings: string;
  print: string;
  with: string;
  where: string;
  cancelledMeeting: string;
  linkGone: string;
  linkGoneText: string;
  formExpired: string;
  formExpiredText: string;
  changedMeanwhile: string;
  tooMany: string;
  tooManyText(seconds: number): string;
  full: string;
  fullText: string;
  failed: string;
  failedText: string;
  back: string;
  contact(agency: string): string;
  openTitle: string;
  openIntro(agency: string): string;
  title: string;
  firstName: string;
  lastName: string;
  email: string;
  emailHint: string;
  language: string;
  sentTitle: string;
  sent: string;
}

export const PAGE_WORDS: Record<Locale, PageWords> = {
  de: {
    languageName: 'Deutsch',
    switchTo: 'English',
    invitationTitle: 'Einladung',
    greeting: (name) => `Guten Tag ${name},`,
    invited: (agency) => `${agency} lädt Sie herzlich zu dieser Reise ein.`,
    personalNote: 'Persönliche Nachricht',
    dates: 'Reisezeitraum',
    stations: 'Stationen',
    localTime: 'Ortszeit',
    deadline: 'Anmeldeschluss',
    register: 'Anmelden',
    registerIntro:
      'Mit diesem Formular melden Sie sich verbindlich an. Ihre Angaben können Sie bis zum Anmeldeschluss ändern.',
    organisation: 'Sie vertreten',
    onRecord: (name) => name,
    personalCapacity: 'mich persönlich (keine Organisation)',
    category: 'Bereich',
    categories: {
      business: 'Wirtschaft',
      science: 'Wissenschaft',
      politics: 'Politik',
      administration: 'Verwaltung',
      other: 'Sonstiges',
    },
    dietaryNeeds: 'Ernährung (z. B. vegetarisch, halal)',
    accessibilityNeeds: 'Barrierefreiheit (was Sie für die Teilnahme brauchen)',
    arrival: 'Anreise',
    departure: 'Abreise',
    arrivalHint: 'z. B. Flug, Datum und Uhrzeit',
    visaRequired: 'Ich brauche ein Visum für diese Reise.',
    consent: 'Ich willige in die Verarbeitung meiner Daten für diese Reise ein.',
    consentDefault: (agency) =>
      `${agency} verarbeitet Ihre Angaben, um die Reise zu organisieren (Anmeldung, Visum, Termine), und gibt sie nur dafür weiter.`,
    submitRegistration: 'Verbindlich anmelden',
    decline: 'Absagen',
    declineIntro: 'Sie können nicht teilnehmen? Dann sagen Sie bitte kurz ab.',
    declined: 'Sie haben diese Einladung abgesagt. Vielen Dank für Ihre Rückmeldung.',
    accepted:
      'Sie haben sich bereits angemeldet. Den Link zu Ihrer Anmeldung finden Sie in unserer Bestätigungs-E-Mail.',
    expired: 'Die Anmeldung zu dieser Reise ist geschlossen.',
    notOpenYet: 'Die Anmeldung ist noch nicht geöffnet.',
    closed: 'Die Anmeldung ist geschlossen; Änderungen nur noch über die Agentur.',
    errorSummary: 'Bitte prüfen Sie die markierten Angaben.',
    errors: {
      consent: 'Ohne Ihre Einwilligung können wir Sie nicht anmelden.',
      tooLong: (max) => `Höchstens ${max} Zeichen.`,
      invalid: 'Bitte prüfen Sie diese Angabe.',
      passportExpired: 'Der Pass muss bei der Rückkehr noch gültig sein.',
    },
    registrationTitle: 'Meine Anmeldung',
    status: {
      applied: 'In Prüfung',
      confirmed: 'Bestätigt',
      waitlisted: 'Warteliste',
      rejected: 'Nicht berücksichtigt',
      cancelled: 'Storniert',
      attended: 'Teilgenommen',
      no_show: 'Nicht erschienen',
    },
    waitlisted: (position) =>
      `Sie stehen auf der Warteliste${position ? ` (Platz ${position})` : ''}. Wird ein Platz frei, rücken Sie automatisch nach.`,
    underReview: 'Ihre Anmeldung wird geprüft. Wir melden uns per E-Mail.',
    registeredNow: 'Vielen Dank für Ihre Anmeldung! Wir haben Ihnen eine E-Mail geschickt.',
    saved: 'Ihre Änderungen sind gespeichert.',
    yourData: 'Ihre Angaben',
    save: 'Änderungen speichern',
    notEditable: 'Ihre Angaben können hier nicht mehr geändert werden.',
    passport: 'Reisepass',
    passportIntro:
      'Für das Visum brauchen wir Ihre Passdaten. Die Nummer wird verschlüsselt gespeichert und hier nur gekürzt angezeigt.',
    passportOnFile: (masked, expires) => `Hinterlegt: ${masked}, gültig bis ${expires}.`,
    passportNumber: 'Passnummer',
    nationality: 'Staatsangehörigkeit',
    issuingCountry: 'Ausstellendes Land',
    issuedOn: 'Ausgestellt am',
    expiresOn: 'Gültig bis',
    countryHint: 'Ländercode, z. B. DE',
    dateHint: 'JJJJ-MM-TT',
    passportMissing: 'Noch kein Pass hinterlegt.',
    programme: 'Ihr Programm',
    openProgramme: 'Programm ansehen (druckbar)',
    subscribe: 'Kalender abonnieren',
    subscribeHint:
      'Abonniert auf dem Telefon oder in Outlook, bleibt Ihr Kalender bei Änderungen aktuell.',
    downloadCalendar: 'Kalenderdatei (.ics)',
    cancelTitle: 'Teilnahme stornieren',
    cancelLink: 'Teilnahme stornieren …',
    cancelQuestion: (trip) => `Möchten Sie Ihre Teilnahme an „${trip}“ wirklich stornieren?`,
    cancelConsequence:
      'Ihr Platz geht an die nächste Person auf der Warteliste. Das lässt sich nicht rückgängig machen.',
    cancelConfirm: 'Ja, stornieren',
    keep: 'Nein, zurück',
    cancelled: 'Ihre Teilnahme ist storniert.',
    itineraryTitle: 'Programm',
    noMeetings: 'Noch keine Termine.',
    print: 'Zum Drucken nutzen Sie die Druckfunktion Ihres Browsers.',
    with: 'Mit',
    where: 'Ort',
    cancelledMeeting: 'abgesagt',
    linkGone: 'Dieser Link funktioniert nicht (mehr)',
    linkGoneText:
      'Vielleicht ist er abgelaufen oder wurde ersetzt. Bitte wenden Sie sich an die Agentur, die Ihnen geschrieben hat; sie schickt Ihnen gern einen neuen.',
    formExpired: 'Das Formular ist abgelaufen',
    formExpiredText: 'Bitte laden Sie die Seite neu und senden Sie es noch einmal.',
    changedMeanwhile:
      'Ihre Anmeldung wurde inzwischen geändert. Bitte prüfen Sie die aktuellen Angaben und speichern Sie erneut.',
    tooMany: 'Zu viele Anfragen',
    tooManyText: (seconds) => `Bitte versuchen Sie es in ${seconds} Sekunden noch einmal.`,
    full: 'Die Reise ist ausgebucht',
    fullText: 'Leider ist kein Platz mehr frei. Bitte wenden Sie sich an die Agentur.',
    failed: 'Das hat nicht geklappt',
    failedText: 'Bitte versuchen Sie es später noch einmal.',
    back: 'Zurück',
    contact: (agency) => `Fragen? Antworten Sie einfach auf die E-Mail von ${agency}.`,
    openTitle: 'Anmeldung',
    openIntro: (agency) =>
      `${agency} lädt zu dieser Reise ein. Melden Sie sich hier an; den Link zu Ihrer Anmeldung schicken wir Ihnen per E-Mail.`,
    title: 'Titel (z. B. Dr.)',
    firstName: 'Vorname',
    lastName: 'Nachname',
    email: 'E-Mail-Adresse',
    emailHint: 'Hierhin schicken wir den Link zu Ihrer Anmeldung.',
    language: 'Sprache unserer E-Mails',
    sentTitle: 'Vielen Dank!',
    sent: 'Wir haben Ihnen eine E-Mail an die angegebene Adresse geschickt. Über den Link darin sehen Sie den Stand Ihrer Anmeldung, ergänzen Ihre Angaben oder sagen ab.',
  },
  en: {
    languageName: 'English',
    switchTo: 'Deutsch',
    invitationTitle: 'Invitation',
    greeting: (name) => `Dear ${name},`,
    invited: (agency) => `${agency} cordially invites you to this trip.`,
    personalNote: 'Personal note',
    dates: 'Dates',
    stations: 'Stations',
    localTime: 'local time',
    deadline: 'Registration closes',
    register: 'Register',
    registerIntro:
      'This form registers you for the trip. You can change what you entered until registration closes.',
    organisation: 'You represent',
    onRecord: (name) => name,
    personalCapacity: 'myself (no organisation)',
    category: 'Sector',
    categories: {
      business: 'Business',
      science: 'Science',
      politics: 'Politics',
      administration: 'Public administration',
      other: 'Other',
    },
    dietaryNeeds: 'Dietary needs (e.g. vegetarian, halal)',
    accessibilityNeeds: 'Accessibility (what you need to take part)',
    arrival: 'Arrival',
    departure: 'Departure',
    arrivalHint: 'e.g. flight, date and time',
    visaRequired: 'I need a visa for this trip.',
    consent: 'I consent to the processing of my data for this trip.',
    consentDefault: (agency) =>
      `${agency} processes your details to organise the trip (registration, visa, appointments) and passes them on only for that purpose.`,
    submitRegistration: 'Register',
    decline: 'Decline',
    declineIntro: 'Cannot come? Please let us know.',
    declined: 'You have declined this invitation. Thank you for letting us know.',
    accepted:
      'You have registered already. The link to your registration is in our confirmation email.',
    expired: 'Registration for this trip has closed.',
    notOpenYet: 'Registration has not opened yet.',
    closed: 'Registration has closed; changes now go through the agency.',
    errorSummary: 'Please check the fields marked below.',
    errors: {
      consent: 'We cannot register you without your consent.',
      tooLong: (max) => `At most ${max} characters.`,
      invalid: 'Please check this entry.',
      passportExpired: 'The passport must still be valid when you return.',
    },
    registrationTitle: 'My registration',
    status: {
      applied: 'Under review',
      confirmed: 'Confirmed',
      waitlisted: 'Waiting list',
      rejected: 'Not accepted',
      cancelled: 'Cancelled',
      attended: 'Attended',
      no_show: 'Did not attend',
    },
    waitlisted: (position) =>
      `You are on the waiting list${position ? ` (position ${position})` : ''}. When a seat frees up, you move up automatically.`,
    underReview: 'Your registration is being reviewed. We will let you know by email.',
    registeredNow: 'Thank you for registering! We have sent you an email.',
    saved: 'Your changes are saved.',
    yourData: 'Your details',
    save: 'Save changes',
    notEditable: 'Your details can no longer be changed here.',
    passport: 'Passport',
    passportIntro:
      'We need your passport details for the visa. The number is stored encrypted and shown here only shortened.',
    passportOnFile: (masked, expires) => `On file: ${masked}, valid until ${expires}.`,
    passportNumber: 'Passport number',
    nationality: 'Nationality',
    issuingCountry: 'Issuing country',
    issuedOn: 'Issued on',
    expiresOn: 'Valid until',
    countryHint: 'country code, e.g. DE',
    dateHint: 'YYYY-MM-DD',
    passportMissing: 'No passport on file yet.',
    programme: 'Your programme',
    openProgramme: 'See the programme (printable)',
    subscribe: 'Subscribe to the calendar',
    subscribeHint:
      'Subscribed to on your phone or in Outlook, your calendar stays up to date as plans change.',
    downloadCalendar: 'Calendar file (.ics)',
    cancelTitle: 'Cancel participation',
    cancelLink: 'Cancel my participation …',
    cancelQuestion: (trip) => `Do you really want to cancel your participation in "${trip}"?`,
    cancelConsequence:
      'Your seat goes to the next person on the waiting list. This cannot be undone.',
    cancelConfirm: 'Yes, cancel',
    keep: 'No, go back',
    cancelled: 'Your participation is cancelled.',
    itineraryTitle: 'Programme',
    noMeetings: 'No appointments yet.',
    print: "To print it, use your browser's print function.",
    with: 'With',
    where: 'Where',
    cancelledMeeting: 'cancelled',
    linkGone: 'This link does not work (any more)',
    linkGoneText:
      'It may have expired or been replaced. Please contact the agency that wrote to you; they will gladly send you a new one.',
    formExpired: 'The form has expired',
    formExpiredText: 'Please reload the page and send it again.',
    changedMeanwhile:
      'Your registration was changed meanwhile. Please check the current details and save again.',
    tooMany: 'Too many requests',
    tooManyText: (seconds) => `Please try again in ${seconds} seconds.`,
    full: 'The trip is fully booked',
    fullText: 'Unfortunately no seat is free. Please contact the agency.',
    failed: 'That did not work',
    failedText: 'Please try again later.',
    back: 'Back',
    contact: (agency) => `Questions? Simply reply to the email from ${agency}.`,
    openTitle: 'Registration',
    openIntro: (agency) =>
      `${agency} invites you to this trip. Register here; we will email you the link to your registration.`,
    title: 'Title (e.g. Dr.)',
    firstName: 'First name',
    lastName: 'Last name',
    email: 'Email address',
    emailHint: 'We send the link to your registration here.',
    language: 'Language of our emails',
    sentTitle: 'Thank you!',
    sent: 'We have sent an email to the address you gave. Its link shows where your registration stands, and lets you add details or cancel.',
  },
};
