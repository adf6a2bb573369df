import { DataSource } from 'typeorm';
import { CliCommand, type CliRunner } from '../../common/cli-command.js';
import { TripCounts } from './trip-counts.js';

/**
 * `npm run cli -- check-trip-counts [--repair]`: recounts every trip's
 * figures (participants per status, seats, travel readiness) from the rows
 * and compares them with the figures kept as participants change. Lists
 * each difference and exits 1 if there is any; with `--repair`, counts
 * those trips again from the rows instead.
 */
@CliCommand({
  name: 'check-trip-counts',
  description: "Recount trips' participant figures from the rows and compare (or --repair)",
  options: [{ flags: '--repair', description: 'count the differing trips again from the rows' }],
})
export class CheckTripCountsCommand implements CliRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly counts: TripCounts,
  ) {}

  async run(options: { repair?: boolean }): Promise<void> {
    const differences = await this.counts.differences(this.dataSource.manager);
    for (const { tripId, status, counted, recounted } of differences) {
      process.stdout.write(
        `trip ${tripId} ${status}: counted [${counted.join(', ')}], recounted [${recounted.join(', ')}]\n`,
      );
    }
    const trips = [...new Set(differences.map((difference) => difference.tripId))];
    if (trips.length > 0 && options.repair) {
      await this.dataSource.transaction((manager) => this.counts.rebuild(manager, trips));
      process.stdout.write(`Counted ${trips.length} trip(s) again from their participants.\n`);
      return;
    }
    if (trips.length > 0) {
      throw new Error(`${trips.length} trip(s) differ from a recount; run with --repair to fix.`);
    }
    process.stdout.write('Every trip’s figures equal a recount of its participants.\n');
  }
}
