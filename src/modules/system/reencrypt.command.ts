import { DiscoveryService, Reflector } from '@nestjs/core';
import { CliCommand, type CliRunner } from '../../common/cli-command.js';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { sealedDataKeepers } from '../../common/crypto/sealed-data.js';

/**
 * `npm run cli -- reencrypt`: after a new key was put first in
 * PII_ENCRYPTION_KEYS, seals again with it everything an older key sealed
 * (each module re-seals its own data: passport numbers, webhook signing
 * secrets), so the old key can then be removed. Safe to run again or while
 * the API runs. Whatever cannot be opened is reported and left as it is;
 * the run goes on and exits 1 at the end if anything was.
 */
@CliCommand({
  name: 'reencrypt',
  // Its name before it re-sealed more than passport numbers, kept for runbooks that use it.
  aliases: ['reencrypt-travel-documents'],
  description:
    'Re-seal everything sealed with an older key of PII_ENCRYPTION_KEYS (passport numbers, webhook signing secrets)',
})
export class ReencryptCommand implements CliRunner {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly cipher: PiiCipher,
  ) {}

  async run(): Promise<void> {
    const results = [];
    for (const keeper of sealedDataKeepers(this.discovery, this.reflector)) {
      results.push(await keeper.resealAll());
    }
    const counts = results.map(({ what, resealed }) => `${resealed} ${what}`).join(', ');
    process.stdout.write(`Re-sealed ${counts} with key "${this.cipher.currentKeyId}".\n`);
    for (const { failed } of results) {
      for (const failure of failed) process.stderr.write(`Cannot open ${failure}\n`);
    }
    const unopened = results.filter(({ failed }) => failed.length > 0);
    if (unopened.length > 0) {
      const what = unopened.map(({ what, failed }) => `${failed.length} ${what}`).join(', ');
      throw new Error(
        `${what} could not be opened and were left as they are; everything else was re-sealed.`,
      );
    }
  }
}
