/**
 * /api/docs: one self-contained page that fetches /api/openapi.json and lists every operation with
 * its parameters, request body and responses, schemas expanded. No external scripts, fonts or CDN.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Darwin Mail REST API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
  header { background: #1d2330; color: #fff; padding: 1rem 2rem; }
  main { max-width: 960px; margin: 0 auto; padding: 1rem 2rem 4rem; }
  h2 { margin-top: 2rem; border-bottom: 1px solid #ccd; }
  details { background: #fff; border: 1px solid #d8dbe2; border-radius: 6px; margin: .5rem 0; }
  summary { cursor: pointer; padding: .5rem .75rem; font-family: ui-monospace, monospace; }
  .m { display: inline-block; min-width: 4.5em; font-weight: bold; text-transform: uppercase; }
  .get { color: #1565c0 } .post { color: #2e7d32 } .put, .patch { color: #ef6c00 } .delete { color: #c62828 }
  .body { padding: 0 1rem 1rem; }
  pre { background: #f0f2f5; padding: .5rem; overflow: auto; font-size: 13px; }
  table { border-collapse: collapse; } td, th { text-align: left; padding: .2rem .6rem; border-bottom: 1px solid #eee; vertical-align: top; }
</style>
</head>
<body>
<header><h1 id="title">Darwin Mail REST API</h1><div id="desc"></div><p>Machine-readable: <a style="color:#9cf" href="/api/openapi.json">/api/openapi.json</a></p></header>
<main id="ops">Loading /api/openapi.json ...</main>
<script>
(async () => {
  const doc = await (await fetch('/api/openapi.json')).json();
  const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const schemas = doc.components.schemas;
  const expand = (s, depth = 0) => {
    if (!s || depth > 6) return s;
    if (s.$ref) return expand(schemas[s.$ref.split('/').pop()], depth + 1);
    const out = { ...s };
    if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, expand(v, depth + 1)]));
    if (s.items) out.items = expand(s.items, depth + 1);
    if (s.oneOf) out.oneOf = s.oneOf.map((x) => expand(x, depth + 1));
    return out;
  };
  document.getElementById('title').textContent = doc.info.title + ' ' + doc.info.version;
  document.getElementById('desc').textContent = doc.info.description;
  const byTag = {};
  for (const [path, methods] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(methods)) (byTag[op.tags[0]] ??= []).push({ path, method, op });
  let html = '';
  for (const [tag, ops] of Object.entries(byTag)) {
    html += '<h2>' + esc(tag) + '</h2>';
    for (const { path, method, op } of ops) {
      html += '<details id="' + esc(op.operationId) + '"><summary><span class="m ' + method + '">' + method + '</span> ' + esc(path) + ' &mdash; ' + esc(op.summary) + '</summary><div class="body">';
      html += '<p>' + esc(op.description) + '</p><p>operationId: <code>' + esc(op.operationId) + '</code></p>';
      if (op.parameters) html += '<table><tr><th>parameter</th><th>in</th><th>required</th><th></th></tr>' + op.parameters.map((p) => '<tr><td><code>' + esc(p.name) + '</code></td><td>' + p.in + '</td><td>' + (p.required ? 'yes' : '') + '</td><td>' + esc(p.description) + '</td></tr>').join('') + '</table>';
      if (op.requestBody) html += '<h4>Request body</h4><pre>' + esc(JSON.stringify(expand(op.requestBody.content['application/json'].schema), null, 2)) + '</pre>';
      for (const [status, r] of Object.entries(op.responses)) {
        if (Number(status) >= 400) continue;
        const [type, c] = Object.entries(r.content ?? {})[0] ?? [];
        html += '<h4>' + status + ' ' + esc(r.description) + ' (' + esc(type) + ')</h4>';
        if (c && type === 'application/json') html += '<pre>' + esc(JSON.stringify(expand(c.schema), null, 2)) + '</pre>';
      }
      html += '<p>Errors: ' + Object.entries(op.responses).filter(([s]) => Number(s) >= 400).map(([s, r]) => s + ' ' + esc(r.description)).join('; ') + '</p></div></details>';
    }
  }
  document.getElementById('ops').innerHTML = html;
})().catch((e) => { document.getElementById('ops').textContent = 'Could not load the API description: ' + e; });
</script>
</body>
</html>
`;
