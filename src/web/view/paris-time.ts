/**
 * `<input type="datetime-local">` gives a wall-clock time with no offset; the caisses live on Paris time, so a value
 * is read as Paris time and turned into an instant with its offset (what the API's date-time fields require).
 */
const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** Paris minus UTC at an instant, in minutes (60 in winter, 120 in summer). */
function offsetAt(ms: number): number {
  const p = Object.fromEntries(PARTS.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-12-10T18:00` (Paris) → `2026-12-10T18:00:00+01:00`; undefined when it is not such a value or no such time exists. */
export function parisInstant(local: string | undefined): string | undefined {
  const m = local ? LOCAL.exec(local) : null;
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return undefined;
  // The offset at the guessed instant, then again at the corrected one (they differ only around a DST change).
  let offset = offsetAt(wall - offsetAt(wall) * 60_000);
  if (offsetAt(wall - offset * 60_000) !== offset) offset = offsetAt(wall - offset * 60_000);
  // A wall time skipped by the spring change (02:30 on the last Sunday of March) does not exist.
  if (parisLocal(new Date(wall - offset * 60_000)) !== local) return undefined;
  return `${local}:00${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/** An instant as the value of a datetime-local field, in Paris time (`2026-12-10T18:00`). */
export function parisLocal(at: Date): string {
  const p = Object.fromEntries(PARTS.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
