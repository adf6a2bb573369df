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
    const counts: string[] = [];
    const failures: string[] = [];
    for (const keeper of sealedDataKeepers(this.discovery, this.reflector)) {
      try {
        const { resealed, failed } = await keeper.resealAll();
        counts.push(`${resealed} ${keeper.what}`);
        if (failed.length > 0) failures.push(`${failed.length} ${keeper.what}`);
        for (const failure of failed) process.stderr.write(`Cannot open ${failure}\n`);
      } catch (error) {
        // Stopped part way (the database went away): what was re-sealed stays; run it again.
        counts.push(`some ${keeper.what} (stopped: ${(error as Error).message})`);
        failures.push(`the rest of the ${keeper.what}`);
      }
    }
    process.stdout.write(
      `Re-sealed ${counts.join(', ')} with key "${this.cipher.currentKeyId}".\n`,
    );
    if (failures.length > 0) {
      throw new Error(
        `${failures.join(', ')} could not be re-sealed and were left as they are; everything else was re-sealed.`,
      );
    }
  }
}
