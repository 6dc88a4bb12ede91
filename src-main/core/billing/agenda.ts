/**
 * The run's agenda: subscriptions keyed by the date of their next event, in
 * (date, subscription id) order. That order is the same whether a run covers
 * one day or three months, which is what makes a run path-independent
 * (spec 3): invoices get the same numbers and the same outcomes.
 */
export class Agenda {
  private readonly heap: { date: string; id: string }[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(date: string, id: string): void {
    const heap = this.heap;
    heap.push({ date, id });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  pop(): { date: string; id: string } | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less(a: { date: string; id: string }, b: { date: string; id: string }): boolean {
  return a.date < b.date || (a.date === b.date && a.id < b.id);
}
