/**
 * Quoting for the few places SQL cannot take a bind parameter: identifiers (roles, databases) and
 * the literals of utility statements (CREATE ROLE … PASSWORD, COMMENT ON ROLE), which PostgreSQL
 * does not parameterise. Values always go through bind parameters everywhere else.
 * https://www.postgresql.org/docs/current/sql-syntax-lexical.html
 */

/** "name", with any double quote doubled: always quoted, so the name is taken exactly. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * 'text', with any single quote doubled (standard_conforming_strings, on by default since
 * PostgreSQL 9.1, so a backslash is an ordinary character). NUL cannot appear in PostgreSQL text.
 */
export function quoteLiteral(text: string): string {
  if (text.includes('\0')) throw new Error('Internal error: a SQL literal cannot hold NUL.');
  return `'${text.replace(/'/g, "''")}'`;
}
