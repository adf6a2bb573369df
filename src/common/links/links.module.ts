import { Module } from '@nestjs/common';
import { PublicTokens } from './public-tokens.js';

/** Signed, purpose-bound link tokens, for every module that sends people links. */
@Module({ providers: [PublicTokens], exports: [PublicTokens] })
export class LinksModule {}
