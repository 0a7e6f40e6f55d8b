import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CursorQueryDto } from '../../common/pagination/cursor.js';
import { CARD_STATES, MEMBER_STATUSES } from '../members.types.js';

export class ContactViewDto {
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
}

export class HouseholdViewDto {
  @ApiProperty({ example: 2 }) adults: number;
  @ApiProperty({ type: [Number], example: [2015, 2019] }) childrenBirthYears: number[];
}

export class ConsentsViewDto {
  @ApiProperty() dataProcessing: boolean;
  @ApiProperty() contact: boolean;
  @ApiProperty() research: boolean;
  @ApiProperty({ nullable: true, type: String }) updatedAt: string | null;
}

export class StatusChangeDto {
  @ApiProperty({ enum: MEMBER_STATUSES }) status: string;
  @ApiProperty({ example: '2027-01-01' }) effectiveOn: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty() recordedAt: string;
}

export class CardSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CARD_STATES }) state: string;
  @ApiProperty({ description: 'Too many wrong PINs: only an admin can unlock it' }) locked: boolean;
  @ApiProperty() pinSet: boolean;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'M00000042', description: 'Pseudonymous number: the only identifier the books and published draws hold' }) number: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty({ nullable: true, type: Number }) birthYear: number | null;
  @ApiProperty({ example: '34172' }) commune: string;
  @ApiProperty({ type: ContactViewDto }) contact: ContactViewDto;
  @ApiProperty({ enum: MEMBER_STATUSES }) status: string;
  @ApiProperty({ example: '2027-01-01' }) joinedOn: string;
  @ApiProperty({ type: HouseholdViewDto }) household: HouseholdViewDto;
  @ApiProperty({ type: ConsentsViewDto }) consents: ConsentsViewDto;
  @ApiPropertyOptional({ nullable: true, type: String, example: '1240.00', description: 'Only shown to admins and treasurers' }) monthlyIncome?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Only shown to admins and treasurers' }) incomeDeclaredOn?: string | null;
  @ApiProperty({ nullable: true, type: String, example: '5078123456789012', description: 'Number of the active card' }) cardNumber: string | null;
  @ApiProperty({ nullable: true, type: CardSummaryDto }) card: CardSummaryDto | null;
  @ApiProperty({ nullable: true, type: String, example: '4671-M00000042' }) walletAccount: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) userId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Set once personal data was erased (GDPR)' }) erasedAt: string | null;
  @ApiProperty({ type: [StatusChangeDto] }) statusHistory: StatusChangeDto[];
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class CreatedMemberDto extends MemberDto {
  @ApiProperty({ nullable: true, type: String, example: '4821', description: 'The generated PIN, shown only in this response (null when chosen, on a replay, or without a card)' })
  pin: string | null;
}

export class MemberPageDto {
  @ApiProperty({ type: [MemberDto] }) items: MemberDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class MemberListQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ enum: MEMBER_STATUSES })
  @IsOptional()
  @IsIn(MEMBER_STATUSES as unknown as string[], { message: `status must be one of ${MEMBER_STATUSES.join(', ')}` })
  status?: string;
}
