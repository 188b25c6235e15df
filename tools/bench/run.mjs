#!/usr/bin/env node
// `npm run bench -- <name> [options]`: runs one benchmark, or all of them without a name.
// Benchmarks are not tests: they measure and print JSON lines (and append them to
// bench/results/<name>.jsonl); they never fail on timings.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BENCHES = {
  smtp: 'apps/mail-engine/bench/smtp-bench.mjs',
  imap: 'apps/mail-engine/bench/imap-bench.mjs',
  pop3: 'apps/mail-engine/bench/pop3-bench.mjs',
  api: 'apps/api/bench/api-bench.mjs',
};

const [name, ...rest] = process.argv.slice(2);
const names = name ? [name] : Object.keys(BENCHES);
for (const n of names) {
  const script = BENCHES[n];
  if (!script) {
    console.error(`unknown benchmark "${n}"; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  if (!existsSync(root + script)) {
    console.error(`${n}: ${script} does not exist yet`);
    continue;
  }
  mkdirSync(root + 'bench/results', { recursive: true });
  console.error(`# ${n}: node ${script} ${rest.join(' ')}`);
  const r = spawnSync(process.execPath, [root + script, ...rest], { stdio: 'inherit', cwd: root, env: { ...process.env, BENCH_RESULTS: root + `bench/results/${n}.jsonl` } });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
}
