import { changePasswordInputSchema } from '@shared/contract/auth';
import { withConfirmedPassword } from '../../lib/confirm-password';

export const changePasswordFormSchema = withConfirmedPassword(changePasswordInputSchema, 'newPassword');

export interface ChangePasswordFormValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}
