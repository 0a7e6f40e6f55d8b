import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsMoney } from '../../common/validation/validators.js';

export class CreateRefundDto {
  @ApiProperty({ example: '4.20', description: 'Amount given back to the wallet; all refunds together ≤ the covered amount' })
  @IsMoney()
  amount: string;

  @ApiProperty({ example: 'Produit abîmé rendu' })
  @IsString()
  @Length(1, 200)
  reason: string;
}

export class RefundDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) purchaseId: string;
  @ApiProperty({ example: '4.20' }) amount: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty() createdAt: string;
}
