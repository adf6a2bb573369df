import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IfMatch } from '../../common/etag/etag.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ContactDto } from '../directory/dto/contact.dto.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import { PersonalDataDto } from './dto/personal-data.dto.js';
import { PersonalDataService } from './personal-data.service.js';

@ApiTags('contacts')
@Controller('contacts/:id')
export class PersonalDataController {
  constructor(private readonly personalData: PersonalDataService) {}

  /** Everything held about the person, travel documents decrypted (audited). */
  @Get('personal-data')
  @Requires('pii:read')
  @ApiProblems(400, 404)
  export(@CurrentActor() actor: Actor, @UuidParam() id: string): Promise<PersonalDataDto> {
    return this.personalData.export(actor, id);
  }

  /**
   * Erase the person's data everywhere (irreversible). Statistics survive:
   * their participations keep trip, role, category and status.
   */
  @Post('erase')
  @Requires('personal-data:erase')
  @HttpCode(200)
  @ApiProblems(400, 404, 412, 422)
  async erase(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @IfMatch() version?: number,
  ): Promise<ContactDto> {
    return ContactDto.from(await this.personalData.erase(actor, id, version));
  }
}
