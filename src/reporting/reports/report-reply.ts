import { createParamDecorator, type ExecutionContext, StreamableFile } from '@nestjs/common';
import { renderTabular } from '../../common/tabular/render.js';
import type { TabularDoc } from '../../common/tabular/tabular.types.js';
import type { ReportAudience } from './report-access.guard.js';
import type { ReportFormat } from './report-query.dto.js';

/** The audience the ReportAccessGuard settled on: 'staff' (full) or 'public' (small counts suppressed). */
export const Audience = createParamDecorator((_: unknown, ctx: ExecutionContext): ReportAudience => {
  return ctx.switchToHttp().getRequest<{ reportAudience?: ReportAudience }>().reportAudience ?? 'public';
});

/** The view as JSON, or its TabularDoc rendered as a download (one model for every format). */
export async function reply<T>(view: T, toDoc: (view: T) => TabularDoc, format: ReportFormat | undefined, basename: string): Promise<T | StreamableFile> {
  if (!format || format === 'json') return view;
  const file = await renderTabular(toDoc(view), format, basename);
  return new StreamableFile(file.body, { type: file.contentType, disposition: `attachment; filename="${file.filename}"` });
}
