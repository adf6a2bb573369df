import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import {
  KeepsSealedData,
  resealRows,
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

  resealAll(): Promise<Resealed> {
    return resealRows(
      this.dataSource,
      this.cipher,
      TravelDocument,
      'participantId',
      ({ participantId, keyId, passportNumberSealed: data }, reseal) => {
        const sealed = reseal(
          `the travel document of participant ${participantId}`,
          { keyId, data },
          participantId.toLowerCase(),
          () => openPassportNumber(this.cipher, { participantId, keyId, sealed: data }),
        );
        return sealed ? { passportNumberSealed: sealed.data, keyId: sealed.keyId } : {};
      },
    );
  }
}
