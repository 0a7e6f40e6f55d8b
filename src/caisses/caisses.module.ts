import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { AuthService } from '../auth/auth.service.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { CaissesController } from './caisses.controller.js';
import { CaissesService } from './caisses.service.js';
import { Caisse } from './entities/caisse.entity.js';
import { RuleVersion } from './entities/rule-version.entity.js';
import { RuleVersionsController } from './rule-versions.controller.js';
import { RuleVersionsService } from './rule-versions.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Caisse, RuleVersion]), AuditModule, AuthModule, LedgerModule],
  controllers: [CaissesController, RuleVersionsController],
  providers: [CaissesService, RuleVersionsService],
  exports: [CaissesService],
})
export class CaissesModule implements OnModuleInit {
  constructor(
    private readonly auth: AuthService,
    private readonly caisses: CaissesService,
  ) {}

  /** Auth cannot import caisses (it is below): caisses tells it how to know a caisse exists instead. */
  onModuleInit(): void {
    this.auth.registerCaisseLookup((caisseId) => this.caisses.exists(caisseId));
  }
}
