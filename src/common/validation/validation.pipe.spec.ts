import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, ValidateNested } from 'class-validator';
import { buildValidationPipe } from './validation.pipe.js';

class SlotDto {
  @ApiProperty() @IsString() opens: string;
}

class PlaceDto {
  @ApiPropertyOptional() @IsOptional() @IsString() label?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() note?: string | null;
  @ApiProperty({ type: [SlotDto] }) @IsArray() @ValidateNested({ each: true }) @Type(() => SlotDto) hours: SlotDto[];
}

const pipe = buildValidationPipe();
const errorsOf = async (body: unknown): Promise<Record<string, string[]> | undefined> => {
  try {
    await pipe.transform(body, { type: 'body', metatype: PlaceDto });
    return undefined;
  } catch (e) {
    return (e as { errors?: Record<string, string[]> }).errors;
  }
};

describe('validation pipe: null and nested lists', () => {
  it('accepts a valid body, and null where the schema says nullable', async () => {
    expect(await errorsOf({ hours: [{ opens: '09:00' }] })).toBeUndefined();
    expect(await errorsOf({ note: null, hours: [] })).toBeUndefined();
  });

  it('refuses null on an optional property that is not nullable, naming it', async () => {
    expect(Object.keys((await errorsOf({ label: null, hours: [] }))!)).toEqual(['label']);
  });

  it.each([
    ['[[]]', [[]], ['hours.0']],
    ['[null]', [null], ['hours.0']],
    ['["x"]', ['x'], ['hours.0']],
    ['[[{…}]]', [[{ opens: '09:00' }]], ['hours.0']],
    ['a nested null', [{ opens: null }], ['hours.0.opens']],
  ])('refuses %s in a list of nested objects, naming the item', async (_name, hours, fields) => {
    expect(Object.keys((await errorsOf({ hours }))!)).toEqual(fields);
  });
});
