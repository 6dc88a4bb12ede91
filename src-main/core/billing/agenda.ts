/**
 * The run's agenda: subscriptions keyed by the date of their next event, in
 * (date, subscription id) order. That order is the same whether a run covers
 * one day or three months, which is what makes a run path-independent
 * (spec 3): invoices get the same numbers and the same outcomes.
 *
 * A bucket per date (a run spans few dates and many subscriptions): each
 * bucket is sorted once, when it becomes the earliest, rather than keeping a
 * heap of every subscription in order. A subscription is only ever pushed to
 * a date after the one being worked through (the engine checks it moves
 * forward), so the current bucket never grows while it is read.
 */
export class Agenda {
  private readonly buckets = new Map<string, string[]>();
  /** The dates that have a bucket, earliest last (popped from the end). */
  private dates: string[] = [];
  private datesSorted = true;
  private current: { date: string; ids: string[]; next: number } | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(date: string, id: string): void {
    if (this.current && date <= this.current.date) {
      throw new Error(`the agenda only moves forward: ${date} is not after ${this.current.date}`);
    }
    let bucket = this.buckets.get(date);
    if (!bucket) {
      this.buckets.set(date, (bucket = []));
      this.dates.push(date);
      this.datesSorted = false;
    }
    bucket.push(id);
    this.count++;
  }

  /** The date of the entry `pop` returns next, or null. */
  peekDate(): string | null {
    if (this.count === 0) return null;
    if (this.current && this.current.next < this.current.ids.length) return this.current.date;
    this.sortDates();
    return this.dates[this.dates.length - 1]!;
  }

  private sortDates(): void {
    if (!this.datesSorted) {
      this.dates.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
      this.datesSorted = true;
    }
  }

  pop(): { date: string; id: string } | undefined {
    if (this.count === 0) return undefined;
    if (!this.current || this.current.next === this.current.ids.length) {
      this.sortDates();
      const date = this.dates.pop()!;
      const ids = this.buckets.get(date)!;
      this.buckets.delete(date);
      ids.sort();
      this.current = { date, ids, next: 0 };
    }
    this.count--;
    return { date: this.current.date, id: this.current.ids[this.current.next++]! };
  }
}
