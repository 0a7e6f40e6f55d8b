import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** One of: choice (majorities), position (+ reason for an objection) (consent), approved (approval), grades (majority judgment). */
export class CastBallotDto {
  @ApiPropertyOptional({ enum: ['for', 'against', 'abstain'] }) @IsOptional() @IsIn(['for', 'against', 'abstain']) choice?: string;
  @ApiPropertyOptional({ enum: ['consent', 'objection', 'stand-aside'] }) @IsOptional() @IsIn(['consent', 'objection', 'stand-aside']) position?: string;
  @ApiPropertyOptional({ description: 'Required with an objection' }) @IsOptional() @IsString() @MinLength(3) @MaxLength(2000) reason?: string;
  @ApiPropertyOptional({ type: [String], description: 'Approval: the options approved (may be empty)' })
  @IsOptional() @IsArray() @ArrayMaxSize(30) @IsString({ each: true })
  approved?: string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Majority judgment: option → grade index (0 = worst)' })
  @IsOptional() @IsObject()
  grades?: Record<string, number>;
}

export class BallotReceiptDto {
  @ApiProperty({ format: 'uuid' }) decisionId: string;
  @ApiProperty() secret: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Secret ballot: keep it to find your ballot in the published list (shown once)' }) receipt: string | null;
  @ApiProperty({ description: 'An open ballot replaced an earlier one' }) replaced: boolean;
}

export class PublishedBallotDto {
  @ApiProperty() receipt: string;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: 'null when counts are withheld' }) content: Record<string, unknown> | null;
}
