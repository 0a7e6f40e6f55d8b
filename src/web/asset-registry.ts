import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Files the /assets route may serve, by public name: our own (src/web/assets/) and two libraries from node_modules. */
const FILES: Record<string, { from: 'own' | 'modules'; path: string; type: string }> = {
  'app.css': { from: 'own', path: 'app.css', type: 'text/css; charset=utf-8' },
  'app.js': { from: 'own', path: 'app.js', type: 'text/javascript; charset=utf-8' },
  'charts.js': { from: 'own', path: 'charts.js', type: 'text/javascript; charset=utf-8' },
  'till.js': { from: 'own', path: 'till.js', type: 'text/javascript; charset=utf-8' },
  'till.css': { from: 'own', path: 'till.css', type: 'text/css; charset=utf-8' },
  'till-sw.js': { from: 'own', path: 'till-sw.js', type: 'text/javascript; charset=utf-8' },
  'till-icon.svg': { from: 'own', path: 'till-icon.svg', type: 'image/svg+xml' },
  'htmx.min.js': { from: 'modules', path: 'htmx.org/dist/htmx.min.js', type: 'text/javascript; charset=utf-8' },
  'chart.umd.min.js': { from: 'modules', path: 'chart.js/dist/chart.umd.min.js', type: 'text/javascript; charset=utf-8' },
};

export interface Asset {
  body: Buffer;
  type: string;
  version: string;
}

/** The project root (where package.json is), from this file in src/web or dist/src/web. */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('web assets: package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

const cache = new Map<string, Asset>();

function load(name: string): Asset | undefined {
  const hit = cache.get(name);
  if (hit) return hit;
  const file = FILES[name];
  if (!file) return undefined;
  const root = projectRoot();
  // Own assets are read from src/web/assets (dist has only compiled code; the image copies that folder beside it).
  const path = file.from === 'own' ? join(root, 'src', 'web', 'assets', file.path) : join(root, 'node_modules', file.path);
  const body = readFileSync(path);
  const asset = { body, type: file.type, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
  cache.set(name, asset);
  return asset;
}

/** An asset by public name, if whitelisted. */
export function readAsset(name: string): Asset | undefined {
  return Object.hasOwn(FILES, name) ? load(name) : undefined;
}

/** The URL of an asset with its content hash in it, so it can be cached for a year and still change on deploy. */
export function asset(name: string): string {
  const a = readAsset(name);
  if (!a) throw new Error(`unknown web asset ${name}`);
  return `/assets/${a.version}/${name}`;
}
