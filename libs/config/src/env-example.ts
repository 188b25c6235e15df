import { schema } from './schema.js';

/** Renders `.env.example` from the schema, so the file can never forget a setting. */
export function renderEnvExample(): string {
  const lines = [
    '# Darwin Mail settings. Every variable is optional; the value shown is the default.',
    '# Generated from libs/config/src/schema.ts (npm run env:example); do not edit by hand.',
    '',
  ];
  for (const s of Object.values(schema)) {
    lines.push(`# ${s.doc}`, `# Form: ${s.kind.form}.`);
    lines.push('default' in s && s.default !== undefined ? `# ${s.env}=${s.default}` : `# ${s.env}=`);
    lines.push('');
  }
  return lines.join('\n');
}
