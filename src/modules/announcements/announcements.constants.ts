export const MAX_ANNOUNCEMENT_SUBJECT = 200;
export const MAX_ANNOUNCEMENT_BODY = 20_000;
/** At most this many participants named in an audience. */
export const MAX_NAMED_PARTICIPANTS = 1000;

/** How an announcement stands, derived from its messages (see AnnouncementDto.status). */
export const ANNOUNCEMENT_STATUSES = ['scheduled', 'sending', 'sent', 'withdrawn'] as const;
export type AnnouncementStatus = (typeof ANNOUNCEMENT_STATUSES)[number];
