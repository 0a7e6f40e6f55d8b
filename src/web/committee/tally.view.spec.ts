import type { DecisionRecordDto } from '../../governance/dto/decision-record.dto.js';
import type { DecisionDto, TallyDto } from '../../governance/dto/decision.dto.js';
import { tallyDetail } from './tally.view.js';

const GRADES = ['À rejeter', 'Passable', 'Bien'];

function decision(method: string, detail: Record<string, unknown> | null, extra: Partial<TallyDto> = {}): DecisionDto {
  const tally: TallyDto = { method, electorate: 5, participants: 4, quorumMet: true, outcome: 'adopted', detail, suppressed: false, ...extra };
  return { id: 'd', title: 't', method: { kind: method }, tally } as unknown as DecisionDto;
}

const record = (ballots: DecisionRecordDto['ballots']): DecisionRecordDto => ({ seq: 3, recordedAt: '2026-12-05T10:00:00.000Z', prevHash: 'a'.repeat(64), hash: 'b'.repeat(64), tieBreak: null, ballots });

/** The rendered text without tags, spaces collapsed: what a reader (or a screen reader) gets. */
const text = (d: DecisionDto, r: DecisionRecordDto | null = null) => tallyDetail(d, r).value.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('tally rendered for humans, per method', () => {
  it.each<[string, DecisionDto, RegExp[]]>([
    ['simple majority', decision('simple-majority', { for: 3, against: 1, abstain: 0 }), [/Pour Contre Abstention Exprimés \(pour \+ contre\) 3 1 0 4/, /plus de voix pour que contre : 3 pour, 1 contre/]],
    ['absolute majority', decision('absolute-majority', { for: 2, against: 1, abstain: 1 }, { outcome: 'rejected' }), [/plus de la moitié des 5 membres appelés à voter : 2 pour, il en fallait plus de 2\.5/]],
    ['qualified majority of members', decision('qualified-majority', { for: 3, against: 0, abstain: 1, a: 2, b: 3, basis: 'members' }), [/2\/3 des membres : 3 pour sur 5/]],
    ['approval', decision('approval', { theta: 50, results: [{ option: 'Halle', approvals: 3, passes: true }, { option: 'Place', approvals: 1, passes: false }] }), [/seuil : 50 % des 4 participants/, /Halle 3 75 % oui/, /Place 1 25 % non/]],
    ['consensus', decision('consensus', { reached: true, outcomeText: 'Accord sur les horaires.', presentMemberIds: ['m1', 'm2', 'm3'] }), [/Consensus atteint en réunion, 3 membre\(s\) présent\(s\)/, /Compte rendu : Accord sur les horaires\./]],
    ['suppressed secret ballot', decision('simple-majority', null, { suppressed: true }), [/seul le résultat est publié/]],
  ])('%s', (_name, d, patterns) => {
    const out = text(d);
    for (const p of patterns) expect(out).toMatch(p);
    expect(out).not.toMatch(/\{"|\[object/);
  });

  it('consent: counts, the objections with their reasons from the log, and the rulings', () => {
    const d = decision('consent', { consent: 2, objection: 2, standAside: 0, standing: 1, ruledNonParamount: 1, rulings: [{ ref: 'm9', reason: 'Hors du périmètre du comité' }] }, { outcome: 'rejected' });
    const out = text(d, record([
      { member: 'M00000001', content: { position: 'consent' } },
      { member: 'M00000002', content: { position: 'objection', reason: 'Pas de producteur le mardi' } },
      { member: 'M00000003', content: { position: 'objection', reason: 'Hors sujet <b>' } },
    ]));
    expect(out).toMatch(/2 2 0 1 1/);
    expect(out).toContain('Membre n° M00000002 : « Pas de producteur le mardi »');
    expect(tallyDetail(d, record([{ member: 'M3', content: { position: 'objection', reason: 'Hors sujet <b>' } }])).value).toContain('Hors sujet &lt;b&gt;');
    expect(out).toContain('Hors du périmètre du comité');
    expect(out).toContain('1 bloque)');
  });

  it('majority judgment: grade counts per option in rank order, the majority grade, the winner and a true tie marked', () => {
    const d = decision('majority-judgment', {
      grades: GRADES,
      threshold: 1,
      profiles: { A: [1, 1, 2], B: [1, 1, 2], C: [3, 1, 0] },
      ranking: [
        { option: 'B', rank: 1, majorityGrade: 1, tieBrokenByDraw: true },
        { option: 'A', rank: 2, majorityGrade: 1, tieBrokenByDraw: true },
        { option: 'C', rank: 3, majorityGrade: 0, tieBrokenByDraw: false },
      ],
      tieSeed: 'c'.repeat(64),
    });
    const out = text(d);
    expect(out).toContain('En tête : « B » , mention majoritaire Passable');
    expect(out).toContain('le seuil d’admission est « Passable » : atteint');
    expect(out).toMatch(/1 \* B 1 1 2 Passable 2 \* A 1 1 2 Passable 3 C 3 1 0 À rejeter/);
    expect(out).toContain(`Égalité parfaite départagée par le tirage publié (graine ${'c'.repeat(64)} )`);
    expect(tallyDetail(d, null).value).toContain('id="mj-grades-data"');
  });
});
