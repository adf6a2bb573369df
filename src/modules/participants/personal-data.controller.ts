import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IfMatch } from '../../common/etag/etag.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ContactDto } from '../directory/dto/contact.dto.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import { PersonalDataDto } from './dto/personal-data.dto.js';
import { PersonalDataService } from './personal-data.service.js';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor.js';

const CONTACT_ID = "The contact's id.";

@ApiTags('contacts')
@Controller('contacts/:id')
export class PersonalDataController {
  constructor(private readonly personalData: PersonalDataService) {}

  /**
   * Everything held about a person, for a data-subject access request.
   *
   * @remarks
   * The contact, every participation with its trip, answers and travel document (passport
   * number decrypted), every invitation they received and every message sent or planned to
   * them with its delivery (GDPR Art. 15 and 20). Personal data: each export is audited.
   */
  @Get('personal-data')
  @Requires('pii:read')
  @ApiProblems(400, 404)
  export(
    @CurrentActor() actor: Actor,
    @UuidParam('id', CONTACT_ID) id: string,
  ): Promise<PersonalDataDto> {
    return this.personalData.export(actor, id);
  }

  /**
   * Erase a person's data everywhere; irreversible.
   *
   * @remarks
   * In one transaction (GDPR Art. 17): the contact keeps its organisation and the name
   * `[erased]` (`erasedAt` set; later edits are 409 `contact_erased`); participations keep
   * trip, role, category and status, so statistics survive, but lose needs, answers,
   * arrival, departure and notes; travel documents are deleted; invitations lose address and
   * note (pending ones are revoked); messages lose their address and the mail server's
   * replies (unsent ones are cancelled); audit diffs and stored `Idempotency-Key` replies
   * that held their data are emptied. Erasing again changes nothing. Answers with the erased
   * contact. 412 on a stale `If-Match` (the contact's ETag). Audited.
   */
  @Post('erase')
  @Idempotent()
  @Requires('personal-data:erase')
  @HttpCode(200)
  @ApiProblems(400, 404, 412, 422)
  async erase(
    @CurrentActor() actor: Actor,
    @UuidParam('id', CONTACT_ID) id: string,
    @IfMatch() version?: number,
  ): Promise<ContactDto> {
    return ContactDto.from(await this.personalData.erase(actor, id, version));
  }
}
