import type { Logger } from 'pino';
import type { Harvest } from './source-repository';

/**
 * Where queued harvests wait for a worker. On a server database: pg-boss (pg-boss-queue.ts), so
 * any of several app processes may run a harvest and none runs the same source twice at once.
 * On the embedded database (one process by construction): this in-process queue.
 */
export interface HarvestQueue {
  /** Hands a queued harvest to a worker; false when the queue already holds one for that layer. */
  enqueue(harvest: Harvest): Promise<boolean>;
  start(): Promise<void>;
  /** Stops taking work and waits for the harvest in hand. */
  stop(): Promise<void>;
}

export type RunHarvest = (harvestId: number) => Promise<unknown>;

/** Runs harvests one at a time in this process, in the order queued. */
export class InProcessHarvestQueue implements HarvestQueue {
  private readonly waiting: Harvest[] = [];
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly run: RunHarvest,
    private readonly log: Logger,
  ) {}

  async enqueue(harvest: Harvest): Promise<boolean> {
    if (this.waiting.some((h) => h.layerId === harvest.layerId)) return false;
    this.waiting.push(harvest);
    this.drain();
    return true;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.drain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private drain(): void {
    if (this.running || this.stopped) return;
    const next = this.waiting.shift();
    if (!next) return;
    this.running = this.run(next.id)
      .then(
        () => undefined,
        (err) => this.log.error({ err, harvestId: next.id }, 'harvest crashed'),
      )
      .finally(() => {
        this.running = null;
        this.drain();
      });
  }
}
