import { ApiProperty } from '@nestjs/swagger';
import { ApiText, ApiUuids } from './openapi.js';

/**
 * Something a change did beyond what was asked, told in the response of the
 * request that made it: e.g. the meetings of a station now shown in its new
 * timezone. Never an error; the change is done.
 */
export class Notice {
  /** Stable and machine-readable, e.g. `meetings_shown_in_new_timezone`. */
  @ApiText(64)
  code: string;
  /** For people, in English. */
  @ApiText(500)
  detail: string;
  /** The kind of record the notice is about, e.g. `meeting`. */
  @ApiProperty({ type: String, example: 'meeting' })
  subject: string;
  /** The records it is about. */
  @ApiUuids()
  ids: string[];
}
