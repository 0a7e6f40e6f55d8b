import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Stratum } from '../../common/sortition/sortition.types.js';

/** One applicant of a draw: its pseudonym and stratum as published, its member (never published) and its outcome. */
@Entity({ name: 'enrolment_draw_entries' })
export class EnrolmentDrawEntry {
  @PrimaryColumn({ name: 'draw_id', type: 'uuid' })
  drawId: string;

  @PrimaryColumn({ type: 'text' })
  pseudonym: string;

  @Column({ name: 'caisse_id', type: 'uuid' })
  caisseId: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId: string;

  @Column({ type: 'jsonb' })
  stratum: Stratum;

  @Column({ type: 'text', nullable: true })
  outcome: 'selected' | 'waitlist' | null;

  @Column({ type: 'integer', nullable: true })
  rank: number | null;

  @Column({ name: 'promoted_at', type: 'timestamptz', nullable: true })
  promotedAt: Date | null;

  @Column({ name: 'superseded_by', type: 'uuid', nullable: true })
  supersededBy: string | null;
}
