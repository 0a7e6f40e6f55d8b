import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsCardNumber, IsPin, Optional, PIN_FORMAT } from '../member-validators.js';
import { CARD_STATES } from '../members.types.js';

/** Card numbers are often typed in groups of four: spaces and dashes are dropped before the check. */
const digitsOnly = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/[\s-]/g, '') : value);

export class CardDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '5078123456789012' }) cardNumber: string;
  @ApiProperty({ enum: CARD_STATES }) state: string;
  @ApiProperty() locked: boolean;
  @ApiProperty({ description: 'Wrong PINs since the last right one' }) failedPinAttempts: number;
  @ApiProperty() pinSet: boolean;
  @ApiProperty() issuedAt: string;
  @ApiProperty({ nullable: true, type: String }) blockedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) blockReason: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) replacedBy: string | null;
}

export class IssuedCardDto {
  @ApiProperty({ type: CardDto }) card: CardDto;
  @ApiProperty({ nullable: true, type: String, description: 'A generated PIN, shown only in this response' }) pin: string | null;
}

export class BlockCardDto {
  @ApiProperty({ example: 'Carte perdue' })
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @MinLength(1)
  @MaxLength(200)
  reason: string;
}

export class ReplaceCardDto {
  @ApiProperty({ example: 'Carte abîmée' })
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @MinLength(1)
  @MaxLength(200)
  reason: string;

  @ApiPropertyOptional({ default: false, description: 'Give the new card a new generated PIN instead of keeping the current one' })
  @Optional()
  @IsBoolean()
  newPin?: boolean;
}

export class SetPinDto {
  @ApiPropertyOptional({ example: '4821', description: 'Chosen PIN; a PIN is generated (and returned once) when omitted' })
  @Optional()
  @IsPin()
  pin?: string;
}

export class MemberLoginDto {
  @ApiProperty({ example: '5078 1234 5678 9012' })
  @Transform(digitsOnly)
  @IsCardNumber()
  cardNumber: string;

  @ApiProperty({ example: '4821' })
  @Matches(PIN_FORMAT, { message: 'pin must be 4 to 6 digits' })
  pin: string;
}

export class MemberTokenDto {
  @ApiProperty({ description: 'JWT to send as `Authorization: Bearer …`; it reads only this member' }) accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: string;
  @ApiProperty({ example: 600, description: 'Lifetime in seconds' }) expiresIn: number;
  @ApiProperty({ format: 'uuid' }) memberId: string;
}

export class QrPayloadDto {
  @ApiProperty({ description: 'Signed token to show as a QR code at the shop; holds no personal data' }) payload: string;
  @ApiProperty() expiresAt: string;
}
