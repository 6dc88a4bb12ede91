import { useForm } from '@mantine/form';
import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { applyServerError, placeServerError } from '../../src-renderer/src/lib/form-errors';
import { RpcError } from '../../src-renderer/src/lib/ipc';

const FIELDS = ['email', 'password', 'dunningDays'];

describe('placeServerError', () => {
  it('puts a message under the field main named', () => {
    const error = new RpcError({ code: 'unauthenticated', message: 'Wrong email or password', field: 'password' });
    expect(placeServerError(error, FIELDS)).toEqual({ field: 'password', message: 'Wrong email or password' });
  });

  it('uses the top-level field for a nested path like dunningDays.1', () => {
    const error = new RpcError({ code: 'validation', message: 'Retries end by day 90', field: 'dunningDays.1' });
    expect(placeServerError(error, FIELDS).field).toBe('dunningDays');
  });

  it('follows an alias when the form names a field differently from the contract', () => {
    const error = new RpcError({ code: 'conflict', message: 'Taken', field: 'ownerEmail' });
    expect(placeServerError(error, FIELDS, { ownerEmail: 'email' })).toEqual({ field: 'email', message: 'Taken' });
  });

  it('keeps the message for above the form when no field fits or none is named', () => {
    const unknownField = new RpcError({ code: 'conflict', message: 'The business needs an owner', field: 'id' });
    expect(placeServerError(unknownField, FIELDS)).toEqual({ field: null, message: 'The business needs an owner' });
    const noField = new RpcError({ code: 'forbidden', message: 'Your role does not allow this' });
    expect(placeServerError(noField, FIELDS)).toEqual({ field: null, message: 'Your role does not allow this' });
  });

  it('says something went wrong for errors that are not from main', () => {
    expect(placeServerError(new TypeError('Failed to fetch'), FIELDS)).toEqual({ field: null, message: 'Something went wrong: Failed to fetch' });
  });
});

describe('applyServerError', () => {
  it('sets the error on the Mantine form field and returns nothing for above the form', () => {
    const { result } = renderHook(() => useForm({ initialValues: { email: '', password: '' } }));
    let above: string | null = 'unset';
    act(() => {
      above = applyServerError(result.current, new RpcError({ code: 'unauthenticated', message: 'Wrong email or password', field: 'password' }));
    });
    expect(above).toBeNull();
    expect(result.current.errors).toEqual({ password: 'Wrong email or password' });
  });

  it('returns the message when no field of the form fits', () => {
    const { result } = renderHook(() => useForm({ initialValues: { email: '' } }));
    let above: string | null = null;
    act(() => {
      above = applyServerError(result.current, new RpcError({ code: 'not_found', message: 'That business was not found', field: 'businessId' }));
    });
    expect(above).toBe('That business was not found');
    expect(result.current.errors).toEqual({});
  });
});
