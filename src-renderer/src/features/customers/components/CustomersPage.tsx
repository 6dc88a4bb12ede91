import { Button, Group, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconDownload, IconFileImport, IconFilterOff, IconUserPlus, IconWand } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { useCan, useSession } from '../../../lib/auth';
import { useCustomerFirstPage } from '../api/use-customer-first-page';
import type { BulkKind } from '../bulk-change';
import { customersCount, formatCount } from '../customer-format';
import { isFiltered, toContractFilter } from '../list-filter';
import { bulkTarget, selectedCount } from '../selection';
import { useCustomerList } from '../stores/customer-list-store';
import { BulkActionBar } from './BulkActionBar';
import { BulkChangeModal } from './BulkChangeModal';
import { CustomerFilters } from './CustomerFilters';
import { CustomerFormModal } from './CustomerFormModal';
import { CustomerSearchBox } from './CustomerSearchBox';
import { NoCustomersYet, NoMatches } from './CustomersEmpty';
import classes from './CustomersPage.module.css';
import { CustomersSummary } from './CustomersSummary';
import { CustomerTable } from './CustomerTable';
import { ExportModal, type ExportTarget } from './ExportModal';
import { RiskNotice } from './RiskNotice';
import { SavedViewsMenu } from './SavedViewsMenu';

type Dialog = { kind: 'create' } | { kind: 'export'; target: ExportTarget } | { kind: 'bulk'; change: BulkKind };

/** The customer list: search, filters, sort, selection and bulk work over any number of customers. */
export function CustomersPage() {
  const { business } = useSession();
  const list = useCustomerList.getState();
  if (list.businessId !== business.id) list.forBusiness(business.id); // another business: start from a clean list

  useFilterFromAddress();

  const filter = useCustomerList((s) => s.filter);
  const sort = useCustomerList((s) => s.sort);
  const selection = useCustomerList((s) => s.selection);
  const searchText = useCustomerList((s) => s.searchText);
  const canEdit = useCan('staff');
  const first = useCustomerFirstPage(filter, sort);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const gridFocus = () => gridRef.current?.focus();
  useHotkeys([['/', () => searchRef.current?.focus()]]);

  const total = first.data?.total ?? 0;
  const contractFilter = toContractFilter(filter);
  const narrowed = isFiltered(filter) || searchText.trim() !== '';
  const selected = selectedCount(selection, total);
  const closeDialog = () => setDialog(null);
  const { clearFilters, clearSearch } = useCustomerList.getState();
  /** A search or filter that matches nobody: the panel below says so, once, and nothing else does. */
  const noMatches = first.data !== undefined && total === 0 && narrowed;
  /** No customers at all (not a filter that matches none): the page is only an invitation. */
  const businessIsEmpty = first.data !== undefined && total === 0 && !narrowed && !first.isPlaceholderData;

  const exportList = () =>
    setDialog({
      kind: 'export',
      target: { description: narrowed ? 'the customers in this filtered list' : 'all your customers', count: total, filter: contractFilter, sort },
    });
  const exportSelection = () =>
    setDialog({
      kind: 'export',
      target:
        selection.kind === 'all'
          ? { description: 'every selected customer', count: selected, filter: contractFilter, sort, except: [...selection.except] }
          : { description: 'the selected customers', count: selected, filter: contractFilter, sort, ids: [...selection.ids] },
    });

  return (
    <div className={classes.page}>
      <PageHeader
        title="Customers"
        description={<CustomersSummary />}
        actions={
          <>
            {canEdit && (
              <Button variant="default" component={Link} to="/customers/import" leftSection={<IconFileImport size={16} />}>
                Import
              </Button>
            )}
            <Button variant="default" leftSection={<IconDownload size={16} />} onClick={exportList} disabled={total === 0}>
              Export
            </Button>
            {canEdit && (
              <Button leftSection={<IconUserPlus size={16} />} onClick={() => setDialog({ kind: 'create' })}>
                Add customer
              </Button>
            )}
          </>
        }
      />

      {!businessIsEmpty && (
        <>
          <CustomerFilters>
            <CustomerSearchBox inputRef={searchRef} searching={first.isPlaceholderData} busy={first.isFetching} onLeaveDown={gridFocus} />
          </CustomerFilters>
          <Group justify="space-between" className={classes.summary} gap="xs" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              {first.data && !noMatches && (
                <Text size="sm" fw={500} data-testid="customer-count">
                  {narrowed ? `${formatCount(total)} ${total === 1 ? 'match' : 'matches'}` : customersCount(total)}
                </Text>
              )}
              {first.data?.fuzzy && total > 0 && (
                <Text size="sm" c="orange.8" role="status">
                  <IconWand size={14} style={{ verticalAlign: -2, marginRight: 4 }} />
                  No exact matches, showing close matches
                </Text>
              )}
              {narrowed && !noMatches && (
                <Button variant="subtle" color="gray" size="compact-sm" leftSection={<IconFilterOff size={14} />} onClick={clearFilters}>
                  Clear filters
                </Button>
              )}
            </Group>
            <Group gap="md" wrap="nowrap">
              <Text size="xs" c="dimmed" visibleFrom="lg">
                / to search · ↑ ↓ to move · Enter to open · Space to select
              </Text>
              <SavedViewsMenu />
            </Group>
          </Group>
        </>
      )}

      {(filter.atRisk !== undefined || sort.column === 'risk') && <RiskNotice />}
      {first.isPending && <CenteredLoader label="Loading customers" />}
      {first.isError && <QueryError title="Could not load the customers" error={first.error} onRetry={() => void first.refetch()} />}
      {businessIsEmpty && <NoCustomersYet onAdd={() => setDialog({ kind: 'create' })} />}
      {noMatches && (
        <NoMatches search={filter.search.trim()} filtered={isFiltered({ ...filter, search: '' })} onClearSearch={clearSearch} onClearFilters={clearFilters} />
      )}
      {first.data && total > 0 && (
        <CustomerTable gridRef={gridRef} filter={filter} sort={sort} firstPage={first.data.rows} total={total} stale={first.isPlaceholderData} />
      )}

      <BulkActionBar count={selected} total={total} onChange={(change) => setDialog({ kind: 'bulk', change })} onExport={exportSelection} />

      {dialog?.kind === 'create' && <CustomerFormModal onClose={closeDialog} />}
      {dialog?.kind === 'export' && <ExportModal target={dialog.target} onClose={closeDialog} />}
      {dialog?.kind === 'bulk' && (
        <BulkChangeModal
          kind={dialog.change}
          target={bulkTarget(selection, contractFilter)}
          count={selected}
          onClose={closeDialog}
          onDone={() => {
            useCustomerList.getState().clearSelection();
            closeDialog();
          }}
        />
      )}
    </div>
  );
}

/**
 * Other pages link to a narrowed list (the dashboard's "active subscribers":
 * `/customers?subscribed=yes`). The address sets the filter once, then leaves
 * it to the list's own state, so going back to the list keeps what was chosen since.
 */
function useFilterFromAddress() {
  const [params, setParams] = useSearchParams();
  const subscribed = params.get('subscribed');
  useEffect(() => {
    if (subscribed !== 'yes' && subscribed !== 'no') return;
    const list = useCustomerList.getState();
    list.clearFilters();
    list.setFilter({ hasActiveSubscription: subscribed === 'yes' });
    setParams({}, { replace: true });
  }, [subscribed, setParams]);
}
