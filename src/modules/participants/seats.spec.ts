import {
  choosePromotions,
  fitsOneMore,
  overbooked,
  waitsForSeat,
  type SeatState,
} from './seats.js';
import type { WaitlistPolicy } from '../trips/trips.constants.js';

/** `X1` is the first waiting representative of organisation X; `-3` waits for no organisation. */
const line = (...names: string[]) =>
  names.map((name) => ({ id: name, organisationId: name.startsWith('-') ? null : name[0] }));

const state = (
  seatsLeft: number,
  confirmedByOrganisation: Record<string, number> = {},
  seatsPerOrganisation: number | null = null,
): SeatState => ({
  confirmed: Object.values(confirmedByOrganisation).reduce((sum, n) => sum + n, 0),
  seatsLeft,
  confirmedByOrganisation: new Map(Object.entries(confirmedByOrganisation)),
  seatsPerOrganisation,
});

describe('choosePromotions', () => {
  it.each<[string, string[], SeatState, WaitlistPolicy, string[]]>([
    ['one seat, the head takes it', ['-1', '-2'], state(1), 'strict_order', ['-1']],
    ['no seat, nobody moves', ['-1'], state(0), 'fill_gaps', []],
    [
      'a group moves together when all fit',
      ['A1', 'A2', '-3'],
      state(2),
      'strict_order',
      ['A1', 'A2'],
    ],
    [
      'a group that does not fit stops strict_order behind it',
      ['A1', 'A2', '-3'],
      state(1),
      'strict_order',
      [],
    ],
    [
      'fill_gaps goes past a group that does not fit',
      ['A1', 'A2', '-3'],
      state(1),
      'fill_gaps',
      ['-3'],
    ],
    [
      'group members are found wherever they wait',
      ['A1', '-2', 'A3'],
      state(2),
      'strict_order',
      ['A1', 'A3'],
    ],
    [
      'the cap holds: a capped head moves nobody of its organisation',
      ['A1'],
      state(5, { A: 2 }, 2),
      'fill_gaps',
      [],
    ],
    [
      'strict_order: a head held back only by its cap does not hold the line',
      ['A1', 'B1', 'B2'],
      state(8, { A: 2 }, 2),
      'strict_order',
      ['B1', 'B2'],
    ],
    [
      'strict_order: a head over its cap is passed even when seats are short',
      ['A1', 'A2', 'B1'],
      state(1, { A: 1 }, 2),
      'strict_order',
      ['B1'],
    ],
    [
      'strict_order: a head within its cap but short of seats holds the line',
      ['A1', 'A2', 'B1'],
      state(1, {}, 2),
      'strict_order',
      [],
    ],
    [
      'a group larger than the cap never moves (together or not at all)',
      ['B1', 'B2', 'B3'],
      state(5, {}, 2),
      'fill_gaps',
      [],
    ],
  ])('%s', (_, waiting, seats, policy, promoted) => {
    expect(choosePromotions(line(...waiting), seats, policy)).toEqual(promoted);
  });
});

describe('waitsForSeat', () => {
  it.each<[string, string[], SeatState, boolean]>([
    ['nobody waits', [], state(0), false],
    ['someone without an organisation waits for a seat', ['-1'], state(0), true],
    [
      'a representative held back by the cap waits only for the cap',
      ['A1'],
      state(3, { A: 2 }, 2),
      false,
    ],
    ['a group that would fit the cap waits for seats', ['A1', 'A2'], state(1, { A: 0 }, 2), true],
    ['no cap: everyone waiting waits for a seat', ['A1'], state(0, { A: 5 }), true],
  ])('%s', (_, waiting, seats, expected) => {
    expect(waitsForSeat(line(...waiting), seats)).toBe(expected);
  });
});

describe('fitsOneMore and overbooked', () => {
  it.each<[string, SeatState, string | null, boolean]>([
    ['a free seat, no cap', state(1), 'A', true],
    ['no free seat', state(0), null, false],
    ['cap reached', state(3, { A: 2 }, 2), 'A', false],
    ['cap reached by another organisation only', state(3, { A: 2 }, 2), 'B', true],
    ['no organisation: the cap does not apply', state(1, { A: 2 }, 2), null, true],
  ])('%s', (_, seats, organisation, expected) => {
    expect(fitsOneMore(seats, organisation)).toBe(expected);
  });

  it('overbooked when seated exceed capacity or an organisation its cap', () => {
    expect(overbooked(state(0, { A: 3 }), 3)).toBe(false);
    expect(overbooked(state(0, { A: 4 }), 3)).toBe(true);
    expect(overbooked(state(0, { A: 3 }, 2), 10)).toBe(true);
  });
});
