import type Database from 'better-sqlite3';
import { stmt } from '../db/statements';

/**
 * `sale_lines.refunded_quantity`, `sales.refunded` and `sales.status` from the
 * insert-only refund rows (`sale_refunds`, `sale_refund_lines`): after a refund
 * (sales-service.ts), and after a sync merge brought refunds made on another PC
 * (sync/apply.ts rederive(); the server's projection/fold.ts does the same), so
 * two PCs that each refunded part of one sale offline both count. `saleId`
 * null: every sale. status: paid until a unit comes back, refunded once every
 * unit sold did (saleStatus in src-shared/domain/sale-math.ts).
 */
export function deriveSaleRefunds(s: Database.Database, saleId: string | null): void {
  stmt(
    s,
    `UPDATE sale_lines SET refunded_quantity = coalesce((SELECT sum(quantity) FROM sale_refund_lines WHERE sale_line_id = sale_lines.id), 0)
      WHERE (@id IS NULL OR sale_id = @id)
        AND refunded_quantity IS NOT coalesce((SELECT sum(quantity) FROM sale_refund_lines WHERE sale_line_id = sale_lines.id), 0)`,
  ).run({ id: saleId });
  stmt(
    s,
    `UPDATE sales SET refunded = d.refunded, status = d.status
       FROM (SELECT s.id,
                    coalesce((SELECT sum(amount) FROM sale_refunds WHERE sale_id = s.id), 0) AS refunded,
                    CASE WHEN coalesce(l.back, 0) <= 0 THEN 'paid' WHEN l.back >= l.sold THEN 'refunded' ELSE 'partially_refunded' END AS status
               FROM sales s LEFT JOIN (SELECT sale_id, sum(quantity) AS sold, sum(refunded_quantity) AS back FROM sale_lines GROUP BY sale_id) l ON l.sale_id = s.id
              WHERE (@id IS NULL OR s.id = @id)) AS d
      WHERE sales.id = d.id AND (sales.refunded IS NOT d.refunded OR sales.status IS NOT d.status)`,
  ).run({ id: saleId });
}
