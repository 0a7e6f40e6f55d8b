import { Get, Res } from '@nestjs/common';
import { CaissesService } from '../../caisses/caisses.service.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Public } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { asset, readAsset } from '../asset-registry.js';
import { WebController } from '../web-controller.decorator.js';

/**
 * What makes the till installable and usable offline: its web app manifest and its service worker, served under the
 * till's own path so the worker's scope is the till and nothing else of the site (Service-Worker-Allowed names it,
 * since the page itself has no trailing slash). Both are static, hence public; the page they serve is not.
 */
@WebController('caisses/:caisseId/caisse-enregistreuse')
export class TillAppController {
  constructor(private readonly caisses: CaissesService) {}

  @Get('sw.js')
  @Public()
  worker(@UuidParam('caisseId') caisseId: string, @Res() reply: HttpReply): void {
    const sw = readAsset('till-sw.js')!;
    reply
      .header('Content-Type', sw.type)
      .header('Service-Worker-Allowed', `/caisses/${caisseId.toLowerCase()}/caisse-enregistreuse`)
      // A new deploy must reach the tills: the browser checks the worker on every navigation.
      .header('Cache-Control', 'no-cache')
      .send(sw.body);
  }

  @Get('manifest.webmanifest')
  @Public()
  async manifest(@UuidParam('caisseId') caisseIdRaw: string, @Res() reply: HttpReply): Promise<void> {
    const caisse = await this.caisses.get(caisseIdRaw.toLowerCase());
    const start = `/caisses/${caisse.id}/caisse-enregistreuse`;
    reply
      .header('Content-Type', 'application/manifest+json; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .send({
        name: `Caisse – ${caisse.name}`,
        short_name: 'Caisse',
        lang: 'fr',
        start_url: start,
        scope: start,
        id: start,
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#00449e',
        icons: [{ src: asset('till-icon.svg'), sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      });
  }
}
