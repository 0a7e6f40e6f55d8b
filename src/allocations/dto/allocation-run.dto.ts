import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import { CursorQueryDto } from '../../common/pagination/cursor.js';

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const LINE_STATUSES = ['planned', 'pending', 'credited', 'skipped-gate', 'zero', 'refused'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export class CreateAllocationRunDto {
  @ApiProperty({ example: '2026-12', description: 'Month to allocate (YYYY-MM), at most next month' })
  @Matches(PERIOD_PATTERN, { message: 'period must be a month written YYYY-MM' })
  period: string;

  @ApiPropertyOptional({ default: false, description: 'Compute and store the lines and totals without posting anything' })
  @IsOptional()
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;
}

export class RunLinesQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ enum: LINE_STATUSES })
  @IsOptional()
  @IsIn(LINE_STATUSES as unknown as string[], { message: `status must be one of ${LINE_STATUSES.join(', ')}` })
  status?: string;
}

export class AllocationRunAcceptedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: RUN_STATUSES }) status: RunStatus;
}

export class RunProgressDto {
  @ApiProperty({ description: 'Members handled (credited, skipped or refused)' }) done: number;
  @ApiProperty() total: number;
}

export class RunTotalsDto {
  @ApiProperty({ description: 'Members credited (for a dry run: who would be)' }) members: number;
  @ApiProperty({ example: '15000.00' }) amount: string;
  @ApiProperty({ example: '420.00', description: 'Balances expired before crediting (dry run: estimated)' }) expired: string;
  @ApiProperty({ description: 'Members left out by the contribution gate' }) skippedGate: number;
}

export class RunSolvencyDto {
  @ApiProperty({ example: '15000.00' }) needed: string;
  @ApiProperty({ example: '12000.00', description: 'Available for allocations, including what expires before crediting' }) available: string;
  @ApiProperty({ example: '3000.00' }) missing: string;
}

export class RunErrorDto {
  @ApiProperty({ example: 'INSUFFICIENT_FUNDS_FOR_ALLOCATIONS' }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ format: 'uuid' }) memberId?: string;
}

export class AllocationRunDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026-12' }) period: string;
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ enum: RUN_STATUSES }) status: RunStatus;
  @ApiProperty({ type: RunProgressDto }) progress: RunProgressDto;
  @ApiProperty({ type: RunTotalsDto }) totals: RunTotalsDto;
  @ApiProperty({ nullable: true, type: String, example: '87.5300', description: 'Percentage paid to everyone when funds were short (null: in full)' })
  reductionPercent: string | null;
  @ApiProperty({ nullable: true, type: RunSolvencyDto }) solvency: RunSolvencyDto | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) ruleVersionId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'allocations', description: 'Fund the 6571 lines are charged to' }) fund: string | null;
  @ApiProperty({ description: 'Catch-up passes run for members who paid after the gate' }) catchUps: number;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) finishedAt: string | null;
  @ApiProperty({ type: [RunErrorDto] }) errors: RunErrorDto[];
}

export class RunLineHouseholdDto {
  @ApiProperty() adults: number;
  @ApiProperty() childrenUnder14: number;
  @ApiProperty() children14AndOver: number;
}

export class AllocationRunLineDto {
  @ApiProperty() seq: number;
  @ApiProperty({ format: 'uuid' }) memberId: string;
  @ApiProperty({ example: '4671-M00000042' }) walletAccount: string;
  @ApiProperty({ enum: LINE_STATUSES }) status: LineStatus;
  @ApiProperty({ description: 'Days of the month the member was active' }) activeDays: number;
  @ApiProperty({ type: RunLineHouseholdDto }) household: RunLineHouseholdDto;
  @ApiProperty({ nullable: true, type: String, example: '30.00' }) contribution: string | null;
  @ApiProperty({ example: '315.00', description: 'Monthly amount by the formula, before proration and reduction' }) gross: string;
  @ApiProperty({ example: '157.50', description: 'Amount credited (or to credit)' }) amount: string;
  @ApiProperty({ example: '0.00' }) expired: string;
  @ApiProperty({ example: '60.00', description: 'Top-up rule: the part of the credit the household did not pay, charged to topUpFund' }) topUp: string;
  @ApiProperty({ nullable: true, type: String, example: 'caf-savoie' }) topUpFund: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) entryId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) expireEntryId: string | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
}

export class AllocationRunLinePageDto {
  @ApiProperty({ type: [AllocationRunLineDto] }) items: AllocationRunLineDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
