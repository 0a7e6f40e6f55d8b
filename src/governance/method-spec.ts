import type { FieldErrors } from '../common/errors/domain-error.js';
import type { CreateDecisionDto } from './dto/decision.dto.js';
import type { MethodSpec } from './methods/method.types.js';

/** The method of a new decision from the flat request fields, or the field errors that prevent it. */
export function methodSpecOf(dto: CreateDecisionDto, errors: FieldErrors): MethodSpec | undefined {
  const need = (field: keyof CreateDecisionDto, why: string) => {
    if (dto[field] === undefined) errors[field] = [why];
  };
  switch (dto.method) {
    case 'consensus':
    case 'consent':
    case 'simple-majority':
    case 'absolute-majority':
      return { kind: dto.method };
    case 'qualified-majority':
      need('a', 'a qualified majority needs a and b (e.g. 2 and 3)');
      need('b', 'a qualified majority needs a and b (e.g. 2 and 3)');
      need('basis', 'a qualified majority needs its basis: cast or members');
      if (dto.a !== undefined && dto.b !== undefined && dto.a >= dto.b) errors.a = ['a must be smaller than b'];
      return dto.a !== undefined && dto.b !== undefined && dto.basis ? { kind: 'qualified-majority', a: dto.a, b: dto.b, basis: dto.basis as 'cast' | 'members' } : undefined;
    case 'approval':
      need('theta', 'approval needs θ, the percentage of participants an option needs');
      need('options', 'approval needs its options');
      return dto.theta !== undefined && dto.options ? { kind: 'approval', theta: dto.theta, options: dto.options } : undefined;
    case 'majority-judgment': {
      need('grades', 'majority judgment needs its grade scale, worst → best');
      need('threshold', 'majority judgment needs the threshold grade');
      const options = dto.options ?? ['outlet'];
      if (dto.subject !== 'motion' && options.length !== 1) errors.options = ['a decision on one outlet judges one option'];
      if (dto.grades && dto.threshold !== undefined && dto.threshold >= dto.grades.length) errors.threshold = ['threshold must be the index of one of the grades'];
      return dto.grades && dto.threshold !== undefined ? { kind: 'majority-judgment', grades: dto.grades, threshold: dto.threshold, options } : undefined;
    }
  }
  return undefined;
}

/** Fallback steps carry no options: a qualified majority there is 2/3 of votes cast (Couserans). */
export function fallbackSpec(kind: string): MethodSpec {
  return kind === 'qualified-majority' ? { kind, a: 2, b: 3, basis: 'cast' } : ({ kind } as MethodSpec);
}
