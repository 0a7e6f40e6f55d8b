import type { DemoContext, SeededMember, SeededOutlet } from './demo-context.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

interface Seat {
  member: SeededMember;
  token: string;
}

/** The citizen committee: members seated since the first month, cohorts for renewal by thirds, each logged in by card. */
export async function seatCommittee(ctx: DemoContext, members: SeededMember[]): Promise<Seat[]> {
  const endsOn = `${Number(ctx.periods[0].slice(0, 4)) + 2}-12-31`;
  const seats: Seat[] = [];
  for (const [i, member] of members.entries()) {
    await ctx.http.must(201, 'POST', `${ctx.base}/committee/mandates`, {
      token: ctx.tokens.admin,
      body: { memberId: member.id, designation: i % 3 === 0 ? 'volunteer' : 'drawn', position: i === 0 ? 'co-présidence' : 'membre', startsOn: `${ctx.periods[0]}-01`, endsOn, cohort: (i % 3) + 1 },
    });
    const login = await ctx.http.must<{ accessToken: string }>(200, 'POST', `${ctx.base}/members/login`, { body: { cardNumber: member.cardNumber, pin: member.pin } });
    seats.push({ member, token: login.accessToken });
  }
  return seats;
}

async function decide(ctx: DemoContext, seats: Seat[], body: Record<string, unknown>, ballot: (i: number) => Record<string, unknown>, close: boolean): Promise<{ id: string; outcome?: string }> {
  const decision = await ctx.http.must<{ id: string; electorate: { memberId: string; recusal: string | null }[] }>(201, 'POST', `${ctx.base}/decisions`, {
    token: ctx.tokens.committee,
    body: { secret: false, opensAt: new Date().toISOString(), closesAt: inDays(7), ...body },
  });
  const eligible = new Set(decision.electorate.filter((e) => !e.recusal).map((e) => e.memberId));
  const voters = seats.filter((s) => eligible.has(s.member.id));
  for (const [i, seat] of (close ? voters : voters.slice(0, 2)).entries()) {
    await ctx.http.must(201, 'POST', `${ctx.base}/decisions/${decision.id}/ballots`, { token: seat.token, body: ballot(i) });
  }
  if (!close) return { id: decision.id };
  const closed = await ctx.http.must<{ tally: { outcome: string } }>(200, 'POST', `${ctx.base}/decisions/${decision.id}/close`, { token: ctx.tokens.committee, body: {} });
  return { id: decision.id, outcome: closed.tally.outcome };
}

/**
 * A few decisions of the committee, as in Montpellier and Couserans: conventionnements by consent (one member
 * recused for a conflict of interest, one standing aside), a motion by simple majority, and one conventionnement
 * still open for votes. Returns the number of decisions.
 */
export async function holdDecisions(ctx: DemoContext, seats: Seat[], byVote: SeededOutlet[], pending: SeededOutlet | undefined): Promise<number> {
  const reviewOn = `${Number(ctx.today.slice(0, 4)) + 1}${ctx.today.slice(4)}`;
  if (byVote[0]) {
    await ctx.http.must(201, 'POST', `${ctx.base}/committee/conflicts`, { token: ctx.tokens.committee, body: { memberId: seats[0].member.id, outletId: byVote[0].id, nature: 'related', note: 'Parent de l’exploitante (exemple fictif)' } });
  }
  const consent = (i: number) => (i === 1 ? { position: 'stand-aside', reason: 'Je ne connais pas assez ce lieu' } : { position: 'consent' });
  let count = 0;
  for (const outlet of byVote) {
    const d = await decide(ctx, seats, { title: `Conventionnement : ${outlet.name}`, subject: 'conventionnement', outletId: outlet.id, method: 'consent', fallback: ['qualified-majority'], reviewOn }, consent, true);
    if (d.outcome !== 'adopted') throw new Error(`the conventionnement of ${outlet.name} was not adopted (${d.outcome})`);
    outlet.conventionne = true;
    count++;
  }
  const motion = await decide(
    ctx,
    seats,
    { title: 'Garder l’argent non dépensé jusqu’à trois mois', subject: 'motion', method: 'simple-majority' },
    (i) => ({ choice: i === 2 ? 'against' : 'for' }),
    true,
  );
  if (motion.outcome !== 'adopted') throw new Error(`the motion was not adopted (${motion.outcome})`);
  count++;
  if (pending) {
    await decide(ctx, seats, { title: `Conventionnement : ${pending.name}`, subject: 'conventionnement', outletId: pending.id, method: 'consent', reviewOn }, () => ({ position: 'consent' }), false);
    count++;
  }
  return count;
}
