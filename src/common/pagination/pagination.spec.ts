import { decodeCursor, encodeCursor } from './pagination.js';
import { ValidationFailed } from '../problem/domain-error.js';

describe('cursors', () => {
  it('round-trip the sort values of the last item', () => {
    const cursor = encodeCursor('startDate,id:DESC', [
      '2026-09-25',
      'b5f0c7c4-1f1e-4c1e-9a62-0f7a0d4b0c11',
    ]);
    expect(decodeCursor(cursor, 'startDate,id:DESC', 2)).toEqual([
      '2026-09-25',
      'b5f0c7c4-1f1e-4c1e-9a62-0f7a0d4b0c11',
    ]);
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['another listing', encodeCursor('name,id:ASC', ['a', 'b'])],
    ['the wrong number of keys', encodeCursor('startDate,id:DESC', ['2026-09-25'])],
    [
      'non-scalar values',
      Buffer.from(JSON.stringify({ s: 'startDate,id:DESC', v: [{}, []] })).toString('base64url'),
    ],
  ])('refuse %s as a 400 naming the cursor', (_, cursor) => {
    expect(() => decodeCursor(cursor, 'startDate,id:DESC', 2)).toThrow(ValidationFailed);
    try {
      decodeCursor(cursor, 'startDate,id:DESC', 2);
    } catch (error) {
      expect((error as ValidationFailed).errors).toEqual([
        { field: 'cursor', message: 'is not a cursor from this listing' },
      ]);
    }
  });
});
