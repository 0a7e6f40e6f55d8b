import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, IsString, Matches, ValidateNested } from 'class-validator';
import { ProblemDto } from '../../common/errors/problem.js';
import { CreatePurchaseDto, PurchaseDto } from './purchase.dto.js';

export const MAX_BATCH = 1000;
/** 1,000 purchases with a few lines each exceed the default 100kb body limit; this route alone may send up to this. */
export const OFFLINE_BATCH_BODY_LIMIT = '2mb';
export const OFFLINE_BATCH_PATH = '/api/v1/caisses/:caisseId/purchases/batch';

export class OfflinePurchaseDto extends CreatePurchaseDto {
  @ApiProperty({ example: 'till-3:2026-11-26:0042', description: 'Idempotency key of this purchase, chosen by the till' })
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{8,200}$/, { message: 'idempotencyKey must be 8-200 characters of letters, digits, . _ : -' })
  idempotencyKey: string;

  @ApiProperty({ example: '2026-11-26T10:42:00Z', description: 'When the till captured the purchase offline' })
  @IsISO8601({ strict: true })
  capturedAt: string;
}

export class PurchaseBatchDto {
  @ApiProperty({ type: [OfflinePurchaseDto], description: `1 to ${MAX_BATCH} purchases, each with its own key` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  @ValidateNested({ each: true })
  @Type(() => OfflinePurchaseDto)
  purchases: OfflinePurchaseDto[];
}

export class PurchaseBatchItemDto {
  @ApiProperty({ enum: ['accepted', 'duplicate', 'refused'] }) status: 'accepted' | 'duplicate' | 'refused';
  @ApiProperty() idempotencyKey: string;
  @ApiPropertyOptional({ type: PurchaseDto }) purchase?: PurchaseDto;
  @ApiPropertyOptional({ type: ProblemDto, description: 'Why it was refused (code, detail, errors)' }) problem?: Partial<ProblemDto>;
}

export class PurchaseBatchResultDto {
  @ApiProperty({ type: [PurchaseBatchItemDto], description: 'One result per purchase, in the order sent' }) results: PurchaseBatchItemDto[];
  @ApiProperty() accepted: number;
  @ApiProperty() duplicates: number;
  @ApiProperty() refused: number;
}
