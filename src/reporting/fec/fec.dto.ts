import { ApiProperty } from '@nestjs/swagger';

class FecYearDto {
  @ApiProperty({ example: '2026-01-01' }) start: string;
  @ApiProperty({ example: '2026-12-31' }) last: string;
}

export class FecPreviewDto {
  @ApiProperty({ example: '123456782FEC20261231.txt' }) filename: string;
  @ApiProperty({ type: FecYearDto }) fiscalYear: FecYearDto;
  @ApiProperty({ type: [String], description: 'The 18 FEC fields, in order' }) fields: string[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: { type: 'string' } }, description: 'First lines, as in the file (field → text)' })
  lines: Record<string, string>[];
}
