import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DrawSpec } from '../../common/sortition/sortition.types.js';
import type { PoolDerivation } from '../draw-pool.js';

/** A verifiable enrolment draw; its published inputs are frozen by a trigger, and so is everything once drawn. */
@Entity({ name: 'enrolment_draws' })
export class EnrolmentDraw {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'caisse_id', type: 'uuid' })
  caisseId: string;

  @Column({ type: 'text' })
  label: string;

  @Column({ type: 'text' })
  algorithm: string;

  @Column({ type: 'integer' })
  seats: number;

  @Column({ type: 'jsonb' })
  spec: DrawSpec;

  @Column({ type: 'jsonb' })
  derivation: PoolDerivation;

  @Column({ name: 'pool_size', type: 'integer' })
  poolSize: number;

  @Column({ name: 'pool_hash', type: 'char', length: 64 })
  poolHash: string;

  @Column({ name: 'quotas_hash', type: 'char', length: 64 })
  quotasHash: string;

  @Column({ name: 'randomness_description', type: 'text' })
  randomnessDescription: string;

  @Column({ name: 'randomness_parties', type: 'smallint' })
  randomnessParties: number;

  @Column({ name: 'randomness_commitments', type: 'text', array: true })
  randomnessCommitments: string[];

  @Column({ name: 'randomness_available_after', type: 'timestamptz', nullable: true })
  randomnessAvailableAfter: Date | null;

  @Column({ type: 'text' })
  status: 'committed' | 'drawn';

  @Column({ name: 'randomness_values', type: 'text', array: true, nullable: true })
  randomnessValues: string[] | null;

  @Column({ type: 'char', length: 64, nullable: true })
  randomness: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  seed: string | null;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy: string | null;

  @Column({ name: 'committed_at', type: 'timestamptz', insert: false, update: false })
  committedAt: Date;

  @Column({ name: 'drawn_at', type: 'timestamptz', nullable: true })
  drawnAt: Date | null;
}
