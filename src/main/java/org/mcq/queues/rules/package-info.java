/**
 * The queue rules both stores apply, written once: a queue's limits and what a full one does
 * ({@link org.mcq.queues.rules.Admission}), when a message may no longer be delivered
 * ({@link org.mcq.queues.rules.Expiry}). The rules decided before a store is asked (the {@code t=} cap,
 * the open-read allowance) are the memcache commands'; what a {@code flush}, {@code flush_all} or
 * {@code delete} leaves of open reads is each store's own bookkeeping, held to one model by the
 * model tests that run against both. Nothing here imports a store.
 */
package org.mcq.queues.rules;
