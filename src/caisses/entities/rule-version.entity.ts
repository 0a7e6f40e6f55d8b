import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AllocationRule, ContributionRule, GateRule, RolloverRule } from '../dto/rules.types.js';

/** Immutable once written (a trigger refuses UPDATE/DELETE): a change of rules is a new version. */
@Entity({ name: 'caisse_rule_versions' })
export class RuleVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'caisse_id', type: 'uuid' })
  caisseId: string;

  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom: string;

  @Column({ type: 'jsonb' })
  allocation: AllocationRule;

  @Column({ type: 'jsonb' })
  contribution: ContributionRule;

  @Column({ type: 'jsonb' })
  rollover: RolloverRule;

  @Column({ type: 'jsonb' })
  gate: GateRule;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;
}
