import { Foundation1763700000000 } from './1763700000000-Foundation.js';
import { Identity1763800000000 } from './1763800000000-Identity.js';
import { Directory1763900000000 } from './1763900000000-Directory.js';
import { Trips1764000000000 } from './1764000000000-Trips.js';
import { Participants1764100000000 } from './1764100000000-Participants.js';
import { TripsStatusIndex1764100000001 } from './1764100000001-TripsStatusIndex.js';
import { Messages1764200000000 } from './1764200000000-Messages.js';
import { CurrentTimezoneNames1764300000000 } from './1764300000000-CurrentTimezoneNames.js';
import { TripParticipantCounts1764400000000 } from './1764400000000-TripParticipantCounts.js';
import { MessageSubjects1764400000001 } from './1764400000001-MessageSubjects.js';
import { Agreements1764600000000 } from './1764600000000-Agreements.js';
import { Reminders1764700000000 } from './1764700000000-Reminders.js';
import { Announcements1764800000000 } from './1764800000000-Announcements.js';
import { ParticipantPages1764900000000 } from './1764900000000-ParticipantPages.js';
import { OpenRegistration1765000000000 } from './1765000000000-OpenRegistration.js';
import { ReportIndexes1765100000000 } from './1765100000000-ReportIndexes.js';
import { Programme1764500000000 } from './1764500000000-Programme.js';

/** Every migration in order. `npm run migration:generate` writes a new file: add its class here. */
import { Webhooks1765200000000 } from './1765200000000-Webhooks.js';
import { OutboxNudges1765300000000 } from './1765300000000-OutboxNudges.js';
import { OutboxNudgesOnUpdate1765400000000 } from './1765400000000-OutboxNudgesOnUpdate.js';
export const MIGRATIONS = [
  Foundation1763700000000,
  Identity1763800000000,
  Directory1763900000000,
  Trips1764000000000,
  Participants1764100000000,
  TripsStatusIndex1764100000001,
  Messages1764200000000,
  CurrentTimezoneNames1764300000000,
  TripParticipantCounts1764400000000,
  MessageSubjects1764400000001,
  Programme1764500000000,
  Agreements1764600000000,
  Reminders1764700000000,
  Announcements1764800000000,
  ParticipantPages1764900000000,
  OpenRegistration1765000000000,
  ReportIndexes1765100000000,
  Webhooks1765200000000,
  OutboxNudges1765300000000,
  OutboxNudgesOnUpdate1765400000000,
];
