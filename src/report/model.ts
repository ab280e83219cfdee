// The report model: what one run did, per unit and data subject, built once from the warehouse
// (src/report/build.ts) and rendered as JSON, Markdown, HTML and terminal text. Every personal
// value in it is already masked; renderers escape, they never mask.

/** Bumped when the model changes shape; schemas/report.schema.json describes this version. */
export const REPORT_FORMAT = 1;

/** Source rows by outcome. The ledger identity: rowsRead = loaded + updated + unchanged + duplicate + rejected. */
export interface Tally {
  rowsRead: number;
  loaded: number;
  updated: number;
  unchanged: number;
  duplicate: number;
  rejected: number;
  /** Cells repaired on the way in (counted per cell, not per row). */
  repairs: number;
}

/** What became of a delivery: the run's file outcomes, as etl_files records them (`unavailable`: a database source that could not be pulled). */
export type DeliveryOutcome = 'loaded' | 'duplicate' | 'quarantined' | 'failed' | 'unavailable';

/** The outcomes as every rendering for analysts names them. */
export const DELIVERY_OUTCOME_LABELS: Readonly<Record<DeliveryOutcome, string>> = {
  loaded: '已入库', duplicate: '重复报送', quarantined: '已隔离', failed: '失败', unavailable: '数据源不可用',
};

export interface ReportFile {
  fileId: number;
  unit: string;
  /** The inbox night folder (YYYY-MM-DD) it came in, or null for a database pull without one. */
  night: string | null;
  /** File name as delivered, masked. */
  name: string;
  /** Data subject codes its rows went to (empty when none loaded). */
  subjects: string[];
  outcome: DeliveryOutcome;
  /** Why it did not load, masked; null when it loaded. */
  reason: string | null;
  /** The reason's code (`file/error-limit`…), when there is one. */
  reasonCode: string | null;
  format: string | null;
  encoding: string | null;
  bytes: number;
  tally: Tally;
  seconds: number;
  rowsPerSecond: number;
  /** After its deadline: the unit owed this subject's period earlier. */
  late: boolean;
}

export interface ExampleRow {
  fileId: number;
  file: string;
  sheet: string | null;
  row: number;
  /** The reason's message for that row, masked. */
  message: string;
  /** The row's cells as delivered, each masked. */
  cells: string[];
}

export interface ReasonSummary {
  code: string;
  /** The reason's Chinese label, for analysts. */
  label: string;
  count: number;
  /** Up to three rows it turned away. */
  examples: ExampleRow[];
}

export interface RepairSummary {
  item: string;
  /** The data item's name in the catalog (中文). */
  itemName: string;
  count: number;
}

/** One unit's deliveries of one data subject in the run. */
export interface SubjectSection {
  subject: string;
  /** The data subject's name in the catalog; for files of several subjects, the names joined. */
  subjectName: string;
  files: number;
  tally: Tally;
  reasons: ReasonSummary[];
  repairs: RepairSummary[];
}

export interface UnitSection {
  unit: string;
  unitName: string;
  tally: Tally;
  files: ReportFile[];
  subjects: SubjectSection[];
}

export interface MissingLine {
  unit: string;
  unitName: string;
  subject: string;
  subjectName: string;
  periodStart: string;
  periodEnd: string;
  due: string;
}

export interface MergeLine {
  from: number;
  into: number;
  /** The identifier kind that proved them one (uscc, org-code…). */
  kind: string;
  /** The identifier, masked when personal. */
  value: string;
}

export interface ConflictLine {
  kind: string;
  /** The code or name in conflict, masked when personal. */
  value: string;
  entities: number[];
  detail: string;
}

export interface TrendPoint {
  runId: number;
  startedAt: string;
  files: number;
  rowsRead: number;
  loaded: number;
  rejected: number;
}

export interface RunReport {
  format: typeof REPORT_FORMAT;
  generatedAt: string;
  run: {
    id: number;
    catalog: string;
    pipeline: string | null;
    status: string;
    startedAt: string;
    finishedAt: string | null;
    seconds: number;
    /** Rows read per second of the run's wall time. */
    rowsPerSecond: number;
  };
  totals: Tally & {
    files: Record<DeliveryOutcome, number>;
    newEntities: number;
    merges: number;
    conflicts: number;
    missing: number;
    late: number;
  };
  units: UnitSection[];
  quarantined: ReportFile[];
  missing: MissingLine[];
  entities: {
    /** New entities by type (org, person…). */
    created: Record<string, number>;
    merges: MergeLine[];
    conflicts: ConflictLine[];
  };
  /** The last 30 runs, oldest first, this one last. */
  trend: TrendPoint[];
}
