import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { OutletAccess } from './outlet-access.service.js';
import { OutletCoverageController } from './outlet-coverage.controller.js';
import { OutletCoverageService } from './outlet-coverage.service.js';
import { OutletCriteriaController } from './outlet-criteria.controller.js';
import { OutletCriteriaService } from './outlet-criteria.service.js';
import { OutletEvidenceController } from './outlet-evidence.controller.js';
import { OutletEvidenceService } from './outlet-evidence.service.js';
import { OutletGate } from './outlet-gate.service.js';
import { OutletLifecycleController } from './outlet-lifecycle.controller.js';
import { OutletLifecycleService } from './outlet-lifecycle.service.js';
import { OutletPlacesController } from './outlet-places.controller.js';
import { OutletPlacesService } from './outlet-places.service.js';
import { OutletReader } from './outlet-reader.service.js';
import { OutletRegistry } from './outlet-registry.service.js';
import { OutletReviewService } from './outlet-review.service.js';
import { OutletStaffController } from './outlet-staff.controller.js';
import { OutletStaffService } from './outlet-staff.service.js';
import { OutletTerminalsController } from './outlet-terminals.controller.js';
import { OutletTerminalsService } from './outlet-terminals.service.js';
import { OutletsController } from './outlets.controller.js';
import { OUTLETS_QUEUE, OutletsProcessor } from './outlets.processor.js';
import { OutletsService } from './outlets.service.js';

@Module({
  imports: [AuditModule, AuthModule, LedgerModule, BullModule.registerQueue({ name: OUTLETS_QUEUE })],
  controllers: [
    OutletsController,
    OutletLifecycleController,
    OutletPlacesController,
    OutletCriteriaController,
    OutletEvidenceController,
    OutletCoverageController,
    OutletTerminalsController,
    OutletStaffController,
  ],
  providers: [
    OutletsService,
    OutletAccess,
    OutletReader,
    OutletRegistry,
    OutletPlacesService,
    OutletLifecycleService,
    OutletGate,
    OutletCoverageService,
    OutletCriteriaService,
    OutletEvidenceService,
    OutletStaffService,
    OutletReviewService,
    OutletsProcessor,
    OutletTerminalsService,
  ],
  exports: [OutletsService],
})
export class OutletsModule {}
