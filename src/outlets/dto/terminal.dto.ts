import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class CreateTerminalDto {
  @ApiProperty({ example: 'Tablette du camion' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  label: string;
}

export class TerminalDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() label: string;
  @ApiProperty({ example: 'ck_3f9a1c2b7d4e', description: 'Public part of the key, to recognise it' }) prefix: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Last authenticated request, to the minute' }) lastUsedAt: string | null;
}

export class CreatedTerminalDto extends TerminalDto {
  @ApiProperty({ description: 'The key, shown only this once (only its hash is kept); the till sends it as X-Api-Key' }) apiKey: string;
}
