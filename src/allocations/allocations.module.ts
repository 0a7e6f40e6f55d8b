import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { AuditModule } from '../audit/audit.module.js';
import { CaissesModule } from '../caisses/caisses.module.js';
import { ContributionsModule } from '../contributions/contributions.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { MembersModule } from '../members/members.module.js';
import { AllocationPlanner } from './allocation-planner.service.js';
import { AllocationPoster } from './allocation-poster.service.js';
import { ALLOCATIONS_QUEUE, AllocationRunOptions } from './allocation-queue.js';
import { AllocationRunner } from './allocation-runner.service.js';
import { AllocationsController } from './allocations.controller.js';
import { AllocationsProcessor } from './allocations.processor.js';
import { AllocationNeedsService } from './allocation-needs.service.js';
import { AllocationsService } from './allocations.service.js';

@Module({
  imports: [AuditModule, LedgerModule, CaissesModule, MembersModule, ContributionsModule, BullModule.registerQueue({ name: ALLOCATIONS_QUEUE })],
  controllers: [AllocationsController],
  providers: [AllocationsService, AllocationNeedsService, AllocationPlanner, AllocationPoster, AllocationRunner, AllocationRunOptions, AllocationsProcessor],
  exports: [AllocationsService],
})
export class AllocationsModule {}
