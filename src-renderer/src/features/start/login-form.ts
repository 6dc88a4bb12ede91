import { loginInputSchema } from '@shared/contract/auth';

/** The login form checks the same rules as main, minus the business (chosen on the previous screen). */
export const loginFormSchema = loginInputSchema.pick({ email: true, password: true });

export interface LoginFormValues {
  email: string;
  password: string;
}
