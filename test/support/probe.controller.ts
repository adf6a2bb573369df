import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { assertVersion, IfMatch } from '../../src/common/etag/etag.js';
import { Idempotent } from '../../src/common/idempotency/idempotency.interceptor.js';
import { Public } from '../../src/common/openapi.js';

class ProbeStationDto {
  @IsString()
  @MaxLength(20)
  city: string;
}

class ProbeDto {
  @IsString()
  @MaxLength(50)
  title: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  capacity?: number;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => ProbeStationDto)
  stations?: ProbeStationDto[];
}

/** Test-only routes exercising the HTTP conventions every real module relies on. */
@Public()
@Controller('probe')
export class ProbeController {
  static created = 0;

  @Post('things')
  @Idempotent()
  create(@Body() dto: ProbeDto) {
    ProbeController.created++;
    return { id: randomUUID(), ...dto };
  }

  @Post('slow-things')
  @Idempotent()
  @HttpCode(202)
  async createSlowly(@Body() dto: ProbeDto) {
    await new Promise((resolve) => setTimeout(resolve, 600));
    ProbeController.created++;
    return { id: randomUUID(), ...dto };
  }

  @Post('failing-things')
  @Idempotent()
  failToCreate(@Body() _dto: ProbeDto) {
    throw new Error('insert into "trips" violates constraint; password=hunter2');
  }

  @Get('versioned')
  read() {
    return { id: 'v1', title: 'Astana', version: 3 };
  }

  @Patch('versioned')
  update(@IfMatch() expected: number | undefined) {
    assertVersion(expected, 3);
    return { id: 'v1', title: 'Almaty', version: 4 };
  }
}
