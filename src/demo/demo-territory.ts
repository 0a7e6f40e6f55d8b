/**
 * The fictitious caisse's territory and catalogue. Communes are real places of the Grand Autunois Morvan (INSEE codes
 * of Saône-et-Loire, weight ≈ share of members); every person, outlet, SIRET and IBAN is invented.
 */
export const CAISSE_NAME = "Caisse commune de l'alimentation du Grand Autunois Morvan (démo fictive)";
export const CAISSE_SLUG = 'demo-grand-autunois-morvan';
/** Every demo e-mail is under a domain reserved for examples (RFC 2606): nothing can ever be sent to a real person. */
export const MAIL_DOMAIN = 'demo-autunois.example';

export interface Commune {
  code: string;
  name: string;
  /** La Poste's code, for the outlets' postal addresses (SEPA transfers name the creditor's town and country). */
  postcode: string;
  weight: number;
}

/** A SIREN no company can have (all nines, Luhn key 8): the FEC is named after it. */
export const DEMO_SIREN = '999999998';

export const COMMUNES: Commune[] = [
  { code: '71014', name: 'Autun', postcode: '71400', weight: 42 },
  { code: '71192', name: 'Étang-sur-Arroux', postcode: '71190', weight: 10 },
  { code: '71190', name: 'Épinac', postcode: '71360', weight: 9 },
  { code: '71148', name: 'Couches', postcode: '71490', weight: 7 },
  { code: '71009', name: 'Anost', postcode: '71550', weight: 5 },
  { code: '71297', name: 'Mesvres', postcode: '71190', weight: 5 },
  { code: '71163', name: 'Curgy', postcode: '71400', weight: 6 },
  { code: '71266', name: "Lucenay-l'Évêque", postcode: '71540', weight: 4 },
  { code: '71224', name: 'La Grande-Verrière', postcode: '71990', weight: 4 },
  { code: '71446', name: 'Saint-Léger-sous-Beuvray', postcode: '71990', weight: 4 },
];

export const FIRST_NAMES = [
  'Nadia', 'Jean', 'Camille', 'Louis', 'Fatou', 'Martine', 'Kevin', 'Sophie', 'Mehdi', 'Claire', 'Bernard', 'Inès',
  'Thierry', 'Julie', 'Ahmed', 'Monique', 'Lucas', 'Chantal', 'Yasmine', 'Pascal', 'Léa', 'Gérard', 'Aïcha', 'Nicolas',
  'Sylvie', 'Hugo', 'Odile', 'Karim', 'Émilie', 'René', 'Manon', 'Patrick', 'Zoé', 'Didier', 'Élodie', 'Marcel',
];
export const LAST_NAMES = [
  'Martin', 'Bernard', 'Moreau', 'Petit', 'Durand', 'Leroy', 'Roux', 'Fournier', 'Girard', 'Bonnet', 'Mercier', 'Lambert',
  'Faure', 'Rousseau', 'Blanc', 'Guerin', 'Muller', 'Henry', 'Perrin', 'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont',
  'Lopez', 'Fontaine', 'Chevalier', 'Robin', 'Masson', 'Sanchez', 'Benali', 'Diallo', 'Nguyen', 'Traoré', 'Da Silva', 'Pernot',
];

export type OutletKind = 'producer' | 'producers-shop' | 'grocery' | 'epicerie-solidaire' | 'amap' | 'market-stall' | 'mobile-grocery' | 'locker' | 'restaurant-canteen';

export interface OutletSpec {
  kind: OutletKind;
  name: string;
  legalName: string;
  commune: string;
  labels?: string[];
}

const C = Object.fromEntries(COMMUNES.map((c) => [c.name, c.code]));

/**
 * Forty outlets, the first ones covering every kind, so a small DEMO_SCALE keeps the variety. The mobile grocery
 * has village stops, the locker is open at all hours.
 */
