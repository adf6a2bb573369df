import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import {
  CSV_DELIMITERS,
  EXPORT_FORMATS,
  type CsvDelimiter,
  type ExportFormat,
} from '../../../common/spreadsheet/spreadsheet.js';
import { ToBoolean } from '../../../common/validation.js';
import { LOCALES, type Locale } from '../../identity/roles.js';
import { PARTICIPANT_STATUSES, type ParticipantStatus } from '../participants.constants.js';

export class ExportParticipantsQuery {
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

  /**
   * Language of the headers and values (role, status, visa status, yes/no,
   * country names). Default: the agency's language (`defaultLocale`). It
   * also decides how dates read: in CSV `25.09.2022` for `de` and ISO
   * `2022-09-25` for `en`; in XLSX they are date cells shown that way.
   */
  @IsOptional()
  @IsIn(LOCALES)
  lang?: Locale;

  /**
   * CSV field separator (ignored for XLSX). Default: `semicolon` when the
   * export's language is `de` (what Excel set to German splits on when the
   * file is double-clicked), `comma` for `en`.
   */
  @IsOptional()
  @IsIn(CSV_DELIMITERS)
  delimiter?: CsvDelimiter;
}
