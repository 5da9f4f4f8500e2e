/**
 * When a writer commits, for both stores' writers (the Derby store's one thread, each PostgreSQL
 * lane): how long it polls for work on a core before it sleeps, and when a lone operation waits for
 * a second one so that one commit carries both. Writer-thread state only; nothing here imports a store.
 */
package org.mcq.queues.commits;
