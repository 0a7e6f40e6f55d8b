import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AuditEntryDto {
  @ApiProperty({ example: '42' }) id: string;
  @ApiProperty() at: string;
  @ApiProperty({ enum: ['user', 'terminal', 'system', 'member'] }) actorKind: string;
  @ApiPropertyOptional({ nullable: true }) actorId: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Role the actor held in this caisse' }) role: string | null;
  @ApiProperty({ example: 'rule-version.created' }) action: string;
  @ApiProperty({ example: 'rule-version' }) targetType: string;
  @ApiPropertyOptional({ nullable: true }) targetId: string | null;
  @ApiPropertyOptional({ nullable: true }) requestId: string | null;
  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true }) before: unknown;
  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true }) after: unknown;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items: AuditEntryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
