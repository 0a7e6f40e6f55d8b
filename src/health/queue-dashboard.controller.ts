import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from '../common/errors/problem.js';
import { PlatformAdminOnly } from '../common/request-context/decorators.js';
import { CleanQueueDto, CleanResultDto, JobDto, JobListDto, JobsQueryDto } from './dto/queue-dashboard.dto.js';
import { QueueDashboardService } from './queue-dashboard.service.js';
import { QueueStateDto } from './health.controller.js';

/** The operators' view of bull's queues (the equivalent of bull-board, over the same Queue API), platform admin only. */
@ApiTags('ops')
@ApiBearerAuth()
@Controller()
export class QueueDashboardController {
  constructor(private readonly dashboard: QueueDashboardService) {}

  @Get('api/v1/ops/queues')
  @PlatformAdminOnly()
  @ApiOperation({ summary: 'Every job queue: connection, job counts, repeatable schedules, jobs this process runs (platform admin)' })
  @ApiOkResponse({ type: [QueueStateDto] })
  overview(): Promise<QueueStateDto[]> {
    return this.dashboard.overview();
  }

  @Get('api/v1/ops/queues/:name/jobs')
  @PlatformAdminOnly()
  @ApiOperation({ summary: "A queue's jobs of one status, newest first (failed ones with their reason and stack trace)" })
  @ApiOkResponse({ type: JobListDto })
  jobs(@Param('name') name: string, @Query() query: JobsQueryDto): Promise<JobListDto> {
    return this.dashboard.jobs(name, query);
  }

  @Post('api/v1/ops/queues/:name/jobs/:jobId/retry')
  @PlatformAdminOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Retries a failed job (its state is in PostgreSQL: a run resumes where it stopped)' })
  @ApiOkResponse({ type: JobDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'JOB_NOT_FAILED' })
  retry(@Param('name') name: string, @Param('jobId') jobId: string): Promise<JobDto> {
    return this.dashboard.retry(name, jobId);
  }

  @Post('api/v1/ops/queues/:name/clean')
  @PlatformAdminOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Removes failed or completed jobs older than graceSeconds' })
  @ApiOkResponse({ type: CleanResultDto })
  clean(@Param('name') name: string, @Body() dto: CleanQueueDto): Promise<CleanResultDto> {
    return this.dashboard.clean(name, dto);
  }
}
