import { Injectable } from '@nestjs/common';
import type { Decimal } from 'decimal.js';
import { CaissesService } from '../../caisses/caisses.service.js';
import { formatMoney, money } from '../../common/money/money.js';
import { ReadReplica } from '../../database/read-replica.js';
import { type AccountYearFigures, LedgerService } from '../../ledger/ledger.service.js';
import { ASSETS, EXPENSES, LIABILITIES, REVENUE, type Rubrique, rubriqueOf, sideOf } from './anc-layout.js';
import type { AccountsLine, AnnualAccounts, YearColumn } from './annual-accounts.dto.js';

type Sums = Map<string, { current: Decimal; previous: Decimal }>;

/**
 * Bilan and compte de résultat of a fiscal year beside the previous one (ANC 2018-06, net amounts), and the annexe
 * tables of fonds dédiés and grants. Everything comes from the ledger's lines, so an open year can be looked at too
 * (its closing then shows as "not closed").
 */
@Injectable()
export class AnnualAccountsService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly caisses: CaissesService,
    private readonly replica: ReadReplica,
  ) {}

  /** Read in one snapshot, on the replica while it keeps up. */
  build(caisseId: string, year: number): Promise<AnnualAccounts> {
    return this.replica.read(() => this.compose(caisseId, year));
  }

  private async compose(caisseId: string, year: number): Promise<AnnualAccounts> {
    const caisse = await this.caisses.get(caisseId);
    const current = await this.ledger.fiscalYear(caisseId, year);
    const previous = await this.ledger.fiscalYear(caisseId, year - 1);
    const [now, before, grants, closing] = await Promise.all([
      this.ledger.accountYearFigures(caisseId, current),
      this.ledger.accountYearFigures(caisseId, previous),
      this.ledger.grantYearFigures(caisseId, current),
      this.ledger.yearClosing(caisseId, current.start),
    ]);
    const assets: Sums = new Map();
    const liabilities: Sums = new Map();
    const revenue: Sums = new Map();
    const expenses: Sums = new Map();
    const results = { current: { year: money(0), open: money(0) }, previous: { year: money(0), open: money(0) } };
    for (const [figures, col] of [[now, 'current'], [before, 'previous']] as const) {
      for (const f of figures) {
        const closingBalance = money(f.closing);
        if (/^[1-5]/.test(f.number) && !closingBalance.isZero()) {
          const side = sideOf(f.number, closingBalance);
          add(side === 'asset' ? assets : liabilities, side === 'asset' ? ASSETS : LIABILITIES, f.number, col, side === 'asset' ? closingBalance : closingBalance.negated());
        }
        if (/^[67]/.test(f.number)) {
          const net = money(f.yearCredit).minus(f.yearDebit);
          results[col].year = results[col].year.plus(net);
          results[col].open = results[col].open.minus(closingBalance);
          if (f.number[0] === '7') add(revenue, REVENUE, f.number, col, net);
          else add(expenses, EXPENSES, f.number, col, net.negated());
        }
      }
    }
    const resultLines: AccountsLine[] = [line('Fonds propres', "Excédent ou déficit de l'exercice", results.current.year, results.previous.year)];
    const earlier = { current: results.current.open.minus(results.current.year), previous: results.previous.open.minus(results.previous.year) };
    if (!earlier.current.isZero() || !earlier.previous.isZero()) resultLines.push(line('Fonds propres', "Résultats d'exercices antérieurs non clôturés", earlier.current, earlier.previous));
    const assetLines = lines(assets, ASSETS);
    const liabilityLines = [...lines(liabilities, LIABILITIES), ...resultLines];
    const revenueLines = lines(revenue, REVENUE);
    const expenseLines = lines(expenses, EXPENSES);
    return {
      caisse: { name: caisse.name, siren: caisse.siren },
      fiscalYear: current,
      previousYear: previous,
      closing: closing ?? null,
      balanceSheet: { assets: assetLines, liabilities: liabilityLines, totals: { assets: total(assetLines), liabilities: total(liabilityLines) } },
      incomeStatement: {
        revenue: revenueLines,
        expenses: expenseLines,
        totals: { revenue: total(revenueLines), expenses: total(expenseLines), result: col(results.current.year, results.previous.year) },
      },
      dedicatedFunds: dedicatedFunds(now),
      grants: grants.map((g) => ({
        grant: g.grant,
        fund: g.fund,
        funder: g.funder || null,
        notified: formatMoney(g.notified),
        received: formatMoney(g.received),
        released: formatMoney(g.released),
        allotted: formatMoney(g.allotted),
        used: formatMoney(money(g.notified).plus(g.released).minus(g.allotted)),
      })),
    };
  }
}

function add(sums: Sums, rubriques: Rubrique[], number: string, column: 'current' | 'previous', amount: Decimal): void {
  const i = rubriqueOf(number, rubriques);
  const key = String(i >= 0 ? i : rubriques.length - 1);
  const s = sums.get(key) ?? { current: money(0), previous: money(0) };
  s[column] = s[column].plus(amount);
  sums.set(key, s);
}

function lines(sums: Sums, rubriques: Rubrique[]): AccountsLine[] {
  return rubriques.flatMap((r, i) => {
    const s = sums.get(String(i));
    return s && !(s.current.isZero() && s.previous.isZero()) ? [line(r.section, r.label, s.current, s.previous)] : [];
  });
}

const col = (current: Decimal, previous: Decimal): YearColumn => ({ current: formatMoney(current), previous: formatMoney(previous) });
const line = (section: string, label: string, current: Decimal, previous: Decimal): AccountsLine => ({ section, label, ...col(current, previous) });
const total = (ls: AccountsLine[]): YearColumn => col(ls.reduce((s, l) => s.plus(l.current), money(0)), ls.reduce((s, l) => s.plus(l.previous), money(0)));

/** Fonds dédiés per funder: opening, allotted this year, released this year, closing (credit side shown positive). */
function dedicatedFunds(figures: AccountYearFigures[]) {
  return figures
    .filter((f) => /^19[2-9]/.test(f.number))
    .map((f) => ({
      account: f.code,
      funder: f.aux || null,
      label: f.label,
      opening: formatMoney(money(f.opening).negated()),
      allotted: formatMoney(f.yearCredit),
      released: formatMoney(f.yearDebit),
      closing: formatMoney(money(f.closing).negated()),
    }));
}
