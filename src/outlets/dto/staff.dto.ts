import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class AddStaffDto {
  @ApiProperty({ format: 'uuid', description: 'A user holding the cashier role in this caisse' })
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId: string;
}

export class StaffDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() email: string;
  @ApiProperty() addedAt: string;
}
