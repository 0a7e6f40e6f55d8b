import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CaisseRole } from '../../common/request-context/principal.js';

@Entity({ name: 'user_roles' })
export class UserRole {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ name: 'caisse_id', type: 'uuid' })
  caisseId: string;

  @PrimaryColumn({ type: 'text' })
  role: CaisseRole;

  @Column({ name: 'granted_at', type: 'timestamptz', insert: false, update: false })
  grantedAt: Date;
}
