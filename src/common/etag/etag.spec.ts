import { assertVersion, etagOf, expectedVersion } from './etag.js';
import { PreconditionFailed } from '../problem/domain-error.js';

describe('ETag / If-Match', () => {
  it('reads back the version from the ETag the API sent (weak or strong)', () => {
    expect(expectedVersion(etagOf(7))).toBe(7);
    expect(expectedVersion('W/"7"')).toBe(7);
  });

  it('treats a missing header or * as "any version"', () => {
    expect(expectedVersion(undefined)).toBeUndefined();
    expect(expectedVersion('*')).toBeUndefined();
  });

  it('answers 412 for a header that names no version of ours', () => {
    expect(() => expectedVersion('"abc"')).toThrow(PreconditionFailed);
    expect(() => expectedVersion('7')).toThrow(PreconditionFailed);
  });

  it('answers 412 when the stored version moved on', () => {
    expect(() => assertVersion(3, 4)).toThrow(PreconditionFailed);
    expect(() => assertVersion(4, 4)).not.toThrow();
    expect(() => assertVersion(undefined, 4)).not.toThrow();
  });
});
