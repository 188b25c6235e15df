import type { Logger } from '@darwin/logger';
import { REPLIES, SmtpError } from './smtp-error.js';

/**
 * The SMTP pipeline in Haraka's terms: checks grouped by the SMTP phase they run in, each ending
 * with one of a few verdicts, each with its own time limit. A reject verdict carries the reply
 * (4xx: try again later, 5xx: permanent; 421 also closes the session).
 */
export type Stage = 'connect' | 'helo' | 'mail' | 'rcpt' | 'data' | 'queue';

export type Verdict = { readonly action: 'continue' } | { readonly action: 'reject'; readonly error: SmtpError };

export const CONTINUE: Verdict = { action: 'continue' };
export const reject = (error: SmtpError): Verdict => ({ action: 'reject', error });

export interface Check<I> {
  readonly name: string;
  run(input: I): Promise<Verdict>;
  /** Verdict when the check does not finish in time; default: temporary failure (451 4.4.3). */
  readonly onTimeout?: Verdict;
  /** Own time limit; default the stage's. */
  readonly timeoutMs?: number;
}

export interface StageOptions {
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/**
 * Runs the checks of one stage in order until one rejects. A check that throws an SmtpError
 * rejects with it; any other error is logged and becomes a temporary failure, so a bug or a lost
 * database connection never turns into a permanent bounce.
 */
export async function runStage<I>(stage: Stage, checks: readonly Check<I>[], input: I, opts: StageOptions): Promise<Verdict> {
  for (const check of checks) {
    const verdict = await runCheck(stage, check, input, opts);
    if (verdict.action !== 'continue') return verdict;
  }
  return CONTINUE;
}

async function runCheck<I>(stage: Stage, check: Check<I>, input: I, opts: StageOptions): Promise<Verdict> {
  const limit = check.timeoutMs ?? opts.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), limit);
  });
  const run = check.run(input);
  try {
    const r = await Promise.race([run, timedOut]);
    if (r !== 'timeout') return r;
    run.catch(() => {});
    opts.logger.warn('check timed out', { stage, check: check.name, ms: limit });
    return check.onTimeout ?? reject(REPLIES.checkTimeout());
  } catch (err) {
    if (err instanceof SmtpError) return reject(err);
    opts.logger.error('check failed', { stage, check: check.name, err });
    return reject(REPLIES.tempFailure());
  } finally {
    clearTimeout(timer);
  }
}

/** Turns a verdict into what an smtp-server callback expects. */
export function verdictError(v: Verdict): SmtpError | null {
  return v.action === 'reject' ? v.error : null;
}
