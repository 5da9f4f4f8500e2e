<?php
// php-memcached (Debian, libmemcached underneath): what it needs from the server; in the binary
// protocol when the third argument is "binary" (Memcached::OPT_BINARY_PROTOCOL).
require __DIR__ . '/check.php';
[$host, $port] = [$argv[1], (int) $argv[2]];
$binary = ($argv[3] ?? '') === 'binary';
$q = 'php-mcd-' . getmypid();

$m = new Memcached;
check($m->setOption(Memcached::OPT_BINARY_PROTOCOL, $binary), 'OPT_BINARY_PROTOCOL ' . var_export($binary, true));
check($m->addServer($host, $port), 'addServer');
check($m->set($q, 'first') && $m->set($q, 'second'), 'set');
check($m->get($q) === 'first' && $m->get($q) === 'second', 'get FIFO');
check($m->get($q) === false && $m->getResultCode() === Memcached::RES_NOTFOUND, 'empty queue: NOTFOUND');

$m->set($q . '-a', 'a1');
$m->set($q . '-b', 'b1');
$multi = $m->getMulti([$q . '-a', $q . '-b', $q . '-none']);
check($multi === [$q . '-a' => 'a1', $q . '-b' => 'b1'], 'getMulti ' . var_export($multi, true));

check($m->set($q . '-d', 'x') && $m->delete($q . '-d'), 'delete');
check($m->delete($q . '-d') === false && $m->getResultCode() === Memcached::RES_NOTFOUND, 'delete again: NOTFOUND');

$stats = $m->getStats();
// libmemcached names a unix socket's server with its path and the default port
$server = $host[0] === '/' ? "$host:11211" : "$host:$port";
check(isset($stats[$server]['pid']) && $stats[$server]['pid'] > 0, 'getStats ' . var_export($stats, true));
$versions = $m->getVersion();
check(isset($versions[$server]) && (int) $versions[$server] >= 1, 'getVersion ' . var_export($versions, true));

$body = str_repeat('compressible ', 400); // about 5 KB, compressed by the client
check($m->set($q, $body), 'set 5 KB (compressed)');
check($m->get($q) === $body, 'get 5 KB (decompressed)');

check($m->set($q, 'extended'), 'set for GET_EXTENDED');
$extended = $m->get($q, null, Memcached::GET_EXTENDED);
check(is_array($extended) && $extended['value'] === 'extended' && $extended['cas'] > 0, 'GET_EXTENDED ' . var_export($extended, true));

check($m->add($q, 'added') === false, 'add refused');
check($m->replace($q, 'replaced') === false, 'replace refused');
check($m->set($q, 'in step') && $m->get($q) === 'in step', 'in step after add/replace');

$n = new Memcached;
$n->setOption(Memcached::OPT_BINARY_PROTOCOL, $binary);
$n->addServer($host, $port);
check($n->setOption(Memcached::OPT_NOREPLY, true), 'OPT_NOREPLY');
$n->set($q, 'noreply-1');
$n->set($q, 'noreply-2');
$n->setOption(Memcached::OPT_NOREPLY, false);
check($n->get($q) === 'noreply-1' && $n->get($q) === 'noreply-2', 'sets with OPT_NOREPLY were stored in order');
echo "ALL OK\n";
