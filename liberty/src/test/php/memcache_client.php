<?php
// pecl memcache (Debian php-memcache), object and memcache_* styles, as legacy queue code uses it.
require __DIR__ . '/check.php';
[$host, $port] = [$argv[1], (int) $argv[2]];
$q = 'php-mc-' . getmypid();

$m = new Memcache;
check($m->connect($host, $port), 'connect');
foreach (['a', 'b', 'c'] as $job) {
    check($m->set($q, "job-$job") === true, "set job-$job");
}
check($m->get($q) === 'job-a' && $m->get($q) === 'job-b' && $m->get($q) === 'job-c', 'FIFO');
check($m->get($q) === false, 'empty queue reads false');

$body = str_repeat('compress me ', 430); // about 5 KB
check($m->set($q, $body, MEMCACHE_COMPRESSED) === true, 'set MEMCACHE_COMPRESSED 5 KB');
check($m->get($q) === $body, 'get MEMCACHE_COMPRESSED 5 KB');
$m->setCompressThreshold(1024, 0.3);
check($m->set($q, $body) === true, 'set over setCompressThreshold(1024, 0.3)');
check($m->get($q) === $body, 'get over the compress threshold');

$m->set($q . '-x', 'x1');
$m->set($q . '-y', 'y1');
$m->set($q . '-x', 'x2');
$multi = $m->get([$q . '-x', $q . '-y', $q . '-none']);
check($multi === [$q . '-x' => 'x1', $q . '-y' => 'y1'], 'get(array) ' . var_export($multi, true));
check($m->get($q . '-x') === 'x2', 'get(array) popped one per key');

check($m->set($q, ['id' => 7, 'tags' => ['a', 'b']]) === true, 'set a serialized array');
check($m->get($q) === ['id' => 7, 'tags' => ['a', 'b']], 'get a serialized array');
check($m->set($q, 42) === true, 'set an int');
check($m->get($q) == 42, 'get an int');

check($m->add($q, 'added') === false, 'add is refused');
check($m->replace($q, 'replaced') === false, 'replace is refused');
check($m->increment($q, 1) === false, 'increment is refused');
check($m->set($q, 'still in step') === true && $m->get($q) === 'still in step', 'in step after add/replace/increment');

check($m->set($q . '-del', 'gone') === true && $m->delete($q . '-del') === true, 'delete');
check($m->get($q . '-del') === false, 'deleted queue is empty');

$stats = $m->getStats();
check(is_array($stats) && isset($stats['pid'], $stats['curr_connections']), 'getStats');
$version = $m->getVersion();
check(is_string($version) && (int) $version >= 1, "getVersion $version");

$link = memcache_connect($host, $port);
check(memcache_set($link, $q, 'procedural') === true, 'memcache_set');
check(memcache_get($link, $q) === 'procedural', 'memcache_get');
check(memcache_delete($link, $q) === true, 'memcache_delete');

check($m->set($q, 'flushed away') === true, 'set before flush');
check($m->flush() === true, 'flush');
check($m->get($q) === false, 'flush emptied the queue');
echo "ALL OK\n";
