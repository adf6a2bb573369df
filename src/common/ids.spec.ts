import { normaliseIds } from './ids.js';

describe('normaliseIds', () => {
  const ID = 'E3B0C442-98FC-4C14-9AFB-F4C8996FB924';

  it('lower-cases uuids under id-named keys, in lists and nested objects', () => {
    const input = {
      id: ID,
      contactId: ID,
      contactIds: [ID, ID.toLowerCase()],
      parties: [{ organisationId: ID, signatoryContactIds: [ID] }],
    };
    normaliseIds(input);
    const lower = ID.toLowerCase();
    expect(input).toEqual({
      id: lower,
      contactId: lower,
      contactIds: [lower, lower],
      parties: [{ organisationId: lower, signatoryContactIds: [lower] }],
    });
  });

  it('leaves free text and values that are not uuids alone', () => {
    const input = {
      notes: ID,
      title: 'ABC',
      id: 'NOT-A-UUID',
      count: 3,
      contactId: null,
      registerId: ID,
      answers: { referenceId: ID },
    };
    const before = structuredClone(input);
    normaliseIds(input);
    expect(input).toEqual(before);
  });
});
