<?php
// php-memcached with SASL (binary protocol): what each of three clients gets from a server with
// mcq.auth on. Run with -d memcached.use_sasl=1.
require __DIR__ . '/check.php';
[$host, $port, $user, $password] = [$argv[1], (int) $argv[2], $argv[3], $argv[4]];
$q = 'sasl-' . getmypid();

function client($host, $port) {
    $m = new Memcached;
    $m->setOption(Memcached::OPT_BINARY_PROTOCOL, true);
    $m->addServer($host, $port);
    return $m;
}

$m = client($host, $port);
$m->setSaslAuthData($user, $password);
check($m->set($q, 'first') && $m->set($q, 'second'), 'set, authenticated');
check($m->get($q) === 'first' && $m->get($q) === 'second', 'get FIFO, authenticated');

$wrong = client($host, $port);
$wrong->setSaslAuthData($user, $password . '-wrong');
check($wrong->set($q, 'refused') === false, 'set refused with a wrong password: ' . $wrong->getResultMessage());

$none = client($host, $port);
check($none->set($q, 'refused') === false, 'set refused without credentials: ' . $none->getResultMessage());
check($m->get($q) === false, 'nothing refused was stored');
echo "ALL OK\n";
