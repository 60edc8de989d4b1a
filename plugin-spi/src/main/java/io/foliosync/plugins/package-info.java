/** Bank plugin discovery, validation, loading and unloading through ServiceLoader. */
package io.foliosync.plugins;
