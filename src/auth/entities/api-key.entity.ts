import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A terminal's key: only the SHA-256 of its secret is kept, the prefix finds the row. */
@Entity({ name: 'api_keys' })
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'caisse_id', type: 'uuid' })
  caisseId: string;

  @Column({ name: 'outlet_id', type: 'uuid', nullable: true })
  outletId: string | null;

  @Column({ type: 'text' })
  label: string;

  @Column({ type: 'text' })
  prefix: string;

  @Column({ name: 'secret_hash', type: 'char', length: 64 })
  secretHash: string;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** Refreshed at most once a minute (see ApiKeysService.authenticate), so a busy till does not write per request. */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
