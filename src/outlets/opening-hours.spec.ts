import { hoursErrors, isoWeekday, minutes, roundConflicts, type Slot } from './opening-hours.js';

const slot = (weekday: number, opens: string, closes: string): Slot => ({ weekday, opens, closes });

describe('hoursErrors', () => {
  it.each<[string, Slot[]]>([
    ['no hours', []],
    ['one slot', [slot(1, '08:00', '12:00')]],
    ['morning and afternoon', [slot(1, '08:00', '12:00'), slot(1, '14:00', '18:30')]],
    ['slots that touch', [slot(1, '08:00', '12:00'), slot(1, '12:00', '13:00')]],
    ['same hours on different days', [slot(1, '08:00', '12:00'), slot(2, '08:00', '12:00')]],
    ['until midnight', [slot(5, '18:00', '24:00')]],
    ['out of order but disjoint', [slot(3, '14:00', '18:00'), slot(3, '08:00', '12:00')]],
  ])('accepts %s', (_name, slots) => expect(hoursErrors(slots)).toEqual({}));

  it.each<[string, Slot[], Record<string, RegExp>]>([
    ['ends before it starts', [slot(1, '12:00', '08:00')], { 'hours.0.closes': /after opens \(12:00\)/ }],
    ['ends when it starts', [slot(1, '09:00', '09:00')], { 'hours.0.closes': /after opens/ }],
    ['overnight slot', [slot(6, '22:00', '02:00')], { 'hours.0.closes': /same day/ }],
    ['overlapping slots', [slot(2, '08:00', '12:00'), slot(2, '11:30', '13:00')], { 'hours.1.opens': /Tuesday 11:30–13:00 overlaps hours\.0 \(Tuesday 08:00–12:00\)/ }],
    ['a slot inside another', [slot(4, '08:00', '18:00'), slot(4, '10:00', '11:00')], { 'hours.1.opens': /overlaps hours\.0/ }],
    ['the same slot twice', [slot(7, '09:00', '12:00'), slot(7, '09:00', '12:00')], { 'hours.1.opens': /overlaps hours\.0/ }],
    [
      'a broken slot is reported once and not compared',
      [slot(1, '10:00', '09:00'), slot(1, '08:00', '11:00')],
      { 'hours.0.closes': /after opens/ },
    ],
  ])('refuses %s', (_name, slots, expected) => {
    const errors = hoursErrors(slots);
    expect(Object.keys(errors).sort()).toEqual(Object.keys(expected).sort());
    for (const [path, message] of Object.entries(expected)) expect(errors[path].join(' ')).toMatch(message);
  });
});

describe('roundConflicts', () => {
  const others = [{ label: 'Place du marché, Lunas', hours: [slot(2, '09:00', '11:00')] }];

  it('accepts a stop after the previous one', () => {
    expect(roundConflicts([slot(2, '11:30', '12:30')], others)).toEqual({});
  });

  it('accepts the same hours on another day', () => {
    expect(roundConflicts([slot(3, '09:00', '11:00')], others)).toEqual({});
  });

  it('refuses a stop while the van is at another one, naming it', () => {
    expect(roundConflicts([slot(1, '09:00', '10:00'), slot(2, '10:30', '12:00')], others)).toEqual({
      'hours.1.opens': ['Tuesday 10:30–12:00 overlaps the stop "Place du marché, Lunas" (Tuesday 09:00–11:00): the van cannot be at two stops at once'],
    });
  });
});

describe('time helpers', () => {
  it.each([
    ['00:00', 0],
    ['08:30', 510],
    ['24:00', 1440],
  ])('minutes(%s) = %d', (hhmm, m) => expect(minutes(hhmm)).toBe(m));

  it.each([
    ['2026-11-30', 1],
    ['2026-12-05', 6],
    ['2026-12-06', 7],
    ['2024-02-29', 4],
  ])('isoWeekday(%s) = %d', (date, day) => expect(isoWeekday(date)).toBe(day));
});
