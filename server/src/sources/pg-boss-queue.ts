import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { HarvestQueue, RunHarvest } from './harvest-queue';
import type { Harvest } from './source-repository';

const QUEUE = 'harvest';

/**
 * Harvests on pg-boss in the server database. The queue's "stately" policy with the layer as
 * singleton key keeps at most one queued and one running job per source across every process;
 * workers take jobs with SKIP LOCKED, so each job runs exactly once.
 */
export class PgBossHarvestQueue implements HarvestQueue {
  private readonly boss: PgBoss;
  private workerId: string | undefined;

  constructor(
    db: PgBoss.Db,
    /** Runs pg-boss's start (it creates its schema) while holding a lock other processes wait on. */
    private readonly serialise: (start: () => Promise<void>) => Promise<void>,
    private readonly run: RunHarvest,
    private readonly log: Logger,
    private readonly pollingIntervalSeconds = 1,
  ) {
    this.boss = new PgBoss({ db, schema: 'haenau_jobs', schedule: false });
    this.boss.on('error', (err) => this.log.error({ err }, 'job queue error'));
  }

  async start(): Promise<void> {
    // Several processes starting at once would race to create pg-boss's schema and the queue.
    await this.serialise(async () => {
      await this.boss.start();
      if (!(await this.boss.getQueue(QUEUE))) await this.boss.createQueue(QUEUE, { name: QUEUE, policy: 'stately', retryLimit: 0, expireInSeconds: 3 * 3600 });
    });
    this.workerId = await this.boss.work<{ harvestId: number }>(QUEUE, { pollingIntervalSeconds: this.pollingIntervalSeconds, batchSize: 1 }, async ([job]) => {
      await this.run(job!.data.harvestId);
    });
  }

  async enqueue(harvest: Harvest): Promise<boolean> {
    const id = await this.boss.send(QUEUE, { harvestId: harvest.id }, { singletonKey: `layer:${harvest.layerId}` });
    // This process's worker looks now rather than at its next poll (up to a second away); another
    // process's worker may still win the job, which is as it should be.
    if (id !== null && this.workerId) this.boss.notifyWorker(this.workerId);
    return id !== null;
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
