/* B10: a probe on each of manyfuncs' 4096 functions (pid provider, -p) */
BEGIN { printf("READY\n"); }
pid$target:manyfuncs:fn_*:entry { printf("F\n"); }
