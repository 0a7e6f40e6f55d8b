import type { DecisionRecordDto } from '../../governance/dto/decision-record.dto.js';
import type { DecisionDto, TallyDto } from '../../governance/dto/decision.dto.js';
import { chart } from '../view/chart.js';
import { html, type SafeHtml } from '../view/html.js';

/** The tally's `detail` per method, as decision-close publishes it (governance/methods/tally.ts). */
interface VoteDetail { for: number; against: number; abstain: number; a?: number; b?: number; basis?: string }
interface ConsentDetail { consent: number; objection: number; standAside: number; standing: number; ruledNonParamount: number; rulings: { ref: string; reason: string }[] }
interface ApprovalDetail { theta: number; results: { option: string; approvals: number; passes: boolean }[] }
interface MjDetail {
  grades: string[];
  threshold: number;
  profiles: Record<string, number[]>;
  ranking: { option: string; rank: number; majorityGrade?: number | null; tieBrokenByDraw: boolean }[];
  tieSeed: string;
}
interface ConsensusDetail { reached: boolean; outcomeText?: string; presentMemberIds?: string[] }

const count = (n: number) => html`<td class="num">${n}</td>`;
/** "2 sur 3 (67 %)": whole percentages, for reading only (the rules compare integers). */
export const share = (n: number, of: number) => (of > 0 ? `${n} sur ${of} (${Math.round((100 * n) / of)} %)` : `${n}`);

function majorities(t: TallyDto, d: VoteDetail): SafeHtml {
  const cast = d.for + d.against;
  let rule: string;
  if (t.method === 'simple-majority') rule = `plus de voix pour que contre : ${d.for} pour, ${d.against} contre (les abstentions ne comptent pas)`;
  else if (t.method === 'absolute-majority') rule = `plus de la moitié des ${t.electorate} membres appelés à voter : ${d.for} pour, il en fallait plus de ${t.electorate / 2}`;
  else {
    const basis = d.basis === 'members' ? t.electorate : cast;
    rule = `${d.a}/${d.b} ${d.basis === 'members' ? 'des membres' : 'des votes exprimés'} : ${d.for} pour sur ${basis}, il en fallait au moins ${d.a}/${d.b} (et au moins une voix pour)`;
  }
  return html`<table><caption>Votes</caption>
  <thead><tr><th scope="col">Pour</th><th scope="col">Contre</th><th scope="col">Abstention</th><th scope="col">Exprimés (pour + contre)</th></tr></thead>
  <tbody><tr>${count(d.for)}${count(d.against)}${count(d.abstain)}${count(cast)}</tr></tbody>
</table>
<p>Règle : ${rule}.</p>`;
}

function consent(d: ConsentDetail, record: DecisionRecordDto | null): SafeHtml {
  const objections = (record?.ballots ?? []).filter((b) => b.content?.position === 'objection');
  return html`<table><caption>Positions</caption>
  <thead><tr><th scope="col">Consentements</th><th scope="col">Objections</th><th scope="col">Retraits (à l’écart)</th><th scope="col">Objections jugées non prépondérantes</th><th scope="col">Objections qui bloquent</th></tr></thead>
  <tbody><tr>${count(d.consent)}${count(d.objection)}${count(d.standAside)}${count(d.ruledNonParamount)}${count(d.standing)}</tr></tbody>
</table>
<p>Règle : la proposition passe si le quorum est atteint et qu’aucune objection ne bloque (${d.standing === 0 ? 'aucune ne bloque' : `${d.standing} bloque${d.standing > 1 ? 'nt' : ''}`}).</p>
<h3>Motifs des objections</h3>
${objections.length === 0
  ? html`<p>Aucune objection.</p>`
  : html`<ul>${objections.map((o) => html`<li>${o.member ? html`Membre n° ${o.member} : ` : ''}« ${String(o.content?.reason ?? '')} »</li>`)}</ul>`}
${d.rulings.length > 0 && html`<h3>Objections jugées non prépondérantes</h3><ul>${d.rulings.map((r) => html`<li>${r.reason}</li>`)}</ul>`}`;
}

