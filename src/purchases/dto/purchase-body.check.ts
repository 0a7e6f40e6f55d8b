import { FieldReader } from '../../common/validation/plain-check.js';

/** The shape of CreatePurchaseDto (which imports this file, so it is restated here rather than imported). */
export interface PurchaseBody {
  card?: string;
  qr?: string;
  pin?: string;
  amount?: string;
  lines?: { category: string; amount: string }[];
  allowPartial?: boolean;
}
type CreatePurchaseDto = PurchaseBody;
type PurchaseLineDto = NonNullable<PurchaseBody['lines']>[number];

/** Same codes as the outlet's coverage rates (fruits-legumes, epicerie, …). */
export const CATEGORY_CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const FIELDS = ['card', 'qr', 'pin', 'amount', 'lines', 'allowPartial'] as const;

/** The till's body, checked in plain code with the same rules and messages as CreatePurchaseDto's decorators. */
export function checkPurchaseBody(body: unknown): CreatePurchaseDto {
  const top = new FieldReader({});
  const object = FieldReader.object(body, '', top.errors);
  if (!object) return top.done({} as CreatePurchaseDto);
  const r = new FieldReader(object);
  r.only(FIELDS);
  const dto: CreatePurchaseDto = {
    card: r.string('card'),
    qr: r.string('qr'),
    pin: r.string('pin'),
    amount: r.money('amount'),
    allowPartial: r.boolean('allowPartial'),
  };
  const lines = r.array('lines', 1, 200);
  if (lines) {
    dto.lines = lines.map((raw, i): PurchaseLineDto => {
      const line = FieldReader.object(raw, `lines.${i}`, r.errors);
      if (!line) return { category: '', amount: '' };
      const l = new FieldReader(line, `lines.${i}`);
      l.only(['category', 'amount']);
      const category = l.string('category', CATEGORY_CODE, 'category must be a lowercase code with dashes, e.g. fruits-legumes');
      if (line.category === undefined) l.fail('category', 'category must be a lowercase code with dashes, e.g. fruits-legumes');
      const amount = l.money('amount');
      if (line.amount === undefined) l.fail('amount', `lines.${i}.amount must be an amount as a decimal string with at most 2 decimals, e.g. "12.50"`);
      r.merge(l);
      return { category: category!, amount: amount! };
    });
  }
  for (const key of FIELDS) if (dto[key as keyof CreatePurchaseDto] === undefined) delete dto[key as keyof CreatePurchaseDto];
  return r.done(dto);
}
