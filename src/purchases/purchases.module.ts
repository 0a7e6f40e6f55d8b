import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CaissesModule } from '../caisses/caisses.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { MembersModule } from '../members/members.module.js';
import { OutletsModule } from '../outlets/outlets.module.js';
import { PurchaseAdminController } from './purchase-admin.controller.js';
import { PurchaseChecks } from './purchase-checks.service.js';
import { PurchaseFlush } from './purchase-flush.service.js';
import { PurchaseReportsService } from './purchase-reports.service.js';
import { PurchaseSettingsService } from './purchase-settings.service.js';
import { PurchaseWriter } from './purchase-writer.service.js';
import { PurchasesController } from './purchases.controller.js';
import { PurchaseSpendingService } from './purchase-spending.service.js';
import { PurchasesService } from './purchases.service.js';
import { RefundsService } from './refunds.service.js';
import { VouchersController } from './vouchers.controller.js';
import { VoucherThrottle } from './voucher-throttle.service.js';
import { VouchersService } from './vouchers.service.js';

@Module({
  imports: [AuditModule, LedgerModule, CaissesModule, MembersModule, OutletsModule],
  controllers: [PurchasesController, PurchaseAdminController, VouchersController],
  providers: [PurchasesService, PurchaseSpendingService, PurchaseChecks, PurchaseFlush, PurchaseWriter, PurchaseSettingsService, PurchaseReportsService, RefundsService, VouchersService, VoucherThrottle],
  exports: [PurchasesService],
})
export class PurchasesModule {}
