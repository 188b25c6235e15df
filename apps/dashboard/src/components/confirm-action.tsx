'use client';

import { useId, useRef, useState, type ReactNode } from 'react';
import { toApiError, type ApiError } from '@/lib/api-error';

interface Props {
  /** The button that opens the dialog. */
  readonly label: ReactNode;
  /** Accessible name of that button when `label` alone is ambiguous (e.g. "Delete alias a@b"). */
  readonly ariaLabel?: string;
  readonly buttonClassName?: string;
  readonly title: string;
  readonly children?: ReactNode;
  readonly confirmLabel: string;
  /** The person must type this (a name or an address) before the action is allowed. */
  readonly typeToConfirm?: string;
  /** Asks for a reason (required) and passes it to onConfirm. */
  readonly reasonLabel?: string;
  readonly danger?: boolean;
  readonly disabled?: boolean;
  readonly onConfirm: (reason: string) => Promise<void>;
}

/**
 * A button that asks before it acts: a modal <dialog> (Escape or Cancel closes it, focus stays
 * inside while open and returns to the button after), optionally asking to type the object's name
 * or a reason. Errors from the action are shown inside the dialog.
 */
export function ConfirmAction({ label, ariaLabel, buttonClassName, title, children, confirmLabel, typeToConfirm, reasonLabel, danger = true, disabled, onConfirm }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [reasonMissing, setReasonMissing] = useState(false);

  function open() {
    setTyped('');
    setReason('');
    setError(undefined);
    setReasonMissing(false);
    dialog.current?.showModal();
  }

  async function confirm() {
    if (reasonLabel && !reason.trim()) {
      setReasonMissing(true);
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    setPending(true);
    setError(undefined);
    try {
      await onConfirm(reason.trim());
      dialog.current?.close();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setPending(false);
    }
  }

  const typedOk = !typeToConfirm || typed.trim().toLowerCase() === typeToConfirm.toLowerCase();
  return (
    <>
      <button type="button" className={buttonClassName ?? (danger ? 'button button-danger' : 'button')} onClick={open} disabled={disabled} aria-label={ariaLabel}>
        {label}
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`}>
        <form
          method="dialog"
          className="form"
          onSubmit={(event) => {
            event.preventDefault();
            void confirm();
          }}
        >
          <h2 id={`${id}-title`}>{title}</h2>
          <div id={`${id}-body`}>{children}</div>
          {reasonLabel ? (
            <div className="field">
              <label htmlFor={`${id}-reason`}>{reasonLabel}</label>
              <textarea
                id={`${id}-reason`}
                rows={2}
                value={reason}
                maxLength={500}
                onChange={(e) => setReason(e.target.value)}
                aria-invalid={reasonMissing || undefined}
                aria-describedby={reasonMissing ? `${id}-reason-error` : undefined}
                autoFocus
              />
              {reasonMissing ? (
                <span id={`${id}-reason-error`} className="field-error">
                  Enter a reason; it is recorded in the audit log.
                </span>
              ) : null}
            </div>
          ) : null}
          {typeToConfirm ? (
            <div className="field">
              <label htmlFor={`${id}-typed`}>
                Type <strong>{typeToConfirm}</strong> to confirm
              </label>
              <input
                id={`${id}-typed`}
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                autoFocus={!reasonLabel}
              />
            </div>
          ) : null}
          {error ? (
            <p role="alert" className="alert alert-error" data-error-code={error.code}>
              {error.message} <span className="error-code">({error.code})</span>
            </p>
          ) : null}
          <div className="form-actions">
            <button type="submit" className={danger ? 'button button-danger-solid' : 'button button-primary'} disabled={pending || !typedOk} aria-busy={pending}>
              {pending ? 'Working…' : confirmLabel}
            </button>
            <button type="button" className="button" onClick={() => dialog.current?.close()} autoFocus={!reasonLabel && !typeToConfirm}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
