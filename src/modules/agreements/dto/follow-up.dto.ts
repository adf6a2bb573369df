import { ApiProperty, IntersectionType, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { ApiDate, ApiText, ApiUuid } from '../../../common/openapi.js';
import { PageQueryDto } from '../../../common/pagination/pagination.js';
import { IsCalendarDate, IsText, Optional } from '../../../common/validation.js';
import { FOLLOW_UP_STATES, type FollowUpState } from '../agreements.constants.js';

export class CreateFollowUpDto {
  /** E.g. "Send the draft curriculum to ATAMEKEN". */
  @IsText(300)
  title: string;

  @IsCalendarDate()
  dueOn: string;

  /** The staff member who does it: an active user of the agency. */
  @IsUUID()
  ownerUserId: string;

  @IsOptional()
  @IsText(5000)
  notes?: string | null;
}

export class UpdateFollowUpDto extends PartialType(CreateFollowUpDto, {
  skipNullProperties: false,
}) {
  /** Mark it done (`doneAt`, `doneBy` are set), or open again. */
  @Optional()
  @IsBoolean()
  done?: boolean;
}

export class FollowUpFilters {
  /** Only those of this staff member. */
  @IsOptional()
  @IsUUID()
  ownerUserId?: string;

  /** Only those of agreements made on this trip. */
  @IsOptional()
  @IsUUID()
  tripId?: string;

  /** `open`, `overdue` (open and due before today in the agency's timezone) or `done`. */
  @IsOptional()
  @IsIn(FOLLOW_UP_STATES)
  state?: FollowUpState;

  /** Only those due before this day, e.g. next Monday for "this week". */
  @IsOptional()
  @IsCalendarDate()
  dueBefore?: string;
}

export class ListFollowUpsQuery extends IntersectionType(PageQueryDto, FollowUpFilters) {}

export class FollowUpDto {
  @ApiUuid()
  id: string;
  @ApiUuid()
  agreementId: string;
  @ApiText(300)
  title: string;
  @ApiDate()
  dueOn: string;
  @ApiUuid()
  ownerUserId: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  notes: string | null;
  done: boolean;
  /** Open and due before today in the agency's timezone. */
  overdue: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  doneAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  doneBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Sent as the ETag. */
  @ApiProperty({ type: 'integer' })
  version: number;
}
