import { loadConfig } from '../../config/app-config.js';
import { PiiCipher } from './pii-cipher.js';

const OLD = 'k2025:' + Buffer.alloc(32, 1).toString('base64');
const NEW = 'k2026:' + Buffer.alloc(32, 2).toString('base64');
const cipher = (...keys: string[]) =>
  new PiiCipher(loadConfig({ PII_ENCRYPTION_KEYS: keys.join(',') }));

describe('PiiCipher', () => {
  it('round-trips, and the stored bytes do not contain the plaintext', () => {
    const sealed = cipher(NEW).seal('C01X00T47', 'row-1');
    expect(sealed.keyId).toBe('k2026');
    expect(sealed.data.toString('latin1')).not.toContain('C01X00T47');
    expect(cipher(NEW).open(sealed, 'row-1')).toBe('C01X00T47');
  });

  it('seals the same text differently each time (random IV)', () => {
    const c = cipher(NEW);
    expect(c.seal('C01X00T47', 'row-1').data).not.toEqual(c.seal('C01X00T47', 'row-1').data);
  });

  it('refuses data moved to another row or tampered with', () => {
    const c = cipher(NEW);
    const sealed = c.seal('C01X00T47', 'row-1');
    expect(() => c.open(sealed, 'row-2')).toThrow();
    const tampered = Buffer.from(sealed.data);
    tampered[tampered.length - 1] ^= 1;
    expect(() => c.open({ keyId: 'k2026', data: tampered }, 'row-1')).toThrow();
  });

  it('after rotation, writes with the new key and still reads data of the old one', () => {
    const before = cipher(OLD).seal('C01X00T47', 'row-1');
    const rotated = cipher(NEW, OLD);
    expect(rotated.open(before, 'row-1')).toBe('C01X00T47');
    expect(rotated.seal('X', 'row-1').keyId).toBe('k2026');
    expect(() => cipher(NEW).open(before, 'row-1')).toThrow(/k2025/);
  });

  it('re-seals with the current key only what an older key sealed or another context bound', () => {
    const rotated = cipher(NEW, OLD);
    const current = rotated.seal('C01X00T47', 'row-1');
    expect(rotated.resealed(current, 'row-1')).toBeNull();

    const old = rotated.resealed(cipher(OLD).seal('C01X00T47', 'row-1'), 'row-1')!;
    expect(old.keyId).toBe('k2026');
    expect(cipher(NEW).open(old, 'row-1')).toBe('C01X00T47');

    // Bound to another spelling of the row: read as it was sealed, sealed again in `context`.
    const other = rotated.seal('C01X00T47', 'ROW-1');
    const rebound = rotated.resealed(other, 'row-1', () => rotated.open(other, 'ROW-1'))!;
    expect(cipher(NEW).open(rebound, 'row-1')).toBe('C01X00T47');

    // What no configured key opens is not sealed anew.
    const lost = cipher('k2024:' + Buffer.alloc(32, 3).toString('base64')).seal('X', 'row-1');
    expect(() => rotated.resealed(lost, 'row-1')).toThrow(/k2024/);
  });

  it('configuration refuses malformed keys and the development key in production', () => {
    expect(() => loadConfig({ PII_ENCRYPTION_KEYS: 'k1:short' })).toThrow(/PII_ENCRYPTION_KEYS/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      /PII_ENCRYPTION_KEYS: must be keys of your own/,
    );
  });
});