function approval(t: TallyDto, d: ApprovalDetail): SafeHtml {
  return html`<table><caption>Approbations par option (seuil : ${d.theta} % des ${t.participants} participants)</caption>
  <thead><tr><th scope="col">Option</th><th scope="col" class="num">Approbations</th><th scope="col" class="num">Part des participants</th><th scope="col">Seuil atteint</th></tr></thead>
  <tbody>${d.results.map((r) => html`<tr><th scope="row">${r.option}</th>${count(r.approvals)}<td class="num">${t.participants ? `${Math.round((100 * r.approvals) / t.participants)} %` : '—'}</td><td>${r.passes ? 'oui' : 'non'}</td></tr>`)}</tbody>
</table>`;
}

function majorityJudgment(d: MjDetail): SafeHtml {
  const grade = (g: number | null | undefined) => (g === null || g === undefined ? '—' : d.grades[g]);
  const winner = d.ranking[0];
  const admitted = winner && winner.majorityGrade !== null && winner.majorityGrade !== undefined && winner.majorityGrade >= d.threshold;
  return html`<p>${winner
    ? html`En tête : <strong>« ${winner.option} »</strong>, mention majoritaire <strong>${grade(winner.majorityGrade)}</strong> ; le seuil d’admission est « ${d.grades[d.threshold]} » : ${admitted ? 'atteint' : 'non atteint'}.`
    : 'Aucune option.'}</p>
<div class="table-wrap" role="region" tabindex="0" aria-label="Mentions reçues par option, de la pire à la meilleure"><table><caption>Mentions reçues par option, de la pire à la meilleure</caption>
  <thead><tr><th scope="col">Rang</th><th scope="col">Option</th>${d.grades.map((g) => html`<th scope="col" class="num">${g}</th>`)}<th scope="col">Mention majoritaire</th></tr></thead>
  <tbody>${d.ranking.map(
    (r) => html`<tr><td class="num">${r.rank}${r.tieBrokenByDraw ? ' *' : ''}</td><th scope="row">${r.option}</th>${(d.profiles[r.option] ?? []).map((n) => count(n))}<td>${grade(r.majorityGrade)}</td></tr>`,
  )}</tbody>
</table></div>
${d.ranking.some((r) => r.tieBrokenByDraw) && html`<p>* Égalité parfaite départagée par le tirage publié (graine <code>${d.tieSeed}</code>).</p>`}
${chart({
  id: 'mj-grades',
  title: 'Répartition des mentions par option',
  type: 'bar',
  labels: d.grades,
  labelHeader: 'Mention',
  integer: true,
  series: d.ranking.map((r) => ({ label: r.option, values: d.profiles[r.option] ?? [] })),
})}
<p class="hint">La mention majoritaire est la mention médiane (la plus basse des deux en cas de nombre pair de votants) ; les ex æquo sont départagés en retirant une à une les mentions médianes. Graine de départage : <code>${d.tieSeed}</code>.</p>`;
}

function consensus(d: ConsensusDetail): SafeHtml {
  return html`<p>Consensus ${d.reached ? 'atteint' : 'non atteint'} en réunion, ${d.presentMemberIds?.length ?? 0} membre(s) présent(s).</p>
${d.outcomeText && html`<p>Compte rendu : ${d.outcomeText}</p>`}`;
}

/** The detailed tally of a closed decision, in words and tables: never the raw JSON. */
export function tallyDetail(d: DecisionDto, record: DecisionRecordDto | null): SafeHtml {
  const t = d.tally!;
  if (t.suppressed || !t.detail) return html`<p>Vote secret avec trop peu de participants : seul le résultat est publié, pas les décomptes.</p>`;
  const detail = t.detail as unknown;
  switch (t.method) {
    case 'consent':
      return consent(detail as ConsentDetail, record);
    case 'approval':
      return approval(t, detail as ApprovalDetail);
    case 'majority-judgment':
      return majorityJudgment(detail as MjDetail);
    case 'consensus':
      return consensus(detail as ConsensusDetail);
    default:
      return majorities(t, detail as VoteDetail);
  }
}
