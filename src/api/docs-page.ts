/**
 * The `/docs` page: a self-contained HTML reference that fetches `/openapi.json` and lists every
 * operation with its parameters and body schema. No CDN: the server may be reachable only on
 * loopback, and the page must work offline.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Swiftlet API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:980px;padding:1rem 1.5rem;color:#1d232a}
h1{font-size:1.5rem}h2{margin-top:2rem;border-bottom:1px solid #ddd;text-transform:capitalize}
details{border:1px solid #e2e5e9;border-radius:6px;margin:.4rem 0;padding:.3rem .6rem}
summary{cursor:pointer}code,pre{font:12px ui-monospace,monospace}pre{background:#f6f8fa;padding:.6rem;overflow:auto}
.m{display:inline-block;min-width:4.2em;font-weight:600}.GET{color:#0a7}.POST{color:#06c}.PATCH{color:#b70}.DELETE{color:#c33}
</style></head><body>
<h1>Swiftlet API reference</h1>
<p>Generated from <a href="/openapi.json">/openapi.json</a>. Management routes need <code>Authorization: Bearer &lt;admin token&gt;</code>; the send routes use X-WSSE or SDK-HMAC-SHA256 (see docs/management-api.md).</p>
<div id="out">Loading…</div>
<script>
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
fetch('/openapi.json').then((r) => r.json()).then((doc) => {
  const groups = {};
  for (const [path, ops] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags && op.tags[0]) || 'other';
      (groups[tag] = groups[tag] || []).push({ path, method: method.toUpperCase(), op });
    }
  }
  let html = '';
  for (const [tag, list] of Object.entries(groups)) {
    html += '<h2>' + esc(tag) + '</h2>';
    for (const { path, method, op } of list) {
      const body = op.requestBody ? JSON.stringify(op.requestBody.content, null, 2) : '';
      const params = (op.parameters || []).map((p) => esc(p.in + ' ' + p.name + (p.required ? ' (required)' : ''))).join('<br>');
      html += '<details><summary><span class="m ' + method + '">' + method + '</span> <code>' + esc(path) + '</code> — ' + esc(op.summary || '') + '</summary>'
        + (params ? '<p>' + params + '</p>' : '') + (body ? '<pre>' + esc(body) + '</pre>' : '') + '</details>';
    }
  }
  document.getElementById('out').innerHTML = html;
}).catch((e) => { document.getElementById('out').textContent = 'Could not load /openapi.json: ' + e; });
</script></body></html>`;
