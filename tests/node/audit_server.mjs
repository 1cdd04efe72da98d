// Runs the graphql-http audit (GraphQL over HTTP) against a live server and prints every result as JSON.
// Usage: node tests/node/audit_server.mjs http://127.0.0.1:PORT/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2];
const results = await auditServer({ url });
const out = [];
for (const result of results) {
  const entry = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    entry.reason = result.reason;
    try {
      entry.response = { status: result.response.status, body: (await result.response.text()).slice(0, 500) };
    } catch {
      // the body was read by the audit already
    }
  }
  out.push(entry);
}
process.stdout.write(JSON.stringify(out));
