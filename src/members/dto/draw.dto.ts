import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } } as const;

export class PublishedQuotaDto {
  @ApiProperty({ ...STRING_MAP }) stratum: Record<string, string>;
  @ApiProperty() min: number;
  @ApiProperty({ nullable: true, type: Number }) max: number | null;
}

export class PublishedSpecDto {
  @ApiProperty({ example: 'ssa-sortition/1' }) algorithm: string;
  @ApiProperty() seats: number;
  @ApiProperty({ type: [String] }) strata: string[];
  @ApiProperty({ type: [PublishedQuotaDto] }) quotas: PublishedQuotaDto[];
}

export class PublishedPoolEntryDto {
  @ApiProperty({ example: 'M00000042', description: 'Pseudonymous member number' }) id: string;
  @ApiProperty({ ...STRING_MAP }) stratum: Record<string, string>;
}

export class PublishedRandomnessDto {
  @ApiProperty() description: string;
  @ApiProperty() parties: number;
  @ApiProperty({ type: [String] }) commitments: string[];
  @ApiProperty({ nullable: true, type: String }) availableAfter: string | null;
  @ApiProperty({ nullable: true, type: [String], description: 'Revealed values (null until revealed)' }) values: string[] | null;
  @ApiProperty({ nullable: true, type: String, description: 'Sum modulo 2^256 of SHA-256(value), hex' }) combined: string | null;
}

export class PublishedResultDto {
  @ApiProperty({ type: [String], description: 'Selected pseudonyms, in draw order' }) selected: string[];
  @ApiProperty({ type: [String], description: 'Everyone else, in draw order: the waitlist' }) waitlist: string[];
}

export class PublishedDrawDto {
  @ApiProperty({ example: 'ssa-sortition-draw' }) format: string;
  @ApiProperty({ example: 'ssa-sortition/1' }) algorithm: string;
  @ApiProperty({ format: 'uuid' }) drawId: string;
  @ApiProperty() label: string;
  @ApiProperty() committedAt: string;
  @ApiProperty({ type: PublishedSpecDto }) spec: PublishedSpecDto;
  @ApiProperty({ type: [PublishedPoolEntryDto], description: 'The frozen pool in canonical order' }) pool: PublishedPoolEntryDto[];
  @ApiProperty({ description: 'SHA-256 of the canonical pool, published before the randomness exists' }) poolHash: string;
  @ApiProperty({ description: 'SHA-256 of the canonical spec (algorithm, seats, strata, quotas)' }) quotasHash: string;
  @ApiProperty({ type: PublishedRandomnessDto }) randomness: PublishedRandomnessDto;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256(poolHash ‖ quotasHash ‖ combined randomness)' }) seed: string | null;
  @ApiProperty({ nullable: true, type: PublishedResultDto }) result: PublishedResultDto | null;
  @ApiPropertyOptional({ description: 'How the derived strata were computed (informative)', type: 'object', additionalProperties: true }) derivation?: object;
}

export class StratumCountDto {
  @ApiProperty({ ...STRING_MAP }) stratum: Record<string, string>;
  @ApiProperty() applicants: number;
  @ApiProperty({ nullable: true, type: Number }) selected: number | null;
}

export class EnrolmentDrawDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ['committed', 'drawn'], description: 'committed: pool and quotas frozen, waiting for the randomness' }) status: string;
  @ApiProperty() seats: number;
  @ApiProperty() poolSize: number;
  @ApiProperty({ type: [StratumCountDto] }) strata: StratumCountDto[];
  @ApiProperty() committedAt: string;
  @ApiProperty({ nullable: true, type: String }) drawnAt: string | null;
  @ApiProperty({ type: PublishedDrawDto, description: 'The document the standalone verifier (npm run verify-draw) reproduces' }) published: PublishedDrawDto;
}

export class VerifyCheckDto {
  @ApiProperty() name: string;
  @ApiProperty() ok: boolean;
  @ApiProperty() detail: string;
}

export class DrawVerificationDto {
  @ApiProperty({ description: 'Every check passed and the stored panel and waitlist were recomputed identically' }) reproduced: boolean;
  @ApiProperty({ type: [VerifyCheckDto] }) checks: VerifyCheckDto[];
}

export class PromotedMemberDto {
  @ApiProperty({ format: 'uuid' }) memberId: string;
  @ApiProperty({ example: 'M00000042' }) number: string;
  @ApiProperty({ description: 'Position on the waitlist' }) rank: number;
  @ApiProperty({ nullable: true, type: String }) cardNumber: string | null;
}

export class PromotionDto {
  @ApiProperty({ type: [PromotedMemberDto] }) promoted: PromotedMemberDto[];
  @ApiProperty({ description: 'Members still waiting on this waitlist' }) remaining: number;
}
