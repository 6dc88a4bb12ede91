import { z } from 'zod';
import { changePasswordInputSchema } from '../../../../src-shared/contract/auth';

export const changePasswordFormSchema = changePasswordInputSchema
  .extend({ confirmPassword: z.string().min(1, 'Type the new password again') })
  .refine((v) => v.confirmPassword === '' || v.newPassword === v.confirmPassword, {
    message: 'The two passwords are not the same',
    path: ['confirmPassword'],
  });

export interface ChangePasswordFormValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}
