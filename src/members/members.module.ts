import { Module, type OnModuleInit } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { AuthService } from '../auth/auth.service.js';
import { CaissesModule } from '../caisses/caisses.module.js';
import { pinConfig, type PinConfig } from '../config/index.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { DrawOutcomeService } from './draw-outcome.service.js';
import { EnrolmentDrawsController } from './enrolment-draws.controller.js';
import { EnrolmentDrawsService } from './enrolment-draws.service.js';
import { EnrolmentDrawEntry } from './entities/enrolment-draw-entry.entity.js';
import { EnrolmentDraw } from './entities/enrolment-draw.entity.js';
import { MemberCard } from './entities/member-card.entity.js';
import { MemberStatusChange } from './entities/member-status.entity.js';
import { Member } from './entities/member.entity.js';
import { MemberAccess } from './member-access.service.js';
import { MemberCardsController } from './member-cards.controller.js';
import { MemberCardsService } from './member-cards.service.js';
import { MemberImportService } from './member-import.service.js';
import { MemberImportsController } from './member-imports.controller.js';
import { MemberLoginController } from './member-login.controller.js';
import { MemberPrivacyController } from './member-privacy.controller.js';
import { MemberPrivacyService } from './member-privacy.service.js';
import { MemberRegistry } from './member-registry.service.js';
import { MemberRoster } from './member-roster.service.js';
import { MemberSessionsService } from './member-sessions.service.js';
import { MemberWalletController } from './member-wallet.controller.js';
import { MemberWalletService } from './member-wallet.service.js';
import { MembersController } from './members.controller.js';
import { MembersService } from './members.service.js';
import { PinDigests } from './pin.js';

@Module({
  imports: [TypeOrmModule.forFeature([Member, MemberCard, MemberStatusChange, EnrolmentDraw, EnrolmentDrawEntry]), AuditModule, AuthModule, LedgerModule, CaissesModule, ConfigModule.forFeature(pinConfig)],
  controllers: [
    MemberImportsController,
    MemberLoginController,
    MembersController,
    MemberCardsController,
    MemberWalletController,
    MemberPrivacyController,
    EnrolmentDrawsController,
  ],
  providers: [
    MembersService,
    MemberRegistry,
    MemberAccess,
    MemberCardsService,
    MemberSessionsService,
    MemberWalletService,
    MemberPrivacyService,
    MemberImportService,
    MemberRoster,
    EnrolmentDrawsService,
    DrawOutcomeService,
    { provide: PinDigests, inject: [pinConfig.KEY], useFactory: (pin: PinConfig) => new PinDigests(pin.keys) },
  ],
  exports: [MembersService],
})
export class MembersModule implements OnModuleInit {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: MemberSessionsService,
  ) {}

  /** Auth cannot import members (it is below): members tells it how to check a card+PIN session instead. */
  onModuleInit(): void {
    this.auth.registerMemberTokenCheck((claims) => this.sessions.isSessionValid(claims));
  }
}
