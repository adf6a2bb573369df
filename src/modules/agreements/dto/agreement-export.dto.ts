import { IsIn, IsOptional } from 'class-validator';
import {
  CSV_DELIMITERS,
  EXPORT_FORMATS,
  type CsvDelimiter,
  type ExportFormat,
} from '../../../common/spreadsheet/spreadsheet.js';
import { LOCALES, type Locale } from '../../identity/roles.js';
import { AgreementFilters } from './agreement.dto.js';

/** The list's filters, and how the file is written. */
export class ExportAgreementsQuery extends AgreementFilters {
  /** `csv` (UTF-8 with BOM and CRLF line ends, opens in Excel) or `xlsx`. */
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat;

  /** Language of headers and values; default: the agency's (`defaultLocale`). */
  @IsOptional()
  @IsIn(LOCALES)
  lang?: Locale;

  /** CSV separator; default `semicolon` for `de`, `comma` for `en`. */
  @IsOptional()
  @IsIn(CSV_DELIMITERS)
  delimiter?: CsvDelimiter;
}
