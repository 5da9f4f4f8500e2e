/**
 * When a writer commits, for both stores' writers (the Derby store's one thread, each PostgreSQL
 * lane): polling on a core instead of sleeping ({@link org.mcq.queues.commits.Spin}, the Derby
 * writer's wait for its next operation), and when the operation taken waits for others so that one
 * commit carries them ({@link org.mcq.queues.commits.CommitWait}: a pair in both, many in Derby's). Writer-thread state only;
 * nothing here imports a store.
 */
package org.mcq.queues.commits;
