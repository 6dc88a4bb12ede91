import { memo, type MouseEvent } from 'react';
import { PAYMENT_METHOD_LABELS, type Customer } from '@shared/domain/customers';
import type { RiskScore } from '../api/use-risk-scores';
import { formatDate } from '../customer-format';
import { riskCell } from '../risk-format';
import classes from './CustomerTable.module.css';

interface CustomerRowProps {
  index: number;
  /** Undefined while its page loads: a placeholder row keeps the scroll height honest. */
  customer: Customer | undefined;
  top: number;
  selected: boolean;
  active: boolean;
  onOpen(customer: Customer, index: number): void;
  onToggle(customer: Customer, index: number, extend: boolean): void;
  /** Today's churn score, if the customer has one. */
  risk: RiskScore | undefined;
  /** Whether the churn model is ready (undefined while loading), and why not. */
  riskReady: boolean | undefined;
  riskReason: string | undefined;
}

export const rowDomId = (index: number) => `customer-row-${index}`;

/** One line of the list; memoized, since a scroll re-renders the list but rarely changes a row. */
export const CustomerRow = memo(function CustomerRow({ index, customer, top, selected, active, onOpen, onToggle, risk, riskReady, riskReason }: CustomerRowProps) {
  const style = { transform: `translateY(${top}px)` };
  if (!customer) {
    // One element, its placeholder bars drawn by CSS: a fast scroll shows dozens of these per frame.
    return <div role="row" aria-rowindex={index + 2} aria-busy="true" aria-label="Loading" className={`${classes.row} ${classes.placeholder}`} style={style} id={rowDomId(index)} />;
  }

  const toggle = (event: MouseEvent) => {
    event.stopPropagation();
    onToggle(customer, index, event.shiftKey);
  };

  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      id={rowDomId(index)}
      data-testid="customer-row"
      className={active ? `${classes.row} ${classes.active}` : classes.row}
      style={style}
      onClick={() => onOpen(customer, index)}
    >
      <div role="gridcell" className={`${classes.cell} ${classes.checkCell}`} onClick={toggle}>
        {/* a native box: dozens of rows mount per frame while scrolling fast */}
        <input
          type="checkbox"
          className={classes.checkbox}
          tabIndex={-1}
          checked={selected}
          onChange={() => {}}
          onClick={toggle}
          aria-label={`Select ${customer.name}`}
        />
      </div>
      <div role="gridcell" className={`${classes.cell} ${classes.text} ${classes.nameCell}`} title={customer.name}>
        {customer.name}
      </div>
      <Cell text={customer.email} />
      <Cell text={customer.company} />
      <Cell text={customer.phone} />
      <Cell text={customer.segment} />
      <div role="gridcell" className={classes.cell}>
        <span className={classes.status} data-status={customer.status}>
          {customer.status === 'active' ? 'Active' : 'Inactive'}
        </span>
      </div>
      <RiskCell risk={risk} ready={riskReady} reason={riskReason} />
      <Cell text={PAYMENT_METHOD_LABELS[customer.paymentMethod]} dimmed={customer.paymentMethod === 'card'} />
      <Cell text={formatDate(customer.createdAt)} dimmed />
    </div>
  );
});

function Cell({ text, dimmed = false }: { text: string; dimmed?: boolean }) {
  return (
    <div role="gridcell" className={`${classes.cell} ${classes.text}${dimmed ? ` ${classes.dimmed}` : ''}`} title={text}>
      {text}
    </div>
  );
}

function RiskCell({ risk, ready, reason }: { risk: RiskScore | undefined; ready: boolean | undefined; reason: string | undefined }) {
  const { text, title } = riskCell(risk, { ready, reason });
  return (
    <div role="gridcell" className={classes.cell} title={title} data-testid="risk-cell">
      <span className={classes.risk} data-band={risk && ready ? risk.band : 'none'}>
        {text}
      </span>
    </div>
  );
}
