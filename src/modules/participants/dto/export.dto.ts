import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { FileLanguageQuery } from '../../../common/spreadsheet/file-language.dto.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../../common/spreadsheet/spreadsheet.js';
import { ToBoolean } from '../../../common/validation.js';
import { PARTICIPANT_STATUSES, type ParticipantStatus } from '../participants.constants.js';

export class ExportParticipantsQuery extends FileLanguageQuery {
  /** `csv` (UTF-8 with BOM and CRLF line ends, opens in Excel) or `xlsx`. */
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
