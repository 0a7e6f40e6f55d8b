import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MemberStatus } from '../members.types.js';

/** Dated status history: append-only (a trigger refuses changes, except blanking a reason on erasure). */
@Entity({ name: 'member_status_history' })
export class MemberStatusChange {
  @PrimaryColumn({ type: 'bigint', insert: false })
  id: string;

  @Column({ name: 'caisse_id', type: 'uuid' })
  caisseId: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId: string;

  @Column({ type: 'text' })
  status: MemberStatus;

  @Column({ name: 'effective_on', type: 'date' })
  effectiveOn: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'recorded_at', type: 'timestamptz', insert: false, update: false })
  recordedAt: Date;
}
