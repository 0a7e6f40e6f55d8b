import { Foundation1764100000000 } from './1764100000000-foundation.js';
import { Ledger1764200000000 } from './1764200000000-ledger.js';
import { Members1764300000000 } from './1764300000000-members.js';
import { Outlets1764400000000 } from './1764400000000-outlets.js';
import { Contributions1764500000000 } from './1764500000000-contributions.js';
import { Purchases1764600000000 } from './1764600000000-purchases.js';
import { Governance1764700000000 } from './1764700000000-governance.js';
import { Allocations1764800000000 } from './1764800000000-allocations.js';
import { LedgerStatementChecks1764900000000 } from './1764900000000-ledger-statement-checks.js';
import { VoucherAttempts1765000000000 } from './1765000000000-voucher-attempts.js';
import { BallotsUnlinkable1765000000001 } from './1765000000001-ballots-unlinkable.js';
import { OpenChartBanks1765100000000 } from './1765100000000-open-chart-banks.js';
import { GiftPartTopup1765200000000 } from './1765200000000-gift-part-topup.js';
import { DirectDebit4111765300000000 } from './1765300000000-direct-debit-411.js';
import { DirectDebitBank1765400000000 } from './1765400000000-direct-debit-bank.js';
import { AllocationCredited1765500000000 } from './1765500000000-allocation-credited.js';
import { LedgerLettering1765600000000 } from './1765600000000-ledger-lettering.js';
import { Settlements1765700000000 } from './1765700000000-settlements.js';
import { BankStatements1765800000000 } from './1765800000000-bank-statements.js';
import { YearEnd1765900000000 } from './1765900000000-year-end.js';
import { ReportSettings1766000000000 } from './1766000000000-report-settings.js';
import { WebSessions1766100000000 } from './1766100000000-web-sessions.js';
import { WebTillSessions1766300000000 } from './1766300000000-web-till-sessions.js';
import { TillLeanWrites1766900000000 } from './1766900000000-till-lean-writes.js';

/** Listed explicitly (no glob) so the same list works from dist/, from ts under Jest, and from the TypeORM CLI. */
export const migrations = [Foundation1764100000000, Ledger1764200000000, Members1764300000000, Outlets1764400000000, Contributions1764500000000, Purchases1764600000000, Governance1764700000000, Allocations1764800000000, LedgerStatementChecks1764900000000, VoucherAttempts1765000000000, BallotsUnlinkable1765000000001, OpenChartBanks1765100000000, GiftPartTopup1765200000000, DirectDebit4111765300000000, DirectDebitBank1765400000000, AllocationCredited1765500000000, LedgerLettering1765600000000, Settlements1765700000000, BankStatements1765800000000, YearEnd1765900000000, ReportSettings1766000000000, WebSessions1766100000000, WebTillSessions1766300000000, TillLeanWrites1766900000000];
