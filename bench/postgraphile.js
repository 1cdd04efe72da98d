#!/usr/bin/env node
// PostGraphile 4 as a benchmark reference, through its library API, on one Node.js process.
//
//   node bench/postgraphile.js --database-url postgres://... --port 5000
//
// Serves POST /graphql for the schemas `public` and `bench` (bench/bench_schema.sql), plus
//   GET /healthz       200 once the GraphQL schema is built (introspection done)
//   GET /__bench/sql   {"statements": n}: SQL statements sent to PostgreSQL since start
// bench/harness.py starts and stops it; nothing else should.
'use strict';

const http = require('http');
const path = require('path');
const Module = require('module');

// postgraphile@4 needs graphql@15 while the project's own tools use graphql@16, so npm installs
// graphql@15 (and graphile-build) more than once, under postgraphile/ and graphile-build-pg/, and
// leaves graphql@16 at the top, where graphql-parse-resolve-info and graphql-ws find it. Several
// copies of graphql make every query fail ("Cannot use GraphQLNonNull from another module or
// realm", "Unexpected input type"). This process runs PostGraphile only, so resolve these packages
// from postgraphile's own folder whoever asks: one copy of each.
const POSTGRAPHILE_DIR = path.dirname(require.resolve('postgraphile/package.json'));
const SHARED = /^(graphql|graphile-build|graphile-build-pg|graphile-utils|postgraphile-core|pg-sql2|pg)(\/|$)/;
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveShared(request, parent, isMain, options) {
  if (SHARED.test(request)) {
    return resolveFilename.call(this, request, parent, isMain, { ...options, paths: [POSTGRAPHILE_DIR] });
  }
  return resolveFilename.call(this, request, parent, isMain, options);
};

const { postgraphile } = require('postgraphile');
const pg = require(require.resolve('pg', { paths: [POSTGRAPHILE_DIR] }));

function argument(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const databaseUrl = argument('database-url', process.env.DATABASE_URL);
const port = Number(argument('port', '5000'));
if (!databaseUrl) {
  console.error('postgraphile.js: give --database-url (or DATABASE_URL)');
  process.exit(2);
}

// Count every statement PostGraphile sends, as the directory's X-Directory-Stats does.
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  statements += 1;
  return query.apply(this, args);
};

const pool = new pg.Pool({ connectionString: databaseUrl });
const middleware = postgraphile(pool, ['public', 'bench'], {
  disableQueryLog: true,
  graphiql: false,
  watchPg: false,
  retryOnInitFail: false,
  setofFunctionsContainNulls: false,
  ignoreRBAC: true,
  extendedErrors: ['hint', 'detail', 'errcode'],
});

function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') {
    middleware.getGraphQLSchema().then(
      () => json(res, 200, { status: 'ok' }),
      (error) => json(res, 503, { status: 'unavailable', error: String(error) }),
    );
  } else if (req.method === 'GET' && req.url === '/__bench/sql') {
    json(res, 200, { statements });
  } else {
    middleware(req, res);
  }
});

server.listen(port, '127.0.0.1');

function stop() {
  server.close();
  pool.end().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
