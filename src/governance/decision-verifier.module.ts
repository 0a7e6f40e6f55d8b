import { Global, Module } from '@nestjs/common';
import { OUTLET_DECISIONS } from '../outlets/outlets.types.js';
import { DecisionVerifier } from './decision-verifier.service.js';

/**
 * Binds the outlets module's OUTLET_DECISIONS port. Global, because outlets may not import governance (which sits
 * beside it and depends on it): the lifecycle finds the verifier without knowing where it comes from.
 */
@Global()
@Module({
  providers: [DecisionVerifier, { provide: OUTLET_DECISIONS, useExisting: DecisionVerifier }],
  exports: [OUTLET_DECISIONS],
})
export class DecisionVerifierModule {}
