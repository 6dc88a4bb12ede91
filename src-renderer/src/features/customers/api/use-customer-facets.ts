import { useRpcQuery } from '../../../lib/query';

/** Segments and tags in use, for the filter menus and the form's suggestions. */
export function useCustomerFacets() {
  return useRpcQuery('customers.facets', {});
}
