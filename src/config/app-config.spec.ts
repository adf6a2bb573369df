import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig, InvalidConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('works on a bare machine with PostgreSQL and Redis on localhost', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/delegation_desk');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.PORT).toBe(3000);
    expect(config.MIGRATIONS_RUN).toBe(true);
    expect(config.SMTP_URL).toBeUndefined();
  });

  it('reads typed values and ignores variables it does not know', () => {
    const config = loadConfig({
      PORT: '8080',
      MIGRATIONS_RUN: 'false',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      SMTP_URL: 'smtp://mail:1025',
      PATH: '/usr/bin',
    });
    expect(config.PORT).toBe(8080);
    expect(config.MIGRATIONS_RUN).toBe(false);
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(config.SMTP_URL).toBe('smtp://mail:1025');
    expect(config).not.toHaveProperty('PATH');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['MIGRATIONS_RUN', 'maybe'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['REDIS_URL', 'localhost:6379'],
    ['LOG_LEVEL', 'loud'],
    ['CORS_ORIGINS', 'not a url'],
    ['JWT_SECRET', 'too-short'],
    ['TRUST_PROXY', '10.0.0.0/99'],
    ['TRUST_PROXY', 'proxy.example'],
    ['PASSWORD_HASH_MEMORY_KIB', '4096'],
    ['PASSWORD_HASH_ITERATIONS', '1'],
    ['WEBHOOK_ALLOWED_HOSTS', 'crm.intern, 10.0.0.0/99'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(InvalidConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(
      new RegExp(`^Invalid configuration:\\n  ${name}: `),
    );
  });

  it('reads WEBHOOK_ALLOWED_HOSTS as names, addresses and ranges', () => {
    expect(loadConfig({}).WEBHOOK_ALLOWED_HOSTS).toEqual([]);
    expect(
      loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'crm.intern, 10.20.0.5,fd00::/8' }).WEBHOOK_ALLOWED_HOSTS,
    ).toEqual(['crm.intern', '10.20.0.5', 'fd00::/8']);
  });

  it('reads TRUST_PROXY as a switch or a list of proxies', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::1' }).TRUST_PROXY).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::1',
    ]);
  });

  it('refuses to run production with the development JWT secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: must be set/);
    const ownKey = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    expect(
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(40),
        PII_ENCRYPTION_KEYS: ownKey,
      }).JWT_SECRET,
    ).toHaveLength(40);
  });

  it('documents every variable in .env.example and the README', () => {
    const root = process.cwd();
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const key of Object.keys(new AppConfig())) {
      expect(example).toMatch(new RegExp(`^#? ?${key}=`, 'm'));
      expect(readme).toContain(`\`${key}\``);
    }
  });
});
