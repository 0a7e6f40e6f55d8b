import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { HealthController, HEALTH_QUEUE } from './health.controller.js';
import { QueueDashboardController } from './queue-dashboard.controller.js';
import { QueueDashboardService } from './queue-dashboard.service.js';

@Module({
  imports: [BullModule.registerQueue({ name: HEALTH_QUEUE })],
  controllers: [HealthController, QueueDashboardController],
  providers: [QueueDashboardService],
})
export class HealthModule {}
