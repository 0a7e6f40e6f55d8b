import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CaissesModule } from '../caisses/caisses.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { OutletsModule } from '../outlets/outlets.module.js';
import { RemittanceService } from './remittance.service.js';
import { SettlementBank } from './settlement-bank.service.js';
import { SettlementExport } from './settlement-export.service.js';
import { SettlementReader } from './settlement-reader.service.js';
import { SettlementsController } from './settlements.controller.js';
import { SettlementsService } from './settlements.service.js';

@Module({
  imports: [AuditModule, LedgerModule, CaissesModule, OutletsModule],
  controllers: [SettlementsController],
  providers: [SettlementsService, SettlementReader, SettlementExport, SettlementBank, RemittanceService],
  exports: [SettlementsService],
})
export class SettlementsModule {}
