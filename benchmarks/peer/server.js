'use strict';
// PostGraphile v4 over the quotegraph database in production mode, one process per worker, with
// connection-filter and @graphile/pg-aggregates.
//
// The PostGraphile CLI has no cluster mode, so this uses postgraphile as a library behind Node's
// cluster module. Environment: DATABASE_URL (required), PORT (5000), WORKERS (1), POOL_SIZE (10).
// Listens on 127.0.0.1 only; SIGTERM to the primary stops the workers too.

const cluster = require('node:cluster');
const http = require('node:http');
const { Pool } = require('pg');
const { postgraphile } = require('postgraphile');
const PgSimplifyInflectorPlugin = require('@graphile-contrib/pg-simplify-inflector');
const ConnectionFilterPlugin = require('postgraphile-plugin-connection-filter');
// Aggregates (`aggregates`, `groupedAggregates(groupBy:)`) on every connection: the peer of
// quotegraph's timeline, topSpeakers, sources and quoteCount in benchmarks/aggregates_peer.py.
const PgAggregatesPlugin = require('@graphile/pg-aggregates').default;

const databaseUrl = process.env.DATABASE_URL;
const port = Number(process.env.PORT || 5000);
const workers = Number(process.env.WORKERS || 1);
const poolSize = Number(process.env.POOL_SIZE || 10);

if (!databaseUrl) {
  console.error('DATABASE_URL is required (postgres://user@host:port/database)');
  process.exit(2);
}

function serve() {
  // Days are UTC days, as quotegraph's (date_trunc in groupedAggregates follows the session).
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize, options: '-c TimeZone=UTC' });
  const middleware = postgraphile(pool, 'public', {
    appendPlugins: [PgSimplifyInflectorPlugin, ConnectionFilterPlugin, PgAggregatesPlugin],
    // Relation filters (`some`, nested objects) are how a speaker's aliases are searched.
    graphileBuildOptions: { connectionFilterRelations: true },
    // Production settings, as the PostGraphile docs recommend them.
    graphiql: false,
    enhanceGraphiql: false,
    disableQueryLog: true,
    watchPg: false,
    retryOnInitFail: false,
    extendedErrors: ['errcode'],
    showErrorStack: false,
    setofFunctionsContainNulls: false,
    dynamicJson: true,
    legacyRelations: 'omit',
    enableQueryBatching: false,
  });
  const server = http.createServer(middleware);
  server.keepAliveTimeout = 65000;
  server.listen(port, '127.0.0.1', () => {
    console.log(`postgraphile worker ${process.pid} on http://127.0.0.1:${port}/graphql`);
  });
  process.on('SIGTERM', () => {
    server.close();
    pool.end().finally(() => process.exit(0));
  });
}

if (workers > 1 && cluster.isPrimary) {
  const children = [];
  for (let i = 0; i < workers; i += 1) children.push(cluster.fork());
  let stopping = false;
  cluster.on('exit', (worker, code) => {
    if (!stopping) {
      console.error(`worker ${worker.process.pid} exited with ${code}; stopping`);
      process.exit(1);
    }
  });
  process.on('SIGTERM', () => {
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
    setTimeout(() => process.exit(0), 2000).unref();
    Promise.all(children.map((c) => new Promise((r) => c.isDead() ? r() : c.on('exit', r))))
      .then(() => process.exit(0));
  });
} else {
  serve();
}
