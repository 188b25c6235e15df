'use client';

import { useCallback, useState, type FormEvent, type ReactNode } from 'react';
import { toApiError, type ApiError } from '@/lib/api-error';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

export interface FormState<F extends string> {
  readonly id: string;
  readonly errors: FieldErrors<F>;
  /** An error that belongs to no single field (or to a field this form does not show). */
  readonly error: ApiError | undefined;
  readonly notice: string | undefined;
  readonly pending: boolean;
  /**
   * Handles a submit: checks the fields (focusing the first bad one), then runs the action. API
   * errors that name one of this form's fields are shown at that field, the others above the button.
   * The action answers the success message to announce, if any.
   */
  readonly handle: (
    event: FormEvent<HTMLFormElement>,
    validate: (data: FormData) => FieldErrors<F>,
    action: (data: FormData, form: HTMLFormElement) => Promise<string | undefined | void>,
  ) => Promise<void>;
  readonly reset: () => void;
}

/**
 * State of one form: per-field messages, a general error, a success notice and "busy". Inputs get
 * ids `${id}-${name}`, so a field's message is wired to it with aria-describedby and the first bad
 * field can take the focus.
 */
export function useForm<F extends string>(id: string, fields: readonly F[], apiFieldMap: Record<string, F> = {}): FormState<F> {
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const [pending, setPending] = useState(false);

  const handle = useCallback<FormState<F>['handle']>(
    async (event, validate, action) => {
      event.preventDefault();
      const form = event.currentTarget;
      const data = new FormData(form);
      setError(undefined);
      setNotice(undefined);
      const found = validate(data);
      const bad = fields.filter((f) => found[f]);
      setErrors(found);
      if (bad.length) {
        document.getElementById(`${id}-${bad[0]}`)?.focus();
        return;
      }
      setPending(true);
      try {
        const message = await action(data, form);
        if (message) setNotice(message);
      } catch (caught) {
        const apiError = toApiError(caught);
        const field = apiError.field ? (apiFieldMap[apiError.field] ?? (fields as readonly string[]).find((f) => f === apiError.field)) : undefined;
        if (field) {
          setErrors({ [field]: apiError.message } as FieldErrors<F>);
          document.getElementById(`${id}-${field}`)?.focus();
        } else {
          setError(apiError);
        }
      } finally {
        setPending(false);
      }
    },
    [fields, id, apiFieldMap],
  );

  const reset = useCallback(() => {
    setErrors({});
    setError(undefined);
    setNotice(undefined);
  }, []);

  return { id, errors, error, notice, pending, handle, reset };
}

export interface ControlProps {
  id: string;
  name: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** A labelled control with its hint and its error message, wired for screen readers. */
export function Field<F extends string>({
  form,
  name,
  label,
  hint,
  children,
  className,
}: {
  form: FormState<F>;
  name: F;
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
  children: (props: ControlProps) => ReactNode;
}) {
  const id = `${form.id}-${name}`;
  const error = form.errors[name];
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{label}</label>
      {children({ id, name, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint ? (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** A checkbox with its label on the right. */
export function Checkbox({ id, name, label, defaultChecked, hint }: { id: string; name: string; label: ReactNode; defaultChecked?: boolean; hint?: ReactNode }) {
  return (
    <div className="checkbox">
      <input id={id} name={name} type="checkbox" defaultChecked={defaultChecked} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** What a form says after submitting: the general error or the success notice. */
export function FormMessages({ form }: { form: FormState<string> }) {
  return (
    <>
      {form.error ? (
        <p role="alert" className="alert alert-error" data-error-code={form.error.code}>
          {form.error.message} <span className="error-code">({form.error.code})</span>
        </p>
      ) : null}
      {Object.keys(form.errors).length ? (
        <p role="alert" className="visually-hidden">
          Check the marked fields.
        </p>
      ) : null}
      {form.notice ? (
        <p role="status" className="alert alert-success">
          {form.notice}
        </p>
      ) : null}
    </>
  );
}

export function SubmitButton({ pending, children, className = 'button button-primary' }: { pending: boolean; children: ReactNode; className?: string }) {
  return (
    <button type="submit" className={className} disabled={pending} aria-busy={pending}>
      {pending ? 'Working…' : children}
    </button>
  );
}

export function text(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}
