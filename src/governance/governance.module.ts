import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { MembersModule } from '../members/members.module.js';
import { OutletsModule } from '../outlets/outlets.module.js';
import { AgendaController } from './agenda.controller.js';
import { AgendaService } from './agenda.service.js';
import { BallotBox } from './ballot-box.js';
import { BallotsService } from './ballots.service.js';
import { CommitteeDrawsController } from './committee-draws.controller.js';
import { CommitteeDrawsService } from './committee-draws.service.js';
import { CommitteeController } from './committee.controller.js';
import { CommitteeService } from './committee.service.js';
import { DecisionCloseService } from './decision-close.service.js';
import { DecisionVerifierModule } from './decision-verifier.module.js';
import { DecisionsController } from './decisions.controller.js';
import { DecisionsService } from './decisions.service.js';
import { GovernanceLogService } from './governance-log.service.js';
import { GOVERNANCE_QUEUE } from './governance-queue.js';
import { GovernanceProcessor } from './governance.processor.js';
import { GovernanceService } from './governance.service.js';
import { RegisterController } from './register.controller.js';
import { RegisterService } from './register.service.js';

@Module({
  imports: [AuditModule, AuthModule, MembersModule, OutletsModule, DecisionVerifierModule, BullModule.registerQueue({ name: GOVERNANCE_QUEUE })],
  controllers: [CommitteeController, CommitteeDrawsController, DecisionsController, RegisterController, AgendaController],
  providers: [GovernanceService, CommitteeService, DecisionsService, BallotBox, BallotsService, DecisionCloseService, GovernanceLogService, RegisterService, AgendaService, CommitteeDrawsService, GovernanceProcessor],
  exports: [GovernanceService],
})
export class GovernanceModule {}
