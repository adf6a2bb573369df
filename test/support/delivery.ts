import type { PageBody } from './api.js';
import { bearer, type Agency } from './identity.js';
import { recipient } from './messaging.js';
import type { SmtpSink } from './smtp-sink.js';
import type { TestApp } from './test-app.js';

/** One entry of the delivery log as the API returns it. */
export interface NotificationBody {
  id: string;
  kind: string;
  status: string;
  locale: string;
  recipientEmail: string;
  contactId: string | null;
  tripId: string | null;
  invitationId: string | null;
  participantId: string | null;
  dueAt: string;
  attempts: number;
  subject: string | null;
  sentAt: string | null;
  providerMessageId: string | null;
  providerResponse: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Invites contacts to a trip as the agency's owner; resolves with how many were invited. */
export async function invite(
  t: TestApp,
  agency: Agency,
  tripId: string,
  contactIds: string[],
): Promise<number> {
  const response = await t
    .http()
    .post(`/api/v1/trips/${tripId}/invitations`)
    .set(bearer(agency.owner.accessToken))
    .send({ contactIds })
    .expect(200);
  return (response.body as { invited: number }).invited;
}

/** One page of the delivery log, read by the agency's owner. */
export async function deliveryLog(
  t: TestApp,
  agency: Agency,
  query: Record<string, string | number> = {},
): Promise<PageBody<NotificationBody>> {
  const response = await t
    .http()
    .get('/api/v1/notifications')
    .query(query)
    .set(bearer(agency.owner.accessToken))
    .expect(200);
  return response.body as PageBody<NotificationBody>;
}

/** The single message sent to a contact, from the delivery log. */
export async function messageTo(
  t: TestApp,
  agency: Agency,
  contactId: string,
): Promise<NotificationBody> {
  const { items } = await deliveryLog(t, agency, { contactId });
  if (items.length !== 1) throw new Error(`${items.length} messages to contact ${contactId}`);
  return items[0];
}

/** How many mails the sink received per recipient address. */
export function mailsPerAddress(sink: SmtpSink): Map<string, number> {
  const counts = new Map<string, number>();
  for (const mail of sink.messages) {
    const address = recipient(mail);
    counts.set(address, (counts.get(address) ?? 0) + 1);
  }
  return counts;
}

/** How many mails the sink received for each of `addresses`, in their order. */
export function mailsTo(sink: SmtpSink, addresses: string[]): number[] {
  const counts = mailsPerAddress(sink);
  return addresses.map((address) => counts.get(address) ?? 0);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
