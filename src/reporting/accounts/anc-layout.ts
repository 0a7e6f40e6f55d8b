/**
 * Rubriques of the associations' annual accounts (règlement ANC 2018-06, bilan and compte de résultat, net amounts).
 * An account goes to the first rubrique whose prefix it starts with, the longest prefix first; accounts of classes
 * 4 and 5 go to the assets or the liabilities by the side of their balance (a bank overdraft is a debt, a supplier
 * in debit a receivable).
 */
export type Side = 'asset' | 'liability';

export interface Rubrique {
  section: string;
  label: string;
  prefixes: string[];
}

export const ASSETS: Rubrique[] = [
  { section: 'Actif immobilisé', label: 'Immobilisations incorporelles', prefixes: ['20', '280', '290'] },
  { section: 'Actif immobilisé', label: 'Immobilisations corporelles', prefixes: ['21', '22', '23', '281', '282', '291'] },
  { section: 'Actif immobilisé', label: 'Immobilisations financières', prefixes: ['26', '27', '296', '297'] },
  { section: 'Actif circulant', label: 'Stocks et en-cours', prefixes: ['3'] },
  { section: 'Actif circulant', label: 'Créances usagers et comptes rattachés', prefixes: ['41'] },
  { section: 'Actif circulant', label: 'Autres créances', prefixes: ['40', '42', '43', '44', '45', '46', '47', '48', '49'] },
  { section: 'Actif circulant', label: 'Valeurs mobilières de placement', prefixes: ['50', '59'] },
  { section: 'Actif circulant', label: 'Disponibilités', prefixes: ['51', '52', '53', '54', '58'] },
  { section: 'Comptes de régularisation', label: "Charges constatées d'avance", prefixes: ['486'] },
];

export const LIABILITIES: Rubrique[] = [
  { section: 'Fonds propres', label: 'Fonds propres sans droit de reprise', prefixes: ['102'] },
  { section: 'Fonds propres', label: 'Fonds propres avec droit de reprise', prefixes: ['103'] },
  { section: 'Fonds propres', label: 'Écarts de réévaluation', prefixes: ['105'] },
  { section: 'Fonds propres', label: 'Réserves', prefixes: ['106', '10'] },
  { section: 'Fonds propres', label: 'Report à nouveau', prefixes: ['11'] },
  { section: 'Fonds propres', label: "Résultat d'exercices antérieurs en attente d'affectation", prefixes: ['12'] },
  { section: 'Fonds propres', label: "Subventions d'investissement", prefixes: ['13'] },
  { section: 'Fonds propres', label: 'Provisions réglementées', prefixes: ['14'] },
  { section: 'Fonds reportés et dédiés', label: 'Fonds reportés liés aux legs ou donations', prefixes: ['191'] },
  { section: 'Fonds reportés et dédiés', label: 'Fonds dédiés', prefixes: ['19'] },
  { section: 'Provisions', label: 'Provisions pour risques et charges', prefixes: ['15'] },
  { section: 'Dettes', label: 'Emprunts et dettes auprès des établissements de crédit', prefixes: ['16', '17', '51', '52', '53', '54', '58', '50', '59'] },
  { section: 'Dettes', label: 'Dettes fournisseurs et comptes rattachés', prefixes: ['40'] },
  { section: 'Dettes', label: 'Dettes fiscales et sociales', prefixes: ['42', '43', '44'] },
  { section: 'Dettes', label: 'Autres dettes (dont droits alimentaires des adhérents)', prefixes: ['41', '45', '46', '47', '48', '49'] },
  { section: 'Comptes de régularisation', label: "Produits constatés d'avance", prefixes: ['487'] },
];

export const REVENUE: Rubrique[] = [
  { section: "Produits d'exploitation", label: 'Cotisations', prefixes: ['756'] },
  { section: "Produits d'exploitation", label: 'Ventes de biens et services', prefixes: ['70'] },
  { section: "Produits d'exploitation", label: "Concours publics et subventions d'exploitation", prefixes: ['74'] },
  { section: "Produits d'exploitation", label: 'Ressources liées à la générosité du public (dons, mécénat)', prefixes: ['754'] },
  { section: "Produits d'exploitation", label: "Contributions financières d'autres organismes", prefixes: ['755'] },
  { section: "Produits d'exploitation", label: 'Reprises sur amortissements, dépréciations, provisions et transferts de charges', prefixes: ['781', '791'] },
  { section: "Produits d'exploitation", label: 'Utilisations des fonds dédiés', prefixes: ['789'] },
  { section: "Produits d'exploitation", label: 'Autres produits', prefixes: ['71', '72', '73', '75', '78', '79'] },
  { section: 'Produits financiers', label: 'Produits financiers', prefixes: ['76', '786', '796'] },
  { section: 'Produits exceptionnels', label: 'Produits exceptionnels', prefixes: ['77', '787', '797'] },
];

export const EXPENSES: Rubrique[] = [
  { section: "Charges d'exploitation", label: 'Achats de marchandises et approvisionnements', prefixes: ['60'] },
  { section: "Charges d'exploitation", label: 'Autres achats et charges externes', prefixes: ['61', '62'] },
  { section: "Charges d'exploitation", label: 'Aides financières (aides alimentaires attribuées)', prefixes: ['657'] },
  { section: "Charges d'exploitation", label: 'Impôts, taxes et versements assimilés', prefixes: ['63'] },
  { section: "Charges d'exploitation", label: 'Salaires et traitements', prefixes: ['641', '644', '648'] },
  { section: "Charges d'exploitation", label: 'Charges sociales', prefixes: ['645', '646', '647', '64'] },
  { section: "Charges d'exploitation", label: 'Dotations aux amortissements, dépréciations et provisions', prefixes: ['681'] },
  { section: "Charges d'exploitation", label: 'Reports en fonds dédiés', prefixes: ['689'] },
  { section: "Charges d'exploitation", label: 'Autres charges', prefixes: ['65', '68'] },
  { section: 'Charges financières', label: 'Charges financières', prefixes: ['66', '686'] },
  { section: 'Charges exceptionnelles', label: 'Charges exceptionnelles', prefixes: ['67', '687'] },
  { section: 'Impôts sur les bénéfices', label: 'Impôts sur les bénéfices', prefixes: ['69'] },
];

/** Index of the rubrique an account number falls in (longest matching prefix), or -1. */
export function rubriqueOf(number: string, rubriques: Rubrique[]): number {
  let best = -1;
  let length = 0;
  rubriques.forEach((r, i) => {
    for (const p of r.prefixes) if (number.startsWith(p) && p.length > length) [best, length] = [i, p.length];
  });
  return best;
}

/** Balance-sheet side of a class 1–5 account with this balance (debits − credits). */
export function sideOf(number: string, balance: { isNegative(): boolean }): Side {
  if (number[0] === '1') return 'liability';
  if (number[0] === '2' || number[0] === '3') return 'asset';
  // Classes 4–5: by the balance (486 and 487 keep their side: regularisation accounts).
  if (number.startsWith('486')) return 'asset';
  if (number.startsWith('487')) return 'liability';
  return balance.isNegative() ? 'liability' : 'asset';
}