export const OUTLETS: OutletSpec[] = [
  { kind: 'producer', name: 'Ferme des Trois Chênes', legalName: 'EARL des Trois Chênes (fictive)', commune: C['Anost'], labels: ['ab'] },
  { kind: 'grocery', name: 'Épicerie du Champ de Mars', legalName: 'SARL Épicerie du Champ de Mars (fictive)', commune: C['Autun'] },
  { kind: 'mobile-grocery', name: "L'Épicerie roulante du Morvan", legalName: 'SCOP Épicerie roulante du Morvan (fictive)', commune: C['Lucenay-l\'Évêque'] },
  { kind: 'locker', name: 'Casier fermier de la gare', legalName: 'SCIC Casiers fermiers autunois (fictive)', commune: C['Autun'] },
  { kind: 'epicerie-solidaire', name: 'Épicerie solidaire Le Panier', legalName: 'Association Le Panier autunois (fictive)', commune: C['Autun'] },
  { kind: 'producers-shop', name: 'Boutique paysanne Arroux', legalName: 'GIE Boutique paysanne Arroux (fictif)', commune: C['Étang-sur-Arroux'], labels: ['ab'] },
  { kind: 'amap', name: 'AMAP des Hauts de Couches', legalName: 'Association AMAP des Hauts de Couches (fictive)', commune: C['Couches'] },
  { kind: 'market-stall', name: 'Maraîchage Vallée de la Drée', legalName: 'EI Maraîchage de la Drée (fictive)', commune: C['Épinac'], labels: ['ab'] },
  { kind: 'restaurant-canteen', name: 'Cantine partagée Saint-Andoche', legalName: 'Association Cantine Saint-Andoche (fictive)', commune: C['Autun'] },
  ...['Chèvrerie des Bruyères', 'GAEC du Haut-Folin', 'Ferme du Bois de la Dame', 'Les Vergers de Curgy', 'Miellerie de Mesvres', 'Fromagerie de la Grande-Verrière', 'Ferme de Vaux', 'Moulin de Brisecou', 'Boulangerie paysanne du Beuvray', 'Les Jardins de Montjeu', 'Ferme du Pré Charmoy', 'Volailles de Sully', 'Brasserie de la Cascade'].map(
    (name, i): OutletSpec => ({ kind: 'producer', name, legalName: `EARL ${name} (fictive)`, commune: COMMUNES[(i + 1) % COMMUNES.length].code, labels: i % 3 ? [] : ['ab'] }),
  ),
  ...['Épicerie de la Place', 'Supérette des Marbres', 'Épicerie du Faubourg', 'Vival d\'Épinac', 'Épicerie du Morvan'].map(
    (name, i): OutletSpec => ({ kind: 'grocery', name, legalName: `SARL ${name} (fictive)`, commune: [C['Autun'], C['Autun'], C['Couches'], C['Épinac'], C['Anost']][i] }),
  ),
  { kind: 'epicerie-solidaire', name: 'Épicerie solidaire de la Croix-Verte', legalName: 'Association Croix-Verte (fictive)', commune: C['Autun'] },
  { kind: 'epicerie-solidaire', name: 'Épicerie sociale du Val d\'Arroux', legalName: 'CIAS Val d\'Arroux (fictif)', commune: C['Étang-sur-Arroux'] },
  { kind: 'producers-shop', name: 'Le Comptoir des producteurs', legalName: 'SCIC Comptoir des producteurs (fictive)', commune: C['Autun'] },
  { kind: 'producers-shop', name: 'La Halle paysanne de Couches', legalName: 'GIE Halle paysanne (fictif)', commune: C['Couches'] },
  { kind: 'amap', name: 'AMAP du Champ de Mars', legalName: 'Association AMAP Champ de Mars (fictive)', commune: C['Autun'] },
  { kind: 'amap', name: 'AMAP des Crêtes du Morvan', legalName: 'Association AMAP des Crêtes (fictive)', commune: C['Saint-Léger-sous-Beuvray'] },
  ...['Primeurs du marché', 'Fromages du Morvan', 'Œufs et volailles de la Celle', 'Le Fournil du marché'].map(
    (name, i): OutletSpec => ({ kind: 'market-stall', name, legalName: `EI ${name} (fictive)`, commune: [C['Autun'], C['Autun'], C['Épinac'], C['Étang-sur-Arroux']][i] }),
  ),
  { kind: 'mobile-grocery', name: 'Le Camion des Monts', legalName: 'SARL Camion des Monts (fictive)', commune: C['Anost'] },
  { kind: 'locker', name: 'Casier paysan d\'Épinac', legalName: 'SCIC Casiers fermiers autunois — Épinac (fictive)', commune: C['Épinac'] },
  { kind: 'restaurant-canteen', name: 'Restaurant associatif La Marmite', legalName: 'Association La Marmite (fictive)', commune: C['Étang-sur-Arroux'] },
];
