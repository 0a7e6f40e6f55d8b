import type { ReportingService } from '../../reporting/reporting.service.js';

/** The report views, named through the reporting facade (its inner services are not part of its public surface). */
export type RunwayView = Awaited<ReturnType<ReportingService['runway']>>['view'];
export type SolidarityView = Awaited<ReturnType<ReportingService['solidarity']>>['view'];
