BEGIN
{
	@l = lquantize(-1, 0, 10, 5);
	@l = lquantize(5, 0, 10, 5);
	@l = lquantize(7, 0, 10, 5);
	@l = lquantize(10, 0, 10, 5);
	exit(0);
}
