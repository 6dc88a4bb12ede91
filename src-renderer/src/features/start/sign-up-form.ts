import { signUpInputSchema, type SignUpInput } from '@shared/contract/business';
import type { CurrencyCode } from '@shared/domain/money';
import { withConfirmedPassword } from '../../lib/confirm-password';

/** The contract's sign-up rules plus the form-only "type it again" check. */
export const signUpFormSchema = withConfirmedPassword(signUpInputSchema, 'password', 'Type the password again');

export interface SignUpFormValues {
  businessName: string;
  currency: CurrencyCode;
  timezone: string;
  ownerName: string;
  ownerEmail: string;
  password: string;
  confirmPassword: string;
}

export function signUpDefaults(currency: CurrencyCode, timezone: string): SignUpFormValues {
  return { businessName: '', currency, timezone, ownerName: '', ownerEmail: '', password: '', confirmPassword: '' };
}

export function toSignUpInput({ confirmPassword: _confirm, ...input }: SignUpFormValues): SignUpInput {
  return input;
}
