import { asset } from '../asset-registry.js';
import { html, render, type Renderable } from './html.js';
import { navFor } from './nav.js';
import type { PageContext } from './page-context.js';
import { csrfField } from './forms.js';

export interface PageOptions {
  /** The page's only h1, and the document title. */
  title: string;
  body: Renderable;
  /** Extra scripts of /assets (e.g. 'chart.umd.min.js', 'charts.js'); app.js and htmx are always there. */
  scripts?: string[];
  /** Extra stylesheets of /assets, after app.css. */
  styles?: string[];
  /** A web app manifest's URL (an installable page, e.g. the till). */
  manifest?: string;
}

const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false, selfRequestsOnly: true });

/** A whole French page: skip link, header with the caisse's navigation for the viewer's roles, one h1, the body. */
export function layout(ctx: PageContext, page: PageOptions): string {
  const caisse = ctx.caisse;
  const base = caisse ? `/caisses/${caisse.id}` : '';
  const nav = caisse ? navFor(ctx.roles) : [];
  const modules = ['app.js', ...(page.scripts ?? []).filter((s) => s.endsWith('.js') && !s.endsWith('.umd.min.js'))];
  const classic = ['htmx.min.js', ...(page.scripts ?? []).filter((s) => s.endsWith('.umd.min.js'))];
  return (
    '<!doctype html>' +
    render(html`<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content="${HTMX_CONFIG}">
<title>${page.title} – ${caisse?.name ?? 'Caisse commune de l’alimentation'}</title>
<link rel="stylesheet" href="${asset('app.css')}">
${(page.styles ?? []).map((s) => html`<link rel="stylesheet" href="${asset(s)}">`)}
${page.manifest && html`<link rel="manifest" href="${page.manifest}">`}
${classic.map((s) => html`<script src="${asset(s)}" defer></script>`)}
${modules.map((s) => html`<script type="module" src="${asset(s)}"></script>`)}
</head>
<body hx-headers="${JSON.stringify({ 'X-CSRF-Token': ctx.csrf })}">
<a class="skip-link" href="#contenu">Aller au contenu</a>
<header class="site-header">
  <p class="brand"><a href="${caisse ? `${base}` : '/'}">${caisse?.name ?? 'Caisse commune de l’alimentation'}</a></p>
  ${nav.length > 0 &&
  html`<nav aria-label="Navigation principale"><ul>
    ${nav.map((e) => {
      const href = `${base}${e.path}`;
      const current = ctx.path === href || ctx.path.startsWith(`${href}/`);
      return html`<li><a href="${href}" ${current ? html`aria-current="page"` : ''}>${e.label}</a></li>`;
    })}
  </ul></nav>`}
  ${account(ctx)}
</header>
<main id="contenu" tabindex="-1">
<h1>${page.title}</h1>
${page.body}
</main>
<footer class="site-footer"><p>Caisse commune de l’alimentation — Sécurité sociale de l’alimentation</p></footer>
</body>
</html>`)
  );
}

function account(ctx: PageContext): Renderable {
  const p = ctx.principal;
  if (!p) return html`<p class="account"><a href="/connexion">Connexion équipe</a></p>`;
  const who = p.kind === 'user' ? p.email : p.kind === 'member' ? 'Espace membre' : 'Terminal';
  return html`<form class="account" method="post" action="/deconnexion">
    <span>${who}</span> ${csrfField(ctx)}<button type="submit" class="link">Se déconnecter</button>
  </form>`;
}
