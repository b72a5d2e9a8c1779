/*
 * llquantize of negative values (DTrace for Linux): the negative buckets
 * mirror the positive ones around the middle bucket (|v| < factor^low),
 * "<= -factor^(high+1)" below them; steps below the factor divide it
 * (factor 4, 2 steps: 1, 2, 4, 8).  Weights: -20 (<= -16) x1, -12 (-8) x2,
 * -3 (-2) x3, 0 x1, 5 (4) x2, 100 (>= 16) x1; @b: 9 and -9 in the middle
 * of magnitudes from 1 (factor 10), 10 once, -10 twice.
 */
BEGIN
{
	@a = llquantize(-20, 4, 0, 1, 2);
	@a = llquantize(-12, 4, 0, 1, 2, 2);
	@a = llquantize(-3, 4, 0, 1, 2, 3);
	@a = llquantize(0, 4, 0, 1, 2);
	@a = llquantize(5, 4, 0, 1, 2, 2);
	@a = llquantize(100, 4, 0, 1, 2);
	@b = llquantize(9, 10, 1, 1, 10);
	@b = llquantize(-9, 10, 1, 1, 10);
	@b = llquantize(10, 10, 1, 1, 10);
	@b = llquantize(-10, 10, 1, 1, 10, 2);
	exit(0);
}
