/**
 * When a writer commits, for both stores' writers (the Derby store's one thread, each PostgreSQL
 * lane): polling on a core instead of sleeping ({@link org.mcq.queues.commits.Spin}, the Derby
 * writer's wait for its next operation), and when a lone operation waits for a second one so that one
 * commit carries both ({@link org.mcq.queues.commits.PairedCommits}, both). Writer-thread state only;
 * nothing here imports a store.
 */
package org.mcq.queues.commits;
