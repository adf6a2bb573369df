import { Column, JoinColumn, ManyToOne } from 'typeorm';
import { Tenant } from './tenant.entity.js';

/** `tenant_id`: the agency a row belongs to, by which every query of it is scoped. */
export const TenantIdColumn = (): PropertyDecorator => Column({ name: 'tenant_id', type: 'uuid' });

/**
 * The row's agency as a relation over `tenant_id`, with the foreign key
 * `FK_<table>_tenant`: an agency that still has rows is never deleted.
 */
export function BelongsToTenant(table: string): PropertyDecorator {
  return (target, property) => {
    ManyToOne(() => Tenant, { onDelete: 'RESTRICT' })(target, property);
    JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: `FK_${table}_tenant` })(
      target,
      property,
    );
  };
}
