import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { ValidationFailed } from '../../common/errors/domain-error.js';
import { flattenValidationErrors } from '../../common/validation/validation.pipe.js';
import { checkPurchaseBody } from './purchase-body.check.js';
import { CreatePurchaseDto } from './purchase.dto.js';

// The decorators' pipe, as the rest of the API uses it: the plain check must accept and refuse the same bodies.
const decorators = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => new ValidationFailed(flattenValidationErrors(errors)),
});

async function outcome(run: () => unknown): Promise<string[] | 'ok'> {
  try {
    await run();
    return 'ok';
  } catch (e) {
    if (!(e instanceof ValidationFailed)) throw e;
    return Object.keys(e.errors).sort();
  }
}

const CARD = '4970123456789012';

describe('till body check', () => {
  it.each<[string, unknown]>([
    ['card and amount', { card: CARD, amount: '12.50' }],
    ['qr and lines', { qr: 'x'.repeat(20), lines: [{ category: 'fruits-legumes', amount: '1.00' }] }],
    ['pin and allowPartial', { card: CARD, pin: '1234', amount: '3', allowPartial: true }],
    ['an unknown field', { card: CARD, amount: '1.00', tip: '1.00' }],
    ['a number amount', { card: CARD, amount: 12.5 }],
    ['three decimals', { card: CARD, amount: '1.001' }],
    ['a negative amount', { card: CARD, amount: '-1.00' }],
    ['a number card', { card: 4970123456789012, amount: '1.00' }],
    ['lines not a list', { card: CARD, lines: 'fruits' }],
    ['empty lines', { card: CARD, lines: [] }],
    ['a bad category', { card: CARD, lines: [{ category: 'Fruits Légumes', amount: '1.00' }] }],
    ['a line without amount', { card: CARD, lines: [{ category: 'epicerie' }] }],
    ['a line with an extra field', { card: CARD, lines: [{ category: 'epicerie', amount: '1.00', vat: '5.5' }] }],
    ['allowPartial as text', { card: CARD, amount: '1.00', allowPartial: 'yes' }],
    ['too many lines', { card: CARD, lines: Array.from({ length: 201 }, () => ({ category: 'epicerie', amount: '1.00' })) }],
  ])('agrees with the DTO decorators on %s', async (_name, body) => {
    const plain = await outcome(() => checkPurchaseBody(structuredClone(body)));
    const reference = await outcome(() => decorators.transform(structuredClone(body), { type: 'body', metatype: CreatePurchaseDto }));
    expect(plain).toEqual(reference);
  });

  it.each<[string, unknown, string[]]>([
    ['null amount (a 500 before)', { card: CARD, amount: null }, ['amount']],
    ['null lines', { card: CARD, lines: null }, ['lines']],
    ['a null line', { card: CARD, lines: [null] }, ['lines.0']],
    ['a nested empty list', { card: CARD, lines: [[]] }, ['lines.0']],
    ['a list as the body', [], ['body']],
  ])('refuses %s with 400 naming the field', async (_name, body, fields) => {
    expect(await outcome(() => checkPurchaseBody(body))).toEqual(fields);
  });

  it('keeps only what was sent', () => {
    expect(checkPurchaseBody({ card: CARD, lines: [{ category: 'epicerie', amount: '2.10' }] })).toEqual({ card: CARD, lines: [{ category: 'epicerie', amount: '2.10' }] });
  });
});
