<?php
// Stops the script with a non-zero status at the first failed expectation.
function check($ok, $what) {
    if (!$ok) {
        fwrite(STDERR, "FAILED: $what\n");
        echo "FAILED: $what\n";
        exit(1);
    }
    echo "ok: $what\n";
}
