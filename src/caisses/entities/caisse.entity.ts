import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'caisses' })
export class Caisse {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text', array: true })
  territory: string[];

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'unit_label', type: 'text' })
  unitLabel: string;

  @Column({ type: 'char', length: 9, nullable: true })
  siren: string | null;

  @Column({ name: 'fiscal_year_start_month', type: 'smallint' })
  fiscalYearStartMonth: number;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;
}
