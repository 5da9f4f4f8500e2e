<?php
// The way legacy sites use MemcacheQ through pecl memcache: both the object and the function styles.
require __DIR__ . '/check.php';
[$host, $port] = [$argv[1], (int) $argv[2]];
$queue = 'php-legacy-' . getmypid();

$memcache = new Memcache;
check($memcache->connect($host, $port), 'connect');
check($memcache->set($queue, 'first job') === true, 'set');
check($memcache->set($queue, 'second job') === true, 'set again');
check($memcache->get($queue) === 'first job', 'get is FIFO');
check($memcache->get($queue) === 'second job', 'get the second');
check($memcache->get($queue) === false, 'get of an empty queue');

// a 5 KB body, compressed by the client (flag bit 2): the server stores the bytes and the flag as sent
$body = str_repeat('0123456789', 512);
check($memcache->set($queue, $body, MEMCACHE_COMPRESSED) === true, 'set compressed 5 KB');
check($memcache->get($queue) === $body, 'get compressed 5 KB');

$link = memcache_connect($host, $port);
check($link !== false, 'memcache_connect');
check(memcache_set($link, $queue, 'procedural') === true, 'memcache_set');
check(memcache_get($link, $queue) === 'procedural', 'memcache_get');
memcache_close($link);

echo "ALL OK\n";
