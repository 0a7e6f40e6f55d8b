import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { CursorQueryDto } from '../../common/pagination/cursor.js';
import { IsIsoDate, INSEE_COMMUNE } from '../../common/validation/validators.js';
import { OUTLET_STATUSES } from '../outlet-lifecycle.js';
import { OUTLET_KINDS } from './outlet.dto.js';

/** "Where can I shop near me this week": ?commune=34142&openOn=2026-12-01. */
export class ListOutletsQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ example: '34142', description: 'INSEE code: outlets with a place in this commune' })
  @IsOptional()
  @Matches(INSEE_COMMUNE, { message: 'commune must be an INSEE commune code (5 characters, e.g. 34172 or 2A004)' })
  commune?: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'Only outlets accepting that day with a place open on its weekday' })
  @IsOptional()
  @IsIsoDate()
  openOn?: string;

  @ApiPropertyOptional({ enum: OUTLET_STATUSES, description: 'Status in effect now' })
  @IsOptional()
  @IsIn(OUTLET_STATUSES as unknown as string[], { message: `status must be one of ${OUTLET_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({ enum: OUTLET_KINDS })
  @IsOptional()
  @IsIn(OUTLET_KINDS as unknown as string[], { message: `kind must be one of ${OUTLET_KINDS.join(', ')}` })
  kind?: string;
}
