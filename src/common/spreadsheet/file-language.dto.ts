import { IsIn, IsOptional } from 'class-validator';
import {
  CSV_DELIMITERS,
  SPREADSHEET_WORDS,
  type CsvDelimiter,
  type SpreadsheetLanguage,
} from './spreadsheet.js';

const LANGUAGES = Object.keys(SPREADSHEET_WORDS) as SpreadsheetLanguage[];

/** The language a downloaded file is written in, and its CSV separator. */
export class FileLanguageQuery {
  /**
   * Language of the headers and values. Default: the agency's language (`defaultLocale`). It
   * also decides how dates and numbers read: in CSV `25.09.2022` for `de` and ISO `2022-09-25`
   * for `en`; in XLSX they are date cells shown that way.
   */
  @IsOptional()
  @IsIn(LANGUAGES)
  lang?: SpreadsheetLanguage;

  /**
   * CSV field separator (ignored for other formats). Default: `semicolon` when the file's
   * language is `de` (what Excel set to German splits on when the file is double-clicked),
   * `comma` for `en`.
   */
  @IsOptional()
  @IsIn(CSV_DELIMITERS)
  delimiter?: CsvDelimiter;
}
