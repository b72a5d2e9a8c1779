/*
 * lquantize(x, 1, 20, 5): 20 - 1 is not a whole number of steps; the
 * levels are (20 - 1) / 5 = 3 (1, 6, 11), as DTrace's, and what is past
 * the last whole step (16..19) is in the ">= 16" row.
 */
BEGIN
{
	@l = lquantize(0, 1, 20, 5);
	@l = lquantize(6, 1, 20, 5);
	@l = lquantize(15, 1, 20, 5);
	@l = lquantize(16, 1, 20, 5);
	@l = lquantize(19, 1, 20, 5);
	exit(0);
}
