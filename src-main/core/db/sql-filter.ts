/** A WHERE clause built from optional conditions: a condition is added only when its value is given. */
export class SqlWhere {
  private readonly parts: string[] = [];
  readonly params: unknown[] = [];

  add(condition: string, ...values: unknown[]): this {
    if (values.some((v) => v === undefined || v === '')) return this;
    this.parts.push(condition);
    this.params.push(...values);
    return this;
  }

  get sql(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}
