import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../config/app-config.js';
import { PublicTokens } from './public-tokens.js';

const tokens = (secret = 'a'.repeat(32)) => new PublicTokens(loadConfig({ JWT_SECRET: secret }));

describe('PublicTokens', () => {
  const id = randomUUID();
  const nonce = randomUUID();

  it('names its id and verifies for its purpose, id and nonce', () => {
    const token = tokens().sign('invitation', id, nonce);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(tokens().idOf(token)).toBe(id);
    expect(tokens().verify(token, 'invitation', id, nonce)).toBe(true);
  });

  it('fails for the other purpose, another nonce (a renewed link) or another secret', () => {
    const token = tokens().sign('invitation', id, nonce);
    expect(tokens().verify(token, 'registration', id, nonce)).toBe(false);
    expect(tokens().verify(token, 'invitation', id, randomUUID())).toBe(false);
    expect(tokens('b'.repeat(32)).verify(token, 'invitation', id, nonce)).toBe(false);
  });

  it('fails when any character of the signature is changed', () => {
    const token = tokens().sign('registration', id, nonce);
    const [head, mac] = token.split('.') as [string, string];
    for (const position of [0, 20, mac.length - 2]) {
      const flipped = mac[position] === 'A' ? 'B' : 'A';
      const tampered = `${head}.${mac.slice(0, position)}${flipped}${mac.slice(position + 1)}`;
      expect(tokens().verify(tampered, 'registration', id, nonce)).toBe(false);
    }
    expect(tokens().verify(`${head}.`, 'registration', id, nonce)).toBe(false);
  });

  it.each(['', 'abc', 'a.b.c', '%%%.abc', `${'A'.repeat(21)}.x`, `${'A'.repeat(23)}.x`])(
    'names no id for the malformed token %p',
    (token) => {
      expect(tokens().idOf(token)).toBeNull();
    },
  );

  it('has exactly one spelling: padding, stray characters or other trailing bits do not open it', () => {
    const token = tokens().sign('invitation', id, nonce);
    const [head, mac] = token.split('.') as [string, string];
    // The last of 43 base64url characters carries 2 unused bits: three other letters decode alike.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytes = [...alphabet].filter(
      (c) =>
        c !== mac.at(-1) &&
        Buffer.from(mac.slice(0, -1) + c, 'base64url').equals(Buffer.from(mac, 'base64url')),
    );
    expect(sameBytes).toHaveLength(3);
    const variants = [
      `${token}=`,
      `${token}==`,
      `${head}.${mac.slice(0, 10)}!${mac.slice(10)}`,
      `${head}.${mac.slice(0, 10)}*${mac.slice(10)}`,
      `${head}.${mac.slice(0, 10)}~${mac.slice(10)}`,
      `${head}.${mac.slice(0, 10)} ${mac.slice(10)}`,
      ...sameBytes.map((c) => `${head}.${mac.slice(0, -1)}${c}`),
    ];
    for (const variant of variants) {
      // Each variant decodes to the very same MAC bytes: only the spelling differs.
      expect(Buffer.from(variant.split('.')[1], 'base64url')).toEqual(
        Buffer.from(mac, 'base64url'),
      );
      expect(tokens().verify(variant, 'invitation', id, nonce)).toBe(false);
    }
    for (const variant of [`${head}=.${mac}`, `${head.slice(0, 5)}!${head.slice(5)}.${mac}`]) {
      expect(tokens().idOf(variant)).toBeNull();
    }
  });
});
