// Module hooks that let a child Node process run the TypeScript sources directly (tests only):
// @darwin/<lib> -> libs/<lib>/src/index.ts, './x.js' -> './x.ts' when it exists, and .ts compiled
// with SWC the way vitest does (legacy decorators with metadata, for the TypeORM entities).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import swc from '@swc/core';

const root = fileURLToPath(new URL('../../../../../', import.meta.url));

export async function resolve(specifier, context, next) {
  const lib = /^@darwin\/([a-z-]+)$/.exec(specifier);
  if (lib) {
    const file = `${root}libs/${lib[1]}/src/index.ts`;
    if (existsSync(file)) return { url: pathToFileURL(file).href, shortCircuit: true };
  }
  if (/^\.{1,2}\//.test(specifier) && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(ts))) return { url: ts.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const filename = fileURLToPath(url);
  const { code } = await swc.transform(await readFile(filename, 'utf8'), {
    filename,
    swcrc: false,
    sourceMaps: 'inline',
    module: { type: 'es6' },
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
