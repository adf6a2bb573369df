/**
 * The address of a participant's personal calendar feed (subscribe to it
 * from a phone or Outlook; `webcal://` works with the same path).
 */
export function itineraryFeedUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/api/v1/public/itineraries/${token}.ics`;
}
