import { findUnsafeInput, MAX_INPUT_DEPTH } from './unsafe-input.js';

describe('findUnsafeInput', () => {
  it('passes ordinary input, emoji and umlauts included', () => {
    expect(
      findUnsafeInput({ name: 'Jürgen 🇩🇪', tags: ['a', 'b'], nested: { n: 1, ok: true } }),
    ).toBeNull();
    expect(findUnsafeInput(undefined)).toBeNull();
    expect(findUnsafeInput('plain')).toBeNull();
  });

  it('names the field holding a NUL character, however deep', () => {
    expect(findUnsafeInput({ stations: [{ city: 'Al\u0000maty' }] })).toEqual({
      field: 'stations[0].city',
      message: 'must not contain NUL characters',
    });
    expect(findUnsafeInput({ answers: { 'diet\u0000': 'x' } })).toEqual({
      field: 'answers.diet\u0000',
      message: 'name must not contain NUL characters',
    });
  });

  it('refuses lone surrogates but not surrogate pairs', () => {
    expect(findUnsafeInput({ email: 'a\ud800@example.org' })).toEqual({
      field: 'email',
      message: 'must be well-formed Unicode text (no lone surrogates)',
    });
    expect(findUnsafeInput({ note: '\udc00 trailing low' })?.field).toBe('note');
    expect(findUnsafeInput({ note: 'pair \ud83d\ude00 ok' })).toBeNull();
  });

  it(`refuses nesting deeper than ${MAX_INPUT_DEPTH} levels, without recursion`, () => {
    const nest = (levels: number) => {
      let value: unknown = 1;
      for (let i = 0; i < levels; i++) value = { a: value };
      return value;
    };
    expect(findUnsafeInput(nest(MAX_INPUT_DEPTH))).toBeNull();
    expect(findUnsafeInput(nest(MAX_INPUT_DEPTH + 1))?.message).toBe(
      `must not nest deeper than ${MAX_INPUT_DEPTH} levels`,
    );
    expect(findUnsafeInput(nest(100_000))?.field).toMatch(/^a(\.a)*$/);
  });
});
