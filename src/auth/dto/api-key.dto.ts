import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Tablette du marché de Lodève' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  label: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Outlet the terminal belongs to' })
  @IsOptional()
  @IsUUID('all', { message: 'outletId must be a UUID' })
  outletId?: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() label: string;
  @ApiProperty({ nullable: true, type: String }) outletId: string | null;
  @ApiProperty({ example: 'ck_3f9a1c2b7d4e' }) prefix: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Last authenticated request, to the minute' }) lastUsedAt: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The full key, shown only once; send it as X-Api-Key' })
  key: string;
}
