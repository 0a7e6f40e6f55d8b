import { formatMoney } from '../common/money/money.js';
import type { CardDto } from './dto/card.dto.js';
import type { MemberDto } from './dto/member.dto.js';
import type { MemberCard } from './entities/member-card.entity.js';
import type { MemberStatusChange } from './entities/member-status.entity.js';
import type { Member } from './entities/member.entity.js';
import { MAX_PIN_ATTEMPTS } from './members.types.js';

/** staff: admins and treasurers, who also see the declared income; self: the member itself. */
export type MemberView = 'staff' | 'self';

export function isLocked(card: Pick<MemberCard, 'lockedAt' | 'pinAttempts'>): boolean {
  return card.lockedAt !== null || card.pinAttempts >= MAX_PIN_ATTEMPTS;
}

export function toCardDto(c: MemberCard): CardDto {
  return {
    id: c.id,
    cardNumber: c.cardNumber,
    state: c.state,
    locked: isLocked(c),
    failedPinAttempts: c.pinAttempts,
    pinSet: c.pinHash !== null,
    issuedAt: c.issuedAt.toISOString(),
    blockedAt: c.blockedAt?.toISOString() ?? null,
    blockReason: c.blockReason,
    replacedBy: c.replacedBy,
  };
}

export function toMemberDto(m: Member, history: MemberStatusChange[], activeCard: MemberCard | undefined, view: MemberView): MemberDto {
  const dto: MemberDto = {
    id: m.id,
    number: m.pseudonym,
    firstName: m.firstName,
    lastName: m.lastName,
    birthYear: m.birthYear,
    commune: m.commune,
    contact: { email: m.email, phone: m.phone, address: m.address },
    status: m.status,
    joinedOn: m.joinedOn,
    household: { adults: m.adults, childrenBirthYears: [...m.childrenBirthYears] },
    consents: {
      dataProcessing: m.consentDataProcessing,
      contact: m.consentContact,
      research: m.consentResearch,
      updatedAt: m.consentsUpdatedAt?.toISOString() ?? null,
    },
    cardNumber: activeCard?.cardNumber ?? null,
    card: activeCard ? { id: activeCard.id, state: activeCard.state, locked: isLocked(activeCard), pinSet: activeCard.pinHash !== null } : null,
    walletAccount: m.walletAccount,
    userId: m.userId,
    erasedAt: m.erasedAt?.toISOString() ?? null,
    statusHistory: history.map((h) => ({ status: h.status, effectiveOn: h.effectiveOn, reason: h.reason, recordedAt: h.recordedAt.toISOString() })),
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
  // Income is sensitive and self-declared: only those who compute contributions see it.
  if (view === 'staff') {
    dto.monthlyIncome = m.monthlyIncome === null ? null : formatMoney(m.monthlyIncome);
    dto.incomeDeclaredOn = m.incomeDeclaredOn;
  }
  return dto;
}

/**
 * What the append-only audit log may keep about a member: the pseudonym and non-identifying facts, never a name,
 * contact, birth year or income — so that erasure leaves nothing personal behind in a table nobody can edit.
 */
export function auditFacts(m: Pick<Member, 'pseudonym' | 'status' | 'joinedOn' | 'adults' | 'childrenBirthYears' | 'walletAccount'>): Record<string, unknown> {
  return { number: m.pseudonym, status: m.status, joinedOn: m.joinedOn, adults: m.adults, children: m.childrenBirthYears.length, walletAccount: m.walletAccount };
}
