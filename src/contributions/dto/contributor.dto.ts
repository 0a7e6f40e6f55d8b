import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IsIban, IsSiret, normalizeIban } from '../../common/validation/identifiers.js';
import { CONTRIBUTOR_KINDS, FUNDER_TYPES } from '../contributions.types.js';

export class ContributorInputDto {
  @ApiProperty({ enum: CONTRIBUTOR_KINDS })
  @IsIn(CONTRIBUTOR_KINDS as unknown as string[], { message: `kind must be one of ${CONTRIBUTOR_KINDS.join(', ')}` })
  kind: string;

  @ApiPropertyOptional({ enum: FUNDER_TYPES, description: 'Required for a public funder' })
  @ValidateIf((o: ContributorInputDto) => o.kind === 'public-funder' || o.funderType !== undefined)
  @IsIn(FUNDER_TYPES as unknown as string[], { message: `funderType must be one of ${FUNDER_TYPES.join(', ')} (required for a public funder)` })
  funderType?: string;

  @ApiProperty({ example: 'Métropole de Lyon' })
  @IsString()
  @MinLength(1)
  @MaxLength(140)
  name: string;

  @ApiPropertyOptional({ example: '21690123100011', description: 'Required for an employer; Luhn-checked' })
  @ValidateIf((o: ContributorInputDto) => o.kind === 'employer' || o.siret !== undefined)
  @IsSiret()
  siret?: string;

  @ApiPropertyOptional({ example: 'FR7630006000011234567890189' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? normalizeIban(value) : value))
  @IsIban()
  iban?: string;

  @ApiPropertyOptional({ example: '1 place de la Comédie, 34000 Montpellier', description: 'Printed on tax receipts' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string;
}

/** What may be corrected on a contributor: kind and number chose its accounts and stay. */
export class ContributorUpdateDto {
  @ApiProperty({ example: 'Métropole de Lyon' })
  @IsString()
  @MinLength(1)
  @MaxLength(140)
  name: string;

  @ApiPropertyOptional({ example: '21690123100011', description: 'Required for an employer; Luhn-checked' })
  @IsOptional()
  @IsSiret()
  siret?: string;

  @ApiPropertyOptional({ example: 'FR7630006000011234567890189' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? normalizeIban(value) : value))
  @IsIban()
  iban?: string;

  @ApiPropertyOptional({ example: '1 place de la Comédie, 34000 Montpellier', description: 'Printed on tax receipts' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string;
}

export class ContributorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'F000001', description: 'Auxiliary account number in the books' }) number: string;
  @ApiProperty({ enum: CONTRIBUTOR_KINDS }) kind: string;
  @ApiProperty({ nullable: true, type: String, enum: FUNDER_TYPES }) funderType: string | null;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) siret: string | null;
  @ApiProperty({ nullable: true, type: String }) iban: string | null;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty() createdAt: string;
}
