import { Checkbox } from '@mantine/core';
import { memo } from 'react';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import type { CustomerSortColumn } from '@shared/domain/customers';
import type { ListSort } from '../list-filter';
import { CUSTOMER_COLUMNS } from './customer-columns';
import classes from './CustomerTable.module.css';

interface CustomerTableHeaderProps {
  sort: ListSort;
  onSort(column: CustomerSortColumn): void;
  /** The header box: all matching selected, some rows, or none. */
  selectState: 'all' | 'some' | 'none';
  total: number;
  onSelectAll(): void;
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/** Memoized: the list re-renders as rows scroll by, the header only when sort or selection change. */
export const CustomerTableHeader = memo(function CustomerTableHeader({ sort, onSort, selectState, total, onSelectAll }: CustomerTableHeaderProps) {
  return (
    <div role="row" aria-rowindex={1} className={classes.header}>
      <div role="columnheader" className={`${classes.headCell} ${classes.checkCell}`}>
        <Checkbox
          size="xs"
          checked={selectState === 'all'}
          indeterminate={selectState === 'some'}
          onChange={onSelectAll}
          aria-label={selectState === 'none' ? `Select all ${total} matching customers` : 'Clear the selection'}
        />
      </div>
      {CUSTOMER_COLUMNS.map(({ key, label }) => {
        const sorted = sort.column === key;
        const Icon = !sorted ? IconSelector : sort.direction === 'asc' ? IconChevronUp : IconChevronDown;
        return (
          <div
            key={key}
            role="columnheader"
            aria-sort={sorted ? ARIA_SORT[sort.direction] : 'none'}
            className={key === 'name' ? `${classes.headCell} ${classes.nameCell}` : classes.headCell}
          >
            <button type="button" className={classes.sortButton} data-sorted={sorted || undefined} onClick={() => onSort(key)}>
              {label}
              <Icon size={14} className={classes.sortIcon} aria-hidden />
            </button>
          </div>
        );
      })}
    </div>
  );
});
