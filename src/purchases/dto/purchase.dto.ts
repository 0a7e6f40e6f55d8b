import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { IsMoney } from '../../common/validation/validators.js';

import { usePlainCheck } from '../../common/validation/plain-check.js';
import { CATEGORY_CODE, checkPurchaseBody } from './purchase-body.check.js';

export { CATEGORY_CODE };

export class PurchaseLineDto {
  @ApiProperty({ example: 'fruits-legumes', description: "Product category, one of the outlet's coverage categories" })
  @Matches(CATEGORY_CODE, { message: 'category must be a lowercase code with dashes, e.g. fruits-legumes' })
  category: string;

  @ApiProperty({ example: '12.40', description: 'Price of the line, decimal string' })
  @IsMoney()
  amount: string;
}

export class CreatePurchaseDto {
  @ApiPropertyOptional({ example: '4970123456789012', description: 'Card number (16 digits, Luhn); give card or qr' })
  @IsOptional()
  @IsString()
  card?: string;

  @ApiPropertyOptional({ description: "Signed QR payload shown by the member's phone; give card or qr" })
  @IsOptional()
  @IsString()
  qr?: string;

  @ApiPropertyOptional({ example: '4821', description: "Card PIN, when the caisse's PIN policy asks for it" })
  @IsOptional()
  @IsString()
  pin?: string;

  @ApiPropertyOptional({ example: '23.80', description: 'Total price; give amount or lines (covered at the "*" rate)' })
  @IsOptional()
  @IsMoney()
  amount?: string;

  @ApiPropertyOptional({ type: [PurchaseLineDto], description: 'Lines per category; give amount or lines' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => PurchaseLineDto)
  lines?: PurchaseLineDto[];

  @ApiPropertyOptional({ description: 'When the wallet is short, cover what it holds instead of refusing' })
  @IsOptional()
  @IsBoolean()
  allowPartial?: boolean;
}

// The decorators above document the till's body; at run time it is checked by checkPurchaseBody (same rules).
usePlainCheck(CreatePurchaseDto, checkPurchaseBody);

export class PurchaseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '23.80' }) amount: string;
  @ApiProperty({ example: '16.66', description: 'Paid by the wallet (coverage rates, half-up per line)' }) covered: string;
  @ApiProperty({ example: '7.14', description: 'Left for the member to pay by other means' }) memberPays: string;
  @ApiProperty({ description: 'True when allowPartial cut the covered amount to the wallet balance' }) partial: boolean;
  @ApiProperty({ example: '83.34', description: 'Wallet balance right after this purchase' }) balanceAfter: string;
  @ApiProperty({ example: 42, description: 'Receipt number, gapless per outlet' }) receiptNo: number;
  @ApiProperty({ format: 'uuid' }) outletId: string;
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty() createdAt: string;
}
