import { Module } from '@nestjs/common';
import { DataSource, MoreThan, Not } from 'typeorm';
import { CliCommand, type CliRunner } from '../../common/cli-command.js';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { TravelDocument } from './entities/travel-document.entity.js';

const BATCH = 500;

/**
 * `npm run cli -- reencrypt-travel-documents`: after a new key was put first
 * in PII_ENCRYPTION_KEYS, re-seals every passport number still sealed with
 * an older key, in batches (each its own transaction, rows locked), so the
 * old key can then be removed. Safe to run again or while the API runs.
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
    let total = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const documents = await manager.find(TravelDocument, {
          where: { keyId: Not(this.cipher.currentKeyId), participantId: MoreThan(after) },
          order: { participantId: 'ASC' },
          take: BATCH,
          lock: { mode: 'pessimistic_write' },
        });
        for (const document of documents) {
          const number = this.cipher.open(
            { keyId: document.keyId, data: document.passportNumberSealed },
            document.participantId,
          );
          const sealed = this.cipher.seal(number, document.participantId);
          // The number did not change: keep the version (and ETag) as it is.
          await manager.update(
            TravelDocument,
            { participantId: document.participantId },
            { passportNumberSealed: sealed.data, keyId: sealed.keyId, version: document.version },
          );
        }
        return documents;
      });
      total += batch.length;
      if (batch.length < BATCH) break;
      after = batch[batch.length - 1].participantId;
    }
    process.stdout.write(
      `Re-sealed ${total} travel document(s) with key "${this.cipher.currentKeyId}".\n`,
    );
  }
}

@Module({ providers: [PiiCipher, ReencryptTravelDocumentsCommand] })
export class ParticipantsCliModule {}
