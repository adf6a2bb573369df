/**
 * Request bodies as integrators send them, shown in the OpenAPI contract: an
 * MoU signed during a trip, and typical changes.
 */
type ExamplesObject = Record<string, { summary: string; value: Record<string, unknown> }>;

/** The ids the examples use (a test sends them with real ones in their place). */
export const EXAMPLE_IDS = {
  chamber: '5c2e7a44-8f1b-4b6e-9d3a-7e0c2b1f4a55',
  chairman: '9a7d3b20-1c4e-4f8a-b6d2-3e5f7a9c1b02',
  university: '2d4f6a8c-1b3e-4d5f-8a7c-9e1b3d5f7a90',
  trip: '7f3e1c2a-9b8d-4e6f-a1c3-5d7e9f1b3c25',
  meeting: 'c1a3e5b7-d9f2-4a6c-8e1b-3d5f7a9c2e44',
} as const;

export const CREATE_AGREEMENT_EXAMPLES = {
  mou: {
    summary: 'An MoU signed with a national chamber during a trip',
    value: {
      title: 'MoU on vocational training in mechanical engineering',
      kind: 'mou',
      category: 'business',
      parties: [
        { organisationId: EXAMPLE_IDS.chamber, signatoryContactIds: [EXAMPLE_IDS.chairman] },
      ],
      agencyIsParty: true,
      tripId: EXAMPLE_IDS.trip,
      meetingId: EXAMPLE_IDS.meeting,
      summary: 'Joint training programme for 40 mechatronics apprentices a year.',
      signedOn: '2024-03-01',
      signedIn: { city: 'Almaty', country: 'KZ' },
      validUntil: '2027-02-28',
      documentUrl: 'https://dms.example.org/agreements/mou-atameken-2024.pdf',
      tags: ['vocational training', 'mechanical engineering'],
    },
  },
  draft: {
    summary: 'A draft academic agreement, parties known, nothing signed yet',
    value: {
      title: 'Cooperation agreement on student exchange',
      kind: 'cooperation_agreement',
      category: 'academic',
      parties: [{ organisationId: EXAMPLE_IDS.university }],
    },
  },
} satisfies ExamplesObject;

export const UPDATE_AGREEMENT_EXAMPLES = {
  signatories: {
    summary: 'Name who signs for each party (the list replaces the parties)',
    value: {
      parties: [
        { organisationId: EXAMPLE_IDS.university, signatoryContactIds: [EXAMPLE_IDS.chairman] },
      ],
    },
  },
  validity: {
    summary: 'Extend its validity',
    value: { validUntil: '2029-12-31' },
  },
} satisfies ExamplesObject;
