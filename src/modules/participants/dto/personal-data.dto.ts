import { ApiProperty } from '@nestjs/swagger';
import { ApiDate, ApiUuid } from '../../../common/openapi.js';
import { ContactDto } from '../../directory/dto/contact.dto.js';
import { ParticipantDto } from './participant.dto.js';

export class PersonalDataTripDto {
  @ApiUuid()
  id: string;
  title: string;
  @ApiDate()
  startDate: string;
  @ApiDate()
  endDate: string;
}

export class PersonalDataTravelDocumentDto {
  passportNumber: string;
  nationality: string;
  issuingCountry: string;
  @ApiDate()
  issuedOn: string | null;
  @ApiDate()
  expiresOn: string;
}

export class PersonalDataParticipationDto extends ParticipantDto {
  trip: PersonalDataTripDto;
  /** Decrypted: this export is for the person it describes. */
  travelDocument: PersonalDataTravelDocumentDto | null;
}

/** Everything held about one person (GDPR Art. 15 / 20). */
export class PersonalDataDto {
  contact: ContactDto;
  /** Every trip they were registered for, with their answers and travel document. */
  participations: PersonalDataParticipationDto[];
  /**
   * Messages sent to them. Empty until the messaging outbox exists; then
   * every invitation and reminder sent to the person appears here.
   */
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  messages: Record<string, unknown>[];
  exportedAt: Date;
}
