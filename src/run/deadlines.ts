// Delivery deadlines as the catalog writes them — T+n (n days after the business day), W+n (n days
// into the next week), M+n (by day n of the next month), Q+n and Y+n (n days after the quarter or
// year ends) — turned round: which reporting period falls due on a given night.

export interface Period {
  /** First and last day of the period, YYYY-MM-DD. */
  start: string;
  end: string;
}

const DAY_MS = 86_400_000;
const toDate = (day: string): Date => new Date(`${day}T00:00:00Z`);
const toDay = (d: Date): string => d.toISOString().slice(0, 10);
export const addDays = (day: string, n: number): string => toDay(new Date(toDate(day).getTime() + n * DAY_MS));

/** The period whose deadline is `night`, or undefined when nothing of this kind falls due then. */
export function periodDueOn(night: string, deadline: string): Period | undefined {
  const m = /^([TWMQY])\+(\d+)$/.exec(deadline);
  if (!m) return undefined;
  const n = Number(m[2]);
  const d = toDate(night);
  switch (m[1]) {
    case 'T': {
      const day = addDays(night, -n);
      return { start: day, end: day };
    }
    case 'W': {
      const end = addDays(night, -n);
      // Weeks run Monday to Sunday, as the centre counts them.
      return toDate(end).getUTCDay() === 0 ? { start: addDays(end, -6), end } : undefined;
    }
    case 'M': {
      // By day n of the month, or its last day when the month is shorter (M+30 in February).
      const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      if (d.getUTCDate() !== Math.max(1, Math.min(n, lastDay))) return undefined;
      const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
      const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 0));
      return { start: toDay(first), end: toDay(last) };
    }
    case 'Q': {
      const end = toDate(addDays(night, -n));
      const month = end.getUTCMonth();
      const lastOfQuarter = month % 3 === 2 && new Date(end.getTime() + DAY_MS).getUTCDate() === 1;
      return lastOfQuarter ? { start: toDay(new Date(Date.UTC(end.getUTCFullYear(), month - 2, 1))), end: toDay(end) } : undefined;
    }
    default: {
      const end = addDays(night, -n);
      return end.endsWith('-12-31') ? { start: `${end.slice(0, 4)}-01-01`, end } : undefined;
    }
  }
}

/** Today's date where the centre is, YYYY-MM-DD. */
export function today(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
