import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { HttpReply } from '../common/http/http-types.js';
import { NotFound } from '../common/errors/domain-error.js';
import { Public } from '../common/request-context/decorators.js';
import { readAsset } from './asset-registry.js';

/** The stylesheet and scripts of the pages: a whitelist by name, cached long when the URL carries the current hash. */
@ApiExcludeController()
@Controller('assets')
export class AssetsController {
  @Get(':version/:name')
  @Public()
  serve(@Param('version') version: string, @Param('name') name: string, @Res() reply: HttpReply): void {
    const asset = readAsset(name);
    if (!asset) throw new NotFound('Asset', name);
    reply.header('Content-Type', asset.type);
    // An old hash still gets the current file (a page cached across a deploy), but only briefly.
    reply.header('Cache-Control', version === asset.version ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    reply.send(asset.body);
  }
}
