import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env: NodeJS.ProcessEnv;
}

const COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m'];
let colorIndex = 0;

/** Writes each line of a stream to stdout with the app's name in front ("[api] ..."). */
export function prefixLines(stream: NodeJS.ReadableStream, label: string, color: boolean): void {
  const c = COLORS[colorIndex++ % COLORS.length]!;
  const prefix = color ? `${c}[${label}]\x1b[0m `.padEnd(22) : `[${label}] `.padEnd(13);
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => process.stdout.write(prefix + line + '\n'));
}

/** One app of the platform, run as a child process with its output prefixed. */
export class Child {
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(readonly spec: ChildSpec) {
    this.process = spawn(spec.command, [...spec.args], { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
    prefixLines(this.process.stdout!, spec.name, color);
    prefixLines(this.process.stderr!, spec.name, color);
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
      this.process.once('error', () => resolve(127));
    });
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
