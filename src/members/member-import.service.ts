import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AuditService } from '../audit/audit.service.js';
import { type FieldErrors, ValidationFailed } from '../common/errors/domain-error.js';
import { flattenValidationErrors } from '../common/validation/validation.pipe.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { type CsvRecord, CsvSyntaxError, parseCsv } from './csv.js';
import { CreateMemberDto } from './dto/member-input.dto.js';
import type { ImportLineErrorDto, ImportReportDto } from './dto/import.dto.js';
import { MemberRegistry } from './member-registry.service.js';

/** Columns of the import file: the creation body, flattened. Names are the API's, so one documentation serves both. */
const COLUMNS = {
  firstName: 'firstName',
  lastName: 'lastName',
  birthYear: 'birthYear',
  commune: 'commune',
  status: 'status',
  joinedOn: 'joinedOn',
  adults: 'household.adults',
  childrenBirthYears: 'household.childrenBirthYears',
  email: 'contact.email',
  phone: 'contact.phone',
  address: 'contact.address',
  monthlyIncome: 'monthlyIncome',
  consentDataProcessing: 'consents.dataProcessing',
  consentContact: 'consents.contact',
  consentResearch: 'consents.research',
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED: Column[] = ['firstName', 'lastName', 'commune', 'status', 'joinedOn', 'adults'];
const FIELD_TO_COLUMN = new Map<string, string>(Object.entries(COLUMNS).map(([c, f]) => [f, c]));
const MAX_LINES = 5000;

/** Text as typed in a spreadsheet, converted only where the meaning is unambiguous; the DTO rules do the rest. */
function cell(column: Column, raw: string): unknown {
  const v = raw.trim();
  if (v === '') return undefined;
  if (column === 'birthYear' || column === 'adults') return /^-?\d+$/.test(v) ? Number(v) : v;
  if (column === 'childrenBirthYears') return v.split(/[\s|,;]+/).map((y) => (/^-?\d+$/.test(y) ? Number(y) : y));
  if (column === 'monthlyIncome') return /^\d+,\d{1,2}$/.test(v) ? v.replace(',', '.') : v; // "1240,50" from a French spreadsheet
  if (column.startsWith('consent')) {
    const b = v.toLowerCase();
    return ['true', 'oui', 'yes', '1'].includes(b) ? true : ['false', 'non', 'no', '0'].includes(b) ? false : v;
  }
  return v;
}

function toBody(header: Column[], record: CsvRecord): Record<string, unknown> {
  const body: Record<string, unknown> = { household: { childrenBirthYears: [] } };
  header.forEach((column, i) => {
    const value = cell(column, record.fields[i] ?? '');
    if (value === undefined) return;
    const [a, b] = COLUMNS[column].split('.');
    if (b) body[a] = { ...(body[a] as object), [b]: value };
    else body[a] = value;
  });
  return body;
}

/** CSV import of members: a dry run reports every line's errors; a commit writes all lines or none. */
@Injectable()
export class MemberImportService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly registry: MemberRegistry,
  ) {}

  async check(caisseId: string, csv: string): Promise<{ bodies: { line: number; dto: CreateMemberDto }[]; errors: ImportLineErrorDto[]; lines: number }> {
    let records: CsvRecord[];
    try {
      records = parseCsv(csv).records;
    } catch (e) {
      if (e instanceof CsvSyntaxError) throw new ValidationFailed({ [`lines.${e.line}`]: [e.message] }, 'The file is not valid CSV.');
      throw e;
    }
    const [head, ...rows] = records;
    if (!head) throw new ValidationFailed({ 'lines.1': ['the file is empty: the first line names the columns'] });
    const headerErrors = headerProblems(head.fields);
    if (headerErrors.length) throw new ValidationFailed({ [`lines.${head.line}`]: headerErrors }, 'The header line is not usable.');
    if (rows.length > MAX_LINES) throw new ValidationFailed({ lines: [`at most ${MAX_LINES} members per file (${rows.length} given); split the file`] });
    const header = head.fields.map((f) => f.trim()) as Column[];

    const errors: ImportLineErrorDto[] = [];
    const bodies: { line: number; dto: CreateMemberDto }[] = [];
    const emails = new Map<string, number>();
    const taken = await this.takenEmails(caisseId);
    for (const record of rows) {
      const lineErrors: FieldErrors = {};
      if (record.fields.length !== header.length) lineErrors.line = [`${record.fields.length} fields, the header has ${header.length}`];
      const dto = plainToInstance(CreateMemberDto, toBody(header, record));
      const problems = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: false } });
      for (const [field, messages] of Object.entries(flattenValidationErrors(problems))) lineErrors[FIELD_TO_COLUMN.get(field) ?? field] = messages;
      const email = dto.contact?.email;
      if (typeof email === 'string' && !lineErrors.email) {
        if (taken.has(email)) lineErrors.email = ['this email is already used by a member of this caisse'];
        else if (emails.has(email)) lineErrors.email = [`this email is already on line ${emails.get(email)}`];
        emails.set(email, emails.get(email) ?? record.line);
      }
      if (Object.keys(lineErrors).length) errors.push({ line: record.line, errors: lineErrors });
      else bodies.push({ line: record.line, dto });
    }
    return { bodies, errors, lines: rows.length };
  }

  async dryRun(caisseId: string, csv: string): Promise<ImportReportDto> {
    const { errors, lines, bodies } = await this.check(caisseId, csv);
    return { dryRun: true, lines, valid: bodies.length, errors, members: [] };
  }

  /** All or nothing: one transaction, and any line in error refuses the whole file with every line's errors. */
  @Transactional()
  async commit(caisseId: string, csv: string): Promise<ImportReportDto> {
    const { errors, lines, bodies } = await this.check(caisseId, csv);
    if (errors.length) {
      const flat: FieldErrors = {};
      for (const e of errors) for (const [field, messages] of Object.entries(e.errors)) flat[`lines.${e.line}.${field}`] = messages;
      throw new ValidationFailed(flat, `${errors.length} of ${lines} lines have errors (keys are lines.<line number>.<column>); nothing was imported.`);
    }
    const members: ImportReportDto['members'] = [];
    for (const { line, dto } of bodies) {
      // Imported cards get their PIN later, one by one: a file of PINs would be a file of secrets.
      const { member } = await this.registry.create(caisseId, dto, { issuePin: false });
      members.push({ line, id: member.id, number: member.number, status: member.status, cardNumber: member.cardNumber });
    }
    await this.audit.record({ caisseId, action: 'members.imported', targetType: 'member-import', after: { lines, numbers: members.map((m) => m.number) } });
    return { dryRun: false, lines, valid: members.length, errors: [], members };
  }

  private async takenEmails(caisseId: string): Promise<Set<string>> {
    const rows: { email: string }[] = await this.txHost.tx.query(`SELECT email FROM members WHERE caisse_id = $1 AND email IS NOT NULL`, [caisseId]);
    return new Set(rows.map((r) => r.email));
  }
}

function headerProblems(fields: string[]): string[] {
  const names = fields.map((f) => f.trim());
  const problems: string[] = [];
  const unknown = names.filter((n) => !(n in COLUMNS));
  if (unknown.length) problems.push(`unknown column(s): ${unknown.join(', ')}; the columns are ${Object.keys(COLUMNS).join(', ')}`);
  const missing = REQUIRED.filter((c) => !names.includes(c));
  if (missing.length) problems.push(`missing column(s): ${missing.join(', ')}`);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length) problems.push(`column(s) given twice: ${[...new Set(twice)].join(', ')}`);
  return problems;
}
