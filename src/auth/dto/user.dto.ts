import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { CAISSE_ROLES, type CaisseRole } from '../../common/request-context/principal.js';

export class CreateUserDto {
  @ApiProperty({ example: 'caissier@epicerie-solidaire.fr' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 12, description: 'Ignored when the email already has an account (the role is added to it)' })
  @IsString()
  @MinLength(12, { message: 'password must be at least 12 characters' })
  @MaxLength(200)
  password: string;

  @ApiProperty({ enum: CAISSE_ROLES })
  @IsIn(CAISSE_ROLES as unknown as string[], { message: `role must be one of ${CAISSE_ROLES.join(', ')}` })
  role: CaisseRole;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: CAISSE_ROLES, isArray: true }) roles: CaisseRole[];
}

export class PrincipalDto {
  @ApiProperty({ enum: ['user', 'terminal', 'member'] }) kind: string;
  @ApiProperty({ required: false }) userId?: string;
  @ApiProperty({ required: false }) email?: string;
  @ApiProperty({ required: false }) platformAdmin?: boolean;
  @ApiProperty({ required: false, type: Object, additionalProperties: { type: 'array', items: { type: 'string' } } })
  roles?: Record<string, string[]>;
  @ApiProperty({ required: false }) keyId?: string;
  @ApiProperty({ required: false }) caisseId?: string;
  @ApiProperty({ required: false, nullable: true, type: String }) outletId?: string | null;
  @ApiProperty({ required: false, description: 'Member logged in with card and PIN' }) memberId?: string;
}

export class UserStatusDto extends UserDto {
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the account was disabled; null when it may log in' })
  disabledAt: string | null;
}
