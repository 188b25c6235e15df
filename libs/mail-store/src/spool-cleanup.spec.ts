import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeStaleSpools, Spool } from './spool.js';

describe('removeStaleSpools', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("removes the spool files of dead processes and keeps live ones' and other files", async () => {
    dir = await mkdtemp(join(tmpdir(), 'spool-test-'));
    // A pid that existed and is now certainly gone: a child that has exited.
    const deadPid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    await writeFile(join(dir, `darwin-spool-${deadPid}-0123456789abcdef`), 'orphan');
    await writeFile(join(dir, `darwin-spool-1-0123456789abcdef`), 'pid 1 is alive');
    await writeFile(join(dir, 'unrelated-file'), 'keep');
    const live = new Spool({ maxBytes: 10_000_000, memoryBytes: 1, dir });
    await live.write(Buffer.from('in progress'));

    expect(await removeStaleSpools(dir)).toBe(1);
    expect(existsSync(join(dir, `darwin-spool-${deadPid}-0123456789abcdef`))).toBe(false);
    expect(existsSync(join(dir, 'darwin-spool-1-0123456789abcdef'))).toBe(true);
    expect(existsSync(join(dir, 'unrelated-file'))).toBe(true);
    const finished = await live.finish();
    expect(finished.size).toBe(11);
    await finished.dispose();
  });
});
