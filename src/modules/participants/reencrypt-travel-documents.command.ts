import { Module } from '@nestjs/common';
import { DataSource, MoreThan } from 'typeorm';
import { CliCommand, type CliRunner } from '../../common/cli-command.js';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { CheckTripCountsCommand } from './check-trip-counts.command.js';
import { TravelDocument } from './entities/travel-document.entity.js';
import { TripCounts } from './trip-counts.js';
import { openPassportNumber, sealPassportNumber } from './passport-numbers.js';

const BATCH = 500;

/**
 * `npm run cli -- reencrypt-travel-documents`: after a new key was put first
 * in PII_ENCRYPTION_KEYS, re-seals every passport number still sealed with
 * an older key, or bound to another spelling of its participant's id (rows
 * written before ids were normalised), in batches (each its own
 * transaction, rows locked), so the old key can then be removed. Safe to run
 * again or while the API runs. A row that cannot be opened is reported and
 * skipped; the run goes on and exits 1 at the end if any was.
 */
@CliCommand({
  name: 'reencrypt-travel-documents',
  description: 'Re-seal passport numbers with the first key of PII_ENCRYPTION_KEYS',
})
export class ReencryptTravelDocumentsCommand implements CliRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
  ) {}

  async run(): Promise<void> {
    let after = '00000000-0000-0000-0000-000000000000';
    let resealed = 0;
    const failed: string[] = [];
    for (;;) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const documents = await manager.find(TravelDocument, {
          where: { participantId: MoreThan(after) },
          order: { participantId: 'ASC' },
          take: BATCH,
          lock: { mode: 'pessimistic_write' },
        });
        for (const document of documents) {
          const stored = {
            participantId: document.participantId,
            keyId: document.keyId,
            sealed: document.passportNumberSealed,
          };
          if (this.isCurrent(stored)) continue;
          let number: string;
          try {
            number = openPassportNumber(this.cipher, stored);
          } catch (error) {
            failed.push(document.participantId);
            process.stderr.write(
              `Cannot open the travel document of participant ${document.participantId}: ${(error as Error).message}\n`,
            );
            continue;
          }
          const sealed = sealPassportNumber(this.cipher, number, document.participantId);
          // The number did not change: keep the version (and ETag) as it is.
          await manager.update(
            TravelDocument,
            { participantId: document.participantId },
            { passportNumberSealed: sealed.data, keyId: sealed.keyId, version: document.version },
          );
          resealed++;
        }
        return documents;
      });
      if (batch.length < BATCH) break;
      after = batch[batch.length - 1].participantId;
    }
    process.stdout.write(
      `Re-sealed ${resealed} travel document(s) with key "${this.cipher.currentKeyId}".\n`,
    );
    if (failed.length > 0) {
      throw new Error(
        `${failed.length} travel document(s) could not be opened and were left as they are (participants ${failed.join(', ')}); every other one was re-sealed.`,
      );
    }
  }

  /** Sealed with the current key and bound to the canonical id: nothing to do. */
  private isCurrent(stored: { participantId: string; keyId: string; sealed: Buffer }): boolean {
    if (stored.keyId !== this.cipher.currentKeyId) return false;
    try {
      this.cipher.open({ keyId: stored.keyId, data: stored.sealed }, stored.participantId);
      return true;
    } catch {
      return false;
    }
  }
}

@Module({
  providers: [PiiCipher, ReencryptTravelDocumentsCommand, TripCounts, CheckTripCountsCommand],
})
export class ParticipantsCliModule {}
