import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../../common/openapi.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import { AgreementExport } from './agreement-export.js';
import { ExportAgreementsQuery } from './dto/agreement-export.dto.js';

@ApiTags('agreements')
@Controller('agreements/export')
export class AgreementExportController {
  constructor(private readonly agreementExport: AgreementExport) {}

  /**
   * Download the agreements as CSV or XLSX.
   *
   * @remarks
   * The table agencies send to their ministry: the list's filters and order, one row per
   * agreement with its parties, their countries, the signatories, dates, validity, trip and
   * meeting, open follow-ups and tags, in the agency's language (`lang` overrides it). CSV is
   * UTF-8 with a BOM and CRLF line ends, `;`-separated for German and `,` for English unless
   * `delimiter` says otherwise; a cell a spreadsheet would run as a formula starts with `'`.
   * XLSX has date, yes/no and number cells. Audited.
   */
  @Get()
  @Requires('agreements:read')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({
    description: 'The file, as an attachment.',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiProblems(400)
  async export(
    @CurrentActor() actor: Actor,
    @Query() query: ExportAgreementsQuery,
  ): Promise<StreamableFile> {
    const file = await this.agreementExport.export(actor, query);
    return new StreamableFile(file.body, {
      type: file.contentType,
      disposition: file.disposition,
      length: file.body.length,
    });
  }
}
