import { Module, type OnModuleInit } from '@nestjs/common';
import { AllocationsModule } from '../allocations/allocations.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { AuthService } from '../auth/auth.service.js';
import { CaissesModule } from '../caisses/caisses.module.js';
import { ContributionsModule } from '../contributions/contributions.module.js';
import { GovernanceModule } from '../governance/governance.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { MembersModule } from '../members/members.module.js';
import { OutletsModule } from '../outlets/outlets.module.js';
import { PurchasesModule } from '../purchases/purchases.module.js';
import { ReconciliationModule } from '../reconciliation/reconciliation.module.js';
import { ReportingModule } from '../reporting/reporting.module.js';
import { SettlementsModule } from '../settlements/settlements.module.js';
import { AssetsController } from './assets.controller.js';
import { BankPagesController } from './bank/bank.controller.js';
import { CsvMappingPagesController } from './bank/csv-mapping.controller.js';
import { MatchingPagesController } from './bank/matching.controller.js';
import { ClosingsPagesController } from './closings/closings.controller.js';
import { HomeController } from './home.controller.js';
import { LoginController } from './login.controller.js';
import { CsrfGuard } from './session/csrf.guard.js';
import { WebSessionsService } from './session/web-sessions.service.js';
import type { WebRequest } from './session/web-session.types.js';
import { AllocationsPagesController } from './treasurer/allocations.controller.js';
import { MemberSpaceController } from './member/member-space.controller.js';
import { ReportsPagesController } from './reports/reports.controller.js';
import { SettlementsPagesController } from './settlements/settlements.controller.js';
import { PublicPagesController } from './public/public.controller.js';
import { PublicFiguresService } from './public/public-figures.service.js';
import { MemberCardsPagesController } from './treasurer/member-cards.controller.js';
import { NewOutletPagesController } from './treasurer/outlet-new.controller.js';
import { TerminalsPagesController } from './treasurer/terminals.controller.js';
import { MembersPagesController } from './treasurer/members.controller.js';
import { OutletsPagesController } from './treasurer/outlets.controller.js';
import { CommitteeController } from './committee/committee.controller.js';
import { CommitteeMandatesController } from './committee/mandates.controller.js';
import { OutletDossierController } from './committee/outlet-dossier.controller.js';
import { ContributionsPagesController } from './treasurer/contributions.controller.js';
import { ContributorsPagesController } from './treasurer/contributors.controller.js';
// Imported in this order so the navigation reads Contributeurs, Subventions, Prélèvements.
import { GrantsPagesController } from './treasurer/grants.controller.js';
import { ContributionPaymentPagesController } from './treasurer/contribution-payment.controller.js';
import { DirectDebitSetupPagesController } from './treasurer/direct-debit-setup.controller.js';
import { DirectDebitsPagesController } from './treasurer/direct-debits.controller.js';
import { DashboardController } from './treasurer/dashboard.controller.js';
import { DashboardData } from './treasurer/dashboard.data.js';
import { TillAppController } from './till/till-app.controller.js';
import { TillJournalController } from './till/till-journal.controller.js';
import { TillPairingController } from './till/till-pairing.controller.js';
import { TillController } from './till/till.controller.js';
import { WebPages } from './web-pages.service.js';

/** The French web pages, served at / beside the API, over the same facades, guards and roles. */
@Module({
  imports: [AuditModule, AuthModule, LedgerModule, CaissesModule, MembersModule, OutletsModule, ContributionsModule, GovernanceModule, AllocationsModule, PurchasesModule, SettlementsModule, ReconciliationModule, ReportingModule],
  controllers: [AssetsController, HomeController, LoginController, DashboardController, AllocationsPagesController, MemberSpaceController, PublicPagesController, MembersPagesController, MemberCardsPagesController, OutletsPagesController, NewOutletPagesController, TerminalsPagesController, TillAppController, TillPairingController, TillController, TillJournalController, CommitteeController, CommitteeMandatesController, OutletDossierController, ContributionsPagesController, ContributionPaymentPagesController, ContributorsPagesController, GrantsPagesController, DirectDebitsPagesController, DirectDebitSetupPagesController, SettlementsPagesController, ReportsPagesController, BankPagesController, CsvMappingPagesController, MatchingPagesController, ClosingsPagesController],
  providers: [WebSessionsService, WebPages, CsrfGuard, DashboardData, PublicFiguresService],
})
export class WebModule implements OnModuleInit {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: WebSessionsService,
  ) {}

  /** The global AuthGuard reads the session cookie through this (auth cannot import web); never on /api routes. */
  onModuleInit(): void {
    this.auth.registerSessionAuthenticator(async (req: WebRequest) => {
      if (req.url.startsWith('/api/')) return undefined;
      const session = await this.sessions.find(req);
      if (!session) return undefined;
      if (session.userId) return this.auth.userPrincipal(session.userId);
      if (session.terminalKeyId) return this.auth.terminalPrincipal(session.terminalKeyId);
      return this.auth.memberPrincipal({ caisseId: session.caisseId!, memberId: session.memberId!, cardId: session.cardId ?? undefined });
    });
  }
}
