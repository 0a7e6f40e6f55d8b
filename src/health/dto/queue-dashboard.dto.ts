import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export const JOB_STATUSES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'paused'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const CLEANABLE = ['failed', 'completed'] as const;

export class JobsQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES, default: 'failed' })
  @IsOptional()
  @IsIn(JOB_STATUSES, { message: `status must be one of ${JOB_STATUSES.join(', ')}` })
  status?: JobStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(200)
  limit?: number;
}

export class CleanQueueDto {
  @ApiProperty({ enum: CLEANABLE, description: 'Which finished jobs to remove' })
  @IsIn(CLEANABLE, { message: `status must be one of ${CLEANABLE.join(', ')}` })
  status: (typeof CLEANABLE)[number];

  @ApiPropertyOptional({ minimum: 0, maximum: 31_536_000, default: 3600, description: 'Keep jobs that finished less than this many seconds ago' })
  @IsOptional()
  @IsInt({ message: 'graceSeconds must be a whole number' })
  @Min(0)
  @Max(31_536_000)
  graceSeconds?: number;
}

export class JobDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'run' }) name: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the job carries (ids only: the state is in PostgreSQL)' }) data: unknown;
  @ApiProperty() attemptsMade: number;
  @ApiProperty({ type: String, nullable: true }) failedReason: string | null;
  @ApiProperty({ type: [String], description: 'First lines of the last stack trace' }) stacktrace: string[];
  @ApiProperty({ type: String, nullable: true }) createdAt: string | null;
  @ApiProperty({ type: String, nullable: true }) processedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) finishedAt: string | null;
}

export class JobListDto {
  @ApiProperty() queue: string;
  @ApiProperty({ enum: JOB_STATUSES }) status: string;
  @ApiProperty({ type: [JobDto] }) items: JobDto[];
}

export class CleanResultDto {
  @ApiProperty() removed: number;
}
