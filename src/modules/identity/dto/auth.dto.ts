import { IsString, MaxLength, MinLength } from 'class-validator';
import { ApiInteger, ApiText } from '../../../common/openapi.js';
import { IsEmailAddress, IsText } from '../../../common/validation.js';
import { IsAcceptablePassword, MAX_PASSWORD_LENGTH } from '../passwords.js';

export class SignupDto {
  /** Name of your agency, as participants will see it. */
  @IsText(200)
  tenantName: string;

  /** Your name. */
  @IsText(200)
  name: string;

  /** Your email; you sign in with it. Unique across Delegation Desk. */
  @IsEmailAddress()
  email: string;

  /** At least 12 characters and not one of the most common passwords. */
  @IsString()
  @IsAcceptablePassword()
  password: string;
}

export class LoginDto {
  /** The email you signed up or were added with. */
  @IsEmailAddress()
  email: string;

  /** Your password. */
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PASSWORD_LENGTH)
  password: string;
}

export class RefreshDto {
  /** The refresh token from the last sign-in or refresh; it can be used once. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  refreshToken: string;
}

export class ChangePasswordDto {
  /** The password you sign in with now. */
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PASSWORD_LENGTH)
  currentPassword: string;

  /** At least 12 characters and not one of the most common passwords. */
  @IsString()
  @IsAcceptablePassword()
  newPassword: string;
}

export class TokenPairDto {
  /** JWT for `Authorization: Bearer`; short-lived. */
  accessToken: string;
  /** Opaque, single-use token for POST /auth/refresh. Keep it secret. */
  @ApiText(200)
  refreshToken: string;
  /** Seconds until the access token expires. */
  @ApiInteger()
  expiresIn: number;
  /** Always `Bearer`. */
  tokenType: 'Bearer';
}
