import { money } from '../common/money/money.js';
import type { UpdateMemberDto } from './dto/member-input.dto.js';
import type { Member } from './entities/member.entity.js';

/**
 * Column changes a PATCH asks for (status apart), and the names of the fields that really change — the audit log
 * records those names only, never the values, which may be personal.
 */
export function memberChanges(member: Member, dto: UpdateMemberDto, today: string): { changes: Partial<Member>; changed: string[] } {
  const changes: Partial<Member> = {};
  const changed: string[] = [];
  const set = <K extends keyof Member>(field: string, key: K, value: Member[K] | undefined) => {
    if (value === undefined || JSON.stringify(value) === JSON.stringify(member[key])) return;
    changes[key] = value;
    changed.push(field);
  };
  set('firstName', 'firstName', dto.firstName);
  set('lastName', 'lastName', dto.lastName);
  set('birthYear', 'birthYear', dto.birthYear);
  set('commune', 'commune', dto.commune);
  set('contact.email', 'email', dto.contact?.email);
  set('contact.phone', 'phone', dto.contact?.phone);
  set('contact.address', 'address', dto.contact?.address);
  set('household.adults', 'adults', dto.household?.adults);
  set('household.childrenBirthYears', 'childrenBirthYears', dto.household?.childrenBirthYears);
  set('userId', 'userId', dto.userId);
  if (dto.monthlyIncome !== undefined) {
    const income = dto.monthlyIncome === null ? null : money(dto.monthlyIncome);
    const same = income === null ? member.monthlyIncome === null : member.monthlyIncome !== null && income.equals(member.monthlyIncome);
    if (!same) {
      // A new declaration is dated; withdrawing it clears the date too (nothing is kept "just in case").
      Object.assign(changes, { monthlyIncome: income, incomeDeclaredOn: income === null ? null : today });
      changed.push('monthlyIncome');
    }
  }
  if (dto.consents) {
    const before = changed.length;
    set('consents.dataProcessing', 'consentDataProcessing', dto.consents.dataProcessing);
    set('consents.contact', 'consentContact', dto.consents.contact);
    set('consents.research', 'consentResearch', dto.consents.research);
    if (changed.length > before) changes.consentsUpdatedAt = new Date();
  }
  return { changes, changed };
}
