import { Injectable, type OnModuleInit } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../../../common/openapi.js';
import { REQUIRES } from './permissions.js';

/**
 * Refuses to start when a route declares neither `@Public()` nor
 * `@Requires(...)`: forgetting one must fail loudly at boot, not let
 * anybody in or lock everybody out at run time.
 */
@Injectable()
export class RouteAccessCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const undeclared = this.discovery.getControllers().flatMap(({ metatype, instance }) => {
      if (!metatype || !instance) return [];
      const prototype = Object.getPrototypeOf(instance) as Record<string, () => unknown>;
      return this.scanner
        .getAllMethodNames(prototype)
        .filter((name) => Reflect.getMetadata(METHOD_METADATA, prototype[name]) !== undefined)
        .filter((name) => {
          const targets = [prototype[name], metatype];
          return (
            !this.reflector.getAllAndOverride(IS_PUBLIC, targets) &&
            !this.reflector.getAllAndOverride(REQUIRES, targets)
          );
        })
        .map((name) => `${metatype.name}.${name}`);
    });
    if (undeclared.length > 0) {
      throw new Error(
        `Routes without @Public() or @Requires(): ${undeclared.join(', ')}. Declare who may call them.`,
      );
    }
  }
}
