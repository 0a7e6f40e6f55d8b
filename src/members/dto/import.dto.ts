import { ApiProperty } from '@nestjs/swagger';

export class ImportLineErrorDto {
  @ApiProperty({ example: 3, description: 'Line number in the file (the header is line 1)' }) line: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } }, example: { commune: ['commune must be an INSEE commune code'] } })
  errors: Record<string, string[]>;
}

export class ImportedMemberDto {
  @ApiProperty() line: number;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'M00000042' }) number: string;
  @ApiProperty() status: string;
  @ApiProperty({ nullable: true, type: String, description: 'Card of an active member (its PIN is set later by an admin)' }) cardNumber: string | null;
}

export class ImportReportDto {
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ description: 'Data lines read (header excluded)' }) lines: number;
  @ApiProperty() valid: number;
  @ApiProperty({ type: [ImportLineErrorDto] }) errors: ImportLineErrorDto[];
  @ApiProperty({ type: [ImportedMemberDto], description: 'Members created (empty on a dry run)' }) members: ImportedMemberDto[];
}
