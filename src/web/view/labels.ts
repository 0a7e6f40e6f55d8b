/** French labels of the states the API returns in English, shared by every page that shows them. */
export const OUTLET_STATUS_FR: Record<string, string> = {
  candidate: 'Candidat',
  'dossier-complete': 'Dossier complet',
  conventionne: 'Conventionné',
  'renewal-due': 'Renouvellement à faire',
  suspended: 'Suspendu',
  revoked: 'Retiré',
  withdrawn: 'Retiré à sa demande',
  expired: 'Expiré',
};

export const DECISION_OUTCOME_FR: Record<string, string> = { adopted: 'Adoptée', rejected: 'Rejetée', 'no-decision': 'Pas de décision (quorum non atteint)' };
