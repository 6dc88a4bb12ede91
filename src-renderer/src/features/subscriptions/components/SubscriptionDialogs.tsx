import { notifications } from '@mantine/notifications';
import type { Subscription } from '@shared/domain/billing';
import { useDates } from '../../../lib/dates';
import { usePauseSubscription } from '../api/use-pause-subscription';
import { useReactivateSubscription } from '../api/use-reactivate-subscription';
import { useResumeSubscription } from '../api/use-resume-subscription';
import { CancelSubscriptionModal } from './CancelSubscriptionModal';
import { ChangeSubscriptionModal } from './ChangeSubscriptionModal';
import { DateActionModal } from './DateActionModal';
import type { SubscriptionDialog } from './SubscriptionActions';

interface Props {
  dialog: SubscriptionDialog | null;
  subscription: Subscription;
  onClose: () => void;
}

/** The dialog of the action chosen on the subscription page. */
export function SubscriptionDialogs({ dialog, subscription: s, onClose }: Props) {
  const dates = useDates();
  const pause = usePauseSubscription();
  const resume = useResumeSubscription();
  const reactivate = useReactivateSubscription();
  const done = (title: string, message: string) => () => notifications.show({ color: 'green', title, message });

  switch (dialog) {
    case 'change':
      return <ChangeSubscriptionModal subscription={s} onClose={onClose} />;
    case 'cancel':
      return <CancelSubscriptionModal subscription={s} onClose={onClose} />;
    case 'pause':
      return (
        <DateActionModal
          title={`Pause ${s.customerName}'s subscription`}
          explanation={`No period that starts while it is paused is invoiced. ${s.currentPeriodStart ? `The period from ${dates.day(s.currentPeriodStart)} is already invoiced, so the pause starts after that day.` : ''}`}
          dateLabel="Pause from"
          confirmLabel="Pause"
          pending={pause.isPending}
          onConfirm={(on, cb) => pause.mutate({ id: s.id, on }, { onSuccess: () => { done('Subscription paused', `${s.customerName} is not billed while paused.`)(); cb.onSuccess(); }, onError: cb.onError })}
          onClose={onClose}
        />
      );
    case 'resume':
      return (
        <DateActionModal
          title={`Resume ${s.customerName}'s subscription`}
          explanation="Billing picks up on the original schedule: the next invoice is for the first period that starts on or after this date."
          dateLabel="Resume on"
          confirmLabel="Resume"
          pending={resume.isPending}
          onConfirm={(on, cb) => resume.mutate({ id: s.id, on }, { onSuccess: () => { done('Subscription resumed', `${s.customerName} is billed again.`)(); cb.onSuccess(); }, onError: cb.onError })}
          onClose={onClose}
        />
      );
    case 'reactivate':
      return (
        <DateActionModal
          title={`Reactivate ${s.customerName}'s subscription`}
          explanation={`Billing starts over from this date on ${s.planName}: a new first period, invoiced on that day, without a second setup fee.`}
          dateLabel="Start again on"
          confirmLabel="Reactivate"
          pending={reactivate.isPending}
          onConfirm={(on, cb) => reactivate.mutate({ id: s.id, on }, { onSuccess: () => { done('Subscription reactivated', `${s.customerName} is subscribed again.`)(); cb.onSuccess(); }, onError: cb.onError })}
          onClose={onClose}
        />
      );
    case 'keep':
      return (
        <DateActionModal
          title="Keep this subscription?"
          explanation={`The cancellation planned for ${s.cancelAt ? dates.day(s.cancelAt) : 'the end of the period'} is withdrawn and billing goes on as before.`}
          confirmLabel="Don’t cancel"
          pending={reactivate.isPending}
          onConfirm={(_on, cb) => reactivate.mutate({ id: s.id }, { onSuccess: () => { done('Cancellation withdrawn', `${s.customerName} stays subscribed.`)(); cb.onSuccess(); }, onError: cb.onError })}
          onClose={onClose}
        />
      );
    default:
      return null;
  }
}
