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
});
