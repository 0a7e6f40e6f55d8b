import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { INSEE_COMMUNE } from '../../common/validation/validators.js';

/**
 * Where an outlet sells: a shop, a market pitch, a stop of a mobile grocery on its round, an unstaffed locker, a
 * pick-up point (AMAP distribution). Members look them up by commune and day.
 */
export const PLACE_KINDS = ['shop', 'market', 'stop', 'locker', 'pickup'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export class OpeningHoursDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday: 1 = Monday … 7 = Sunday', example: 2 })
  @IsInt({ message: 'weekday must be a whole number from 1 (Monday) to 7 (Sunday)' })
  @Min(1)
  @Max(7)
  weekday: number;

  @ApiProperty({ example: '08:30', description: 'HH:MM, local time' })
  @Matches(HHMM, { message: 'opens must be a time HH:MM' })
  opens: string;

  @ApiProperty({ example: '12:00', description: 'HH:MM, after opens (24:00 for midnight)' })
  @Matches(HHMM, { message: 'closes must be a time HH:MM (24:00 for midnight)' })
  closes: string;
}

export class PlaceInputDto {
  @ApiProperty({ enum: PLACE_KINDS, description: 'stop: a mobile grocery round; locker: unstaffed pick-up locker' })
  @IsIn(PLACE_KINDS as unknown as string[], { message: `kind must be one of ${PLACE_KINDS.join(', ')}` })
  kind: PlaceKind;

  @ApiProperty({ example: "Place de l'Église" })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  label: string;

  @ApiPropertyOptional({ example: "1 place de l'Église" })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  address?: string;

  @ApiProperty({ example: '34142', description: 'INSEE code of the commune' })
  @Matches(INSEE_COMMUNE, { message: 'commune must be an INSEE commune code (5 characters, e.g. 34172 or 2A004), not a postcode' })
  commune: string;

  @ApiPropertyOptional({ example: 'Lodève' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  communeName?: string;

  @ApiPropertyOptional({ default: false, description: 'Open at all hours (a locker); then no hours are given' })
  @IsOptional()
  @IsBoolean()
  alwaysOpen?: boolean;

  @ApiPropertyOptional({ example: 'Code du casier envoyé par SMS après la commande', description: 'Opening rules, access' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  accessNotes?: string;

  @ApiProperty({ type: [OpeningHoursDto], description: 'Weekly opening hours; slots of one day must not overlap' })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OpeningHoursDto)
  hours: OpeningHoursDto[];
}

export class PlaceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: PLACE_KINDS }) kind: string;
  @ApiProperty() label: string;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty() commune: string;
  @ApiProperty({ nullable: true, type: String }) communeName: string | null;
  @ApiProperty() alwaysOpen: boolean;
  @ApiProperty({ nullable: true, type: String }) accessNotes: string | null;
  @ApiProperty({ type: [OpeningHoursDto] }) hours: OpeningHoursDto[];
}
