import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { HealthController, HEALTH_QUEUE } from './health.controller.js';

@Module({
  imports: [BullModule.registerQueue({ name: HEALTH_QUEUE })],
  controllers: [HealthController],
})
export class HealthModule {}
