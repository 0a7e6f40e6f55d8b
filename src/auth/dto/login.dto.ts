import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'tresorier@caisse-montpellier.fr' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class TokenDto {
  @ApiProperty({ description: 'JWT to send as `Authorization: Bearer …`' })
  accessToken: string;
  @ApiProperty({ example: 'Bearer' })
  tokenType: string;
  @ApiProperty({ example: 900, description: 'Lifetime in seconds' })
  expiresIn: number;
}
