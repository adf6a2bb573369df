import { ApiProperty } from '@nestjs/swagger';
import { ApiCountry, ApiDate, ApiInteger, ApiText, ApiUuid } from '../../../common/openapi.js';
import { STORED_INVITATION_STATUSES } from '../../invitations/invitations.constants.js';
import { NotificationDto } from '../../notifications/dto/notification.dto.js';
import { ContactDto } from '../../directory/dto/contact.dto.js';
import { ParticipantDto } from './participant.dto.js';

export class PersonalDataTripDto {
  @ApiUuid()
  id: string;
  @ApiText(300)
  title: string;
  @ApiDate()
  startDate: string;
  @ApiDate()
  endDate: string;
}

export class PersonalDataTravelDocumentDto {
  /** In full. */
  @ApiText(20)
  passportNumber: string;
  /** ISO 3166-1 alpha-2. */
  @ApiCountry()
  nationality: string;
  /** ISO 3166-1 alpha-2. */
  @ApiCountry()
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

export class PersonalDataInvitationDto {
  @ApiUuid()
  id: string;
  @ApiUuid()
  tripId: string;
  /** The address it was sent to. */
  @ApiText(320)
  email: string;
  /** As stored (an unanswered invitation of a closed registration is still `pending` here). */
  @ApiProperty({ enum: STORED_INVITATION_STATUSES })
  status: string;
  /** The agency's personal note. */
  @ApiText(5000)
  message: string | null;
  @ApiInteger()
  sendCount: number;
  lastSentAt: Date;
  answeredAt: Date | null;
}

/** Everything held about one person (GDPR Art. 15 / 20). */
export class PersonalDataDto {
  contact: ContactDto;
  /** Every trip they were registered for, with their answers and travel document. */
  participations: PersonalDataParticipationDto[];
  /** Every invitation to a trip they received. */
  @ApiProperty({ type: [PersonalDataInvitationDto] })
  invitations: PersonalDataInvitationDto[];
  /** Every message sent (or planned) to them, with its delivery. */
  @ApiProperty({ type: [NotificationDto] })
  messages: NotificationDto[];
  exportedAt: Date;
}
