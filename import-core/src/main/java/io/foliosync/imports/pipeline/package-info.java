/**
 * What a page of transactions goes through before it is stored: normalize → identify → validate → deduplicate,
 * one stage class each, run by {@link io.foliosync.imports.pipeline.TransactionPipeline}.
 */
package io.foliosync.imports.pipeline;
