import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditService } from '../audit/audit.service.js';
import { AuthService, type MemberTokenClaims } from '../auth/auth.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AuthConfig } from '../config/index.js';
import { TransactionHost } from '../database/transaction.js';
import type { MemberTokenDto, QrPayloadDto } from './dto/card.dto.js';
import { CardBlocked, CardLocked, InvalidPin, MemberNotActive, NoActiveCard, PinNotSet, UnknownCard } from './members.errors.js';
import { type CardState, MAX_PIN_ATTEMPTS, type MemberStatus, type ResolvedCard } from './members.types.js';
import { PinDigests } from './pin.js';
import { QrToken } from './qr-token.js';
import { CoalescingReader } from '../database/coalescing-reader.js';
import { hot } from '../database/prepared.js';

const QR_LIFETIME_MS = 5 * 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface CardRow {
  card_id: string;
  card_number: string;
  member_id: string;
  state: CardState;
  pin_hash: string | null;
  pin_attempts: number;
  locked_at: Date | null;
  pseudonym: string;
  wallet_account: string | null;
  status: MemberStatus;
}

const CARD_SQL = `SELECT c.id AS card_id, c.card_number, c.member_id, c.state, c.pin_hash, c.pin_attempts, c.locked_at, m.pseudonym, m.wallet_account, m.status
                    FROM member_cards c JOIN members m ON m.id = c.member_id`;

function resolved(caisseId: string, r: CardRow): ResolvedCard {
  const locked = r.locked_at !== null || r.pin_attempts >= MAX_PIN_ATTEMPTS;
  return {
    caisseId,
    memberId: r.member_id,
    pseudonym: r.pseudonym,
    walletAccount: r.wallet_account,
    status: r.status,
    cardId: r.card_id,
    cardState: r.state === 'active' && locked ? 'locked' : r.state,
    pinSet: r.pin_hash !== null,
  };
}

type PinOutcome = { ok: true; card: ResolvedCard } | { ok: false; error: DomainError };

/**
 * How a member proves who they are at a shop or on their phone: card number + PIN (with a lockout counted in the
 * database), a signed QR payload, and the short member session that follows a card+PIN login.
 */
