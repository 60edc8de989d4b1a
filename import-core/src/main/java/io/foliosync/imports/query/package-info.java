/**
 * The read side of the portfolio database: {@link io.foliosync.imports.query.PortfolioQuery}, from
 * {@link io.foliosync.imports.FolioSync#query()} or {@link io.foliosync.imports.Portfolios#query(String)}, and the
 * records it returns. Nothing here writes; the importer is the database's only writer.
 */
package io.foliosync.imports.query;
