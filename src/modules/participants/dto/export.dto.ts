import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { ToBoolean } from '../../../common/validation.js';
import { PARTICIPANT_STATUSES, type ParticipantStatus } from '../participants.constants.js';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export class ExportParticipantsQuery {
  /** `csv` (UTF-8 with BOM, opens in Excel) or `xlsx`. */
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat;

  /** Only participants in this status (default: everyone on the list). */
  @IsOptional()
  @IsIn(PARTICIPANT_STATUSES)
  status?: ParticipantStatus;

  /** Add a passport number column; needs `pii:read` (organisers and up), and is audited. */
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  includePassportNumbers?: boolean;
}