@Injectable()
export class MemberSessionsService {
  private readonly qr: QrToken;
  // Tills resolve a card on every purchase: concurrent ones share one query per caisse (see CoalescingReader).
  private readonly byNumber: CoalescingReader<string, CardRow | undefined>;
  private readonly byId: CoalescingReader<string, CardRow | undefined>;

  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
    private readonly pins: PinDigests,
    config: ConfigService,
  ) {
    this.qr = QrToken.fromSecret(config.getOrThrow<AuthConfig>('auth').jwtSecret);
    this.byNumber = new CoalescingReader(txHost, (caisseId, numbers) => this.cards(caisseId, 'card_number', numbers));
    this.byId = new CoalescingReader(txHost, (caisseId, ids) => this.cards(caisseId, 'id', ids));
  }

  async resolveCard(caisseId: string, cardNumber: string): Promise<ResolvedCard | undefined> {
    const row = await this.byNumber.load(caisseId, cardNumber);
    return row ? resolved(caisseId, row) : undefined;
  }

  private async cards(caisseId: string, by: 'card_number' | 'id', keys: string[]): Promise<(CardRow | undefined)[]> {
    const column = by === 'id' ? 'c.id' : 'c.card_number';
    const rows: CardRow[] = await this.txHost.tx.query(hot(`${CARD_SQL} WHERE c.caisse_id = $1 AND ${column} = ANY($2::${by === 'id' ? 'uuid' : 'text'}[])`), [caisseId, [...new Set(keys)]]);
    const found = new Map(rows.map((r) => [by === 'id' ? r.card_id : r.card_number, r]));
    return keys.map((k) => found.get(k));
  }

  /** The card behind a QR payload; throws INVALID_QR when forged, from another caisse or expired. */
  async resolveQr(caisseId: string, payload: string): Promise<ResolvedCard> {
    const check = this.qr.check(payload);
    if (!check.ok) throw new DomainError('INVALID_QR', 401, check.reason === 'expired' ? 'This QR code has expired; show a fresh one.' : 'This QR code is not valid.');
    const row = check.claims.c === caisseId && UUID.test(check.claims.k) ? await this.byId.load(caisseId, check.claims.k) : undefined;
    if (!row) throw new DomainError('INVALID_QR', 401, 'This QR code is not valid.');
    return resolved(caisseId, row);
  }

  async createQr(caisseId: string, memberId: string): Promise<QrPayloadDto> {
    const [row]: CardRow[] = await this.txHost.tx.query(`${CARD_SQL} WHERE c.caisse_id = $1 AND c.member_id = $2 AND c.state = 'active'`, [caisseId, memberId]);
    if (!row) throw new NoActiveCard();
    if (row.status !== 'active') throw new MemberNotActive(row.status);
    const expiresAt = new Date(Date.now() + QR_LIFETIME_MS);
    return { payload: this.qr.sign(caisseId, row.card_id, expiresAt), expiresAt: expiresAt.toISOString() };
  }

  /**
   * Checks a PIN. Each attempt is first reserved by one UPDATE that only succeeds below the limit; the row stays
   * locked until the attempt is settled, so concurrent wrong PINs queue up and can never exceed MAX_PIN_ATTEMPTS.
   * It commits its own transaction before answering: a refused PIN stays counted even if the caller then rolls back,
   * which is why it must not be called inside one.
   */
  async verifyPin(caisseId: string, cardNumber: string, pin: string): Promise<ResolvedCard> {
    if (this.txHost.active) throw new Error('verifyPin must run outside a transaction: a refused PIN must stay counted when the caller rolls back');
    const outcome = await this.txHost.run(() => this.checkPin(caisseId, cardNumber, pin));
    if (!outcome.ok) throw outcome.error;
    return outcome.card;
  }

  async login(caisseId: string, cardNumber: string, pin: string): Promise<MemberTokenDto> {
    const card = await this.verifyPin(caisseId, cardNumber, pin);
    if (card.status !== 'active') throw new MemberNotActive(card.status);
    const token = await this.auth.issueMemberToken(caisseId, card.memberId, card.cardId);
    return { ...token, memberId: card.memberId };
  }

  /** Registered with the auth module: a member session lasts only while the member is active and its card usable. */
  async isSessionValid(claims: MemberTokenClaims): Promise<boolean> {
    const ids = [claims.caisseId, claims.memberId, ...(claims.cardId === undefined ? [] : [claims.cardId])];
    if (!ids.every((id) => typeof id === 'string' && UUID.test(id))) return false;
    const rows: unknown[] = await this.txHost.tx.query(
      `SELECT 1 FROM members m WHERE m.id = $1 AND m.caisse_id = $2 AND m.status = 'active' AND m.erased_at IS NULL
          AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM member_cards c WHERE c.id = $3 AND c.member_id = m.id AND c.state = 'active'))`,
      [claims.memberId, claims.caisseId, claims.cardId ?? null],
    );
    return rows.length > 0;
  }

  private async checkPin(caisseId: string, cardNumber: string, pin: string): Promise<PinOutcome> {
    const tx = this.txHost.tx;
    // TypeORM answers an UPDATE with [rows, affected count].
    const [[reserved]]: [{ id: string; member_id: string; pin_hash: string; pin_attempts: number }[], number] = await tx.query(
      `UPDATE member_cards SET pin_attempts = pin_attempts + 1
        WHERE caisse_id = $1 AND card_number = $2 AND state = 'active' AND pin_hash IS NOT NULL AND locked_at IS NULL AND pin_attempts < $3
        RETURNING id, member_id, pin_hash, pin_attempts`,
      [caisseId, cardNumber, MAX_PIN_ATTEMPTS],
    );
    if (!reserved) return { ok: false, error: await this.whyRefused(caisseId, cardNumber, pin) };
    const check = await this.pins.check(reserved.pin_hash, reserved.member_id, pin);
    if (check.matches) {
      // A right PIN is the only moment its digest can be made under the current key (or replace an argon2 hash).
      await tx.query(`UPDATE member_cards SET pin_attempts = 0, pin_hash = COALESCE($2, pin_hash) WHERE id = $1`, [reserved.id, check.rehashed]);
      return { ok: true, card: (await this.resolveCard(caisseId, cardNumber))! };
    }
    if (reserved.pin_attempts < MAX_PIN_ATTEMPTS) return { ok: false, error: new InvalidPin(MAX_PIN_ATTEMPTS - reserved.pin_attempts) };
    await tx.query(`UPDATE member_cards SET locked_at = now() WHERE id = $1`, [reserved.id]);
    const card = (await this.resolveCard(caisseId, cardNumber))!;
    await this.audit.record({ caisseId, action: 'member-card.locked', targetType: 'member', targetId: card.memberId, after: { cardId: card.cardId, failedAttempts: MAX_PIN_ATTEMPTS } });
    return { ok: false, error: new CardLocked() };
  }

  /** No attempt could be reserved: say why, taking as long for an unknown card as for a wrong PIN. */
  private async whyRefused(caisseId: string, cardNumber: string, pin: string): Promise<DomainError> {
    const card = await this.resolveCard(caisseId, cardNumber);
    if (!card) {
      this.pins.dummyCheck(pin);
      return new UnknownCard();
    }
    if (card.cardState === 'blocked' || card.cardState === 'replaced') return new CardBlocked(card.cardState);
    if (!card.pinSet) return new PinNotSet();
    return new CardLocked();
  }
}
