import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsEmail, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { INSEE_COMMUNE, IsIsoDate, IsMoney } from '../../common/validation/validators.js';
import { IsPastYear, IsPin, Optional } from '../member-validators.js';
import { MEMBER_STATUSES, type MemberStatus } from '../members.types.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class HouseholdDto {
  @ApiProperty({ minimum: 1, maximum: 20, example: 2, description: 'Adults (14 and over) in the household, the representative included' })
  @IsInt({ message: 'adults must be a whole number' })
  @Min(1, { message: 'adults must be at least 1 (the representative)' })
  @Max(20)
  adults: number;

  @ApiProperty({ type: [Number], example: [2015, 2019], description: 'Birth year of each child under 14; a child turning 14 then counts as an adult' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsPastYear({ each: true, message: 'childrenBirthYears must hold years from 1900 to this year' })
  childrenBirthYears: number[];
}

export class HouseholdPatchDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 20 })
  @Optional()
  @IsInt({ message: 'adults must be a whole number' })
  @Min(1, { message: 'adults must be at least 1 (the representative)' })
  @Max(20)
  adults?: number;

  @ApiPropertyOptional({ type: [Number] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsPastYear({ each: true, message: 'childrenBirthYears must hold years from 1900 to this year' })
  childrenBirthYears?: number[];
}

export class ContactDto {
  @ApiPropertyOptional({ nullable: true, example: 'nadia.b@example.org' })
  @IsOptional()
  @Transform(lower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ nullable: true, example: '+33 6 12 34 56 78' })
  @IsOptional()
  @Matches(/^\+?[0-9 .()-]{6,30}$/, { message: 'phone must be a phone number (digits, spaces, + . ( ) -)' })
  phone?: string | null;

  @ApiPropertyOptional({ nullable: true, example: '12 rue des Lilas, 34070 Montpellier' })
  @IsOptional()
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(300)
  address?: string | null;
}

export class ConsentsDto {
  @ApiPropertyOptional({ description: 'Agrees to the processing of the personal data the caisse needs' })
  @Optional()
  @IsBoolean()
  dataProcessing?: boolean;

  @ApiPropertyOptional({ description: 'Agrees to be contacted (news, meetings)' })
  @Optional()
  @IsBoolean()
  contact?: boolean;

  @ApiPropertyOptional({ description: "Agrees to take part in the experiment's evaluation (surveys, research)" })
  @Optional()
  @IsBoolean()
  research?: boolean;
}

export class CreateMemberDto {
  @ApiProperty({ example: 'Nadia' })
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(100)
  firstName: string;

  @ApiProperty({ example: 'Benali' })
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(100)
  lastName: string;

  @ApiPropertyOptional({ example: 1984, description: "Representative's year of birth (age bands of the enrolment lottery)" })
  @Optional()
  @IsPastYear()
  birthYear?: number;

  @ApiProperty({ example: '34172', description: 'INSEE code of the commune of residence' })
  @Matches(INSEE_COMMUNE, { message: 'commune must be an INSEE commune code (5 characters, e.g. 34172 or 2A004)' })
  commune: string;

  @ApiPropertyOptional({ type: ContactDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;

  @ApiProperty({ enum: MEMBER_STATUSES })
  @IsIn(MEMBER_STATUSES as unknown as string[], { message: `status must be one of ${MEMBER_STATUSES.join(', ')}` })
  status: MemberStatus;

  @ApiProperty({ example: '2027-01-01', description: 'Date the status takes effect (application, or joining when active)' })
  @IsIsoDate()
  joinedOn: string;

  @ApiProperty({ type: HouseholdDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => HouseholdDto)
  household: HouseholdDto;

  @ApiPropertyOptional({ example: '1240.00', description: 'Self-declared net monthly income of the household (seen only by admins and treasurers)' })
  @Optional()
  @IsMoney({ message: 'monthlyIncome must be an amount as a decimal string with at most 2 decimals, e.g. "1240.00"' })
  monthlyIncome?: string;

  @ApiPropertyOptional({ type: ConsentsDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentsDto)
  consents?: ConsentsDto;

  @ApiPropertyOptional({ example: '4821', description: 'Card PIN for an active member; generated (and returned once) when omitted' })
  @Optional()
  @IsPin()
  pin?: string;
}

export class UpdateMemberDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(100)
  firstName?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(100)
  lastName?: string;

  @ApiPropertyOptional({ nullable: true, type: Number })
  @IsOptional()
  @IsPastYear()
  birthYear?: number | null;

  @ApiPropertyOptional({ example: '34172' })
  @Optional()
  @Matches(INSEE_COMMUNE, { message: 'commune must be an INSEE commune code (5 characters, e.g. 34172 or 2A004)' })
  commune?: string;

  @ApiPropertyOptional({ type: ContactDto, description: 'Only the given fields change; null clears one' })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;

  @ApiPropertyOptional({ type: HouseholdPatchDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => HouseholdPatchDto)
  household?: HouseholdPatchDto;

  @ApiPropertyOptional({ enum: MEMBER_STATUSES, description: 'New status, recorded in the dated history' })
  @Optional()
  @IsIn(MEMBER_STATUSES as unknown as string[], { message: `status must be one of ${MEMBER_STATUSES.join(', ')}` })
  status?: MemberStatus;

  @ApiPropertyOptional({ example: '2027-02-01', description: 'Date the new status takes effect (default today)' })
  @Optional()
  @IsIsoDate()
  statusOn?: string;

  @ApiPropertyOptional({ example: 'Déménagement hors du territoire', description: 'Why the status changes (avoid personal details)' })
  @Optional()
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(300)
  statusReason?: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: '1240.00', description: 'Self-declared net monthly income; null withdraws it' })
  @IsOptional()
  @IsMoney({ message: 'monthlyIncome must be an amount as a decimal string with at most 2 decimals, e.g. "1240.00"' })
  monthlyIncome?: string | null;

  @ApiPropertyOptional({ type: ConsentsDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentsDto)
  consents?: ConsentsDto;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'User account (role member) that logs in as this member; null unlinks' })
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'userId must be a UUID' })
  userId?: string | null;
}
