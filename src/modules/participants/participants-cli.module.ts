import { Module } from '@nestjs/common';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { CheckTripCountsCommand } from './check-trip-counts.command.js';
import { TravelDocumentsSealing } from './travel-documents.sealing.js';
import { TripCounts } from './trip-counts.js';

/** What `npm run cli` needs of participants: trip figures, sealed passport numbers. */
@Module({
  providers: [PiiCipher, TravelDocumentsSealing, TripCounts, CheckTripCountsCommand],
})
export class ParticipantsCliModule {}
