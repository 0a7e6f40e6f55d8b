import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsOptional, IsUUID, Max, Min, ValidateNested } from 'class-validator';

export class BookLineRefDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'entryId must be a UUID' })
  entryId: string;

  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(1)
  @Max(32767)
  lineNo: number;
}

export class ManualMatchDto {
  @ApiProperty({ type: [BookLineRefDto], description: 'Open 512x journal lines whose amounts add up to the bank line' })
  @ValidateNested({ each: true })
  @Type(() => BookLineRefDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  bookLines: BookLineRefDto[];
}

export const SUGGESTION_KINDS = ['fee', 'interest', 'suspense'] as const;

export class AcceptSuggestionDto {
  @ApiPropertyOptional({ enum: SUGGESTION_KINDS, description: 'fee → 627, interest → 768, suspense → 471; omitted: the suggestion shown on the line' })
  @IsOptional()
  @IsIn(SUGGESTION_KINDS as unknown as string[], { message: `kind must be one of ${SUGGESTION_KINDS.join(', ')}` })
  kind?: (typeof SUGGESTION_KINDS)[number];
}

export class ProposalDto {
  @ApiProperty() rule: string;
  @ApiProperty() confidence: number;
  @ApiProperty({ type: [BookLineRefDto] }) bookLines: BookLineRefDto[];
}

export class BankLineDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) statementId: string;
  @ApiProperty({ description: 'Line of the imported file' }) sourceLine: number;
  @ApiProperty() bankAccount: string;
  @ApiProperty() bookedOn: string;
  @ApiProperty({ example: '-12.50', description: 'Positive: money in' }) amount: string;
  @ApiProperty() reference: string;
  @ApiProperty() label: string;
  @ApiProperty() remittance: string;
  @ApiProperty() counterpartyName: string;
  @ApiProperty({ type: [String] }) endToEndIds: string[];
  @ApiProperty({ nullable: true, type: String }) matchId: string | null;
  @ApiProperty({ nullable: true, type: String }) letter: string | null;
  @ApiProperty({ nullable: true, type: String }) rule: string | null;
  @ApiProperty({ nullable: true, type: ProposalDto }) proposal: ProposalDto | null;
  @ApiProperty({ nullable: true, enum: SUGGESTION_KINDS }) suggestion: (typeof SUGGESTION_KINDS)[number] | null;
}

export class BankLinesQueryDto {
  @ApiPropertyOptional({ example: '5121' })
  @IsOptional()
  bankAccount?: string;

  @ApiPropertyOptional({ enum: ['matched', 'unmatched'] })
  @IsOptional()
  @IsIn(['matched', 'unmatched'], { message: 'status must be matched or unmatched' })
  status?: 'matched' | 'unmatched';
}
