/**
 * Request bodies as integrators send them, shown in the OpenAPI contract:
 * the same meeting with local times and with offsets, and typical changes.
 */
type ExamplesObject = Record<string, { summary: string; value: Record<string, unknown> }>;

/** The ids the examples use (a test sends them with real ones in their place). */
export const EXAMPLE_IDS = {
  station: '0b9f6c1e-3d52-4c44-9a4b-2f6d1c7e8a10',
  organisation: '5c2e7a44-8f1b-4b6e-9d3a-7e0c2b1f4a55',
  contact: '9a7d3b20-1c4e-4f8a-b6d2-3e5f7a9c1b02',
  participant: 'e3f1a6c8-2b7d-4e9f-8a1c-5d3b7f9e2a41',
  otherParticipant: '4b8c2d6e-7f1a-4c3b-9e5d-1a2f3b4c5d6e',
} as const;

export const CREATE_MEETING_EXAMPLES = {
  localTimes: {
    summary: 'Local times at the station (read in its IANA timezone)',
    value: {
      title: 'Talks with the Ministry of Trade and Integration',
      kind: 'government_talk',
      stationId: EXAMPLE_IDS.station,
      startsAt: '2024-03-01T10:00',
      endsAt: '2024-03-01T11:30',
      location: { name: 'Ministry of Trade and Integration', address: 'Mangilik El 8, Astana' },
      counterparts: {
        organisationIds: [EXAMPLE_IDS.organisation],
        contactIds: [EXAMPLE_IDS.contact],
      },
      attendeeIds: [EXAMPLE_IDS.participant],
      visibility: 'delegation',
    },
  },
  offsets: {
    summary: 'The same meeting as instants with an offset',
    value: {
      title: 'Talks with the Ministry of Trade and Integration',
      kind: 'government_talk',
      stationId: EXAMPLE_IDS.station,
      startsAt: '2024-03-01T10:00:00+05:00',
      endsAt: '2024-03-01T06:30:00Z',
    },
  },
} satisfies ExamplesObject;

export const UPDATE_MEETING_EXAMPLES = {
  move: {
    summary: 'Move it to the afternoon (local times)',
    value: { startsAt: '2024-03-01T14:00', endsAt: '2024-03-01T15:30' },
  },
  attendees: {
    summary: 'Replace who attends',
    value: {
      attendeeIds: [EXAMPLE_IDS.participant, EXAMPLE_IDS.otherParticipant],
    },
  },
  outcome: {
    summary: 'Record what came of it (once held)',
    value: { outcome: 'Agreed to prepare an MoU on vocational training by June.' },
  },
} satisfies ExamplesObject;
