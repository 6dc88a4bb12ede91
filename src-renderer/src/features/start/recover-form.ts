import { z } from 'zod';
import { recoverInputSchema } from '../../../../src-shared/contract/auth';

/** The recovery form checks main's rules, plus the new password typed twice. */
export const recoverFormSchema = recoverInputSchema
  .omit({ businessId: true })
  .extend({ confirmPassword: z.string().min(1, 'Type the new password again') })
  .refine((v) => v.confirmPassword === '' || v.newPassword === v.confirmPassword, {
    message: 'The two passwords are not the same',
    path: ['confirmPassword'],
  });

export interface RecoverFormValues {
  email: string;
  recoveryKey: string;
  newPassword: string;
  confirmPassword: string;
}
