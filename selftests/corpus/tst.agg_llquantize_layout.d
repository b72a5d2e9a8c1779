/*
 * llquantize's bucket layout (DTrace for Linux's): factor 2, magnitudes
 * 0..3, 4 steps per magnitude: 0, 1, 2, 3, 4, 6, 8, 12, >= 16 (and their
 * negatives below 0); and factor 10 from magnitude 1: abs() < 10, 10, 20,
 * ..., 90, 100, 200, ..., 900, >= 1000.
 */
BEGIN
{
	@a = llquantize(0, 2, 0, 3, 4);
	@a = llquantize(1, 2, 0, 3, 4);
	@a = llquantize(3, 2, 0, 3, 4);
	@a = llquantize(5, 2, 0, 3, 4);
	@a = llquantize(7, 2, 0, 3, 4);
	@a = llquantize(13, 2, 0, 3, 4);
	@a = llquantize(100, 2, 0, 3, 4);
	@b = llquantize(9, 10, 1, 2, 10);
	@b = llquantize(10, 10, 1, 2, 10);
	@b = llquantize(95, 10, 1, 2, 10);
	@b = llquantize(999, 10, 1, 2, 10);
	@b = llquantize(1000, 10, 1, 2, 10);
	exit(0);
}
