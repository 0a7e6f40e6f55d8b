import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators.js';
import { BANK_ACCOUNT } from '../../ledger/dto/treasury.dto.js';

export class ReconciliationQueryDto {
  @ApiProperty({ example: '5121' })
  @Matches(BANK_ACCOUNT, { message: 'bankAccount must be a bank account such as 512 or 5121' })
  bankAccount: string;

  @ApiProperty({ example: '2026-11-30' })
  @IsIsoDate()
  asOf: string;

  @ApiPropertyOptional({ enum: ['json', 'csv', 'pdf'], description: 'csv / pdf: the état de rapprochement document' })
  @IsOptional()
  @IsIn(['json', 'csv', 'pdf'], { message: 'format must be json, csv or pdf' })
  format?: 'json' | 'csv' | 'pdf';
}

export class UnmatchedBankItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() date: string;
  @ApiProperty() amount: string;
  @ApiProperty() label: string;
}

export class UnmatchedBookItemDto {
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty() lineNo: number;
  @ApiProperty() date: string;
  @ApiProperty({ description: 'Debit minus credit of the 512x line' }) amount: string;
  @ApiProperty() label: string;
  @ApiProperty() pieceRef: string;
}

export class ExpectedMovementDto {
  @ApiProperty() kind: string;
  @ApiProperty() reference: string;
  @ApiProperty() amount: string;
}

export class ReconciliationDto {
  @ApiProperty() bankAccount: string;
  @ApiProperty() asOf: string;
  @ApiProperty({ description: 'Balance the bank shows at asOf (last statement)' }) bankBalance: string;
  @ApiProperty({ description: 'Debits minus credits of the 512x up to asOf' }) bookBalance: string;
  @ApiProperty({ description: 'bankBalance − bookBalance' }) difference: string;
  @ApiProperty({ description: 'Σ bank lines not in the books − Σ 512x lines not at the bank' }) explained: string;
  @ApiProperty({ description: 'difference − explained: 0.00 when reconciled' }) unexplained: string;
  @ApiProperty({ description: 'unexplained is 0.00 and every bank line up to asOf is in the books (book items in transit may remain)' }) reconciled: boolean;
  @ApiProperty({ nullable: true, type: String, description: '"Reconciled to date D"' }) reconciledTo: string | null;
  @ApiProperty({ type: [UnmatchedBankItemDto] }) unmatchedBank: UnmatchedBankItemDto[];
  @ApiProperty({ type: [UnmatchedBookItemDto] }) unmatchedBook: UnmatchedBookItemDto[];
  @ApiProperty({ type: [ExpectedMovementDto], description: 'Movements expected at the bank not yet on 512x (direct-debit batches not settled)' }) expected: ExpectedMovementDto[];
  @ApiProperty() matchedBankLines: number;
}
