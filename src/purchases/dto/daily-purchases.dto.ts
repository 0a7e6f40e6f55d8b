import { ApiProperty } from '@nestjs/swagger';
import { PurchaseDto } from './purchase.dto.js';

/** Z-report of one outlet's day (Europe/Paris): what the till prints at closing. */
export class DailySummaryDto {
  @ApiProperty({ example: 42 }) count: number;
  @ApiProperty({ example: '1234.50', description: 'Σ amounts' }) total: string;
  @ApiProperty({ example: '980.10', description: 'Σ covered by wallets' }) covered: string;
  @ApiProperty({ example: '254.40', description: 'Σ paid by members by other means' }) memberPays: string;
  @ApiProperty({ example: '12.00', description: 'Σ refunds made that day' }) refunded: string;
  @ApiProperty({ nullable: true, type: Number, example: 101 }) firstReceiptNo: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 142 }) lastReceiptNo: number | null;
  @ApiProperty({ description: 'Printable text of the Z-report' }) text: string;
}

export class DailyPurchasesDto {
  @ApiProperty({ format: 'uuid' }) outletId: string;
  @ApiProperty({ example: '2026-11-26' }) date: string;
  @ApiProperty({ type: [PurchaseDto], description: 'Receipt order' }) purchases: PurchaseDto[];
  @ApiProperty({ type: DailySummaryDto }) summary: DailySummaryDto;
}
