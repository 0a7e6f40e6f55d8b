import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CardState } from '../members.types.js';

/** A payment card. The PIN is kept as an argon2id hash; failed attempts and the lock are counted here, not in memory. */
@Entity({ name: 'member_cards' })
export class MemberCard {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'caisse_id', type: 'uuid' })
  caisseId: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId: string;

  @Column({ name: 'card_number', type: 'char', length: 16 })
  cardNumber: string;

  @Column({ type: 'text' })
  state: CardState;

  @Column({ name: 'pin_hash', type: 'text', nullable: true })
  pinHash: string | null;

  @Column({ name: 'pin_attempts', type: 'smallint' })
  pinAttempts: number;

  @Column({ name: 'locked_at', type: 'timestamptz', nullable: true })
  lockedAt: Date | null;

  @Column({ name: 'issued_at', type: 'timestamptz', insert: false, update: false })
  issuedAt: Date;

  @Column({ name: 'blocked_at', type: 'timestamptz', nullable: true })
  blockedAt: Date | null;

  @Column({ name: 'block_reason', type: 'text', nullable: true })
  blockReason: string | null;

  @Column({ name: 'replaced_by', type: 'uuid', nullable: true })
  replacedBy: string | null;
}
