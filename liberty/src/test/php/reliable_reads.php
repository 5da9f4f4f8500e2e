<?php
// Kestrel-style reliable and blocking reads from PHP, as a worker loop would use them.
// Usage: reliable_reads.php HOST PORT MODE QUEUE [N]
//   die             pecl memcache: opens one job, prints it, and is killed (SIGKILL) mid-job
//   work-memcache   pecl memcache: works off up to N jobs with get(q/open), then get(q/close/open)
//   work-memcached  the same with php-memcached
//   peek-wait       peek leaves the head in place; t= on an empty queue waits, then reads false
//   wait            pecl memcache: waits up to 10 s for one job with get(q/t=10000)
require __DIR__ . '/check.php';
[$host, $port, $mode, $q] = [$argv[1], (int) $argv[2], $argv[3], $argv[4]];
$limit = (int) ($argv[5] ?? 1000);

function memcache_client($host, $port) {
    $m = new Memcache;
    check($m->connect($host, $port, 15), 'connect');
    return $m;
}

// A worker loop: the first job opened, each next one confirms the last in the same round trip.
function work($get, $q, $limit) {
    $done = [];
    $job = $get("$q/open");
    while ($job !== false) {
        $done[] = $job; // the job's work would be done here
        $job = count($done) < $limit ? $get("$q/close/open") : false;
    }
    $get("$q/close");
    echo 'DONE ' . implode(',', $done) . "\n";
}

switch ($mode) {
    case 'die':
        $m = memcache_client($host, $port);
        $job = $m->get("$q/open");
        check($job !== false, 'a job to open');
        echo "OPENED $job\n";
        flush();
        posix_kill(getmypid(), SIGKILL); // dies mid-job: no close, no quit
        break;
    case 'work-memcache':
        $m = memcache_client($host, $port);
        work(fn($key) => $m->get($key), $q, $limit);
        break;
    case 'work-memcached':
        $m = new Memcached;
        check($m->addServer($host, $port), 'addServer');
        work(fn($key) => $m->get($key), $q, $limit);
        break;
    case 'peek-wait':
        $m = memcache_client($host, $port);
        check($m->set($q, 'head') && $m->set($q, 'next'), 'set');
        check($m->get("$q/peek") === 'head' && $m->get("$q/peek") === 'head', 'peek leaves the head');
        check($m->get($q) === 'head' && $m->get("$q/t=100") === 'next', 'get and get with t= when there is one');
        $begin = microtime(true);
        check($m->get("$q/t=300") === false, 't=300 on an empty queue reads false');
        $waited = microtime(true) - $begin;
        check($waited >= 0.3 && $waited < 5, "waited $waited s");
        $d = new Memcached;
        $d->addServer($host, $port);
        check($d->get("$q/peek") === false && $d->getResultCode() === Memcached::RES_NOTFOUND, 'php-memcached peek: NOTFOUND');
        check($d->set($q, 'seen') && $d->get("$q/peek/t=100") === 'seen', 'php-memcached peek with t=');
        check($d->get("$q/open") === 'seen' && $d->get("$q/close") === false, 'php-memcached open and close');
        echo "ALL OK\n";
        break;
    case 'wait':
        $m = memcache_client($host, $port);
        $job = $m->get("$q/t=10000");
        check($job !== false, 'a job within 10 s');
        echo "GOT $job\n";
        break;
    default:
        check(false, "unknown mode $mode");
}
