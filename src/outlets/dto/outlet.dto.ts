import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsEmail, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { IsBic, IsIban, IsSiret, normalizeBic, normalizeIban } from '../../common/validation/identifiers.js';
import { INSEE_COMMUNE } from '../../common/validation/validators.js';
import { OUTLET_STATUSES } from '../outlet-lifecycle.js';
import { PlaceDto } from './place.dto.js';

export const OUTLET_KINDS = [
  'producer',
  'producers-shop',
  'grocery',
  'epicerie-solidaire',
  'amap',
  'market-stall',
  'mobile-grocery',
  'locker',
  'restaurant-canteen',
  'other',
] as const;
export type OutletKind = (typeof OUTLET_KINDS)[number];

/** Quality labels the committee looks for; an empty list means none. */
export const OUTLET_LABELS = ['ab', 'nature-et-progres', 'demeter', 'hve'] as const;

const upper = (normalise: (v: string) => string) => ({ value }: { value: unknown }) => (typeof value === 'string' ? normalise(value) : value);
const COUNTRY = /^[A-Z]{2}$/;
const INSEE_MESSAGE = 'commune must be an INSEE commune code (5 characters, e.g. 34172 or 2A004), not a postcode';

export class ContactDto {
  @ApiPropertyOptional({ example: 'Camille Martin' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ example: 'contact@ferme-des-garrigues.fr' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+33 4 67 00 00 00' })
  @IsOptional()
  @Matches(/^\+?[0-9 .()-]{6,20}$/, { message: 'phone must be a phone number (digits, spaces, dots, dashes, optional leading +)' })
  phone?: string;
}

/** Fields shared by creation and update; update makes every one optional but refuses null for the required ones. */
export class CreateOutletDto {
  @ApiProperty({ example: 'EARL des Garrigues', description: 'Legal name (raison sociale)' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  legalName: string;

  @ApiProperty({ example: 'Ferme des Garrigues', description: "Trade name: what members see, also on their wallet statement" })
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  name: string;

  @ApiProperty({ example: '73282932000074', description: '14 digits; the SIREN is derived from it' })
  @IsSiret()
  siret: string;

  @ApiProperty({ enum: OUTLET_KINDS })
  @IsIn(OUTLET_KINDS as unknown as string[], { message: `kind must be one of ${OUTLET_KINDS.join(', ')}` })
  kind: OutletKind;

  @ApiPropertyOptional({ enum: OUTLET_LABELS, isArray: true, description: 'Empty or absent: no label' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(OUTLET_LABELS.length)
  @ArrayUnique({ message: 'labels must not repeat a label' })
  @IsIn(OUTLET_LABELS as unknown as string[], { each: true, message: `labels must be among ${OUTLET_LABELS.join(', ')}` })
  labels?: string[];

  @ApiPropertyOptional({ example: '12 chemin des Oliviers' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  address?: string;

  @ApiPropertyOptional({ example: '34700' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'postcode must be 5 digits' })
  postcode?: string;

  @ApiProperty({ example: '34142', description: 'INSEE code of the commune (not the postcode)' })
  @Matches(INSEE_COMMUNE, { message: INSEE_MESSAGE })
  commune: string;

  @ApiPropertyOptional({ example: 'Lodève' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  communeName?: string;

  @ApiPropertyOptional({ example: 'Chemin des Oliviers', description: 'Street of the structured postal address (pain.001 payouts)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(70)
  streetName?: string;

  @ApiPropertyOptional({ example: '12', description: 'Building number in the street' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(16)
  buildingNumber?: string;

  @ApiPropertyOptional({ example: 'FR', description: 'ISO 3166 country code: payouts (pain.001) need the town (communeName) and the country' })
  @IsOptional()
  @Matches(COUNTRY, { message: 'country must be an ISO 3166 alpha-2 code in capitals, e.g. FR' })
  country?: string;

  @ApiProperty({ example: 'FR7630006000011234567890189', description: 'SEPA IBAN for payouts; spaces allowed' })
  @Transform(upper(normalizeIban))
  @IsIban()
  iban: string;

  @ApiPropertyOptional({ example: 'AGRIFRPP882' })
  @IsOptional()
  @Transform(upper(normalizeBic))
  @IsBic()
  bic?: string;

  @ApiPropertyOptional({ type: ContactDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;
}

const present = (field: string) => (o: Record<string, unknown>) => o[field] !== undefined;

/** PATCH: only the fields sent change; optional fields may be cleared with null. IBAN/BIC need the treasurer. */
export class UpdateOutletDto {
  @ApiPropertyOptional() @ValidateIf(present('legalName')) @IsString() @MinLength(2) @MaxLength(200) legalName?: string;
  @ApiPropertyOptional() @ValidateIf(present('name')) @IsString() @MinLength(2) @MaxLength(120) name?: string;
  @ApiPropertyOptional() @ValidateIf(present('siret')) @IsSiret() siret?: string;

  @ApiPropertyOptional({ enum: OUTLET_KINDS })
  @ValidateIf(present('kind'))
  @IsIn(OUTLET_KINDS as unknown as string[], { message: `kind must be one of ${OUTLET_KINDS.join(', ')}` })
  kind?: OutletKind;

  @ApiPropertyOptional({ enum: OUTLET_LABELS, isArray: true })
  @ValidateIf(present('labels'))
  @IsArray()
  @ArrayMaxSize(OUTLET_LABELS.length)
  @ArrayUnique({ message: 'labels must not repeat a label' })
  @IsIn(OUTLET_LABELS as unknown as string[], { each: true, message: `labels must be among ${OUTLET_LABELS.join(', ')}` })
  labels?: string[];

  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) address?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @Matches(/^\d{5}$/, { message: 'postcode must be 5 digits' }) postcode?: string | null;
  @ApiPropertyOptional() @ValidateIf(present('commune')) @Matches(INSEE_COMMUNE, { message: INSEE_MESSAGE }) commune?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MinLength(1) @MaxLength(120) communeName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MinLength(1) @MaxLength(70) streetName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MinLength(1) @MaxLength(16) buildingNumber?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @Matches(COUNTRY, { message: 'country must be an ISO 3166 alpha-2 code in capitals, e.g. FR' })
  country?: string | null;

  @ApiPropertyOptional({ description: 'Treasurer only; audited' })
  @ValidateIf(present('iban'))
  @Transform(upper(normalizeIban))
  @IsIban()
  iban?: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Treasurer only; audited' })
  @IsOptional()
  @Transform(upper(normalizeBic))
  @IsBic()
  bic?: string | null;

  @ApiPropertyOptional({ type: ContactDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto | null;
}

export class PendingTransitionDto {
  @ApiProperty({ enum: OUTLET_STATUSES }) to: string;
  @ApiProperty() effectiveAt: string;
}

export class OutletDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'O00000042', description: 'Pseudonymous code, also the ledger auxiliary' }) code: string;
  @ApiProperty() legalName: string;
  @ApiProperty() name: string;
  @ApiProperty() siret: string;
  @ApiProperty() siren: string;
  @ApiProperty({ enum: OUTLET_KINDS }) kind: string;
  @ApiProperty({ enum: OUTLET_LABELS, isArray: true }) labels: string[];
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ nullable: true, type: String }) postcode: string | null;
  @ApiProperty() commune: string;
  @ApiProperty({ nullable: true, type: String }) communeName: string | null;
  @ApiProperty({ nullable: true, type: String }) streetName: string | null;
  @ApiProperty({ nullable: true, type: String }) buildingNumber: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'FR' }) country: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the IBAN last changed (null: never since registration)' }) ibanChangedAt: string | null;
  @ApiProperty({ description: 'In full for admins and treasurers, masked (FR76****…0189) for others' }) iban: string;
  @ApiProperty({ nullable: true, type: String }) bic: string | null;
  @ApiProperty({ type: ContactDto, nullable: true, description: 'Hidden from members' }) contact: ContactDto | null;
  @ApiProperty({ example: '401-O00000042', description: 'Payable account in the ledger' }) accountCode: string;
  @ApiProperty({ enum: OUTLET_STATUSES, description: 'Status in effect now' }) status: string;
  @ApiProperty() statusSince: string;
  @ApiProperty({ description: 'Whether members may spend here now' }) accepting: boolean;
  @ApiProperty({ nullable: true, type: String, example: '2027-06-30' }) reviewOn: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2027-12-31' }) validUntil: string | null;
  @ApiProperty({ type: PendingTransitionDto, nullable: true, description: 'A recorded transition that takes effect later' })
  pendingTransition: PendingTransitionDto | null;
  @ApiProperty({ type: [PlaceDto] }) places: PlaceDto[];
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class OutletPageDto {
  @ApiProperty({ type: [OutletDto] }) items: OutletDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
