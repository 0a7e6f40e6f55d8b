import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * DESIGN §3 boundaries as dependency-cruiser enforces them (.dependency-cruiser.cjs, `npm run lint:deps`):
 * the real tree passes, and each kind of violation planted in a copy of it is caught and named.
 */
const ROOT = process.cwd();
const CONFIG = resolve(ROOT, '.dependency-cruiser.cjs');

interface Planted {
  what: string;
  files: Record<string, string>;
  /** [rule, from (prefix), to ('' for any)] */
  expected: [string, string, string];
}

interface Run {
  code: number;
  output: string;
}

/** `npx depcruise src` in `cwd`: the rules' paths (^src/…) are relative to the directory it runs in. */
function depcruise(cwd: string): Promise<Run> {
  return new Promise((done) => {
    execFile('npx', ['--no-install', 'depcruise', 'src', '--config', CONFIG, '--output-type', 'err'], { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** `error <rule>: <from> → <to>` lines of the err reporter, as [rule, from, to]. */
function violations(output: string): [string, string, string][] {
  return [...output.matchAll(/^\s*error (\S+): (\S+) →\s*(\S*)/gm)].map((m) => [m[1], m[2], m[3]]);
}

describe('module boundaries (dependency-cruiser)', () => {
  it('the source tree has no violation', async () => {
    const run = await depcruise(ROOT);
    expect(violations(run.output)).toEqual([]);
    expect(run.output).toMatch(/no dependency violations found/);
    expect(run.code).toBe(0);
  }, 120_000);

  describe('a copy with a planted violation', () => {
    let copy: string;
    const planted: string[] = [];

    beforeAll(() => {
      copy = mkdtempSync(join(tmpdir(), 'caisse-boundaries-'));
      for (const entry of ['src', 'migrations', 'tsconfig.json', 'package.json']) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    });

    afterEach(() => {
      for (const file of planted.splice(0)) rmSync(join(copy, file), { force: true });
      rmSync(join(copy, 'src/newthing'), { recursive: true, force: true });
    });

    afterAll(() => {
      if (copy) rmSync(copy, { recursive: true, force: true });
    });

    const plant = (files: Record<string, string>) => {
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(copy, file)), { recursive: true });
        writeFileSync(join(copy, file), text);
        planted.push(file);
      }
    };

    it.each<Planted>([
      {
        what: 'a lower tier importing a higher one (common → caisses)',
        files: { 'src/common/planted.ts': "import { CaissesService } from '../caisses/caisses.service.js';\nexport const x = CaissesService;\n" },
        expected: ['layer-common-config-database', 'src/common/planted.ts', 'src/caisses/caisses.service.ts'],
      },
      {
        what: 'a type-only import of a higher tier (config → auth)',
        files: { 'src/config/planted.ts': "import type { AuthService } from '../auth/auth.service.js';\nexport type X = AuthService;\n" },
        expected: ['layer-common-config-database', 'src/config/planted.ts', 'src/auth/auth.service.ts'],
      },
      {
        what: "another module's entity (caisses → auth/entities)",
        files: { 'src/caisses/planted.ts': "import { User } from '../auth/entities/user.entity.js';\nexport const x = User;\n" },
        expected: ['no-foreign-entities', 'src/caisses/planted.ts', 'src/auth/entities/user.entity.ts'],
      },
      {
        what: "another module's internals, not its facade (caisses → auth/password)",
        files: { 'src/caisses/planted.ts': "import { hashPassword } from '../auth/password.js';\nexport const x = hashPassword;\n" },
        expected: ['public-surface-only', 'src/caisses/planted.ts', 'src/auth/password.ts'],
      },
      {
        what: 'two modules of one middle tier (audit → auth)',
        files: { 'src/audit/planted.ts': "import { AuthService } from '../auth/auth.service.js';\nexport const x = AuthService;\n" },
        expected: ['same-tier-audit', 'src/audit/planted.ts', 'src/auth/auth.service.ts'],
      },
      {
        what: 'health reaching a domain module',
        files: { 'src/health/planted.ts': "import { CaissesService } from '../caisses/caisses.service.js';\nexport const x = CaissesService;\n" },
        expected: ['health-uses-infrastructure-only', 'src/health/planted.ts', 'src/caisses/caisses.service.ts'],
      },
      {
        what: 'a module importing the app wiring',
        files: { 'src/caisses/planted.ts': "import { AppModule } from '../app.module.js';\nexport const x = AppModule;\n" },
        expected: ['no-import-of-app-wiring', 'src/caisses/planted.ts', 'src/app.module.ts'],
      },
      {
        what: 'a module folder missing from the tiers',
        files: { 'src/newthing/planted.ts': "import { Money } from '../common/money/money.js';\nexport const x = Money;\n" },
        expected: ['module-not-in-tiers', 'src/newthing/planted.ts', 'src/common/money/money.ts'],
      },
      {
        what: 'a cycle',
        files: {
          'src/common/planted-a.ts': "import { b } from './planted-b.js';\nexport const a = () => b;\n",
          'src/common/planted-b.ts': "import { a } from './planted-a.js';\nexport const b = () => a;\n",
        },
        expected: ['no-circular', 'src/common/planted-', ''],
      },
      {
        what: 'an import that does not resolve',
        files: { 'src/common/planted.ts': "import { x } from './no-such-file.js';\nexport const y = x;\n" },
        expected: ['not-to-unresolvable', 'src/common/planted.ts', './no-such-file.js'],
      },
    ])('fails on $what, naming the rule', async ({ files, expected: [rule, from, to] }) => {
      plant(files);
      const run = await depcruise(copy);
      const found = violations(run.output).filter(([, f]) => f.startsWith('src/') && Object.keys(files).some((p) => f === p));
      expect(found.length).toBeGreaterThan(0);
      expect(found).toContainEqual([rule, expect.stringContaining(from), to ? to : expect.any(String)]);
      expect(run.code).not.toBe(0);
    }, 120_000);

    it('accepts an allowed import in the copy (caisses → the audit facade, auth → audit)', async () => {
      plant({
        'src/caisses/planted.ts': "import { AuditService } from '../audit/audit.service.js';\nimport type { Money } from '../common/money/money.js';\nexport const x = AuditService;\nexport type M = Money;\n",
        'src/auth/planted.ts': "import { AuditModule } from '../audit/audit.module.js';\nexport const x = AuditModule;\n",
      });
      const run = await depcruise(copy);
      expect(violations(run.output).filter(([, from]) => from.endsWith('/planted.ts'))).toEqual([]);
    }, 120_000);
  });
});
