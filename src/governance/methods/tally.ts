import { tallyApproval } from './approval.js';
import { type ConsentBallot, tallyConsent } from './consent.js';
import { meetsThreshold, profileOf, rankOptions } from './majority-judgment.js';
import type { Outcome, Tally, TallyInput } from './method.types.js';
import { quorumMet } from './quorum.js';
import { absoluteMajority, countVotes, qualifiedMajority, simpleMajority, type VoteChoice } from './votes.js';

const outcome = (quorum: boolean, pass: boolean): Outcome => (!quorum ? 'no-decision' : pass ? 'adopted' : 'rejected');

/**
 * The tally of one decision: quorum first (without it the result is "no decision"), then the method's integer rule.
 * Pure: the same ballots always give the same published tally.
 */
export function tally(input: TallyInput): Tally {
  const { method, electorate } = input;
  const participants = method.kind === 'consensus' ? (input.consensus?.present ?? 0) : input.ballots.length;
  const quorum = quorumMet(input.quorum, participants, electorate);
  const base = { method: method.kind, electorate, participants, quorumMet: quorum };
  const contents = input.ballots.map((b) => b.content);

  switch (method.kind) {
    case 'consensus':
      return { ...base, outcome: outcome(quorum, input.consensus?.reached === true), detail: { reached: input.consensus?.reached === true } };
    case 'consent': {
      const ballots = input.ballots.map((b) => ({ ref: b.ref, ...(b.content as Omit<ConsentBallot, 'ref'>) }));
      const t = tallyConsent(ballots, input.rulings ?? [], quorum);
      return { ...base, outcome: outcome(quorum, t.adopted), detail: { ...t, rulings: input.rulings ?? [] } };
    }
    case 'simple-majority':
    case 'absolute-majority':
    case 'qualified-majority': {
      const c = countVotes(contents.map((b) => (b as { choice: VoteChoice }).choice));
      const pass =
        method.kind === 'simple-majority' ? simpleMajority(c) : method.kind === 'absolute-majority' ? absoluteMajority(c, electorate) : qualifiedMajority(c, method, electorate);
      const rule = method.kind === 'qualified-majority' ? { a: method.a, b: method.b, basis: method.basis } : {};
      return { ...base, outcome: outcome(quorum, pass), detail: { ...c, ...rule } };
    }
    case 'approval': {
      const results = tallyApproval(method.options, contents.map((b) => (b as { approved: string[] }).approved), method.theta);
      return { ...base, outcome: outcome(quorum, results.some((r) => r.passes)), detail: { theta: method.theta, results } };
    }
    case 'majority-judgment': {
      const profiles = Object.fromEntries(
        method.options.map((o) => [o, profileOf(contents.map((b) => (b as { grades: Record<string, number> }).grades[o]), method.grades.length)]),
      );
      const ranking = rankOptions(profiles, input.seed);
      const winner = ranking[0];
      const pass = winner !== undefined && meetsThreshold(profiles[winner.option], method.threshold);
      return { ...base, outcome: outcome(quorum, pass), detail: { grades: method.grades, threshold: method.threshold, profiles, ranking, tieSeed: input.seed } };
    }
  }
}
