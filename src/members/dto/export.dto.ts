import { ApiProperty } from '@nestjs/swagger';
import { CardDto } from './card.dto.js';
import { MemberDto } from './member.dto.js';
import { WalletMovementDto } from './wallet.dto.js';

export class DrawParticipationDto {
  @ApiProperty({ format: 'uuid' }) drawId: string;
  @ApiProperty() label: string;
  @ApiProperty({ nullable: true, enum: ['selected', 'waitlist'], type: String }) outcome: string | null;
  @ApiProperty({ nullable: true, type: Number }) rank: number | null;
  @ApiProperty({ nullable: true, type: String }) promotedAt: string | null;
  @ApiProperty({ description: 'Attributes published with the pseudonym', type: 'object', additionalProperties: { type: 'string' } }) stratum: Record<string, string>;
}

export class WalletExportDto {
  @ApiProperty({ nullable: true, type: String }) account: string | null;
  @ApiProperty() balance: string;
  @ApiProperty({ type: [WalletMovementDto] }) movements: WalletMovementDto[];
}

export class MemberExportDto {
  @ApiProperty() exportedAt: string;
  @ApiProperty({ type: MemberDto, description: 'Every personal field, declared income included' }) member: MemberDto;
  @ApiProperty({ type: [CardDto] }) cards: CardDto[];
  @ApiProperty({ type: [DrawParticipationDto] }) enrolmentDraws: DrawParticipationDto[];
  @ApiProperty({ type: WalletExportDto }) wallet: WalletExportDto;
}
