import { recoverInputSchema } from '@shared/contract/auth';
import { withConfirmedPassword } from '../../lib/confirm-password';

/** The recovery form checks main's rules, plus the new password typed twice. */
export const recoverFormSchema = withConfirmedPassword(recoverInputSchema.omit({ businessId: true }), 'newPassword');

export interface RecoverFormValues {
  email: string;
  recoveryKey: string;
  newPassword: string;
  confirmPassword: string;
}
