import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import {
  inLockedBatches,
  KeepsSealedData,
  type Resealed,
  type SealedData,
} from '../../common/crypto/sealed-data.js';
import { TravelDocument } from './entities/travel-document.entity.js';
import { openPassportNumber } from './passport-numbers.js';

/**
 * Passport numbers, sealed bound to their participant's id. Re-sealing also
 * binds rows written before ids were normalised (under another spelling of
 * the id) to the id as stored.
 */
@Injectable()
@KeepsSealedData()
export class TravelDocumentsSealing implements SealedData {
  readonly what = 'travel document(s)';

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
  ) {}

  async resealAll(): Promise<Resealed> {
    const result: Resealed = { resealed: 0, failed: [] };
    await inLockedBatches(
      this.dataSource,
      TravelDocument,
      'participantId',
      async (manager, rows) => {
        for (const document of rows) {
          const { participantId, keyId, passportNumberSealed: data } = document;
          let sealed;
          try {
            sealed = this.cipher.resealed({ keyId, data }, participantId.toLowerCase(), () =>
              openPassportNumber(this.cipher, { participantId, keyId, sealed: data }),
            );
          } catch (error) {
            result.failed.push(
              `the travel document of participant ${participantId}: ${(error as Error).message}`,
            );
            continue;
          }
          if (!sealed) continue;
          // The number did not change: its version (ETag) and updatedAt stay.
          await manager.update(
            TravelDocument,
            { participantId },
            {
              passportNumberSealed: sealed.data,
              keyId: sealed.keyId,
              version: document.version,
              updatedAt: document.updatedAt,
            },
          );
          result.resealed++;
        }
      },
    );
    return result;
  }
}
