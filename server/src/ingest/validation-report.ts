export type Severity = 'error' | 'repaired' | 'warning';

/** One thing wrong with one feature (or with the upload as a whole when index is absent). */
export interface Problem {
  severity: Severity;
  code: string;
  message: string;
  /** 0-based feature position in the upload. */
  index?: number;
  /** 1-based line where the feature starts. */
  line?: number;
  /** The feature's own id, when it has one. */
  id?: string | number;
  /** Where on the map the problem is, [lon, lat] in EPSG:4326: the invalidity itself, else a vertex of the feature. */
  at?: [number, number];
}

export interface ValidationReport {
  totals: { errors: number; repaired: number; warnings: number };
  /** How many features had each kind of problem. */
  byCode: Record<string, number>;
  /** The first problems of each severity, in upload order. */
  problems: Problem[];
  /** True when more problems exist than are listed. */
  truncated: boolean;
}

/** Collects problems, keeping counts of all and the first `listed` of each severity. */
export class ReportBuilder {
  private readonly lists: Record<Severity, Problem[]> = { error: [], repaired: [], warning: [] };
  private readonly totals = { error: 0, repaired: 0, warning: 0 };
  private readonly byCode: Record<string, number> = {};

  constructor(private readonly listed = 100) {}

  add(p: Problem): void {
    this.totals[p.severity]++;
    this.byCode[p.code] = (this.byCode[p.code] ?? 0) + 1;
    const list = this.lists[p.severity];
    if (list.length < this.listed) list.push(p);
  }

  /** Adds `count` occurrences, listing only the examples given. */
  addMany(severity: Severity, code: string, count: number, examples: Problem[]): void {
    if (count === 0) return;
    this.totals[severity] += count;
    this.byCode[code] = (this.byCode[code] ?? 0) + count;
    const list = this.lists[severity];
    for (const e of examples) if (list.length < this.listed) list.push(e);
  }

  /** The listed problems that carry a position (so a reader can move them to another CRS). */
  located(): Problem[] {
    return [...this.lists.error, ...this.lists.repaired, ...this.lists.warning].filter((p) => p.at !== undefined);
  }

  get errorCount(): number {
    return this.totals.error;
  }

  firstError(): Problem | undefined {
    return this.lists.error[0];
  }

  build(): ValidationReport {
    const problems = [...this.lists.error, ...this.lists.repaired, ...this.lists.warning].sort(
      (a, b) => (a.index ?? -1) - (b.index ?? -1),
    );
    const listedCount = problems.length;
    const total = this.totals.error + this.totals.repaired + this.totals.warning;
    return {
      totals: { errors: this.totals.error, repaired: this.totals.repaired, warnings: this.totals.warning },
      byCode: { ...this.byCode },
      problems,
      truncated: total > listedCount,
    };
  }
}

/** "feature 12 (id "a-1", line 40)" — how a report names a feature to a person. */
export function describeFeature(p: Pick<Problem, 'index' | 'line' | 'id'>): string {
  if (p.index === undefined) return 'the upload';
  const bits = [p.id !== undefined ? `id ${JSON.stringify(p.id)}` : undefined, p.line !== undefined ? `line ${p.line}` : undefined].filter(Boolean);
  return `feature ${p.index + 1}${bits.length ? ` (${bits.join(', ')})` : ''}`;
}
