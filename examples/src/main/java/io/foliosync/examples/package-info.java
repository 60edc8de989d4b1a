/** The foliosync command line and example programs. */
package io.foliosync.examples;
