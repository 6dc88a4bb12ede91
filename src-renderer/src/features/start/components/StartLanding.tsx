import { Navigate } from 'react-router';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { QueryError } from '../../../components/QueryError';
import { useBusinesses } from '../api/use-businesses';
import { useLastBusinessId } from '../api/use-last-business-id';
import { StartCard } from './StartLayout';

/**
 * Where a window without a session begins: sign-up when this PC has no
 * business yet, the login of the last-used (or only) business, else the picker.
 */
export function StartLanding() {
  const businesses = useBusinesses();
  const lastBusinessId = useLastBusinessId();

  if (businesses.isPending || lastBusinessId.isPending) return <CenteredLoader />;
  if (businesses.isError) {
    return (
      <StartCard>
        <QueryError title="Could not list the businesses on this PC" error={businesses.error} onRetry={() => void businesses.refetch()} />
      </StartCard>
    );
  }

  const list = businesses.data;
  if (list.length === 0) return <Navigate to="/start/new" replace />;
  const target = list.find((b) => b.id === lastBusinessId.data) ?? (list.length === 1 ? list[0] : undefined);
  return <Navigate to={target ? `/start/login/${target.id}` : '/start/businesses'} replace />;
}
