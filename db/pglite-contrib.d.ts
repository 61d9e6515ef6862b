// The package's contrib entry points are declared in its `exports` map only, which this project's "node" module
// resolution does not read; this names the one we load (db/connection.ts) with the package's own types.
declare module '@electric-sql/pglite/contrib/pg_trgm' {
  export const pg_trgm: import('@electric-sql/pglite').Extension;
}
