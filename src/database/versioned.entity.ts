import { CreateDateColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/**
 * Timestamps and the optimistic-locking version every editable resource
 * carries (the version is its ETag). Millisecond precision, so timestamps
 * survive a round trip through JavaScript dates and keyset cursors.
 */
export abstract class VersionedEntity {
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}
