BEGIN
{
	@l = lquantize(-1, 0, 10, 5);
	@l = lquantize(3, 0, 10, 5);
	@l = lquantize(7, 0, 10, 5);
	@l = lquantize(20, 0, 10, 5);
	exit(0);
}
