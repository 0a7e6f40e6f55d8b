import { ApiProperty } from '@nestjs/swagger';

export class WalletOutletDto {
  @ApiProperty({ example: '401-O000012' }) account: string;
  @ApiProperty({ example: 'Épicerie solidaire du Faubourg' }) name: string;
}

export class WalletMovementDto {
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty({ example: '2027-01-05' }) date: string;
  @ApiProperty({ example: 'ACH' }) journal: string;
  @ApiProperty() label: string;
  @ApiProperty() pieceRef: string;
  @ApiProperty({ example: '12.50', description: 'Always positive; direction says which way it moved the balance' }) amount: string;
  @ApiProperty({ enum: ['in', 'out'], description: 'in: adds to what the member can spend; out: takes from it' }) direction: string;
  @ApiProperty({ nullable: true, type: WalletOutletDto, description: 'The shop, for purchases and refunds' }) outlet: WalletOutletDto | null;
}

export class WalletDto {
  @ApiProperty({ format: 'uuid' }) memberId: string;
  @ApiProperty({ nullable: true, type: String, example: '4671-M00000042', description: 'null until the member is first active' }) account: string | null;
  @ApiProperty({ example: '87.50', description: 'What the member can spend: credits minus debits of the wallet' }) balance: string;
  @ApiProperty({ type: [WalletMovementDto], description: 'Monthly allocations credited (journal ALL)' }) allocations: WalletMovementDto[];
  @ApiProperty({ type: [WalletMovementDto], description: 'Purchases paid from the wallet (journal ACH, debit)' }) purchases: WalletMovementDto[];
  @ApiProperty({ type: [WalletMovementDto], description: 'Refunds back to the wallet (journal ACH, credit)' }) refunds: WalletMovementDto[];
  @ApiProperty({ type: [WalletMovementDto], description: 'Unspent amounts that expired (journal OD against 6571)' }) expiries: WalletMovementDto[];
  @ApiProperty({ type: [WalletMovementDto], description: 'Anything else: corrections, reversals of allocations, opening balances' }) corrections: WalletMovementDto[];
  @ApiProperty({ nullable: true, type: String, description: 'More movements follow: pass it as cursor (oldest first)' }) nextCursor: string | null;
}
