import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { registerAs } from '@nestjs/config';
import { IsOptional, ValidateBy } from 'class-validator';
import { AppEnv } from './app.config.js';
import { validateEnv } from './validate-env.js';

export interface PinKey {
  /** Stored beside every digest, so a digest names the key that can check it. */
  id: string;
  secret: Buffer;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;
const MIN_SECRET = 32;

/** `id:secret[,id:secret…]`, the first being the key new digests use. Undefined when the value is unusable. */
export function parsePinKeys(raw: string): PinKey[] | undefined {
  const keys = raw.split(',').map((part) => {
    const at = part.indexOf(':');
    return at < 0 ? { id: '', secret: '' } : { id: part.slice(0, at), secret: part.slice(at + 1).trim() };
  });
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length || !keys.every((k) => KEY_ID.test(k.id) && k.secret.length >= MIN_SECRET)) return undefined;
  return keys.map((k) => ({ id: k.id, secret: Buffer.from(k.secret, 'utf8') }));
}

export class PinEnv {
  @IsOptional()
  @ValidateBy({ name: 'pinKeys', validator: { validate: (v: unknown) => typeof v === 'string' && parsePinKeys(v) !== undefined } }, {
    message: `PIN_KEYS must be id:secret[,id:secret…] with distinct ids of 1-16 letters, digits, _ or -, and secrets of at least ${MIN_SECRET} characters`,
  })
  PIN_KEYS?: string;
}

/**
 * Without PIN_KEYS, a key is generated once under DATA_DIR like the JWT secret: the point is that it lives outside
 * the database. The file holds a ready PIN_KEYS value, so an operator can move it into the environment as is. Several
 * cluster workers may race here: the exclusive create lets one win and the others read its key.
 */
function persistedPinKeys(dataDir: string): string {
  const file = resolve(dataDir, 'pin-key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dataDir, { recursive: true });
  const value = `local:${randomBytes(32).toString('base64url')}`;
  try {
    writeFileSync(file, value, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    new Logger('Config').log(`generated a PIN key in ${file} (set PIN_KEYS to manage it yourself; keep a copy apart from database backups)`);
    return value;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return readFileSync(file, 'utf8').trim();
  }
}

export const pinConfig = registerAs('pin', () => {
  const env = validateEnv(PinEnv);
  const dataDir = resolve(validateEnv(AppEnv).DATA_DIR);
  // PIN_KEYS was validated above; only a hand-edited key file can still be wrong here.
  const keys = parsePinKeys(env.PIN_KEYS ?? persistedPinKeys(dataDir));
  if (!keys) throw new Error(`${resolve(dataDir, 'pin-key')} does not hold a valid PIN_KEYS value (id:secret of at least ${MIN_SECRET} characters)`);
  return { keys };
});
export type PinConfig = ReturnType<typeof pinConfig>;
