import { Alert, Grid, Stack } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Sale } from '@shared/contract/sales';
import { PageHeader } from '../../../components/PageHeader';
import { placeServerError } from '../../../lib/form-errors';
import { useProductSearch, productBySku } from '../api/use-products';
import { useTaxRate } from '../api/use-tax-rate';
import { cartTotals, parseScan, type CartProduct } from '../cart';
import { useCartStore } from '../stores/cart-store';
import { CartTable } from './CartTable';
import { LineEditor, type Editing } from './LineEditor';
import { PayModal } from './PayModal';
import { SaleDoneModal } from './SaleDoneModal';
import { ScanBox } from './ScanBox';
import { TotalsPanel } from './TotalsPanel';

/** A product as the search and the SKU lookup return it. */
export type FoundProduct = CartProduct & { archived?: boolean; category?: string | null };

/**
 * The counter: one box that is always focused takes what a barcode scanner
 * types (the SKU and Enter) and what a person types (a search, arrows and
 * Enter); the rest is keys (F2 pay, +/- quantity, F4, F6, F7, F8, Del, Esc).
 * Every figure comes from sale-math.ts, as the core records it.
 */
export function PosPage() {
  const tax = useTaxRate();
  const cart = useCartStore((s) => s.cart);
  const dispatch = useCartStore((s) => s.dispatch);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(-1);
  const [scanError, setScanError] = useState<string | null>(null);
  const [lineErrors, setLineErrors] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<Editing | null>(null);
  const [paying, setPaying] = useState(false);
  const [done, setDone] = useState<Sale | null>(null);
  const scanRef = useRef<HTMLInputElement>(null);
  const customerRef = useRef<HTMLInputElement>(null);

  const [debounced] = useDebouncedValue(parseScan(query).query, 120);
  const search = useProductSearch(debounced);
  const results: FoundProduct[] = query.trim() && search.data ? search.data.rows.filter((p: FoundProduct) => !p.archived) : [];
  const totals = tax.ppm === null ? null : cartTotals(cart, tax.ppm);
  const canPay = totals?.ok === true && !paying && !done;
  const busy = paying || done !== null || editing !== null;

  const focusScan = useCallback(() => requestAnimationFrame(() => scanRef.current?.focus()), []);

  const add = useCallback(
    (product: FoundProduct, quantity: number) => {
      if (product.archived) {
        setScanError(`${product.name} (${product.sku}) is archived: it is no longer sold`);
        return;
      }
      dispatch({ type: 'add', product, quantity });
      setLineErrors((e) => {
        const { [product.id]: _gone, ...rest } = e;
        return rest;
      });
      setScanError(null);
    },
    [dispatch],
  );

  /** Enter in the box: the highlighted result, else the product with exactly that SKU (a scanner), else the only match. */
  const submitScan = async () => {
    const text = query;
    const { quantity, query: q } = parseScan(text);
    if (!q) return;
    const picked = active >= 0 ? results[active] : undefined;
    setQuery('');
    setActive(-1);
    if (picked) return add(picked, quantity);
    try {
      const product = await productBySku(q);
      if (product) return add(product, quantity);
    } catch (error) {
      setScanError(placeServerError(error, []).message);
      return;
    }
    if (results.length === 1 && debounced === q) return add(results[0]!, quantity);
    setQuery((now) => (now === '' ? text : now));
    setScanError(results.length > 0 ? `No product has the SKU “${q}”: pick one of the matches with ↑ ↓ and Enter` : `No product has the SKU or name “${q}”`);
  };

  const openEditor = (kind: Editing['kind']) => {
    if (kind !== 'discount' && cart.selected < 0) return;
    setEditing({ kind, index: cart.selected });
  };

  const pay = () => {
    if (!canPay) return;
    setQuery('');
    setPaying(true);
  };

  // Function keys work wherever the focus is on this screen (not under a dialog).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (busy) return;
      const keys: Record<string, () => void> = {
        F2: pay,
        F4: () => openEditor('quantity'),
        F6: () => openEditor('lineDiscount'),
        F7: () => openEditor('discount'),
        F8: () => customerRef.current?.focus(),
      };
      const run = keys[event.key];
      if (!run) return;
      event.preventDefault();
      run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  useEffect(() => {
    if (!busy) focusScan();
  }, [busy, focusScan]);

  const onServerError = (field: string | undefined, message: string): boolean => {
    const match = /^items\.(\d+)(?:\.|$)/.exec(field ?? '');
    const line = match ? cart.lines[Number(match[1])] : undefined;
    if (!line) return false;
    setLineErrors((e) => ({ ...e, [line.productId]: message }));
    dispatch({ type: 'select', index: Number(match![1]) });
    return true;
  };

  const newSale = () => {
    dispatch({ type: 'clear' });
    setLineErrors({});
    setScanError(null);
    setDone(null);
    focusScan();
  };

  const totalsError = totals && !totals.ok ? totals : null;

  return (
    <>
      <PageHeader title="Sell" description="Scan or type to add items; the keys along the right do the rest." />
      <Grid gap="lg" onMouseUp={(e) => !busy && !(e.target as HTMLElement).closest('input, button, textarea, [role="option"], [role="combobox"]') && focusScan()}>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <ScanBox
              ref={scanRef}
              value={query}
              onChange={(v) => {
                setQuery(v);
                setActive(-1);
                setScanError(null);
              }}
              results={results}
              searching={search.isFetching}
              active={active}
              onActive={setActive}
              onPick={(p) => {
                add(p, parseScan(query).quantity);
                setQuery('');
                setActive(-1);
                focusScan();
              }}
              onSubmit={() => void submitScan()}
              onCartKey={(key) => {
                if (cart.selected < 0) return;
                if (key === '+') dispatch({ type: 'bump', index: cart.selected, by: 1 });
                else if (key === '-') dispatch({ type: 'bump', index: cart.selected, by: -1 });
                else if (key === 'Delete') dispatch({ type: 'remove', index: cart.selected });
                else if (key === 'ArrowUp') dispatch({ type: 'move', by: -1 });
                else if (key === 'ArrowDown') dispatch({ type: 'move', by: 1 });
                const line = cart.lines[cart.selected];
                if (line) setLineErrors(({ [line.productId]: _gone, ...rest }) => rest);
              }}
              error={scanError}
            />
            {editing && (
              <LineEditor
                editing={editing}
                cart={cart}
                onApply={(action) => {
                  dispatch(action);
                  setEditing(null);
                }}
                onCancel={() => setEditing(null)}
              />
            )}
            <CartTable
              cart={cart}
              totals={totals?.ok ? totals.totals : null}
              lineErrors={lineErrors}
              fieldError={totalsError}
              onSelect={(index) => dispatch({ type: 'select', index })}
              onBump={(index, by) => dispatch({ type: 'bump', index, by })}
              onEdit={(kind, index) => {
                dispatch({ type: 'select', index });
                setEditing({ kind, index });
              }}
              onRemove={(index) => dispatch({ type: 'remove', index })}
            />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            {tax.error !== null && tax.ppm === null && (
              <Alert color="red" icon={<IconAlertTriangle size={18} />} title="The tax rate could not be read">
                {placeServerError(tax.error, []).message}
              </Alert>
            )}
            <TotalsPanel
              cart={cart}
              totals={totals}
              taxLabel={tax.label}
              customerRef={customerRef}
              onCustomer={(customer) => {
                dispatch({ type: 'customer', customer });
                focusScan();
              }}
              onLeaveCustomer={focusScan}
              onDiscount={() => openEditor('discount')}
              onPay={pay}
              canPay={canPay}
            />
          </Stack>
        </Grid.Col>
      </Grid>
      {paying && totals?.ok && (
        <PayModal
          cart={cart}
          total={totals.totals.total}
          onClose={() => setPaying(false)}
          onLineError={(field, message) => {
            if (!onServerError(field, message)) return false;
            setPaying(false);
            return true;
          }}
          onPaid={(sale) => {
            setPaying(false);
            setDone(sale);
          }}
        />
      )}
      {done && <SaleDoneModal sale={done} onNewSale={newSale} />}
    </>
  );
}
