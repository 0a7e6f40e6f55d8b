import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { IsMoney } from '../../common/validation/validators.js';

export const PIN_POLICIES = ['always', 'above-amount', 'never'] as const;
export type PinPolicy = (typeof PIN_POLICIES)[number];

/** A caisse's till rules. A QR payload never needs a PIN: the member's signed, short-lived QR already proves the holder. */
export class PurchaseSettingsDto {
  @ApiProperty({ enum: PIN_POLICIES, description: 'When a card payment needs the PIN (QR payments never do)' })
  @IsIn(PIN_POLICIES)
  pinPolicy: PinPolicy;

  @ApiProperty({ example: '30.00', description: 'With above-amount: a PIN is asked when the amount exceeds this' })
  @IsMoney()
  pinAbove: string;

  @ApiProperty({ example: '500.00', description: 'Largest amount of one purchase' })
  @IsMoney()
  maxAmount: string;

  @ApiProperty({ example: 7, description: 'Days after a purchase during which its outlet may refund it' })
  @IsInt()
  @Min(0)
  @Max(365)
  refundWindowDays: number;
}
