import { ApiInteger, ApiText, ApiUuid } from '../../../common/openapi.js';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
} from 'class-validator';
import { IsInstant, IsText } from '../../../common/validation.js';
import type { ApiKey } from '../entities/api-key.entity.js';
import { SCOPES, type Scope } from '../roles.js';

export class CreateApiKeyDto {
  /** What the key is for, e.g. "CRM sync". */
  @IsText(100)
  name: string;

  /** What it may do: `<area>:read` or `<area>:write` (write includes read), and `pii:read`. */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(SCOPES.length)
  @IsIn(SCOPES, { each: true })
  scopes: Scope[];

  /** When it stops working (ISO 8601, in the future); omit for a key that lasts until revoked. */
  @IsOptional()
  @IsInstant()
  expiresAt?: Date;
}

export class ApiKeyDto {
  @ApiUuid()
  id: string;
  /** What the key is for. */
  @ApiText(100)
  name: string;
  /** The key's first characters (`dd_` and 8 hex digits), to tell keys apart. */
  @ApiText(16)
  prefix: string;
  scopes: Scope[];
  /** `active`, `expired` or `revoked`. */
  status: 'active' | 'expired' | 'revoked';
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** Last request made with it, to the minute. */
  lastUsedAt: Date | null;
  @ApiUuid()
  createdByUserId: string | null;
  createdAt: Date;
  /** Sent as the ETag. */
  @ApiInteger()
  version: number;

  static from(key: ApiKey, now = new Date()): ApiKeyDto {
    return {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      scopes: key.scopes,
      status: key.revokedAt
        ? 'revoked'
        : key.expiresAt && key.expiresAt <= now
          ? 'expired'
          : 'active',
      expiresAt: key.expiresAt,
      revokedAt: key.revokedAt,
      lastUsedAt: key.lastUsedAt,
      createdByUserId: key.createdByUserId,
      createdAt: key.createdAt,
      version: key.version,
    };
  }
}

export class CreatedApiKeyDto extends ApiKeyDto {
  /** The key, for `X-API-Key`. Shown only now: store it safely, it cannot be retrieved again. */
  @ApiText(200)
  key: string;
}
